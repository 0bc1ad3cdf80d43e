"""Funding pages: monitoring, sources, budgets and their ledger, transfers, the year close,
stipends and payroll, and program PD plans. Views parse, ask access, call a service or
selector, and render."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.core.charts import stacked_bars
from cadre.core.errors import DomainError
from cadre.core.views import (
    actor_required,
    form_error,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.funding import exports, selectors
from cadre.funding.forms import (
    ActivityForm,
    AllocationForm,
    AwardForm,
    BudgetForm,
    DecisionForm,
    EntryForm,
    PayrollForm,
    PlanForm,
    ScheduleForm,
    SourceForm,
    TransferForm,
)
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanActivity,
    PlanAllocation,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
)
from cadre.funding.rules import sees_all_money
from cadre.funding.services import budgets, fiscal_years, ledger, plans, stipends, transfers

MONEY_SERIES = [("Spent", "#1f4e8c"), ("Committed", "#6f9bd1"), ("Remaining", "#d5dae3")]
TIME_SERIES = [("Used", "#1b6b3a"), ("Committed", "#7fb893"), ("Remaining", "#d5dae3")]


# --- monitoring ----------------------------------------------------------------------------


def _monitoring(request):
    """The budgets the filters pick, for the page and its exports."""
    actor = request.actor
    access.require(actor, "list", Budget)
    years = list(selectors.fiscal_years(actor))
    wanted = parse_int(request.GET.get("fy"))
    today = actor.today
    year = (
        next((y for y in years if y.pk == wanted), None)
        or next((y for y in years if y.start_date <= today <= y.end_date), None)
        or selectors.current_fiscal_year(actor)
    )
    if year not in years:
        years.insert(0, year)
    held = access.units(actor, every=sees_all_money(actor))
    filters = {
        "fiscal_year": year.pk,
        "school": parse_int(request.GET.get("school")),
        "program": parse_int(request.GET.get("program")),
        "source": parse_int(request.GET.get("source")),
        "owner": "district" if request.GET.get("owner") == "district" else "",
    }
    budgets = selectors.budget_list(actor, **filters)
    return {
        "year": year,
        "years": years,
        "schools": held.schools,
        "programs": held.programs,
        "filters": filters,
        "budgets": budgets,
    }


@actor_required
def dashboard(request):
    actor = request.actor
    context = _monitoring(request)
    rows, total = selectors.summary_by_source(context["budgets"])

    def chart(measure, series):
        return stacked_bars(
            [
                (
                    r.label,
                    [
                        r.figure(measure, "spent"),
                        r.figure(measure, "committed"),
                        max(r.figure(measure, "remaining"), Decimal(0)),
                    ],
                )
                for r in rows
            ],
            series,
        )

    params = request.GET.copy()
    return render(
        request,
        "funding/dashboard.html",
        {
            **context,
            "rows": rows,
            "total": total,
            "money_chart": chart("amount", MONEY_SERIES),
            "hours_chart": chart("hours", TIME_SERIES),
            "days_chart": chart("days", TIME_SERIES),
            "page": paginate(request, context["budgets"]),
            "export_query": params.urlencode(),
            "can_create": access.can(actor, "create", Budget),
            "pending_transfers": selectors.transfer_list(
                actor, status=BudgetTransfer.Status.REQUESTED
            )[:10],
        },
    )


def _export(request, fmt: str):
    actor = request.actor
    access.require(actor, "export", Budget)
    context = _monitoring(request)
    rows, total = selectors.summary_by_source(context["budgets"])
    header, body = exports.summary_table(rows, total)
    year = context["year"]
    fiscal_years.summary_exported(year=year, actor=request.user, fmt=fmt, sources=len(rows))
    name = f"funding-{year.start_date.year}-{year.end_date.year}.{fmt}"
    if fmt == "xlsx":
        return exports.xlsx_response(name, f"Funding {year}", header, body)
    return exports.csv_response(name, header, body)


@actor_required
def export_csv(request):
    return _export(request, "csv")


@actor_required
def export_xlsx(request):
    return _export(request, "xlsx")


# --- sources -------------------------------------------------------------------------------


@actor_required
def source_list(request):
    actor = request.actor
    access.require(actor, "list", FundingSource)
    kind = parse_choice(request.GET.get("kind"), FundingSource.Kind.choices)
    qs = selectors.source_list(
        actor,
        q=request.GET.get("q", "").strip(),
        kind=kind,
        active=parse_bool(request.GET.get("active", "1")),
    )
    return render(
        request,
        "funding/source_list.html",
        {
            "page": paginate(request, qs),
            "kinds": FundingSource.Kind.choices,
            "can_create": access.can(actor, "create", FundingSource),
        },
    )


@actor_required
def source_detail(request, pk: int):
    actor = request.actor
    source = access.get_visible_or_404(
        actor, FundingSource.objects.select_related("school", "program"), pk=pk
    )
    budgets = selectors.budget_list(actor, source=source.pk)
    return render(
        request,
        "funding/source_detail.html",
        {
            "source": source,
            "page": paginate(request, budgets),
            "can_change": access.can(actor, "change", source),
        },
    )


@actor_required
def source_create(request):
    actor = request.actor
    access.require(actor, "create", FundingSource)
    return save_form(
        request,
        SourceForm(request.POST or None, district=actor.district),
        lambda data: budgets.source_create(district=actor.district, actor=request.user, data=data),
        title="New funding source",
        cancel=reverse("funding-source-list"),
    )


@actor_required
def source_edit(request, pk: int):
    actor = request.actor
    source = access.get_visible_or_404(actor, FundingSource, pk=pk)
    access.require(actor, "change", source)
    return save_form(
        request,
        SourceForm(
            request.POST or None, instance=FundingSource.objects.get(pk=pk), district=actor.district
        ),
        lambda data: budgets.source_update(source=source, actor=request.user, data=data),
        title=f"Edit {source}",
        cancel=source.get_absolute_url(),
    )


# --- budgets and the ledger ----------------------------------------------------------------


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


# --- transfers and fiscal years ------------------------------------------------------------


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
    return _decide(request, pk, transfers.transfer_approve, "Transfer approved; the money moved.")


@require_POST
@actor_required
def transfer_reject(request, pk: int):
    return _decide(request, pk, transfers.transfer_reject, "Transfer rejected.")


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
        lambda: transfers.fiscal_year_close(fiscal_year=year, actor=request.user),
        done=done,
        to=reverse("fiscal-year-list"),
    )


# --- stipends ------------------------------------------------------------------------------


@actor_required
def schedule_list(request):
    actor = request.actor
    access.require(actor, "list", StipendSchedule)
    year = parse_int(request.GET.get("year"))
    return render(
        request,
        "funding/schedule_list.html",
        {
            "page": paginate(request, selectors.schedule_list(actor, school_year=year)),
            "years": SchoolYear.objects.filter(district=actor.district),
            "can_create": access.can(actor, "create", StipendSchedule),
        },
    )


@actor_required
def schedule_create(request):
    actor = request.actor
    access.require(actor, "create", StipendSchedule)
    current = SchoolYear.objects.filter(district=actor.district, is_current=True).first()
    return save_form(
        request,
        ScheduleForm(
            request.POST or None, initial={"school_year": current}, district=actor.district
        ),
        lambda data: stipends.schedule_create(
            district=actor.district, actor=request.user, data=data
        ),
        title="New stipend schedule",
        cancel=reverse("stipend-schedule-list"),
    )


@actor_required
def schedule_edit(request, pk: int):
    actor = request.actor
    schedule = access.get_visible_or_404(actor, StipendSchedule, pk=pk)
    access.require(actor, "change", schedule)
    return save_form(
        request,
        ScheduleForm(
            request.POST or None,
            instance=StipendSchedule.objects.get(pk=pk),
            district=actor.district,
        ),
        lambda data: stipends.schedule_update(schedule=schedule, actor=request.user, data=data),
        title=f"Edit {schedule}",
        cancel=reverse("stipend-schedule-list"),
    )


@actor_required
def award_list(request):
    actor = request.actor
    access.require(actor, "list", StipendAward)
    status = parse_choice(request.GET.get("status"), StipendAward.Status.choices)
    qs = selectors.award_list(
        actor,
        status=status,
        schedule=parse_int(request.GET.get("schedule")),
        q=request.GET.get("q", "").strip(),
    )
    return render(
        request,
        "funding/award_list.html",
        {
            "page": paginate(request, qs),
            "statuses": StipendAward.Status.choices,
            "status": status,
            "can_create": access.can(actor, "create", StipendAward),
            "can_pay": access.can(actor, "create", PayrollBatch),
        },
    )


@actor_required
def award_create(request):
    actor = request.actor
    access.require(actor, "create", StipendAward)
    form = AwardForm(request.POST or None, district=actor.district)

    def save(data):
        return stipends.award_create(district=actor.district, actor=request.user, **data)

    return save_form(
        request, form, save, title="New stipend award", cancel=reverse("stipend-award-list")
    )


@actor_required
def award_detail(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, selectors.award_list(actor), pk=pk)
    entries = []
    if award.encumbrance_id:
        entries = (
            LedgerEntry.objects.filter(
                Q(pk=award.encumbrance_id) | Q(encumbrance_id=award.encumbrance_id)
            )
            .select_related("posted_by")
            .prefetch_related("posted_by__staff_records")
        )
    return render(
        request,
        "funding/award_detail.html",
        {
            "award": award,
            "entries": entries,
            "can_approve": access.can(actor, "approve", award)
            and award.status == StipendAward.Status.PROPOSED,
            "can_cancel": access.can(actor, "cancel", award)
            and award.status in (StipendAward.Status.PROPOSED, StipendAward.Status.APPROVED),
        },
    )


@require_POST
@actor_required
def award_approve(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, StipendAward, pk=pk)
    access.require(actor, "approve", award)
    return transition(
        request,
        lambda: stipends.award_approve(award=award, actor=request.user),
        award,
        done="Approved; the stipend is encumbered.",
    )


@require_POST
@actor_required
def award_cancel(request, pk: int):
    actor = request.actor
    award = access.get_visible_or_404(actor, StipendAward, pk=pk)
    access.require(actor, "cancel", award)
    reason = request.POST.get("reason", "").strip()
    return transition(
        request,
        lambda: stipends.award_cancel(award=award, actor=request.user, reason=reason),
        award,
        done="Cancelled; anything held is released.",
    )


@actor_required
def payroll(request):
    actor = request.actor
    access.require(actor, "list", PayrollBatch)
    ready = selectors.award_list(actor, status=StipendAward.Status.APPROVED)
    form = PayrollForm(request.POST or None, awards=ready, initial={"paid_on": actor.today})
    if request.method == "POST":
        access.require(actor, "create", PayrollBatch)
        if form.is_valid():
            try:
                batch = stipends.payroll_batch_create(
                    district=actor.district,
                    actor=request.user,
                    awards=list(form.cleaned_data["awards"]),
                    paid_on=form.cleaned_data["paid_on"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Batch {batch.pk}: {batch.count} stipends marked paid (${batch.total:,.2f}). "
                    "Download its CSV for payroll.",
                )
                return redirect("payroll")
    return render(
        request,
        "funding/payroll.html",
        {"form": form, "ready": ready, "page": paginate(request, selectors.batch_list(actor))},
        status=400 if request.method == "POST" else 200,
    )


@actor_required
def payroll_batch_csv(request, pk: int):
    actor = request.actor
    batch = access.get_visible_or_404(actor, PayrollBatch, pk=pk)
    header = [
        "employee_id",
        "last_name",
        "first_name",
        "role",
        "schedule",
        "months",
        "amount",
        "funding_source",
        "account_code",
        "budget_owner",
        "award_id",
        "batch_id",
        "paid_on",
    ]
    body = [
        [
            a.staff.employee_id,
            a.staff.last_name,
            a.staff.first_name,
            a.schedule.get_role_display(),
            a.schedule.name,
            a.months,
            a.amount,
            a.budget.source.name,
            a.budget.source.code,
            a.budget.owner,
            a.pk,
            batch.pk,
            batch.paid_on.isoformat(),
        ]
        for a in selectors.batch_awards(batch).select_related("budget__school", "budget__program")
    ]
    stipends.payroll_exported(batch=batch, actor=request.user)
    return exports.csv_response(f"payroll-batch-{batch.pk}.csv", header, body)


# --- program PD plans ----------------------------------------------------------------------


def _directed_programs(actor):
    return access.units(actor).programs


@actor_required
def plan_list(request):
    actor = request.actor
    access.require(actor, "list", ProgramPlan)
    qs = selectors.plan_list(
        actor,
        school_year=parse_int(request.GET.get("year")),
        program=parse_int(request.GET.get("program")),
    )
    return render(
        request,
        "funding/plan_list.html",
        {
            "page": paginate(request, qs),
            "years": SchoolYear.objects.filter(district=actor.district),
            "can_create": access.can(actor, "create", ProgramPlan),
        },
    )


@actor_required
def plan_create(request):
    actor = request.actor
    access.require(actor, "create", ProgramPlan)
    current = SchoolYear.objects.filter(district=actor.district, is_current=True).first()
    form = PlanForm(
        request.POST or None,
        initial={"school_year": current},
        district=actor.district,
        programs=_directed_programs(actor),
    )
    return save_form(
        request,
        form,
        lambda data: plans.plan_create(district=actor.district, actor=request.user, data=data),
        title="New program PD plan",
        cancel=reverse("program-plan-list"),
    )


@actor_required
def plan_edit(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    if plan.status != ProgramPlan.Status.DRAFT:
        messages.error(request, "A published plan is final; it stays as it was shared.")
        return redirect(plan.get_absolute_url())
    form = PlanForm(
        request.POST or None,
        instance=ProgramPlan.objects.get(pk=pk),
        district=actor.district,
        programs=_directed_programs(actor),
    )
    return save_form(
        request,
        form,
        lambda data: plans.plan_update(plan=plan, actor=request.user, data=data),
        title=f"Edit {plan}",
        cancel=plan.get_absolute_url(),
    )


@actor_required
def plan_detail(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    can_change = access.can(actor, "change", plan) and plan.status == ProgramPlan.Status.DRAFT
    total = sum((a.amount for a in plan.allocations.all()), Decimal(0))
    return render(
        request,
        "funding/plan_detail.html",
        {
            "plan": plan,
            "total": total,
            "hours_total": sum((a.hours for a in plan.allocations.all()), Decimal(0)),
            "can_change": can_change,
            "can_publish": can_change and access.can(actor, "publish", plan),
            "can_acknowledge": access.can(actor, "acknowledge", plan),
            "acknowledged": plan.acknowledgements.filter(staff=actor.staff).first(),
            "can_see_acks": access.can(actor, "acknowledgements", plan),
            "activity_form": ActivityForm(prefix="activity") if can_change else None,
            "allocation_form": AllocationForm(prefix="allocation", district=actor.district)
            if can_change
            else None,
        },
    )


def _plan_item(request, pk: int, form, add, done: str):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "change", plan)
    if form.is_valid():
        return transition(request, lambda: add(plan, form.cleaned_data), plan, done=done)
    errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
    messages.error(request, f"Not added. {errors}")
    return redirect(plan.get_absolute_url())


@require_POST
@actor_required
def plan_activity_add(request, pk: int):
    return _plan_item(
        request,
        pk,
        ActivityForm(request.POST, prefix="activity"),
        lambda plan, data: plans.activity_add(plan=plan, actor=request.user, data=data),
        "Activity added.",
    )


@require_POST
@actor_required
def plan_allocation_add(request, pk: int):
    return _plan_item(
        request,
        pk,
        AllocationForm(request.POST, prefix="allocation", district=request.actor.district),
        lambda plan, data: plans.allocation_add(plan=plan, actor=request.user, data=data),
        "Allocation added.",
    )


def _item_remove(request, model, pk: int):
    actor = request.actor
    item = model.objects.filter(district=actor.district, pk=pk).select_related("plan").first()
    if item is None:
        raise Http404
    plan = selectors.plan_detail(actor, item.plan_id)
    access.require(actor, "change", plan)
    return transition(
        request,
        lambda: plans.plan_item_remove(plan=plan, actor=request.user, item=item),
        plan,
        done="Removed.",
    )


@require_POST
@actor_required
def plan_activity_remove(request, pk: int):
    return _item_remove(request, PlanActivity, pk)


@require_POST
@actor_required
def plan_allocation_remove(request, pk: int):
    return _item_remove(request, PlanAllocation, pk)


@require_POST
@actor_required
def plan_publish(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "publish", plan)
    return transition(
        request,
        lambda: plans.plan_publish(plan=plan, actor=request.user),
        plan,
        done="Published: every staff member the program covers sees it on their home page.",
    )


@require_POST
@actor_required
def plan_acknowledge(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "acknowledge", plan)
    plans.plan_acknowledge(plan=plan, staff=actor.staff, actor=request.user)
    messages.success(request, f"Thank you: you have acknowledged {plan}.")
    back = request.POST.get("next")
    return redirect("home" if back == "home" else plan.get_absolute_url())


@actor_required
def plan_acknowledgements(request, pk: int):
    actor = request.actor
    plan = selectors.plan_detail(actor, pk)
    access.require(actor, "acknowledgements", plan)
    acknowledged = parse_bool(request.GET.get("acknowledged"))
    everyone = selectors.acknowledgement_status(plan, actor.today)
    return render(
        request,
        "funding/plan_acknowledgements.html",
        {
            "plan": plan,
            "page": paginate(
                request,
                selectors.acknowledgement_status(plan, actor.today, acknowledged=acknowledged),
            ),
            "covered": everyone.count(),
            "done": everyone.filter(acknowledged=True).count(),
            "acknowledged": acknowledged,
        },
    )
