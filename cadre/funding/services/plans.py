"""Writes for program PD plans: a draft with its activities and funding allocations, published
once complete (and final from then on), and acknowledged by the staff it covers."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import audited_update, lock, move
from cadre.districts.models import District, Staff
from cadre.districts.services import _check_same_district
from cadre.funding.models import (
    ZERO,
    PlanAcknowledgement,
    PlanActivity,
    PlanAllocation,
    ProgramPlan,
    Use,
)
from cadre.funding.services import ledger
from cadre.funding.services.common import _create_once

PLAN_FIELDS = ["program", "school_year", "title", "summary", "goals"]
PLAN_EDITABLE = ["title", "summary", "goals"]


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
    ledger.check_use(source, use)
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
