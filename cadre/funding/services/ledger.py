"""The ledger. Every posting goes through `_post_many`, which locks the budget rows, checks
each entry's source's uses and restrictions and the balance, writes the entries, moves the
budgets' running totals and audits each entry, all in one transaction. Other apps commit, pay
and release through `budget_encumber`, `budget_spend` and `budget_release` (or `post_many`,
for many entries at once); `post_entry` is the manual posting."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.districts.models import Assignment, Staff
from cadre.districts.services import _check_same_district
from cadre.funding.models import ZERO, Budget, FiscalYear, FundingSource, LedgerEntry, Use
from cadre.funding.services.common import UNITS, _money


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


@dataclass
class Posting:
    """One entry to post: what `_post_many` checks and writes for it."""

    budget: Budget
    kind: str
    use: str
    units: Units
    actor: Any
    staff: Staff | None = None
    cause: Model | None = None
    encumbrance: LedgerEntry | None = None
    memo: str = ""
    on: date | None = None


def _post_many(postings: list[Posting]) -> list[LedgerEntry]:
    """Post the entries in order, each checked as if posted alone after the ones before it
    (the caller's transaction makes it all or nothing). The budgets are locked together, their
    fiscal years and the encumbrances closed already are read once, the entries are written
    together, each budget's totals are saved once, and each entry is audited."""
    if not postings:
        return []
    # The lock serialises every posting to these budgets: parallel requests queue here, in
    # key order. School and program name the budget in the audit trail; locking only budgets.
    locked = {
        b.pk: b
        for b in Budget.objects.select_for_update(of=("self",))
        .select_related("district", "source", "fiscal_year", "school", "program")
        .filter(pk__in={p.budget.pk for p in postings})
        .order_by("pk")
    }
    if len(locked) < len({p.budget.pk for p in postings}):  # one was deleted meanwhile
        raise Budget.DoesNotExist("Budget matching query does not exist.")
    # Read afresh now the budgets are locked: a close locks every budget of its year, so a
    # posting that waited on that lock sees the close.
    closed_years = set(
        FiscalYear.objects.filter(
            pk__in={b.fiscal_year_id for b in locked.values()}, closed_at__isnull=False
        ).values_list("pk", flat=True)
    )
    closes = [p.encumbrance.pk for p in postings if p.encumbrance is not None]
    closed = (
        set(
            LedgerEntry.objects.filter(encumbrance_id__in=closes).values_list(
                "encumbrance_id", flat=True
            )
        )
        if closes
        else set()
    )
    entries = [_check(p, locked[p.budget.pk], closed_years, closed) for p in postings]
    LedgerEntry.objects.bulk_create(entries)
    fields = [f"{s}_{u}" for s in ("committed", "spent") for u in UNITS]
    for budget in locked.values():
        if any(e.budget_id == budget.pk for e in entries):
            budget.save(update_fields=[*fields, "updated_at"])
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                district=entry.district,
                actor=p.actor,
                action=AuditEvent.Action.CREATE,
                obj=entry,
                changes=diff(
                    {},
                    snapshot(entry, ["kind", "use", "amount", "hours", "days", "staff", "budget"])
                    | ({"closes": p.encumbrance.pk} if p.encumbrance is not None else {})
                    | (
                        {"cause": f"{entry.cause_type.model} {entry.cause_id}"}
                        if p.cause is not None
                        else {}
                    ),
                ),
                comment=p.memo,
                save=False,
            )
            for p, entry in zip(postings, entries, strict=True)
        ]
    )
    for p in postings:
        for name in fields:  # the caller's copy shows the new totals
            setattr(p.budget, name, getattr(locked[p.budget.pk], name))
    return entries


def _check(p: Posting, locked: Budget, closed_years: set, closed: set) -> LedgerEntry:
    """One posting's rules against its locked budget as the postings before it left it; moves
    the budget's totals and answers the entry, not yet saved."""
    kind, use, staff, cause, encumbrance = p.kind, p.use, p.staff, p.cause, p.encumbrance
    district = locked.district
    _check_same_district(district, staff, cause if hasattr(cause, "district_id") else None)
    units = _exact(p.units)
    if use not in Use.values:
        raise DomainError("ledger.unknown_use", f"Unknown use {use!r}.", field="use")
    if kind != LedgerEntry.Kind.ADJUSTMENT and units.negative():
        raise DomainError("ledger.negative", "Amounts are positive; post an adjustment instead.")
    if kind not in (LedgerEntry.Kind.RELEASE,) and not units.any():
        raise DomainError("ledger.empty", "Give an amount, hours or days.", field="amount")
    source = locked.source
    on = p.on or district.today()
    closing = encumbrance is not None
    year_closed = locked.fiscal_year_id in closed_years
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
        if encumbrance.pk in closed:
            raise Conflict(
                "ledger.already_closed",
                f"Encumbrance #{encumbrance.pk} is already paid or released.",
            )
        closed.add(encumbrance.pk)
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
    for unit in UNITS:
        setattr(locked, f"committed_{unit}", getattr(committed, unit))
        setattr(locked, f"spent_{unit}", getattr(spent, unit))
    return LedgerEntry(
        district=district,
        budget=locked,
        kind=kind,
        use=use,
        amount=units.amount,
        hours=units.hours,
        days=units.days,
        staff=staff,
        encumbrance=encumbrance,
        memo=p.memo,
        posted_on=on,
        posted_by=p.actor,
        **_cause(cause),
    )


def post_many(postings: list[Posting]) -> list[LedgerEntry]:
    """Post several entries in one step, in order, each exactly as posted alone (the same
    refusals, totals and audit events); all or nothing. Build them with `encumbering`,
    `spending` and `releasing`."""
    postings = list(postings)
    if not postings:
        return []  # nothing to post: not even a savepoint
    with transaction.atomic():
        return _post_many(postings)


def encumbering(
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
) -> Posting:
    """The posting of `budget_encumber`."""
    return Posting(
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


def spending(
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
) -> Posting:
    """The posting of `budget_spend`: paying an encumbrance takes its budget, use, person and
    cause unless told."""
    if encumbrance is not None:
        budget = encumbrance.budget
        use = use or encumbrance.use
        staff = staff or encumbrance.staff
        if cause is None and encumbrance.cause_type_id:
            cause = encumbrance.cause
    if budget is None or use is None:
        raise DomainError("ledger.no_budget", "Say which budget and use this payment is for.")
    return Posting(
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


def releasing(
    *,
    encumbrance: LedgerEntry,
    actor,
    memo: str = "",
    on: date | None = None,
    staff: Staff | None = None,
    cause: Model | None = None,
) -> Posting:
    """The posting of `budget_release`. `staff` and `cause`, when the caller has them, are
    the encumbrance's own (spares reading them again)."""
    return Posting(
        budget=encumbrance.budget,
        kind=LedgerEntry.Kind.RELEASE,
        use=encumbrance.use,
        units=Units.of(encumbrance),
        actor=actor,
        staff=staff or encumbrance.staff,
        cause=cause or encumbrance.cause,
        encumbrance=encumbrance,
        memo=memo,
        on=on,
    )


def budget_encumber(**kwargs) -> LedgerEntry:
    """Commit money or time when something is approved (see `encumbering`)."""
    return post_many([encumbering(**kwargs)])[0]


def budget_spend(**kwargs) -> LedgerEntry:
    """Record a payment. Paying an encumbrance closes it, whatever the amount actually paid
    (see `spending`)."""
    return post_many([spending(**kwargs)])[0]


def budget_release(**kwargs) -> LedgerEntry:
    """Give back what an encumbrance held, on cancellation (see `releasing`)."""
    return post_many([releasing(**kwargs)])[0]


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
    return _post_many(
        [
            Posting(
                budget=budget,
                kind=LedgerEntry.Kind.ADJUSTMENT,
                use=use,
                units=Units(amount, hours, days),
                actor=actor,
                staff=staff,
                memo=reason.strip(),
            )
        ]
    )[0]


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
