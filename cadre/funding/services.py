"""Writes for funding. Every posting goes through `_post`, which locks the budget row, checks
the source's uses and restrictions and the balance, writes one entry, moves the budget's
running totals and audits it, all in one transaction."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_update, lock, move
from cadre.districts.models import Assignment, District, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.funding.models import (
    ZERO,
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanAcknowledgement,
    PlanActivity,
    PlanAllocation,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
    Use,
)

SOURCE_FIELDS = [
    "name",
    "code",
    "kind",
    "school",
    "program",
    "allowed_uses",
    "staff_restricted",
    "carries_forward",
    "is_active",
]
BUDGET_FIELDS = ["source", "fiscal_year", "school", "program", "amount", "hours", "days", "note"]
BUDGET_EDITABLE = ["amount", "hours", "days", "note"]
SCHEDULE_FIELDS = ["school_year", "role", "name", "amount", "full_months", "proration", "source"]
PLAN_FIELDS = ["program", "school_year", "title", "summary", "goals"]
PLAN_EDITABLE = ["title", "summary", "goals"]
UNITS = ("amount", "hours", "days")


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _create_once(model, *, district, actor, fields, data, code: str, detail: str):
    """Create through the audited helper; a twin created at the same moment by another
    request trips the unique constraint, which answers as a conflict, not a 500."""
    try:
        with transaction.atomic():
            return _create(model, district=district, actor=actor, fields=fields, data=data)
    except IntegrityError as exc:
        raise Conflict(code, detail) from exc


# --- fiscal years --------------------------------------------------------------------------


def fiscal_year_bounds(district: District, on: date) -> tuple[date, date, str]:
    """The fiscal year holding `on`, by the district's start month (July by default)."""
    month = district.fiscal_year_start_month
    year = on.year if on.month >= month else on.year - 1
    start = date(year, month, 1)
    end = date(year + 1, month, 1) - timedelta(days=1) if month > 1 else date(year, 12, 31)
    name = f"FY {start.year}–{str(end.year)[-2:]}" if end.year != start.year else f"FY {year}"
    return start, end, name


def fiscal_year_for(*, district: District, on: date) -> FiscalYear:
    start, end, name = fiscal_year_bounds(district, on)
    found = FiscalYear.objects.filter(district=district, start_date=start).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            year, _ = FiscalYear.objects.get_or_create(
                district=district, start_date=start, defaults={"end_date": end, "name": name}
            )
    except IntegrityError:  # another request created it first
        year = FiscalYear.objects.get(district=district, start_date=start)
    return year


# --- sources and budgets -------------------------------------------------------------------


def _clean_uses(data: dict[str, Any]) -> dict[str, Any]:
    if "allowed_uses" in data:
        uses = list(dict.fromkeys(data["allowed_uses"] or []))
        unknown = [u for u in uses if u not in Use.values]
        if unknown:
            raise DomainError(
                "source.unknown_use", f"Unknown uses: {', '.join(unknown)}.", field="allowed_uses"
            )
        data = {**data, "allowed_uses": uses}
    return data


def _check_owner(district: District, data: dict[str, Any]) -> None:
    if data.get("school") and data.get("program"):
        raise DomainError(
            "funding.two_owners",
            "Choose a school or a program as the owner, not both.",
            field="program",
        )
    _check_same_district(district, data.get("school"), data.get("program"))


@transaction.atomic
def source_create(*, district: District, actor, data: dict[str, Any]) -> FundingSource:
    data = _clean_uses(data)
    _check_owner(district, data)
    if FundingSource.objects.filter(district=district, name=data.get("name")).exists():
        raise DomainError("source.duplicate", "Another funding source has this name.", field="name")
    return _create_once(
        FundingSource,
        district=district,
        actor=actor,
        fields=SOURCE_FIELDS,
        data=data,
        code="source.duplicate",
        detail="Another funding source has this name.",
    )


@transaction.atomic
def source_update(*, source: FundingSource, actor, data: dict[str, Any]) -> FundingSource:
    data = _clean_uses(data)
    merged = {"school": source.school, "program": source.program, **data}
    _check_owner(source.district, merged)
    name = data.get("name", source.name)
    if FundingSource.objects.filter(district=source.district, name=name).exclude(pk=source.pk):
        raise DomainError("source.duplicate", "Another funding source has this name.", field="name")
    return audited_update(source, actor=actor, fields=SOURCE_FIELDS, data=data)


def _check_open(fiscal_year: FiscalYear) -> None:
    if fiscal_year.is_closed:
        raise Conflict(
            "fiscal_year.closed", f"{fiscal_year} is closed; post to the next fiscal year."
        )


@transaction.atomic
def budget_create(*, district: District, actor, data: dict[str, Any]) -> Budget:
    _check_owner(district, data)
    _check_same_district(district, data.get("source"), data.get("fiscal_year"))
    _check_open(data["fiscal_year"])
    taken = Budget.objects.filter(
        source=data["source"],
        fiscal_year=data["fiscal_year"],
        school=data.get("school"),
        program=data.get("program"),
    )
    if taken.exists():
        raise DomainError(
            "budget.duplicate",
            "This source already has a budget for that owner and fiscal year; edit it instead.",
        )
    for unit in UNITS:
        if data.get(unit) is not None and data[unit] < 0:
            raise DomainError("budget.negative", "Budgets cannot be negative.", field=unit)
    return _create_once(
        Budget,
        district=district,
        actor=actor,
        fields=BUDGET_FIELDS,
        data=data,
        code="budget.duplicate",
        detail="This source already has a budget for that owner and year.",
    )


@transaction.atomic
def budget_update(*, budget: Budget, actor, data: dict[str, Any]) -> Budget:
    locked = Budget.objects.select_for_update(of=("self",)).get(pk=budget.pk)
    _check_open(locked.fiscal_year)
    for unit in UNITS:
        new = data.get(unit)
        if new is None:
            continue
        used = getattr(locked, f"committed_{unit}") + getattr(locked, f"spent_{unit}")
        if new < used:
            raise DomainError(
                "budget.below_used",
                f"{unit.capitalize()} cannot go below what is already committed and spent "
                f"({used}).",
                field=unit,
            )
    return audited_update(locked, actor=actor, fields=BUDGET_EDITABLE, data=data)


def budget_for(*, source: FundingSource, on: date, school=None, program=None) -> Budget:
    """The source's budget for the fiscal year of `on` that pays for someone of this school or
    program: the school's budget if it has one, else the program's, else the district's."""
    year = fiscal_year_for(district=source.district, on=on)
    budgets = Budget.objects.filter(source=source, fiscal_year=year)
    for owner in (
        Q(school=school) if school is not None else None,
        Q(program=program) if program is not None else None,
        Q(school__isnull=True, program__isnull=True),
    ):
        if owner is not None and (budget := budgets.filter(owner).first()):
            return budget
    raise DomainError(
        "budget.missing",
        f"{source} has no budget for {year}; ask the district office to set one up.",
    )


# --- the ledger ----------------------------------------------------------------------------


def covers(source: FundingSource, staff: Staff, on: date) -> bool:
    """Whether a staff-restricted source may pay for this person today."""
    current = Assignment.objects.filter(staff=staff).current(on)
    if source.school_id:
        return current.filter(school_id=source.school_id).exists()
    if source.program_id:
        return current.filter(
            Q(program_id=source.program_id) | Q(school__programs=source.program_id)
        ).exists()
    return staff.is_active


def check_use(source: FundingSource, use: str) -> None:
    if use not in source.allowed_uses:
        allowed = ", ".join(source.allowed_use_labels()) or "nothing yet"
        raise DomainError(
            "ledger.use_not_allowed",
            f"{source} does not pay for {Use(use).label.lower()}; it pays for {allowed.lower()}.",
            field="use",
        )


def _check_restriction(source: FundingSource, staff: Staff | None, on: date) -> None:
    if not source.staff_restricted:
        return
    if staff is None:
        raise DomainError(
            "ledger.staff_required",
            f"{source} pays only for the staff of {source.owner}; say whom this is for.",
            field="staff",
        )
    if not covers(source, staff, on):
        raise DomainError(
            "ledger.restricted",
            f"{source} pays only for the staff of {source.owner}, and {staff} is not one of them.",
            field="staff",
        )


def _cause(cause: Model | None) -> dict[str, Any]:
    if cause is None:
        return {}
    return {"cause_type": ContentType.objects.get_for_model(cause), "cause_id": cause.pk}


@dataclass(frozen=True)
class Units:
    amount: Decimal = ZERO
    hours: Decimal = ZERO
    days: Decimal = ZERO

    @classmethod
    def of(cls, obj) -> "Units":
        return cls(obj.amount, obj.hours, obj.days)

    def any(self) -> bool:
        return any((self.amount, self.hours, self.days))

    def negative(self) -> bool:
        return any(v < 0 for v in (self.amount, self.hours, self.days))


CENT = Decimal("0.01")


def _exact(units: Units) -> Units:
    values = [Decimal(getattr(units, u)) for u in UNITS]
    if any(v != v.quantize(CENT) for v in values):
        raise DomainError("ledger.precision", "Use at most two decimal places.", field="amount")
    return Units(*(v.quantize(CENT) for v in values))


def _post(
    *,
    budget: Budget,
    kind: str,
    use: str,
    units: Units,
    actor,
    staff: Staff | None = None,
    cause: Model | None = None,
    encumbrance: LedgerEntry | None = None,
    memo: str = "",
    on: date | None = None,
) -> LedgerEntry:
    district = budget.district
    _check_same_district(district, staff, cause if hasattr(cause, "district_id") else None)
    units = _exact(units)
    if use not in Use.values:
        raise DomainError("ledger.unknown_use", f"Unknown use {use!r}.", field="use")
    if kind != LedgerEntry.Kind.ADJUSTMENT and units.negative():
        raise DomainError("ledger.negative", "Amounts are positive; post an adjustment instead.")
    if kind not in (LedgerEntry.Kind.RELEASE,) and not units.any():
        raise DomainError("ledger.empty", "Give an amount, hours or days.", field="amount")
    # The lock serialises every posting to this budget: parallel requests queue here.
    # School and program name the budget in the audit trail; locking only the budget row.
    locked = (
        Budget.objects.select_for_update(of=("self",))
        .select_related("source", "fiscal_year", "school", "program")
        .get(pk=budget.pk)
    )
    source = locked.source
    on = on or district.today()
    closing = encumbrance is not None
    # Read afresh now the budget is locked: a close locks every budget of its year, so a
    # posting that waited on that lock sees the close.
    year_closed = FiscalYear.objects.filter(
        pk=locked.fiscal_year_id, closed_at__isnull=False
    ).exists()
    if not closing:
        if year_closed:
            raise Conflict(
                "fiscal_year.closed",
                f"{locked.fiscal_year} is closed; post to the next fiscal year.",
            )
        check_use(source, use)
        _check_restriction(source, staff, on)
        if kind == LedgerEntry.Kind.ENCUMBRANCE and not source.is_active:
            raise DomainError("ledger.source_inactive", f"{source} is no longer active.")
    else:
        # Paying or releasing keeps what was approved: the same use, for the same person.
        if use != encumbrance.use or (staff is not None and staff.pk != encumbrance.staff_id):
            raise DomainError(
                "ledger.closing_mismatch",
                f"Encumbrance #{encumbrance.pk} was for {Use(encumbrance.use).label.lower()}"
                + (f" for {encumbrance.staff}" if encumbrance.staff_id else "")
                + "; pay it for the same, or post a new entry.",
                field="use",
            )
        if year_closed and any(getattr(units, u) > getattr(encumbrance, u) for u in UNITS):
            raise Conflict(
                "fiscal_year.closed",
                f"{locked.fiscal_year} is closed: an encumbrance from it is paid up to what it "
                "held, no more.",
            )
    committed = Units(locked.committed_amount, locked.committed_hours, locked.committed_days)
    spent = Units(locked.spent_amount, locked.spent_hours, locked.spent_days)
    if closing:
        if encumbrance.kind != LedgerEntry.Kind.ENCUMBRANCE or encumbrance.budget_id != locked.pk:
            raise DomainError("ledger.not_encumbrance", "That entry is not an open encumbrance.")
        if LedgerEntry.objects.filter(encumbrance=encumbrance).exists():
            raise Conflict(
                "ledger.already_closed",
                f"Encumbrance #{encumbrance.pk} is already paid or released.",
            )
        held = Units.of(encumbrance)
        committed = Units(*(getattr(committed, u) - getattr(held, u) for u in UNITS))
    if kind == LedgerEntry.Kind.ENCUMBRANCE:
        committed = Units(*(getattr(committed, u) + getattr(units, u) for u in UNITS))
    elif kind in (LedgerEntry.Kind.EXPENDITURE, LedgerEntry.Kind.ADJUSTMENT):
        spent = Units(*(getattr(spent, u) + getattr(units, u) for u in UNITS))
        if spent.negative():
            raise DomainError("ledger.below_zero", "An adjustment cannot take spending below zero.")
    for unit, label in (("amount", "dollars"), ("hours", "hours"), ("days", "release days")):
        budgeted = getattr(locked, unit)
        needed = getattr(committed, unit) + getattr(spent, unit)
        grows = getattr(units, unit) > 0 and kind != LedgerEntry.Kind.RELEASE
        if grows and needed > budgeted:
            left = (
                budgeted - getattr(locked, f"committed_{unit}") - getattr(locked, f"spent_{unit}")
            )
            if closing:
                left += getattr(encumbrance, unit)
            shown = _money(left) if unit == "amount" else f"{left} {label}"
            raise Conflict(
                "budget.overdrawn",
                f"This would overdraw {locked}: {shown} remain, "
                f"{_money(getattr(units, unit)) if unit == 'amount' else getattr(units, unit)} "
                "asked.",
                field=unit,
            )
    entry = LedgerEntry.objects.create(
        district=district,
        budget=locked,
        kind=kind,
        use=use,
        amount=units.amount,
        hours=units.hours,
        days=units.days,
        staff=staff,
        encumbrance=encumbrance,
        memo=memo,
        posted_on=on,
        posted_by=actor,
        **_cause(cause),
    )
    for unit in UNITS:
        setattr(locked, f"committed_{unit}", getattr(committed, unit))
        setattr(locked, f"spent_{unit}", getattr(spent, unit))
    locked.save(
        update_fields=[f"{s}_{u}" for s in ("committed", "spent") for u in UNITS] + ["updated_at"]
    )
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        changes=diff(
            {},
            snapshot(entry, ["kind", "use", "amount", "hours", "days", "staff", "budget"])
            | ({"closes": encumbrance.pk} if closing else {})
            | ({"cause": f"{entry.cause_type.model} {entry.cause_id}"} if cause else {}),
        ),
        comment=memo,
    )
    for name in (f"{s}_{u}" for s in ("committed", "spent") for u in UNITS):
        setattr(budget, name, getattr(locked, name))  # the caller's copy shows the new totals
    return entry


@transaction.atomic
def budget_encumber(
    *,
    budget: Budget,
    use: str,
    actor,
    amount: Decimal = ZERO,
    hours: Decimal = ZERO,
    days: Decimal = ZERO,
    staff: Staff | None = None,
    cause: Model | None = None,
    memo: str = "",
    on: date | None = None,
) -> LedgerEntry:
    """Commit money or time when something is approved."""
    return _post(
        budget=budget,
        kind=LedgerEntry.Kind.ENCUMBRANCE,
        use=use,
        units=Units(amount, hours, days),
        actor=actor,
        staff=staff,
        cause=cause,
        memo=memo,
        on=on,
    )


@transaction.atomic
def budget_spend(
    *,
    actor,
    budget: Budget | None = None,
    encumbrance: LedgerEntry | None = None,
    use: str | None = None,
    amount: Decimal = ZERO,
    hours: Decimal = ZERO,
    days: Decimal = ZERO,
    staff: Staff | None = None,
    cause: Model | None = None,
    memo: str = "",
    on: date | None = None,
) -> LedgerEntry:
    """Record a payment. Paying an encumbrance closes it, whatever the amount actually paid."""
    if encumbrance is not None:
        budget = encumbrance.budget
        use = use or encumbrance.use
        staff = staff or encumbrance.staff
        if cause is None and encumbrance.cause_type_id:
            cause = encumbrance.cause
    if budget is None or use is None:
        raise DomainError("ledger.no_budget", "Say which budget and use this payment is for.")
    return _post(
        budget=budget,
        kind=LedgerEntry.Kind.EXPENDITURE,
        use=use,
        units=Units(amount, hours, days),
        actor=actor,
        staff=staff,
        cause=cause,
        encumbrance=encumbrance,
        memo=memo,
        on=on,
    )


@transaction.atomic
def budget_release(
    *, encumbrance: LedgerEntry, actor, memo: str = "", on: date | None = None
) -> LedgerEntry:
    """Give back what an encumbrance held, on cancellation."""
    return _post(
        budget=encumbrance.budget,
        kind=LedgerEntry.Kind.RELEASE,
        use=encumbrance.use,
        units=Units.of(encumbrance),
        actor=actor,
        staff=encumbrance.staff,
        cause=encumbrance.cause,
        encumbrance=encumbrance,
        memo=memo,
        on=on,
    )


@transaction.atomic
def budget_adjust(
    *,
    budget: Budget,
    use: str,
    reason: str,
    actor,
    amount: Decimal = ZERO,
    hours: Decimal = ZERO,
    days: Decimal = ZERO,
    staff: Staff | None = None,
) -> LedgerEntry:
    """Correct spending up or down. Entries are never edited, so this is how errors are fixed."""
    if not reason.strip():
        raise DomainError("ledger.reason_required", "An adjustment needs a reason.", field="memo")
    return _post(
        budget=budget,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        use=use,
        units=Units(amount, hours, days),
        actor=actor,
        staff=staff,
        memo=reason.strip(),
    )


def post_entry(*, budget: Budget, actor, data: dict[str, Any]) -> LedgerEntry:
    """A manual posting from the ledger form or the API, by kind."""
    kind = data.get("kind")
    units = {u: data.get(u) or ZERO for u in UNITS}
    memo = (data.get("memo") or "").strip()
    if kind == LedgerEntry.Kind.ENCUMBRANCE:
        return budget_encumber(
            budget=budget,
            use=data.get("use") or "",
            actor=actor,
            staff=data.get("staff"),
            memo=memo,
            **units,
        )
    enc = data.get("encumbrance")
    if enc is not None and enc.cause_type_id is not None:
        raise Conflict(
            "ledger.has_workflow",
            f"Encumbrance #{enc.pk} belongs to {enc.cause_type.name} {enc.cause_id}; pay or "
            "cancel it there, so the record and the ledger stay in step.",
            field="encumbrance",
        )
    if kind == LedgerEntry.Kind.EXPENDITURE:
        if enc is not None and enc.budget_id != budget.pk:
            raise DomainError("ledger.not_encumbrance", "That encumbrance is on another budget.")
        return budget_spend(
            budget=budget,
            encumbrance=enc,
            use=data.get("use"),
            actor=actor,
            staff=data.get("staff"),
            memo=memo,
            **units,
        )
    if kind == LedgerEntry.Kind.RELEASE:
        if enc is None or enc.budget_id != budget.pk:
            raise DomainError(
                "ledger.not_encumbrance",
                "Choose an open encumbrance of this budget to release.",
                field="encumbrance",
            )
        return budget_release(encumbrance=enc, actor=actor, memo=memo)
    if kind == LedgerEntry.Kind.ADJUSTMENT:
        return budget_adjust(
            budget=budget,
            use=data.get("use") or "",
            reason=memo,
            actor=actor,
            staff=data.get("staff"),
            **units,
        )
    raise DomainError("ledger.unknown_kind", "Choose what kind of entry this is.", field="kind")


# --- transfers and the fiscal-year close ---------------------------------------------------


def _lock_pair(a: Budget, b: Budget) -> tuple[Budget, Budget]:
    # Always lock in id order, so two opposite transfers cannot deadlock.
    locked = {
        x.pk: x
        for x in Budget.objects.select_for_update(of=("self",))
        .select_related("fiscal_year", "source")
        .filter(pk__in=[a.pk, b.pk])
        .order_by("pk")
    }
    return locked[a.pk], locked[b.pk]


@transaction.atomic
def transfer_request(
    *,
    district: District,
    actor,
    from_budget: Budget,
    to_budget: Budget,
    reason: str,
    amount: Decimal = ZERO,
    hours: Decimal = ZERO,
    days: Decimal = ZERO,
) -> BudgetTransfer:
    _check_same_district(district, from_budget, to_budget)
    units = Units(amount, hours, days)
    if from_budget.pk == to_budget.pk:
        raise DomainError(
            "transfer.same_budget", "Choose two different budgets.", field="to_budget"
        )
    if from_budget.source_id != to_budget.source_id:
        raise DomainError(
            "transfer.other_source",
            "Money moves only between budgets of the same funding source: each source keeps "
            "its own uses and restrictions.",
            field="to_budget",
        )
    if from_budget.fiscal_year_id != to_budget.fiscal_year_id:
        raise DomainError(
            "transfer.other_year",
            "Transfers stay within one fiscal year; closing the year carries balances forward.",
            field="to_budget",
        )
    if units.negative() or not units.any():
        raise DomainError(
            "transfer.empty", "Give a positive amount, hours or days.", field="amount"
        )
    if not reason.strip():
        raise DomainError("transfer.reason_required", "A transfer needs a reason.", field="reason")
    _check_open(from_budget.fiscal_year)
    transfer = BudgetTransfer.objects.create(
        district=district,
        from_budget=from_budget,
        to_budget=to_budget,
        reason=reason.strip(),
        requested_by=actor,
        amount=amount,
        hours=hours,
        days=days,
    )
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=transfer,
        changes=diff({}, snapshot(transfer, ["from_budget", "to_budget", *UNITS])),
        to_state=transfer.status,
        comment=transfer.reason,
    )
    return transfer


LIMITS = {
    "amount": Decimal("9999999999.99"),
    "hours": Decimal("99999999.99"),
    "days": Decimal("99999999.99"),
}


def _move(transfer: BudgetTransfer, src: Budget, dst: Budget) -> None:
    for unit, label in (("amount", "dollars"), ("hours", "hours"), ("days", "release days")):
        moving = getattr(transfer, unit)
        if getattr(dst, unit) + moving > LIMITS[unit]:
            raise DomainError(
                "transfer.too_large", f"{dst} cannot hold more than {LIMITS[unit]:,} {label}."
            )
        left = getattr(src, f"remaining_{unit}")
        if moving > left:
            raise Conflict(
                "transfer.overdrawn",
                f"{src} has only {left} {label} left to move; the transfer asks {moving}.",
            )
    for unit in UNITS:
        setattr(src, unit, getattr(src, unit) - getattr(transfer, unit))
        setattr(dst, unit, getattr(dst, unit) + getattr(transfer, unit))
    src.save(update_fields=[*UNITS, "updated_at"])
    dst.save(update_fields=[*UNITS, "updated_at"])


def _locked_transfer(transfer: BudgetTransfer) -> BudgetTransfer:
    locked = BudgetTransfer.objects.select_for_update(of=("self",)).get(pk=transfer.pk)
    if locked.status != BudgetTransfer.Status.REQUESTED:
        raise Conflict(
            "transfer.decided", f"This transfer is already {locked.get_status_display()}."
        )
    return locked


@transaction.atomic
def transfer_approve(*, transfer: BudgetTransfer, actor, note: str = "") -> BudgetTransfer:
    locked = _locked_transfer(transfer)
    if locked.requested_by_id == getattr(actor, "pk", None):
        raise DomainError(
            "transfer.self_approval", "Someone other than the requester approves a transfer."
        )
    src, dst = _lock_pair(locked.from_budget, locked.to_budget)
    _check_open(src.fiscal_year)
    _move(locked, src, dst)
    return _decide(locked, actor, BudgetTransfer.Status.APPROVED, note)


@transaction.atomic
def transfer_reject(*, transfer: BudgetTransfer, actor, note: str) -> BudgetTransfer:
    locked = _locked_transfer(transfer)
    if not note.strip():
        raise DomainError(
            "transfer.note_required", "Say why the transfer is rejected.", field="note"
        )
    return _decide(locked, actor, BudgetTransfer.Status.REJECTED, note)


def _decide(transfer: BudgetTransfer, actor, status: str, note: str) -> BudgetTransfer:
    return move(
        transfer,
        actor=actor,
        to=status,
        note=note.strip(),
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note.strip(),
    )


@transaction.atomic
def fiscal_year_close(
    *, fiscal_year: FiscalYear, actor, on: date | None = None
) -> list[BudgetTransfer]:
    """Close an ended year, earlier years first: no new postings, and the money, hours and
    days left in sources that allow it move to the same owner's budget next year. Open
    encumbrances stay payable or releasable, up to what they hold."""
    year = FiscalYear.objects.select_for_update(of=("self",)).get(pk=fiscal_year.pk)
    _check_open(year)
    district = year.district
    if (on or district.today()) <= year.end_date:
        raise Conflict(
            "fiscal_year.not_ended", f"{year} runs until {year.end_date}; close it after that."
        )
    earlier = FiscalYear.objects.filter(
        district=district, start_date__lt=year.start_date, closed_at__isnull=True
    ).first()
    if earlier is not None:
        raise Conflict("fiscal_year.earlier_open", f"Close {earlier} first.")
    following = fiscal_year_for(district=district, on=year.end_date + timedelta(days=1))
    carried = []
    # Every budget of the year is locked, so no posting lands in it while it closes.
    budgets = list(
        Budget.objects.select_for_update(of=("self",))
        .filter(fiscal_year=year)
        .select_related("source", "fiscal_year", "school", "program")
        .order_by("pk")
    )
    for budget in budgets:
        if not budget.source.carries_forward:
            continue
        left = {u: max(getattr(budget, f"remaining_{u}"), ZERO) for u in UNITS}
        if not any(left.values()):
            continue
        target, _ = Budget.objects.get_or_create(
            district=district,
            source=budget.source,
            fiscal_year=following,
            school=budget.school,
            program=budget.program,
        )
        target = Budget.objects.select_for_update(of=("self",)).get(pk=target.pk)
        transfer = BudgetTransfer.objects.create(
            district=district,
            kind=BudgetTransfer.Kind.CARRY_FORWARD,
            from_budget=budget,
            to_budget=target,
            status=BudgetTransfer.Status.APPROVED,
            **left,
            reason=f"Carried forward at the close of {year}.",
            requested_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _move(transfer, budget, target)
        audit_event(
            district=district,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=transfer,
            changes=diff({}, snapshot(transfer, ["from_budget", "to_budget", *UNITS])),
            to_state=transfer.status,
            comment=transfer.reason,
        )
        carried.append(transfer)
    year.closed_at = timezone.now()
    year.closed_by = actor
    year.save(update_fields=["closed_at", "closed_by", "updated_at"])
    total = sum((t.amount for t in carried), ZERO)
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=year,
        from_state="open",
        to_state="closed",
        comment=f"Carried {_money(total)} forward in {len(carried)} budgets to {following}.",
    )
    fiscal_year.closed_at = year.closed_at
    return carried


# --- stipends ------------------------------------------------------------------------------


@transaction.atomic
def schedule_create(*, district: District, actor, data: dict[str, Any]) -> StipendSchedule:
    _check_same_district(district, data.get("school_year"), data.get("source"))
    _check_unique_schedule(district, data)
    return _create_once(
        StipendSchedule,
        district=district,
        actor=actor,
        fields=SCHEDULE_FIELDS,
        data=data,
        code="stipend.duplicate_schedule",
        detail="That year already has this schedule.",
    )


@transaction.atomic
def schedule_update(*, schedule: StipendSchedule, actor, data: dict[str, Any]) -> StipendSchedule:
    _check_same_district(schedule.district, data.get("school_year"), data.get("source"))
    _check_unique_schedule(
        schedule.district,
        {k: data.get(k, getattr(schedule, k)) for k in ("school_year", "role", "name")},
        exclude=schedule.pk,
    )
    return audited_update(schedule, actor=actor, fields=SCHEDULE_FIELDS, data=data)


def _check_unique_schedule(district, data, exclude=None) -> None:
    taken = StipendSchedule.objects.filter(
        district=district,
        school_year=data.get("school_year"),
        role=data.get("role"),
        name=data.get("name"),
    ).exclude(pk=exclude)
    if taken.exists():
        raise DomainError(
            "stipend.duplicate_schedule",
            "That year already has a schedule with this role and name.",
            field="name",
        )


@transaction.atomic
def award_create(
    *,
    district: District,
    actor,
    schedule: StipendSchedule,
    staff: Staff,
    budget: Budget,
    months: int,
    evidence: str = "",
    evidence_obj: Model | None = None,
) -> StipendAward:
    _check_same_district(district, schedule, staff, budget)
    if not 1 <= months <= 12:
        raise DomainError("stipend.months", "Months of service run from 1 to 12.", field="months")
    if not staff.is_active:
        raise DomainError("stipend.inactive_staff", f"{staff} is not active.", field="staff")
    check_use(budget.source, Use.STIPEND)
    _check_open(budget.fiscal_year)
    extra = {}
    if evidence_obj is not None:
        extra = {
            "evidence_type": ContentType.objects.get_for_model(evidence_obj),
            "evidence_id": evidence_obj.pk,
        }
    award = StipendAward.objects.create(
        district=district,
        schedule=schedule,
        staff=staff,
        budget=budget,
        months=months,
        amount=schedule.amount_for(months),
        evidence=evidence.strip(),
        **extra,
    )
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=award,
        changes=diff({}, snapshot(award, ["schedule", "staff", "budget", "months", "amount"])),
        to_state=award.status,
    )
    return award


def _award_transition(award: StipendAward, actor, to: str, comment: str = "") -> StipendAward:
    before = award.status
    award.status = to
    award.save()
    audit_event(
        district=award.district,
        actor=actor,
        action=AuditEvent.Action.TRANSITION,
        obj=award,
        from_state=before,
        to_state=to,
        comment=comment,
    )
    return award


def _locked_award(award: StipendAward, *allowed: str) -> StipendAward:
    locked = (
        StipendAward.objects.select_for_update(of=("self",))
        .select_related("budget")
        .get(pk=award.pk)
    )
    if locked.status not in allowed:
        raise Conflict(
            f"stipend.not_{'_'.join(allowed)}",
            f"This award is {locked.get_status_display().lower()}.",
        )
    return locked


@transaction.atomic
def award_approve(*, award: StipendAward, actor) -> StipendAward:
    locked = _locked_award(award, StipendAward.Status.PROPOSED)
    locked.encumbrance = budget_encumber(
        budget=locked.budget,
        use=Use.STIPEND,
        amount=locked.amount,
        staff=locked.staff,
        cause=locked,
        actor=actor,
        memo=f"{locked.schedule.name}, {locked.months} months",
    )
    return _award_transition(locked, actor, StipendAward.Status.APPROVED)


@transaction.atomic
def award_cancel(*, award: StipendAward, actor, reason: str = "") -> StipendAward:
    locked = _locked_award(award, StipendAward.Status.PROPOSED, StipendAward.Status.APPROVED)
    if locked.encumbrance_id:
        budget_release(encumbrance=locked.encumbrance, actor=actor, memo=reason or "Cancelled")
    return _award_transition(locked, actor, StipendAward.Status.CANCELLED, reason)


@transaction.atomic
def payroll_batch_create(
    *, district: District, actor, awards: list[StipendAward], paid_on: date | None = None
) -> PayrollBatch:
    """Mark approved awards as paid in one batch, posting each expenditure."""
    ids = sorted({a.pk for a in awards})
    if not ids:
        raise DomainError("payroll.empty", "Choose at least one approved award.")
    locked = list(
        StipendAward.objects.select_for_update(of=("self",))
        .filter(district=district, pk__in=ids)
        .select_related("encumbrance__budget", "schedule", "staff")
        .order_by("pk")
    )
    not_ready = [a for a in locked if a.status != StipendAward.Status.APPROVED]
    if len(locked) != len(ids) or not_ready:
        raise Conflict(
            "payroll.not_approved",
            "Only approved awards can be paid: "
            + ", ".join(f"#{a.pk} is {a.get_status_display().lower()}" for a in not_ready),
        )
    # Lock every budget up front in id order: two batches over the same budgets then queue
    # instead of deadlocking.
    list(
        Budget.objects.select_for_update(of=("self",))
        .filter(pk__in={a.encumbrance.budget_id for a in locked})
        .order_by("pk")
    )
    batch = PayrollBatch.objects.create(
        district=district,
        created_by=actor,
        paid_on=paid_on or district.today(),
        count=len(locked),
        total=sum((a.amount for a in locked), ZERO),
    )
    for award in locked:
        budget_spend(
            encumbrance=award.encumbrance,
            amount=award.amount,
            actor=actor,
            memo=f"Payroll batch {batch.pk}",
        )
        award.batch = batch
        _award_transition(award, actor, StipendAward.Status.PAID, f"Payroll batch {batch.pk}")
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=batch,
        comment=f"{batch.count} stipends, {_money(batch.total)}",
    )
    return batch


def summary_exported(*, year: FiscalYear, actor, fmt: str, sources: int) -> None:
    """Record that the funding summary of `year` was downloaded; exports are audited."""
    audit_event(
        district=year.district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=year,
        comment=f"Funding summary ({fmt.upper()}), {sources} sources",
    )


def payroll_exported(*, batch: PayrollBatch, actor) -> None:
    """Record that a payroll batch's file was downloaded."""
    audit_event(
        district=batch.district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=batch,
        comment="Payroll CSV downloaded",
    )


# --- program PD plans ----------------------------------------------------------------------


def _draft(plan: ProgramPlan) -> ProgramPlan:
    return lock(
        plan,
        ProgramPlan.Status.DRAFT,
        code="program_plan.published",
        verb="change",
        message="A published plan is final; it stays as it was shared.",
    )


@transaction.atomic
def plan_create(*, district: District, actor, data: dict[str, Any]) -> ProgramPlan:
    _check_same_district(district, data.get("program"), data.get("school_year"))
    if ProgramPlan.objects.filter(program=data["program"], school_year=data["school_year"]):
        raise DomainError(
            "program_plan.duplicate",
            f"{data['program']} already has a plan for {data['school_year']}.",
            field="school_year",
        )
    return _create_once(
        ProgramPlan,
        district=district,
        actor=actor,
        fields=PLAN_FIELDS,
        data=data,
        code="program_plan.duplicate",
        detail="This program already has a plan for that year.",
    )


@transaction.atomic
def plan_update(*, plan: ProgramPlan, actor, data: dict[str, Any]) -> ProgramPlan:
    return audited_update(_draft(plan), actor=actor, fields=PLAN_EDITABLE, data=data)


@transaction.atomic
def activity_add(*, plan: ProgramPlan, actor, data: dict[str, Any]) -> PlanActivity:
    plan = _draft(plan)
    activity = PlanActivity(
        district=plan.district,
        plan=plan,
        **{k: data.get(k, "") for k in ("title", "description", "audience", "timing")},
    )
    activity.full_clean(exclude=["district", "plan"])
    activity.save()
    audit_event(
        district=plan.district,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes={"activity added": [None, activity.title]},
    )
    return activity


@transaction.atomic
def allocation_add(*, plan: ProgramPlan, actor, data: dict[str, Any]) -> PlanAllocation:
    plan = _draft(plan)
    source, use = data.get("source"), data.get("use")
    if source is None or use not in Use.values:
        raise DomainError(
            "program_plan.allocation_incomplete", "Choose a category and a funding source."
        )
    _check_same_district(plan.district, source)
    check_use(source, use)
    allocation = PlanAllocation(
        district=plan.district,
        plan=plan,
        source=source,
        use=use,
        amount=data.get("amount") or ZERO,
        hours=data.get("hours") or ZERO,
        note=data.get("note", ""),
    )
    if allocation.amount < 0 or allocation.hours < 0 or not (allocation.amount or allocation.hours):
        raise DomainError(
            "program_plan.allocation_empty", "Give a positive amount or hours.", field="amount"
        )
    allocation.full_clean(exclude=["district", "plan", "source"])
    allocation.save()
    audit_event(
        district=plan.district,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes={"allocation added": [None, str(allocation)]},
    )
    return allocation


@transaction.atomic
def plan_item_remove(*, plan: ProgramPlan, actor, item: PlanActivity | PlanAllocation) -> None:
    plan = _draft(plan)
    if item.plan_id != plan.pk:
        raise DomainError("program_plan.other_item", "That item belongs to another plan.")
    label = str(item)
    item.delete()
    audit_event(
        district=plan.district,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=plan,
        changes={f"{item._meta.verbose_name} removed": [label, None]},
    )


@transaction.atomic
def plan_publish(*, plan: ProgramPlan, actor) -> ProgramPlan:
    locked = _draft(plan)
    if not locked.activities.exists() or not locked.allocations.exists():
        raise DomainError(
            "program_plan.incomplete",
            "A plan needs at least one activity and one allocation to publish.",
        )
    return move(
        locked,
        actor=actor,
        to=ProgramPlan.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
    )


@transaction.atomic
def plan_acknowledge(*, plan: ProgramPlan, staff: Staff, actor) -> PlanAcknowledgement:
    """Record that a covered staff member has read the plan. Saying so twice changes nothing."""
    if plan.status != ProgramPlan.Status.PUBLISHED:
        raise Conflict("program_plan.not_published", "Only a published plan can be acknowledged.")
    _check_same_district(plan.district, staff)
    ack, created = PlanAcknowledgement.objects.get_or_create(
        district=plan.district, plan=plan, staff=staff
    )
    if created:
        audit_event(
            district=plan.district,
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=ack,
        )
    return ack
