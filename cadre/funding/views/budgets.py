"""Budget pages: create and edit, one budget with its ledger and chart, a manual posting, and a
transfer request from it."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse

from cadre.core.charts import stacked_bars
from cadre.core.errors import DomainError
from cadre.core.views import actor_required, form_error, paginate, parse_choice, save_form
from cadre.districts import access
from cadre.funding import selectors
from cadre.funding.forms import BudgetForm, EntryForm, TransferForm
from cadre.funding.models import Budget, LedgerEntry
from cadre.funding.services import budgets, ledger, transfers
from cadre.funding.views.monitoring import MONEY_SERIES


@actor_required
def budget_create(request):
    actor = request.actor
    access.require(actor, "create", Budget)
    initial = {"fiscal_year": selectors.current_fiscal_year(actor)}
    return save_form(
        request,
        BudgetForm(request.POST or None, initial=initial, district=actor.district),
        lambda data: budgets.budget_create(district=actor.district, actor=request.user, data=data),
        title="New budget",
        cancel=reverse("funding-dashboard"),
    )


@actor_required
def budget_edit(request, pk: int):
    actor = request.actor
    budget = selectors.budget_detail(actor, pk)
    access.require(actor, "change", budget)
    return save_form(
        request,
        BudgetForm(
            request.POST or None, instance=Budget.objects.get(pk=pk), district=actor.district
        ),
        lambda data: budgets.budget_update(budget=budget, actor=request.user, data=data),
        title=f"Edit {budget}",
        cancel=budget.get_absolute_url(),
    )


@actor_required
def budget_detail(request, pk: int):
    actor = request.actor
    budget = selectors.budget_detail(actor, pk)
    kind = parse_choice(request.GET.get("kind"), LedgerEntry.Kind.choices)
    entries = selectors.entry_list(actor, budget=budget, kind=kind)
    return render(
        request,
        "funding/budget_detail.html",
        {
            "budget": budget,
            "kind": kind,
            "kinds": LedgerEntry.Kind.choices,
            "page": paginate(request, entries),
            "transfers": selectors.transfer_list(actor, budget=budget)[:20],
            "chart": stacked_bars(
                [
                    (
                        "Dollars",
                        [budget.spent_amount, budget.committed_amount, budget.remaining_amount],
                    ),
                ],
                MONEY_SERIES,
            ),
            "can_change": access.can(actor, "change", budget),
            "can_post": access.can(actor, "post", budget),
            "can_transfer": access.can(actor, "transfer", budget),
        },
    )


@actor_required
def budget_post(request, pk: int):
    actor = request.actor
    budget = selectors.budget_detail(actor, pk)
    access.require(actor, "post", budget)
    form = EntryForm(
        request.POST or None, budget=budget, open_encumbrances=selectors.open_encumbrances(budget)
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = ledger.post_entry(budget=budget, actor=request.user, data=form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Posted {entry.get_kind_display().lower()} #{entry.pk}.")
            return redirect(budget.get_absolute_url())
    return render(
        request,
        "funding/entry_form.html",
        {"form": form, "budget": budget},
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def budget_transfer(request, pk: int):
    actor = request.actor
    budget = selectors.budget_detail(actor, pk)
    access.require(actor, "transfer", budget)
    form = TransferForm(request.POST or None, budget=budget)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = transfers.transfer_request(
                district=actor.district,
                actor=request.user,
                from_budget=budget,
                to_budget=data["to_budget"],
                reason=data["reason"],
                **{u: data.get(u) or Decimal(0) for u in ("amount", "hours", "days")},
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Transfer requested; a district administrator decides.")
            return redirect(transfer.get_absolute_url())
    return render(
        request,
        "districts/form.html",
        {"form": form, "title": f"Move from {budget}", "cancel": budget.get_absolute_url()},
        status=400 if request.method == "POST" else 200,
    )


urls = [
    path("budgets/new/", budget_create, name="budget-create"),
    path("budgets/<int:pk>/", budget_detail, name="budget-detail"),
    path("budgets/<int:pk>/edit/", budget_edit, name="budget-edit"),
    path("budgets/<int:pk>/post/", budget_post, name="budget-post"),
    path("budgets/<int:pk>/transfer/", budget_transfer, name="budget-transfer"),
]
