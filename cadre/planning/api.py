"""The planning API: a thin layer over the same access rules and services as the pages.

- Lists and lookups start from `access.visible`: a row outside the caller's district or scope
  is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read, so a refused caller learns nothing from validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"}: 400 for bad input,
  409 for a step the record's state does not allow.
"""

from typing import Any

from django.db.models import Model, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet, documented
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.planning import services
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)
from cadre.planning.serializers import (
    ASSESSMENT_ORDER,
    GOAL_ORDER,
    INPUT_ORDER,
    PD_PLAN_ORDER,
    PLAN_ORDER,
    CommentSerializer,
    InputLinkSerializer,
    ModerateSerializer,
    NeedsAssessmentChangeSerializer,
    NeedsAssessmentQuery,
    NeedsAssessmentSerializer,
    PdPlanChangeSerializer,
    PdPlanQuery,
    PdPlanSerializer,
    PlanGoalChangeSerializer,
    PlanGoalQuery,
    PlanGoalSerializer,
    PrioritySerializer,
    StakeholderInputQuery,
    StakeholderInputSerializer,
    StrategicPlanChangeSerializer,
    StrategicPlanQuery,
    StrategicPlanSerializer,
)

Level = StrategicPlan.Level


def _changes(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """The links a PATCH names (None for those it leaves alone), for the services."""
    return {name: data.get(name) for name in names}


# --- strategic plans and goals -------------------------------------------------------------


@documented(StrategicPlanSerializer, StrategicPlanQuery, "strategic plans")
class StrategicPlanViewSet(DistrictResourceViewSet):
    """Strategic plans of the district, its schools and programs. Published plans are seen by
    everyone they cover; drafts by those who edit them: administrators, the school's leaders,
    the program's director."""

    model = StrategicPlan
    serializer_class = StrategicPlanSerializer
    change_serializer_class = StrategicPlanChangeSerializer
    query_class = StrategicPlanQuery
    order = PLAN_ORDER
    object_actions = {**DistrictResourceViewSet.object_actions, "publish": "publish"}

    def everything(self) -> QuerySet:
        return self.listed({"q": ""})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, StrategicPlan)
            .select_related("school", "program", "first_year", "last_year", "published_by")
            .prefetch_related("published_by__staff_records")
            .prefetch_related(Prefetch("goals", Goal.objects.only("pk", "plan", "code", "title")))
        )
        if params["q"].strip():
            qs = qs.filter(title__icontains=params["q"].strip())
        for name in ("level", "status"):
            if params.get(name):
                qs = qs.filter(**{name: params[name]})
        for name in ("school", "program"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        if params.get("school_year"):
            start = SchoolYear.objects.filter(
                district=self.actor.district, pk=params["school_year"]
            ).values("start_date")[:1]
            qs = qs.filter(first_year__start_date__lte=start, last_year__start_date__gte=start)
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        level, school, program = data.get("level"), data.get("school"), data.get("program")
        owner_named = {
            Level.DISTRICT: school is None and program is None,
            Level.SCHOOL: school is not None and program is None,
            Level.PROGRAM: program is not None and school is None,
        }.get(level, False)
        if owner_named:  # else the service refuses the body, with its code
            probe = StrategicPlan(
                district=self.actor.district, level=level, school=school, program=program
            )
            access.require(self.actor, "create", probe)
        return services.plan_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.plan_update(plan=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=None,
        responses={200: StrategicPlanSerializer, **REFUSALS},
        summary="Publish: everyone the plan covers sees it",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        return self.respond(services.plan_publish(plan=plan, actor=request.user))


@documented(PlanGoalSerializer, PlanGoalQuery, "goals of strategic plans")
class PlanGoalViewSet(DistrictResourceViewSet):
    """The goals of the strategic plans the caller sees. School and program goals align to the
    district goals they serve; whoever edits the plan edits its goals."""

    model = Goal
    serializer_class = PlanGoalSerializer
    change_serializer_class = PlanGoalChangeSerializer
    query_class = PlanGoalQuery
    order = GOAL_ORDER
    list_right = None  # the visible plans decide which goals show

    def everything(self) -> QuerySet:
        return self.listed({"q": ""})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, Goal)
            .select_related("plan")
            .prefetch_related(Prefetch("aligns_to", Goal.objects.only("pk")))
        )
        q = params["q"].strip()
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(code__iexact=q))
        if params.get("plan"):
            qs = qs.filter(plan_id=params["plan"])
        if params.get("level"):
            qs = qs.filter(plan__level=params["level"])
        return qs

    def create(self, request, *args, **kwargs):
        # Only those who edit some plan write goals: refused before the body is read.
        access.require(self.actor, "create", StrategicPlan)
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        plan = data["plan"]
        access.require(self.actor, "change", plan)
        return services.goal_create(
            plan=plan, actor=self.request.user, data=data, aligns_to=data.get("aligns_to", [])
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.goal_update(
            goal=obj, actor=self.request.user, data=data, **_changes(data, "aligns_to")
        )


# --- needs assessments ---------------------------------------------------------------------


@documented(NeedsAssessmentSerializer, NeedsAssessmentQuery, "needs assessments")
class NeedsAssessmentViewSet(DistrictResourceViewSet):
    """A school's or program's needs assessment for a year: ranked priorities with evidence,
    and the stakeholder input that informs them. Its leaders draft and finalise it; its staff
    read it once final."""

    model = NeedsAssessment
    serializer_class = NeedsAssessmentSerializer
    change_serializer_class = NeedsAssessmentChangeSerializer
    query_class = NeedsAssessmentQuery
    order = ASSESSMENT_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "finalize": "finalize",
        "link": "change",
        "priorities": "change",
        "inputs": "moderate",
        "moderate": "moderate",
    }

    # Actions that answer with something other than the assessment need not load its items.
    answer_with_something_else = {"priorities", "inputs", "moderate"}

    def everything(self) -> QuerySet:
        if self.action in self.answer_with_something_else:
            return access.visible(self.actor, NeedsAssessment)
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, NeedsAssessment)
            .select_related("school", "program", "school_year")
            .prefetch_related("priorities")
        )
        for name in ("school_year", "school", "program"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        self.require_for_unit(NeedsAssessment, data)
        return services.assessment_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.assessment_update(assessment=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=None,
        responses={200: NeedsAssessmentSerializer, **REFUSALS},
        summary="Finalise: the school's or program's staff see it; the input link closes",
    )
    @action(detail=True, methods=["post"])
    def finalize(self, request, pk=None):
        assessment = self.get_object()
        return self.respond(services.assessment_finalize(assessment=assessment, actor=request.user))

    @extend_schema(
        request=InputLinkSerializer,
        responses={200: NeedsAssessmentSerializer, **REFUSALS},
        summary="Open, close or renew the public link for parent and community input",
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        assessment = self.get_object()
        data = self.body(InputLinkSerializer)
        return self.respond(
            services.assessment_input_link(
                assessment=assessment, actor=request.user, open=data["open"], renew=data["renew"]
            )
        )

    @extend_schema(
        request=PrioritySerializer,
        responses={201: PrioritySerializer, **REFUSALS},
        summary="Add a priority area, ranked last",
    )
    @action(detail=True, methods=["post"])
    def priorities(self, request, pk=None):
        assessment = self.get_object()
        data = self.body(PrioritySerializer)
        priority = services.priority_add(assessment=assessment, actor=request.user, data=data)
        return Response(PrioritySerializer(priority).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[StakeholderInputQuery],
        responses={200: StakeholderInputSerializer(many=True), **REFUSALS},
        summary="The stakeholder input, for those who moderate it",
    )
    @action(detail=True, methods=["get"])
    def inputs(self, request, pk=None):
        assessment = self.get_object()
        query = StakeholderInputQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = StakeholderInput.objects.filter(district=self.actor.district, assessment=assessment)
        for name in ("status", "source"):
            if params.get(name):
                rows = rows.filter(**{name: params[name]})
        page = self.paginate_queryset(rows.order_by(*INPUT_ORDER[params["ordering"]]))
        return self.get_paginated_response(StakeholderInputSerializer(page, many=True).data)

    @extend_schema(
        request=ModerateSerializer,
        responses={200: StakeholderInputSerializer, **REFUSALS},
        summary="Accept an input (attaching it to a priority) or hide it",
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        assessment = self.get_object()
        data = self.body(ModerateSerializer, assessment=assessment)
        item = services.input_moderate(
            item=data["input"], actor=request.user, status=data["status"], priority=data["priority"]
        )
        return Response(StakeholderInputSerializer(item).data)


# --- PD plans ------------------------------------------------------------------------------


@documented(PdPlanSerializer, PdPlanQuery, "PD plans")
class PdPlanViewSet(DistrictResourceViewSet):
    """A school's or program's PD plan for the year: the priorities it addresses, the goals it
    serves and its structure for support. Its leaders draft and submit it; the principal (or
    the director, or an administrator) approves or returns it; its staff read it once
    approved."""

    model = PdPlan
    serializer_class = PdPlanSerializer
    change_serializer_class = PdPlanChangeSerializer
    query_class = PdPlanQuery
    order = PD_PLAN_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "submit": "submit",
        "approve": "approve",
        "return_": "return",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, PdPlan)
            .select_related("school", "program", "school_year", "decided_by")
            .prefetch_related("decided_by__staff_records")
            .prefetch_related(
                Prefetch("priorities", Priority.objects.only("pk")),
                Prefetch("goals", Goal.objects.only("pk")),
            )
        )
        for name in ("school_year", "school", "program"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        self.require_for_unit(PdPlan, data)
        return services.pd_plan_create(
            district=self.actor.district,
            actor=self.request.user,
            data=data,
            priorities=data.get("priorities", []),
            goals=data.get("goals", []),
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.pd_plan_update(
            plan=obj, actor=self.request.user, data=data, **_changes(data, "priorities", "goals")
        )

    @extend_schema(
        request=None,
        responses={200: PdPlanSerializer, **REFUSALS},
        summary="Submit for approval",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self.get_object()
        return self.respond(services.pd_plan_submit(plan=plan, actor=request.user))

    @extend_schema(
        request=None,
        responses={200: PdPlanSerializer, **REFUSALS},
        summary="Approve: the school's or program's staff see the plan",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        return self.respond(services.pd_plan_approve(plan=plan, actor=request.user))

    @extend_schema(
        request=CommentSerializer,
        responses={200: PdPlanSerializer, **REFUSALS},
        summary="Return for changes, saying what to change",
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        plan = self.get_object()
        comment = self.body(CommentSerializer)["comment"]
        return self.respond(services.pd_plan_return(plan=plan, actor=request.user, comment=comment))
