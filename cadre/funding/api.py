"""The funding API: a thin layer over the same selectors, access rules and services as the pages.

- Lists and lookups read through `selectors`, which start from `access.visible`: a row outside
  the caller's district or scope is simply not there (404).
- A visible row the caller may not act on answers 403 (`access.require`, before the body is
  read, so a refused caller learns nothing from validation).
- Writes call `services`; a refused action surfaces as {"code", "detail"} (400 or 409).
- The ledger is append-only: entries are read here and posted through budgets/{id}/post/.
"""

from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts import access
from cadre.districts.serializers import TRI_VALUE, ReasonSerializer
from cadre.funding import selectors
from cadre.funding.models import (
    ZERO,
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
)
from cadre.funding.serializers import (
    AWARD_ORDER,
    BATCH_ORDER,
    BUDGET_ORDER,
    ENTRY_ORDER,
    FISCAL_YEAR_ORDER,
    PLAN_ORDER,
    SCHEDULE_ORDER,
    SOURCE_ORDER,
    TRANSFER_ORDER,
    AcknowledgementQuery,
    AcknowledgementStatusSerializer,
    ApproveSerializer,
    BudgetChangeSerializer,
    BudgetQuery,
    BudgetSerializer,
    BudgetTransferQuery,
    BudgetTransferSerializer,
    EntryPostSerializer,
    FiscalYearQuery,
    FiscalYearSerializer,
    FundingSourceQuery,
    FundingSourceSerializer,
    LedgerEntryQuery,
    LedgerEntrySerializer,
    PayrollBatchQuery,
    PayrollBatchSerializer,
    PayrollCreateSerializer,
    PlanAcknowledgementSerializer,
    PlanActivitySerializer,
    PlanAllocationSerializer,
    ProgramPlanChangeSerializer,
    ProgramPlanQuery,
    ProgramPlanSerializer,
    RejectSerializer,
    StipendAwardQuery,
    StipendAwardSerializer,
    StipendScheduleQuery,
    StipendScheduleSerializer,
    TransferRequestSerializer,
)
from cadre.funding.services import budgets, ledger, plans, stipends, transfers

UNITS = ("amount", "hours", "days")


def _reads(query, name: str, **more) -> Any:
    """The OpenAPI description of a resource that is listed and read but not created or
    edited directly; `more` describes whichever of create or partial_update it does offer."""
    return extend_schema_view(
        list=extend_schema(parameters=[query], summary=f"List {name}"),
        retrieve=extend_schema(summary=f"One of the {name}"),
        **more,
    )


class _NotOffered:
    """Hides an inherited action from the router, so its route is never built: the method
    answers 405, `Allow` leaves it out, and so does the schema."""

    def __get__(self, obj, owner=None):
        raise AttributeError("not offered")


NOT_OFFERED = _NotOffered()


@documented(FundingSourceSerializer, FundingSourceQuery, "funding sources")
class FundingSourceViewSet(DistrictResourceViewSet):
    """Where money comes from, what it may pay for, and whose staff it may pay for."""

    model = FundingSource
    serializer_class = FundingSourceSerializer
    query_class = FundingSourceQuery
    order = SOURCE_ORDER

    def everything(self) -> QuerySet:
        return selectors.source_list(self.actor, active=None)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.source_list(
            self.actor,
            q=params["q"].strip(),
            kind=params.get("kind", ""),
            active=TRI_VALUE[params["active"]],
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return budgets.source_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return budgets.source_update(source=obj, actor=self.request.user, data=data)


@documented(BudgetSerializer, BudgetQuery, "budgets")
class BudgetViewSet(DistrictResourceViewSet):
    """A source's money and time for one fiscal year, held by the district, a school or a
    program. Committed, spent and remaining follow the ledger and are read-only."""

    model = Budget
    serializer_class = BudgetSerializer
    query_class = BudgetQuery
    order = BUDGET_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "post_entry": "post",
        "transfer": "transfer",
    }

    def get_serializer_class(self):
        return BudgetChangeSerializer if self.action == "partial_update" else BudgetSerializer

    def everything(self) -> QuerySet:
        return selectors.budget_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.budget_list(
            self.actor,
            fiscal_year=params.get("fiscal_year"),
            source=params.get("source"),
            school=params.get("school"),
            program=params.get("program"),
            owner=params.get("owner", ""),
        )

    def create_with(self, data: dict[str, Any]) -> Model:
        return budgets.budget_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return budgets.budget_update(budget=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=EntryPostSerializer,
        responses={201: LedgerEntrySerializer, **REFUSALS},
        summary="Post a ledger entry: encumber, spend, release or adjust",
    )
    @action(detail=True, methods=["post"], url_path="post", url_name="post")
    def post_entry(self, request, pk=None):
        budget = self.get_object()
        data = self.body(EntryPostSerializer, budget=budget)
        entry = ledger.post_entry(budget=budget, actor=request.user, data=data)
        entry = selectors.entry_list(self.actor).get(pk=entry.pk)
        return Response(
            LedgerEntrySerializer(entry, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=TransferRequestSerializer,
        responses={201: BudgetTransferSerializer, **REFUSALS},
        summary="Ask to move money or time from this budget to another",
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        budget = self.get_object()
        data = self.body(TransferRequestSerializer)
        transfer = transfers.transfer_request(
            district=self.actor.district,
            actor=request.user,
            from_budget=budget,
            to_budget=data["to_budget"],
            reason=data["reason"],
            **{unit: data.get(unit) or ZERO for unit in UNITS},
        )
        transfer = selectors.transfer_list(self.actor).get(pk=transfer.pk)
        return Response(
            BudgetTransferSerializer(transfer, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


# --- the ledger, transfers and fiscal years ------------------------------------------------


@_reads(LedgerEntryQuery, "ledger entries")
class LedgerEntryViewSet(DistrictResourceViewSet):
    """The append-only ledger. Entries are never edited or deleted; a correction is a new
    entry, posted through budgets/{id}/post/."""

    model = LedgerEntry
    serializer_class = LedgerEntrySerializer
    query_class = LedgerEntryQuery
    order = ENTRY_ORDER
    http_method_names = ["get", "head", "options"]

    def everything(self) -> QuerySet:
        return selectors.entry_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.entry_list(
            self.actor, budget=params.get("budget"), kind=params.get("kind", "")
        )


@_reads(BudgetTransferQuery, "budget transfers")
class BudgetTransferViewSet(DistrictResourceViewSet):
    """Transfers between budgets and the carry-forwards of closed years. Requested through
    budgets/{id}/transfer/; a district administrator other than the requester decides."""

    model = BudgetTransfer
    serializer_class = BudgetTransferSerializer
    query_class = BudgetTransferQuery
    order = TRANSFER_ORDER
    object_actions = {
        **DistrictResourceViewSet.object_actions,
        "approve": "decide",
        "reject": "decide",
    }
    create = partial_update = NOT_OFFERED

    def everything(self) -> QuerySet:
        return selectors.transfer_list(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.transfer_list(
            self.actor, status=params.get("status", ""), budget=params.get("budget")
        )

    @extend_schema(
        request=ApproveSerializer,
        responses={200: BudgetTransferSerializer, **REFUSALS},
        summary="Approve: the money or time moves",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        transfer = self.get_object()
        note = self.body(ApproveSerializer)["note"]
        return self.respond(
            transfers.transfer_approve(transfer=transfer, actor=request.user, note=note)
        )

    @extend_schema(
        request=RejectSerializer,
        responses={200: BudgetTransferSerializer, **REFUSALS},
        summary="Reject, saying why",
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        transfer = self.get_object()
        note = self.body(RejectSerializer)["note"]
        return self.respond(
            transfers.transfer_reject(transfer=transfer, actor=request.user, note=note)
        )


@_reads(FiscalYearQuery, "fiscal years")
class FiscalYearViewSet(DistrictResourceViewSet):
    """Fiscal years. They open by themselves when first needed; closing one stops postings
    and carries balances forward."""

    model = FiscalYear
    serializer_class = FiscalYearSerializer
    query_class = FiscalYearQuery
    order = FISCAL_YEAR_ORDER
    object_actions = {**DistrictResourceViewSet.object_actions, "close": "close"}
    create = partial_update = NOT_OFFERED

    def everything(self) -> QuerySet:
        return selectors.fiscal_years(self.actor)

    def listed(self, params: dict[str, Any]) -> QuerySet:
        return selectors.fiscal_years(self.actor)

    @extend_schema(
        request=None,
        responses={200: FiscalYearSerializer, **REFUSALS},
        summary="Close the year: no new postings; balances that may carry forward do",
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        year = self.get_object()
        transfers.fiscal_year_close(fiscal_year=year, actor=request.user)
        return self.respond(year)


# --- stipends ------------------------------------------------------------------------------


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
        return stipends.schedule_create(
            district=self.actor.district, actor=self.request.user, data=data
        )

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return stipends.schedule_update(schedule=obj, actor=self.request.user, data=data)


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
        return stipends.award_create(
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
        return self.respond(stipends.award_approve(award=award, actor=request.user))

    @extend_schema(
        request=ReasonSerializer,
        responses={200: StipendAwardSerializer, **REFUSALS},
        summary="Cancel: an approved award's encumbrance is released",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        award = self.get_object()
        reason = self.body(ReasonSerializer)["reason"].strip()
        return self.respond(stipends.award_cancel(award=award, actor=request.user, reason=reason))


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
        batch = stipends.payroll_batch_create(
            district=self.actor.district,
            actor=request.user,
            awards=data["awards"],
            paid_on=data.get("paid_on"),
        )
        return self.respond(batch, status.HTTP_201_CREATED)


# --- program PD plans ----------------------------------------------------------------------


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
        return plans.plan_create(district=self.actor.district, actor=self.request.user, data=data)

    def update_with(self, obj: Model, data: dict[str, Any]) -> Model:
        return plans.plan_update(plan=obj, actor=self.request.user, data=data)

    @extend_schema(
        request=None,
        responses={200: ProgramPlanSerializer, **REFUSALS},
        summary="Publish: the staff the program covers see the plan",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        return self.respond(plans.plan_publish(plan=plan, actor=request.user))

    @extend_schema(
        request=None,
        responses={200: PlanAcknowledgementSerializer, **REFUSALS},
        summary="Acknowledge that you have read the plan (saying so twice changes nothing)",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        plan = self.get_object()
        ack = plans.plan_acknowledge(plan=plan, staff=self.actor.staff, actor=request.user)
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
        activity = plans.activity_add(plan=plan, actor=request.user, data=data)
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
        allocation = plans.allocation_add(plan=plan, actor=request.user, data=data)
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
