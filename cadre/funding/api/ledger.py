"""The ledger entries (read only), budget transfers (with their approval or rejection) and fiscal
years (with their close) resources."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cadre.core.api import REFUSALS, DistrictResourceViewSet
from cadre.funding import selectors
from cadre.funding.api.common import NOT_OFFERED, _reads
from cadre.funding.models import BudgetTransfer, FiscalYear, LedgerEntry
from cadre.funding.serializers import (
    ENTRY_ORDER,
    FISCAL_YEAR_ORDER,
    TRANSFER_ORDER,
    ApproveSerializer,
    BudgetTransferQuery,
    BudgetTransferSerializer,
    FiscalYearQuery,
    FiscalYearSerializer,
    LedgerEntryQuery,
    LedgerEntrySerializer,
    RejectSerializer,
)
from cadre.funding.services import transfers as services


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
            services.transfer_approve(transfer=transfer, actor=request.user, note=note)
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
            services.transfer_reject(transfer=transfer, actor=request.user, note=note)
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
        services.fiscal_year_close(fiscal_year=year, actor=request.user)
        return self.respond(year)
