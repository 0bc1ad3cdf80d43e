"""Writes for stipends: schedules, awards (proposed, approved with an encumbrance, cancelled
with its release) and payroll batches that pay approved awards, with the audit record of a
downloaded payroll file."""

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_update
from cadre.districts.models import District, Staff
from cadre.districts.services import _check_same_district
from cadre.funding.models import ZERO, Budget, PayrollBatch, StipendAward, StipendSchedule, Use
from cadre.funding.services import ledger
from cadre.funding.services.common import _check_open, _create_once, _money

SCHEDULE_FIELDS = ["school_year", "role", "name", "amount", "full_months", "proration", "source"]


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
    ledger.check_use(budget.source, Use.STIPEND)
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
    locked.encumbrance = ledger.budget_encumber(
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
        ledger.budget_release(
            encumbrance=locked.encumbrance, actor=actor, memo=reason or "Cancelled"
        )
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
        ledger.budget_spend(
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


def payroll_exported(*, batch: PayrollBatch, actor) -> None:
    """Record that a payroll batch's file was downloaded."""
    audit_event(
        district=batch.district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=batch,
        comment="Payroll CSV downloaded",
    )
