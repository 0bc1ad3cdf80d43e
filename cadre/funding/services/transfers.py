"""Budget transfers (requested, then approved or rejected by someone else) and the fiscal-year
close, which carries what is left in sources that allow it forward as transfers."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import move
from cadre.districts.models import District
from cadre.districts.services import _check_same_district
from cadre.funding.models import ZERO, Budget, BudgetTransfer, FiscalYear
from cadre.funding.services import fiscal_years, ledger
from cadre.funding.services.common import UNITS, _check_open, _money


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
    units = ledger.Units(amount, hours, days)
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
    following = fiscal_years.fiscal_year_for(
        district=district, on=year.end_date + timedelta(days=1)
    )
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
