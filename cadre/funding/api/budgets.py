"""The funding sources and budgets resources, with a budget's ledger posting and transfer
request."""

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cadre.core.api import REFUSALS, DistrictResourceViewSet, documented
from cadre.districts.serializers import TRI_VALUE
from cadre.funding import selectors
from cadre.funding.models import ZERO, Budget, FundingSource
from cadre.funding.serializers import (
    BUDGET_ORDER,
    SOURCE_ORDER,
    BudgetChangeSerializer,
    BudgetQuery,
    BudgetSerializer,
    BudgetTransferSerializer,
    EntryPostSerializer,
    FundingSourceQuery,
    FundingSourceSerializer,
    LedgerEntrySerializer,
    TransferRequestSerializer,
)
from cadre.funding.services import budgets, ledger, transfers

UNITS = ("amount", "hours", "days")


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
