"""The program PD plans resource, with its activities, allocations, publishing and
acknowledgements."""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import TRI_VALUE
from cadre.funding import selectors
from cadre.funding.models import ProgramPlan
from cadre.funding.serializers import (
    PLAN_ORDER,
    AcknowledgementQuery,
    AcknowledgementStatusSerializer,
    PlanAcknowledgementSerializer,
    PlanActivitySerializer,
    PlanAllocationSerializer,
    ProgramPlanChangeSerializer,
    ProgramPlanQuery,
    ProgramPlanSerializer,
)
from cadre.funding.services import plans as services


@documented(ProgramPlanSerializer, ProgramPlanQuery, "program PD plans")
class ProgramPlanViewSet(DistrictResourceViewSet):
    """A program's PD plan for a school year: activities and funding allocations, drafted by
    its director, published to the staff it covers, who acknowledge reading it."""

    model = ProgramPlan
    serializer_class = ProgramPlanSerializer
    query_class = ProgramPlanQuery
    order = PLAN_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "publish": "publish",
        "acknowledge": "acknowledge",
        "activities": "change",
        "allocations": "change",
        "acknowledgements": "acknowledgements",
    }

    # Actions that answer with something other than the plan need not load its items.
    answer_with_something_else = {"acknowledge", "acknowledgements", "activities", "allocations"}

    def get_serializer_class(self):
        if self.action == "partial_update":
            return ProgramPlanChangeSerializer
        return ProgramPlanSerializer

    def everything(self) -> QuerySet:
        if self.action in self.answer_with_something_else:
            return selectors.plan_list(self.actor)
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.plan_list(
            self.actor, school_year=params.get("school_year"), program=params.get("program")
        ).prefetch_related("activities", "allocations__source")

    def create_with(self, data: dict[str, Any]) -> Model:
        # "create" on the model lets any program director in; this asks for the program named.
        draft = ProgramPlan(district=self.actor.district, program=data["program"])
        access.require(self.actor, "create", draft)
        return services.plan_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.plan_update(plan=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=None,
        responses={200: ProgramPlanSerializer, **REFUSALS},
        summary="Publish: the staff the program covers see the plan",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        return self.respond(services.plan_publish(plan=plan, actor=request.user))

    @extend_schema(
        request=None,
        responses={200: PlanAcknowledgementSerializer, **REFUSALS},
        summary="Acknowledge that you have read the plan (saying so twice changes nothing)",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        plan = self.get_object()
        ack = services.plan_acknowledge(plan=plan, staff=self.actor.staff, actor=request.user)
        return Response(PlanAcknowledgementSerializer(ack).data)

    @extend_schema(
        request=PlanActivitySerializer,
        responses={201: PlanActivitySerializer, **REFUSALS},
        summary="Add an activity to a draft plan",
    )
    @action(detail=True, methods=["post"])
    def activities(self, request, pk=None):
        plan = self.get_object()
        data = self.body(PlanActivitySerializer)
        activity = services.activity_add(plan=plan, actor=request.user, data=data)
        return Response(PlanActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=PlanAllocationSerializer,
        responses={201: PlanAllocationSerializer, **REFUSALS},
        summary="Add a funding allocation to a draft plan",
    )
    @action(detail=True, methods=["post"])
    def allocations(self, request, pk=None):
        plan = self.get_object()
        data = self.body(PlanAllocationSerializer)
        allocation = services.allocation_add(plan=plan, actor=request.user, data=data)
        return Response(
            PlanAllocationSerializer(allocation, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        parameters=[AcknowledgementQuery],
        responses={200: AcknowledgementStatusSerializer(many=True), **REFUSALS},
        summary="The staff the plan covers, and who has acknowledged it",
    )
    @action(detail=True, methods=["get"])
    def acknowledgements(self, request, pk=None):
        plan = self.get_object()
        query = AcknowledgementQuery(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        rows = selectors.acknowledgement_status(
            plan, self.actor.today, acknowledged=TRI_VALUE[query.validated_data["acknowledged"]]
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AcknowledgementStatusSerializer(page, many=True).data)
