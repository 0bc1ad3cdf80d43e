"""Reads for funding, always through `access.visible`."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, Staff
from cadre.funding.models import (
    ZERO,
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanAcknowledgement,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
)
from cadre.funding.rules import covered_plans_q

MEASURES = ("amount", "hours", "days")
FIGURES = ("budgeted", "committed", "spent", "remaining")


def fiscal_years(actor: Actor) -> QuerySet:
    return access.visible(actor, FiscalYear)


def current_fiscal_year(actor: Actor) -> FiscalYear:
    from cadre.funding.services.fiscal_years import fiscal_year_for

    return fiscal_year_for(district=actor.district, on=actor.today)


def source_list(actor: Actor, *, q: str = "", kind: str = "", active: bool | None = True):
    qs = access.visible(actor, FundingSource).select_related("school", "program")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs


def budget_list(
    actor: Actor,
    *,
    fiscal_year: int | None = None,
    source: int | None = None,
    school: int | None = None,
    program: int | None = None,
    owner: str = "",
) -> QuerySet:
    qs = access.visible(actor, Budget).select_related("source", "fiscal_year", "school", "program")
    if fiscal_year:
        qs = qs.filter(fiscal_year_id=fiscal_year)
    if source:
        qs = qs.filter(source_id=source)
    if school:
        qs = qs.filter(school_id=school)
    if program:
        qs = qs.filter(program_id=program)
    if owner == "district":
        qs = qs.filter(school__isnull=True, program__isnull=True)
    return qs


@dataclass
class SummaryRow:
    """One funding source's money and time: budgeted, committed, spent, remaining."""

    label: str
    source_id: int | None = None
    amount: dict[str, Decimal] = field(default_factory=dict)
    hours: dict[str, Decimal] = field(default_factory=dict)
    days: dict[str, Decimal] = field(default_factory=dict)

    def figure(self, measure: str, name: str) -> Decimal:
        return getattr(self, measure).get(name, ZERO)


CENT = Decimal("0.01")


def _figures(values: dict, measure: str) -> dict[str, Decimal]:
    # SQLite sums decimals as plain numbers; give every figure its cents back.
    budgeted = Decimal(values[f"b_{measure}"] or 0).quantize(CENT)
    committed = Decimal(values[f"c_{measure}"] or 0).quantize(CENT)
    spent = Decimal(values[f"s_{measure}"] or 0).quantize(CENT)
    return {
        "budgeted": budgeted,
        "committed": committed,
        "spent": spent,
        "remaining": budgeted - committed - spent,
    }


def _sums() -> dict:
    sums = {}
    for measure in MEASURES:
        sums[f"b_{measure}"] = Coalesce(Sum(measure), ZERO)
        sums[f"c_{measure}"] = Coalesce(Sum(f"committed_{measure}"), ZERO)
        sums[f"s_{measure}"] = Coalesce(Sum(f"spent_{measure}"), ZERO)
    return sums


def summary_by_source(budgets: QuerySet) -> tuple[list[SummaryRow], SummaryRow]:
    """Totals per funding source for a set of budgets, and the grand total. Two queries."""
    grouped = (
        budgets.order_by()
        .values("source_id", "source__name")
        .annotate(**_sums())
        .order_by("source__name")
    )
    rows = [
        SummaryRow(
            label=g["source__name"],
            source_id=g["source_id"],
            **{m: _figures(g, m) for m in MEASURES},
        )
        for g in grouped
    ]
    total = budgets.order_by().aggregate(**_sums())
    return rows, SummaryRow(label="Total", **{m: _figures(total, m) for m in MEASURES})


def budget_detail(actor: Actor, pk: int) -> Budget:
    return access.get_visible_or_404(
        actor, Budget.objects.select_related("source", "fiscal_year", "school", "program"), pk=pk
    )


def entry_list(actor: Actor, *, budget: Budget | None = None, kind: str = "") -> QuerySet:
    qs = (
        access.visible(actor, LedgerEntry)
        .select_related(
            "budget__source",
            "budget__fiscal_year",
            "budget__school",
            "budget__program",
            "staff",
            "posted_by",
            "cause_type",
            "closed_by",
        )
        .prefetch_related("posted_by__staff_records")
    )
    if budget is not None:
        qs = qs.filter(budget=budget)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def open_encumbrances(budget: Budget) -> QuerySet:
    return (
        LedgerEntry.objects.filter(budget=budget, kind=LedgerEntry.Kind.ENCUMBRANCE)
        .filter(closed_by__isnull=True)
        .select_related("staff")
        .order_by("posted_at", "id")
    )


def transfer_list(actor: Actor, *, status: str = "", budget: Budget | None = None) -> QuerySet:
    qs = (
        access.visible(actor, BudgetTransfer)
        .select_related(
            "from_budget__source",
            "from_budget__school",
            "from_budget__program",
            "from_budget__fiscal_year",
            "to_budget__source",
            "to_budget__school",
            "to_budget__program",
            "to_budget__fiscal_year",
            "requested_by",
            "decided_by",
        )
        .prefetch_related("requested_by__staff_records", "decided_by__staff_records")
    )
    if status:
        qs = qs.filter(status=status)
    if budget is not None:
        qs = qs.filter(Q(from_budget=budget) | Q(to_budget=budget))
    return qs


def schedule_list(actor: Actor, *, school_year: int | None = None) -> QuerySet:
    qs = access.visible(actor, StipendSchedule).select_related("school_year", "source")
    if school_year:
        qs = qs.filter(school_year_id=school_year)
    return qs


def award_list(
    actor: Actor, *, status: str = "", schedule: int | None = None, q: str = ""
) -> QuerySet:
    qs = access.visible(actor, StipendAward).select_related(
        "schedule__school_year",
        "staff",
        "budget__source",
        "budget__school",
        "budget__program",
        "budget__fiscal_year",
        "batch",
    )
    if status:
        qs = qs.filter(status=status)
    if schedule:
        qs = qs.filter(schedule_id=schedule)
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(staff__first_name__icontains=word) | Q(staff__last_name__icontains=word)
            )
    return qs


def batch_list(actor: Actor) -> QuerySet:
    return (
        access.visible(actor, PayrollBatch)
        .select_related("created_by")
        .prefetch_related("created_by__staff_records")
    )


def batch_awards(batch: PayrollBatch) -> QuerySet:
    return batch.awards.select_related("staff", "schedule", "budget__source").order_by(
        "staff__last_name", "staff__first_name", "id"
    )


def plan_list(actor: Actor, *, school_year: int | None = None, program: int | None = None):
    qs = access.visible(actor, ProgramPlan).select_related("program", "school_year")
    if school_year:
        qs = qs.filter(school_year_id=school_year)
    if program:
        qs = qs.filter(program_id=program)
    # A GROUP BY drops the model's default ordering, so pages would shuffle without this.
    return qs.annotate(ack_count=Count("acknowledgements", distinct=True)).order_by(
        "-school_year__start_date", "program__name", "id"
    )


def plan_detail(actor: Actor, pk: int) -> ProgramPlan:
    return access.get_visible_or_404(
        actor,
        ProgramPlan.objects.select_related("program", "school_year", "published_by")
        .prefetch_related("published_by__staff_records")
        .prefetch_related("activities", "allocations__source"),
        pk=pk,
    )


def covered_staff(plan: ProgramPlan, on) -> QuerySet:
    """Active staff the program covers today: its own staff and the staff of its schools."""
    current = Assignment.objects.filter(district=plan.district).current(on)
    ids = current.filter(
        Q(program_id=plan.program_id) | Q(school__programs=plan.program_id)
    ).values("staff_id")
    return Staff.objects.filter(district=plan.district, is_active=True, pk__in=ids)


def acknowledgement_status(plan: ProgramPlan, on, *, acknowledged: bool | None = None):
    """Covered staff, each with when they acknowledged the plan (or None)."""
    acks = PlanAcknowledgement.objects.filter(plan=plan, staff=OuterRef("pk"))
    qs = covered_staff(plan, on).annotate(
        acknowledged=Exists(acks),
        acknowledged_at=acks.values("at")[:1],
    )
    if acknowledged is not None:
        qs = qs.filter(acknowledged=acknowledged)
    return qs.order_by("last_name", "first_name", "id")


def plans_for_home(actor: Actor) -> QuerySet:
    """Published plans of the current school year that cover this person."""
    ack = PlanAcknowledgement.objects.filter(plan=OuterRef("pk"), staff=actor.staff)
    return (
        ProgramPlan.objects.filter(district=actor.district, school_year__is_current=True)
        .filter(pk__in=ProgramPlan.objects.filter(covered_plans_q(actor)).values("pk"))
        .select_related("program", "school_year")
        .annotate(acknowledged=Exists(ack))
        .order_by("program__name")
    )
