"""Transfer and fiscal-year pages: the transfers and their approval or rejection, and the fiscal
years with their close."""

from decimal import Decimal

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from cadre.core.views import actor_required, paginate, parse_choice, transition
from cadre.districts import access
from cadre.funding import selectors
from cadre.funding.forms import DecisionForm
from cadre.funding.models import BudgetTransfer, FiscalYear
from cadre.funding.services import transfers as services


@actor_required
def transfer_list(request):
    actor = request.actor
    access.require(actor, "list", BudgetTransfer)
    status = parse_choice(request.GET.get("status"), BudgetTransfer.Status.choices)
    return render(
        request,
        "funding/transfer_list.html",
        {
            "page": paginate(request, selectors.transfer_list(actor, status=status)),
            "statuses": BudgetTransfer.Status.choices,
            "status": status,
        },
    )


@actor_required
def transfer_detail(request, pk: int):
    actor = request.actor
    transfer = access.get_visible_or_404(actor, selectors.transfer_list(actor), pk=pk)
    return render(
        request,
        "funding/transfer_detail.html",
        {
            "transfer": transfer,
            "form": DecisionForm(),
            "can_decide": access.can(actor, "decide", transfer)
            and transfer.status == BudgetTransfer.Status.REQUESTED,
        },
    )


def _decide(request, pk: int, service, done: str):
    actor = request.actor
    transfer = access.get_visible_or_404(actor, BudgetTransfer, pk=pk)
    access.require(actor, "decide", transfer)
    note = request.POST.get("note", "")
    return transition(
        request,
        lambda: service(transfer=transfer, actor=request.user, note=note),
        transfer,
        done=done,
    )


@require_POST
@actor_required
def transfer_approve(request, pk: int):
    return _decide(request, pk, services.transfer_approve, "Transfer approved; the money moved.")


@require_POST
@actor_required
def transfer_reject(request, pk: int):
    return _decide(request, pk, services.transfer_reject, "Transfer rejected.")


@actor_required
def fiscal_year_list(request):
    actor = request.actor
    access.require(actor, "list", FiscalYear)
    selectors.current_fiscal_year(actor)  # the current year always exists to be seen
    return render(
        request,
        "funding/fiscal_year_list.html",
        {
            "years": selectors.fiscal_years(actor)
            .select_related("closed_by")
            .prefetch_related("closed_by__staff_records"),
            "can_close": access.can(actor, "close", FiscalYear),
            "today": actor.today,
        },
    )


@require_POST
@actor_required
def fiscal_year_close(request, pk: int):
    actor = request.actor
    year = access.get_visible_or_404(actor, FiscalYear, pk=pk)
    access.require(actor, "close", year)

    def done(carried) -> str:
        total = sum((t.amount for t in carried), Decimal(0))
        return f"Closed {year}; carried ${total:,.2f} forward in {len(carried)} budgets."

    return transition(
        request,
        lambda: services.fiscal_year_close(fiscal_year=year, actor=request.user),
        done=done,
        to=reverse("fiscal-year-list"),
    )


urls = [
    path("transfers/", transfer_list, name="transfer-list"),
    path("transfers/<int:pk>/", transfer_detail, name="transfer-detail"),
    path("transfers/<int:pk>/approve/", transfer_approve, name="transfer-approve"),
    path("transfers/<int:pk>/reject/", transfer_reject, name="transfer-reject"),
    path("fiscal-years/", fiscal_year_list, name="fiscal-year-list"),
    path("fiscal-years/<int:pk>/close/", fiscal_year_close, name="fiscal-year-close"),
]
