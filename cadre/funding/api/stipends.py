"""The stipend schedules, stipend awards (with approve and cancel) and payroll batches
resources."""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import ReasonSerializer
from cadre.funding import selectors
from cadre.funding.api.common import _reads
from cadre.funding.models import PayrollBatch, StipendAward, StipendSchedule
from cadre.funding.serializers import (
    AWARD_ORDER,
    BATCH_ORDER,
    SCHEDULE_ORDER,
    PayrollBatchQuery,
    PayrollBatchSerializer,
    PayrollCreateSerializer,
    StipendAwardQuery,
    StipendAwardSerializer,
    StipendScheduleQuery,
    StipendScheduleSerializer,
)
from cadre.funding.services import stipends as services


@documented(StipendScheduleSerializer, StipendScheduleQuery, "stipend schedules")
class StipendScheduleViewSet(DistrictResourceViewSet):
    """What each stipend role pays for a year of service, per school year."""

    model = StipendSchedule
    serializer_class = StipendScheduleSerializer
    query_class = StipendScheduleQuery
    order = SCHEDULE_ORDER

    def everything(self) -> QuerySet:
        return selectors.schedule_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.schedule_list(self.actor, school_year=params.get("school_year"))

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.schedule_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return services.schedule_update(schedule=obj, actor=self.request.user, data=data)


@_reads(
    StipendAwardQuery,
    "stipend awards",
    create=extend_schema(responses={201: StipendAwardSerializer, **REFUSALS}),
)
class StipendAwardViewSet(DistrictResourceViewSet):
    """Stipends for a person's service. An award changes only through its workflow:
    proposed → approved (encumbered) → paid (in a payroll batch), or cancelled."""

    model = StipendAward
    serializer_class = StipendAwardSerializer
    query_class = StipendAwardQuery
    order = AWARD_ORDER
    http_method_names = ["get", "post", "head", "options"]
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "approve": "approve",
        "cancel": "cancel",
    }

    def everything(self) -> QuerySet:
        return selectors.award_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.award_list(
            self.actor,
            status=params.get("status", ""),
            schedule=params.get("schedule"),
            q=params["q"].strip(),
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return services.award_create(
            district=self.actor.district,
            actor=self.request.user,
            schedule=data["schedule"],
            staff=data["staff"],
            budget=data["budget"],
            months=data["months"],
            evidence=data.get("evidence", ""),
        )

    @extend_schema(
        request=None,
        responses={200: StipendAwardSerializer, **REFUSALS},
        summary="Approve: the stipend is encumbered on its budget",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        award = self.get_object()
        return self.respond(services.award_approve(award=award, actor=request.user))

    @extend_schema(
        request=ReasonSerializer,
        responses={200: StipendAwardSerializer, **REFUSALS},
        summary="Cancel: an approved award's encumbrance is released",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        award = self.get_object()
        reason = self.body(ReasonSerializer)["reason"].strip()
        return self.respond(services.award_cancel(award=award, actor=request.user, reason=reason))


@_reads(PayrollBatchQuery, "payroll batches")
class PayrollBatchViewSet(DistrictResourceViewSet):
    """Approved stipends paid together; each award's expenditure is posted as it is paid."""

    model = PayrollBatch
    serializer_class = PayrollBatchSerializer
    query_class = PayrollBatchQuery
    order = BATCH_ORDER
    http_method_names = ["get", "post", "head", "options"]

    def everything(self) -> QuerySet:
        return self.listed({})

    def listed(self, params: dict[str, Any]) -> QuerySet:
        awards = StipendAward.objects.order_by("pk").only("pk", "batch_id")
        return selectors.batch_list(self.actor).prefetch_related(Prefetch("awards", awards))

    @extend_schema(
        request=PayrollCreateSerializer,
        responses={201: PayrollBatchSerializer, **REFUSALS},
        summary="Pay approved stipend awards in one batch",
    )
    def create(self, request, *args, **kwargs):
        access.require(self.actor, "create", PayrollBatch)  # before validation: no probing
        data = self.body(PayrollCreateSerializer)
        batch = services.payroll_batch_create(
            district=self.actor.district,
            actor=request.user,
            awards=data["awards"],
            paid_on=data.get("paid_on"),
        )
        return self.respond(batch, status.HTTP_201_CREATED)
