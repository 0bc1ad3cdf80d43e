"""The mentoring API: a thin layer over the same access rules, selectors and services as the
pages.

- Lists and lookups start from `access.visible`: mentors for those who follow the programme
  (and each mentor themselves), matches for the pair, the coordinator and the new teacher's
  school leaders, checklists for the school's leaders and the coordinator. Anything else is
  simply not there (404).
- Logs are the pair's alone: the coordinator, the principal and administrators get 404 and
  an empty list; they read a match's cadence (counts, minutes, dates) instead.
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read, so a refused caller learns nothing from validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"}: 400 for bad input,
  409 for a step the record's state (or the mentor's caseload) does not allow.
"""

from typing import Any

from django.db.models import Count, Model, Prefetch, Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, ScopedModelViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import TRI_VALUE
from cadre.growth.services import home_unit
from cadre.mentoring import selectors, services
from cadre.mentoring.models import Log, Match, Mentor, OnboardingChecklist, OnboardingTask
from cadre.mentoring.serializers import (
    CHECKLIST_ORDER,
    LOG_ORDER,
    MATCH_ORDER,
    MENTOR_ORDER,
    MatchConfirmSerializer,
    MatchEndSerializer,
    MentorChangeSerializer,
    MentorLogChangeSerializer,
    MentorLogQuery,
    MentorLogReflectSerializer,
    MentorLogSerializer,
    MentorMatchQuery,
    MentorMatchSerializer,
    MentorQuery,
    MentorSerializer,
    OnboardingChecklistQuery,
    OnboardingChecklistSerializer,
    ProgrammeQuery,
    ProgrammeSummarySerializer,
    StipendAwardSummarySerializer,
    TaskMarkSerializer,
)

READ_AND_ACT = ["get", "post", "head", "options"]


# --- mentors -------------------------------------------------------------------------------


@documented(MentorSerializer, MentorQuery, "mentors")
class MentorViewSet(DistrictResourceViewSet):
    """Mentors, their caseload cap, caseload and availability. The coordinator names them
    (only staff who completed a mentor-training offering) and changes them; school leaders
    read the list; each mentor reads their own."""

    model = Mentor
    serializer_class = MentorSerializer
    change_serializer_class = MentorChangeSerializer
    query_class = MentorQuery
    order = MENTOR_ORDER

    def everything(self) -> QuerySet:
        return selectors.mentors(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.mentors(
            self.actor, available=TRI_VALUE[params["available"]], q=params["q"].strip()
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        data = dict(data)
        staff = data.pop("staff")
        return services.mentor_create(
            district=self.actor.district, actor=self.request.user, staff=staff, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.mentor_update(mentor=obj, actor=self.request.user, data=data)


# --- matches -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[MentorMatchQuery], summary="List mentor matches"),
    retrieve=extend_schema(summary="One of the mentor matches"),
    create=extend_schema(
        responses={201: MentorMatchSerializer, **REFUSALS},
        summary="Propose a mentor for a new teacher (the coordinator confirms)",
    ),
)
class MatchViewSet(DistrictResourceViewSet):
    """A mentor and a new teacher for a school year: proposed (by the coordinator or the new
    teacher's principal) → active (confirmed by the coordinator, within the mentor's caseload
    cap) → ended. Everyone who sees a match sees its cadence; only the pair read its logs."""

    model = Match
    serializer_class = MentorMatchSerializer
    query_class = MentorMatchQuery
    order = MATCH_ORDER
    http_method_names = READ_AND_ACT
    object_actions = {
        "retrieve": "view",
        "confirm": "confirm",
        "end": "end",
        "stipends": "stipend",
    }

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            selectors.matches(
                self.actor,
                status=params.get("status", ""),
                school=params.get("school"),
                mentor=params.get("mentor"),
            )
            .select_related("proposed_by", "confirmed_by")
            .prefetch_related("proposed_by__staff_records", "confirmed_by__staff_records")
        )
        if params.get("school_year"):
            qs = qs.filter(school_year_id=params["school_year"])
        return qs

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:  # a page: its cadence in one query
            rows = list(args[0])
            self._figures().update(selectors.cadence(self.actor.district, rows, self.actor.today))
            args = (rows, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def _figures(self) -> dict:
        if not hasattr(self, "_cadence"):
            self._cadence: dict = {}
        return self._cadence

    def cadence_of(self, match: Match) -> selectors.Cadence:
        figures = self._figures()
        if match.pk not in figures:
            figures.update(selectors.cadence(self.actor.district, [match], self.actor.today))
        return figures[match.pk]

    def create_with(self, data: dict[str, Any]) -> Model:
        # "create" let any follower in; this asks about the new teacher's own school.
        school, _ = home_unit(data["mentee"], self.actor.today)
        access.require(self.actor, "create", Match(district=self.actor.district, school=school))
        return services.match_propose(
            district=self.actor.district,
            actor=self.request.user,
            mentor=data["mentor"],
            mentee=data["mentee"],
            note=data.get("note", ""),
            source=data.get("source"),
            school_year=data.get("school_year"),
        )

    @extend_schema(
        request=MatchConfirmSerializer,
        responses={200: MentorMatchSerializer, **REFUSALS},
        summary="Confirm a proposed match: it becomes active (409 over the mentor's cap)",
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        match = self.get_object()
        data = self.body(MatchConfirmSerializer)
        return self.respond(
            services.match_confirm(
                match=match,
                actor=request.user,
                source=data.get("source"),
                started_on=data.get("started_on"),
            )
        )

    @extend_schema(
        request=MatchEndSerializer,
        responses={200: MentorMatchSerializer, **REFUSALS},
        summary="End a proposed or active match, saying why",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        match = self.get_object()
        data = self.body(MatchEndSerializer)
        return self.respond(
            services.match_end(
                match=match,
                actor=request.user,
                reason=data["reason"],
                note=data["note"],
                ended_on=data.get("ended_on"),
            )
        )

    @extend_schema(
        request=None,
        responses={201: StipendAwardSummarySerializer(many=True), **REFUSALS},
        summary="Propose the mentor's and the new teacher's stipends for the months served",
    )
    @action(detail=True, methods=["post"])
    def stipends(self, request, pk=None):
        match = self.get_object()
        awards = services.match_stipends(match=match, actor=request.user)
        return Response(
            StipendAwardSummarySerializer(awards, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[ProgrammeQuery],
        responses={200: ProgrammeSummarySerializer, **REFUSALS},
        summary="The programme's figures for a school year (the coordinator's), including how "
        "many teaching staff have unknown experience",
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        access.require(self.actor, "report", Match)  # before the parameters
        query = ProgrammeQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        wanted = query.validated_data.get("school_year")
        year = selectors.pick_year(self.actor, selectors.school_years(self.actor), wanted)
        if year is None or (wanted and year.pk != wanted):
            raise ValidationError({"school_year": ["No such school year."]})
        pairs = selectors.matches(self.actor, year=year).aggregate(
            active=Count("pk", filter=Q(status=Match.Status.ACTIVE)),
            proposed=Count("pk", filter=Q(status=Match.Status.PROPOSED)),
        )
        body = {
            "school_year": year.pk,
            "school_year_name": year.name,
            "in_programme": selectors.people(self.actor, year).count(),
            "active_pairs": pairs["active"],
            "proposed_pairs": pairs["proposed"],
            "overdue": selectors.people(self.actor, year, state="overdue").count(),
            "unknown_experience": selectors.unknown_experience(self.actor),
        }
        return Response(ProgrammeSummarySerializer(body).data)


# --- logs ----------------------------------------------------------------------------------


@documented(MentorLogSerializer, MentorLogQuery, "mentor logs")
class LogViewSet(DistrictResourceViewSet):
    """The pair's contact logs, confidential to them: the mentor writes and edits a log, the
    new teacher reflects on it. Nobody else, administrators included, reaches them."""

    model = Log
    serializer_class = MentorLogSerializer
    change_serializer_class = MentorLogChangeSerializer
    query_class = MentorLogQuery
    order = LOG_ORDER
    object_actions = {"retrieve": "view", "partial_update": "change", "reflect": "reflect"}

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, Log)
            .select_related("logged_by", "match__mentor", "match__district")
            .prefetch_related("logged_by__staff_records")
        )
        if params.get("match"):
            qs = qs.filter(match_id=params["match"])
        return qs

    def create(self, request, *args, **kwargs):
        # A log has no "create" right of its own: the match's mentor writes it (below).
        access.require(self.actor, "log", Match)
        return ScopedModelViewSet.create(self, request, *args, **kwargs)

    def create_with(self, data: dict[str, Any]) -> Model:
        match = data["match"]
        access.require(self.actor, "log", match)  # a visible match, but not theirs: 403
        return services.log_create(match=match, actor=self.request.user, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.log_update(log=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=MentorLogReflectSerializer,
        responses={200: MentorLogSerializer, **REFUSALS},
        summary="The new teacher's reflection on a contact",
    )
    @action(detail=True, methods=["post"])
    def reflect(self, request, pk=None):
        log = self.get_object()
        data = self.body(MentorLogReflectSerializer)
        return self.respond(
            services.log_reflect(log=log, actor=request.user, reflection=data["reflection"])
        )


# --- onboarding ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[OnboardingChecklistQuery], summary="List onboarding checklists"),
    retrieve=extend_schema(summary="One of the onboarding checklists"),
    create=extend_schema(
        responses={201: OnboardingChecklistSerializer, **REFUSALS},
        summary="Open a new teacher's checklist from the district's onboarding steps",
    ),
)
class OnboardingChecklistViewSet(DistrictResourceViewSet):
    """The principal's part in bringing a new teacher into the school: a checklist copied
    from the district's steps, kept by the school's leaders and the coordinator."""

    model = OnboardingChecklist
    serializer_class = OnboardingChecklistSerializer
    query_class = OnboardingChecklistQuery
    order = CHECKLIST_ORDER
    http_method_names = READ_AND_ACT
    object_actions = {"retrieve": "view", "mark": "change"}

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        qs = (
            access.visible(self.actor, OnboardingChecklist)
            .select_related("staff", "school", "school_year")
            .prefetch_related(
                Prefetch(
                    "tasks",
                    OnboardingTask.objects.select_related("done_by").prefetch_related(
                        "done_by__staff_records"
                    ),
                )
            )
        )
        for name in ("school_year", "school", "staff"):
            if params.get(name):
                qs = qs.filter(**{f"{name}_id": params[name]})
        return qs

    def create_with(self, data: dict[str, Any]) -> Model:
        # "create" let any follower in; this asks about the new teacher's own school.
        school, _ = home_unit(data["staff"], self.actor.today)
        probe = OnboardingChecklist(district=self.actor.district, school=school)
        access.require(self.actor, "create", probe)
        return services.checklist_open(
            district=self.actor.district,
            actor=self.request.user,
            staff=data["staff"],
            school_year=data.get("school_year"),
        )

    @extend_schema(
        request=TaskMarkSerializer,
        responses={200: OnboardingChecklistSerializer, **REFUSALS},
        summary="Mark one of the checklist's tasks done (or not), with a note",
    )
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        checklist = self.get_object()
        data = self.body(TaskMarkSerializer, checklist=checklist)
        services.task_mark(
            task=data["task"], actor=request.user, done=data["done"], note=data["note"]
        )
        return self.respond(checklist)
