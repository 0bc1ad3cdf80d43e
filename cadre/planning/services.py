"""Writes for strategic plans and their goals."""

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_links, audited_update, links_set, lock, move
from cadre.districts.models import District, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
    _token,
)

PLAN_FIELDS = ["level", "school", "program", "title", "summary", "first_year", "last_year"]
PLAN_EDITABLE = ["title", "summary", "first_year", "last_year"]
GOAL_FIELDS = ["code", "title", "description", "measure", "target"]

Level = StrategicPlan.Level


def _check_owner(data: dict[str, Any]) -> None:
    level, school, program = data.get("level"), data.get("school"), data.get("program")
    expected = {
        Level.DISTRICT: (
            school is None and program is None,
            "A district plan has no school or program.",
        ),
        Level.SCHOOL: (school is not None and program is None, "A school plan names its school."),
        Level.PROGRAM: (
            program is not None and school is None,
            "A program plan names its program.",
        ),
    }
    if level not in expected:
        raise DomainError("plan.level", "Choose district, school or program.", field="level")
    ok, message = expected[level]
    if not ok:
        raise DomainError("plan.owner", message, field="school" if school else "program")


def _check_years(first, last) -> None:
    if first is None or last is None:
        raise DomainError("plan.years", "Give the first and last school year.", field="first_year")
    if last.start_date < first.start_date:
        raise DomainError(
            "plan.years", "The last school year comes after the first.", field="last_year"
        )


@transaction.atomic
def plan_create(*, district: District, actor, data: dict[str, Any]) -> StrategicPlan:
    data = {k: data.get(k) for k in PLAN_FIELDS if k in data}
    data.setdefault("school", None)
    data.setdefault("program", None)
    _check_owner(data)
    _check_same_district(
        district,
        data.get("school"),
        data.get("program"),
        data.get("first_year"),
        data.get("last_year"),
    )
    _check_years(data.get("first_year"), data.get("last_year"))
    return _create(StrategicPlan, district=district, actor=actor, fields=PLAN_FIELDS, data=data)


@transaction.atomic
def plan_update(*, plan: StrategicPlan, actor, data: dict[str, Any]) -> StrategicPlan:
    _check_same_district(plan.district, data.get("first_year"), data.get("last_year"))
    _check_years(data.get("first_year", plan.first_year), data.get("last_year", plan.last_year))
    return audited_update(plan, actor=actor, fields=PLAN_EDITABLE, data=data)


@transaction.atomic
def plan_publish(*, plan: StrategicPlan, actor) -> StrategicPlan:
    locked = lock(
        plan,
        StrategicPlan.Status.DRAFT,
        code="plan.published",
        verb="publish",
        message="This plan is already published.",
    )
    if not locked.goals.exists():
        raise DomainError("plan.no_goals", "A plan needs at least one goal to publish.")
    return move(
        locked,
        actor=actor,
        to=StrategicPlan.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=actor,
    )


def _check_alignment(plan: StrategicPlan, aligns_to: list[Goal]) -> None:
    """District goals align to nothing; every school or program goal serves at least one
    district goal of a plan whose years overlap its own."""
    if plan.level == Level.DISTRICT:
        if aligns_to:
            raise DomainError(
                "plan_goal.district_aligns",
                "District goals sit at the top; they align to nothing.",
                field="aligns_to",
            )
        return
    if not aligns_to:
        raise DomainError(
            "plan_goal.alignment_required",
            "Choose at least one district goal this goal serves.",
            field="aligns_to",
        )
    for goal in aligns_to:
        _check_same_district(plan.district, goal)
        other = goal.plan
        overlaps = (
            other.first_year.start_date <= plan.last_year.start_date
            and plan.first_year.start_date <= other.last_year.start_date
        )
        if other.level != Level.DISTRICT or not overlaps:
            raise DomainError(
                "plan_goal.alignment_invalid",
                f"{goal} is not a district goal for these years.",
                field="aligns_to",
            )


def _duplicate_code(goal: Goal) -> DomainError:
    return DomainError(
        "plan_goal.duplicate_code", f"{goal.plan} already has a goal {goal.code}.", field="code"
    )


def _align(goal: Goal, aligns_to: list[Goal] | None, *, created: bool) -> dict[str, list]:
    """Set the goals this one serves (None leaves them); the audited change."""
    return links_set(goal, {"aligns_to": aligns_to}, created=created, label=lambda g: g.code)


@transaction.atomic
def goal_create(
    *, plan: StrategicPlan, actor, data: dict[str, Any], aligns_to: list[Goal] | None = None
) -> Goal:
    aligns_to = list(aligns_to or [])
    _check_alignment(plan, aligns_to)
    goal = Goal(district=plan.district, plan=plan, **{k: data.get(k, "") for k in GOAL_FIELDS})
    goal.full_clean(exclude=["district", "plan"])
    try:
        with transaction.atomic():
            goal.save()
    except IntegrityError as exc:
        raise _duplicate_code(goal) from exc
    changes = {k: [None, getattr(goal, k)] for k in GOAL_FIELDS}
    changes |= _align(goal, aligns_to, created=True)
    audit_event(
        district=goal.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=goal,
        changes=changes,
    )
    return goal


@transaction.atomic
def goal_update(
    *, goal: Goal, actor, data: dict[str, Any], aligns_to: list[Goal] | None = None
) -> Goal:
    if aligns_to is not None:
        _check_alignment(goal.plan, list(aligns_to))
    also = _align(goal, aligns_to, created=False)
    try:
        with transaction.atomic():
            return audited_update(
                goal,
                actor=actor,
                fields=GOAL_FIELDS,
                data=data,
                exclude=["district", "plan"],
                also=also,
            )
    except IntegrityError as exc:
        raise _duplicate_code(goal) from exc


# --- needs assessments -----------------------------------------------------------------------

ASSESSMENT_FIELDS = ["school", "program", "school_year", "summary"]
PRIORITY_FIELDS = ["area", "evidence"]


def _check_unit(district: District, data: dict[str, Any], code: str) -> None:
    school, program = data.get("school"), data.get("program")
    if (school is None) == (program is None):
        raise DomainError(code, "Choose a school or a program, not both.", field="school")
    _check_same_district(district, school, program, data.get("school_year"))
    if data.get("school_year") is None:
        raise DomainError(code, "Choose the school year.", field="school_year")


def _create_unique(model, *, district, actor, fields, data, code: str):
    """Create a one-per-school-or-program-and-year record; a second is a clear refusal."""
    owner = data.get("school") or data.get("program")
    key = {"school": data.get("school"), "program": data.get("program")}
    if model.objects.filter(school_year=data["school_year"], **key).exists():
        raise Conflict(
            code, f"{owner} already has a {model._meta.verbose_name} for {data['school_year']}."
        )
    try:
        with transaction.atomic():
            return _create(model, district=district, actor=actor, fields=fields, data=data)
    except IntegrityError as exc:  # a concurrent create won the race
        raise Conflict(
            code,
            f"{owner} already has a {model._meta.verbose_name} for {data['school_year']}.",
        ) from exc


def _draft_assessment(assessment: NeedsAssessment) -> NeedsAssessment:
    return lock(assessment, NeedsAssessment.Status.DRAFT, code="assessment.final", verb="change")


@transaction.atomic
def assessment_create(*, district: District, actor, data: dict[str, Any]) -> NeedsAssessment:
    data = {k: data.get(k) for k in ASSESSMENT_FIELDS} | {"summary": data.get("summary") or ""}
    _check_unit(district, data, "assessment.owner")
    return _create_unique(
        NeedsAssessment,
        district=district,
        actor=actor,
        fields=ASSESSMENT_FIELDS,
        data=data,
        code="assessment.exists",
    )


@transaction.atomic
def assessment_update(
    *, assessment: NeedsAssessment, actor, data: dict[str, Any]
) -> NeedsAssessment:
    locked = _draft_assessment(assessment)
    return audited_update(locked, actor=actor, fields=["summary"], data=data)


@transaction.atomic
def assessment_finalize(*, assessment: NeedsAssessment, actor) -> NeedsAssessment:
    locked = _draft_assessment(assessment)
    if not locked.priorities.exists():
        raise DomainError(
            "assessment.no_priorities", "Rank at least one priority area before finalising."
        )
    # Finalising closes the public link: input after the decision would go unread.
    return move(
        locked,
        actor=actor,
        to=NeedsAssessment.Status.FINAL,
        finalized_at=timezone.now(),
        finalized_by=actor,
        input_open=False,
    )


@transaction.atomic
def assessment_input_link(
    *, assessment: NeedsAssessment, actor, open: bool, renew: bool = False
) -> NeedsAssessment:
    locked = _draft_assessment(assessment) if open else assessment
    data = {"input_open": open, "input_token": _token() if renew else locked.input_token}
    return audited_update(
        locked,
        actor=actor,
        data=data,
        fields=["input_open", "input_token"],
        audited=["input_open"],  # the link is a secret: the trail says it changed
        also={"input_token": ["(old link)", "(new link)"]} if renew else None,
    )


def _renumber(assessment: NeedsAssessment, order: list[Priority]) -> None:
    # Two passes keep ranks distinct at every step, should a unique rank ever be added.
    for i, p in enumerate(order, start=1):
        if p.rank != i:
            Priority.objects.filter(pk=p.pk).update(rank=i)
            p.rank = i


@transaction.atomic
def priority_add(*, assessment: NeedsAssessment, actor, data: dict[str, Any]) -> Priority:
    locked = _draft_assessment(assessment)
    last = locked.priorities.aggregate(m=Max("rank"))["m"] or 0
    priority = Priority(
        district=locked.district,
        assessment=locked,
        rank=last + 1,
        **{k: (data.get(k) or "").strip() for k in PRIORITY_FIELDS},
    )
    priority.full_clean(exclude=["district", "assessment"])
    priority.save()
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=priority,
        changes=diff({}, snapshot(priority, ["rank", *PRIORITY_FIELDS])),
    )
    return priority


@transaction.atomic
def priority_update(*, priority: Priority, actor, data: dict[str, Any]) -> Priority:
    _draft_assessment(priority.assessment)
    return audited_update(priority, actor=actor, fields=PRIORITY_FIELDS, data=data)


@transaction.atomic
def priority_move(*, priority: Priority, actor, rank: int) -> Priority:
    locked = _draft_assessment(priority.assessment)
    order = [p for p in locked.priorities.all() if p.pk != priority.pk]
    if not isinstance(rank, int) or not 1 <= rank <= len(order) + 1:
        raise DomainError(
            "priority.rank", f"Choose a rank from 1 to {len(order) + 1}.", field="rank"
        )
    before = priority.rank
    order.insert(rank - 1, priority)
    _renumber(locked, order)
    if before != priority.rank:
        audit_event(
            district=locked.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=priority,
            changes={"rank": [before, priority.rank]},
        )
    return priority


@transaction.atomic
def priority_remove(*, priority: Priority, actor) -> None:
    locked = _draft_assessment(priority.assessment)
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=priority,
        changes=diff(snapshot(priority, ["rank", *PRIORITY_FIELDS]), {}),
    )
    priority.delete()
    _renumber(locked, list(locked.priorities.all()))


# --- stakeholder input ---------------------------------------------------------------------

INPUT_MAX_CHARS = 4000
# The open link: a few messages per sender an hour, and a ceiling per assessment an hour so a
# flood from many addresses cannot bury the real input.
PER_SENDER_PER_HOUR = 5
PER_ASSESSMENT_PER_HOUR = 200


class RateLimited(DomainError):
    status = 429


def _client_key(district: District, ip: str) -> str:
    return hmac.new(
        district.pseudonym_secret.encode(), (ip or "unknown").encode(), hashlib.sha256
    ).hexdigest()


def _clean_body(data: dict[str, Any]) -> str:
    body = (data.get("body") or "").strip()
    if not body:
        raise DomainError("input.empty", "Write your input before sending.", field="body")
    if len(body) > INPUT_MAX_CHARS:
        raise DomainError(
            "input.too_long", f"Keep it under {INPUT_MAX_CHARS} characters.", field="body"
        )
    return body


def _open_assessment(assessment: NeedsAssessment) -> NeedsAssessment:
    locked = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.input_open or locked.status != NeedsAssessment.Status.DRAFT:
        raise DomainError("input.closed", "This needs assessment is not taking input now.")
    return locked


@transaction.atomic
def input_submit_public(
    *, assessment: NeedsAssessment, data: dict[str, Any], client_ip: str
) -> StakeholderInput:
    """Input from a parent or community member through the open link, without signing in."""
    source = data.get("source")
    if source not in (StakeholderInput.Source.PARENT, StakeholderInput.Source.COMMUNITY):
        raise DomainError(
            "input.source", "Say whether you are a parent or a community member.", field="source"
        )
    body = _clean_body(data)
    # The lock serialises submissions to one assessment, so the counts below hold.
    locked = _open_assessment(assessment)
    key = _client_key(locked.district, client_ip)
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = StakeholderInput.objects.filter(assessment=locked, submitted_at__gte=hour_ago)
    if (
        recent.filter(client_key=key).count() >= PER_SENDER_PER_HOUR
        or recent.count() >= PER_ASSESSMENT_PER_HOUR
    ):
        raise RateLimited(
            "input.rate_limited",
            "Thank you — we have had a lot of input from here in the last hour. "
            "Please try again later.",
        )
    item = StakeholderInput.objects.create(
        district=locked.district,
        assessment=locked,
        source=source,
        name=(data.get("name") or "").strip()[:120],
        body=body,
        client_key=key,
    )
    audit_event(
        district=locked.district,
        actor=None,
        action=AuditEvent.Action.CREATE,
        obj=item,
        changes={"source": [None, source]},
        comment="Through the stakeholder input link",
    )
    return item


@transaction.atomic
def input_submit_staff(
    *, assessment: NeedsAssessment, staff: Staff, actor, data: dict[str, Any]
) -> StakeholderInput:
    body = _clean_body(data)
    locked = NeedsAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != NeedsAssessment.Status.DRAFT:
        raise DomainError("input.closed", "This needs assessment is final.")
    item = StakeholderInput.objects.create(
        district=locked.district,
        assessment=locked,
        source=StakeholderInput.Source.STAFF,
        staff=staff,
        name=str(staff),
        body=body,
    )
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=item,
        changes={"source": [None, item.source]},
    )
    return item


@transaction.atomic
def input_moderate(
    *, item: StakeholderInput, actor, status: str, priority: Priority | None = None
) -> StakeholderInput:
    if status not in (StakeholderInput.Status.ACCEPTED, StakeholderInput.Status.HIDDEN):
        raise DomainError("input.status", "Accept or hide the input.", field="status")
    if priority is not None and priority.assessment_id != item.assessment_id:
        raise DomainError(
            "input.priority", "Attach input to a priority of the same assessment.", field="priority"
        )
    if status == StakeholderInput.Status.HIDDEN:
        priority = None
    return audited_update(
        item,
        actor=actor,
        fields=["status", "priority", "moderated_at", "moderated_by"],
        audited=["status", "priority"],
        data={
            "status": status,
            "priority": priority,
            "moderated_at": timezone.now(),
            "moderated_by": actor,
        },
    )


# --- PD plans ------------------------------------------------------------------------------

PD_PLAN_FIELDS = [
    "school",
    "program",
    "school_year",
    "intensive_support",
    "individual",
    "small_group",
    "whole_group",
]
PD_PLAN_EDITABLE = ["intensive_support", "individual", "small_group", "whole_group"]


def _check_links(plan: PdPlan, priorities, goals) -> None:
    """A plan addresses its own unit's priorities for its year, and serves its unit's goals or
    the district's."""
    for p in priorities or []:
        a = p.assessment
        if (a.school_id, a.program_id, a.school_year_id) != (
            plan.school_id,
            plan.program_id,
            plan.school_year_id,
        ):
            raise DomainError(
                "pd_plan.priority",
                f"“{p.area}” is a priority of another needs assessment.",
                field="priorities",
            )
    year = plan.school_year
    owners = StrategicPlan.objects.select_related("first_year", "last_year").in_bulk(
        {g.plan_id for g in goals or []}
    )
    for g in goals or []:
        owner = owners[g.plan_id]
        ours = (owner.school_id, owner.program_id) == (plan.school_id, plan.program_id)
        if owner.district_id != plan.district_id or not (
            ours or owner.level == StrategicPlan.Level.DISTRICT
        ):
            raise DomainError(
                "pd_plan.goal",
                f"{g} is not a goal of this {'school' if plan.school_id else 'program'} or "
                "the district.",
                field="goals",
            )
        if not owner.first_year.start_date <= year.start_date <= owner.last_year.start_date:
            raise DomainError(
                "pd_plan.goal_year",
                f"{g} is a goal of a plan that does not cover {year}.",
                field="goals",
            )


@transaction.atomic
def pd_plan_create(
    *, district: District, actor, data: dict[str, Any], priorities=None, goals=None
) -> PdPlan:
    data = {k: data.get(k) for k in PD_PLAN_FIELDS}
    for name in PD_PLAN_EDITABLE:
        data[name] = (data[name] or "").strip()
    _check_unit(district, data, "pd_plan.owner")
    probe = PdPlan(district=district, **data)
    _check_links(probe, priorities, goals)
    plan = _create_unique(
        PdPlan,
        district=district,
        actor=actor,
        fields=PD_PLAN_FIELDS,
        data=data,
        code="pd_plan.exists",
    )
    audited_links(plan, actor=actor, links={"priorities": priorities, "goals": goals}, created=True)
    return plan


@transaction.atomic
def pd_plan_update(
    *, plan: PdPlan, actor, data: dict[str, Any], priorities=None, goals=None
) -> PdPlan:
    locked = lock(
        plan,
        PdPlan.Status.DRAFT,
        PdPlan.Status.RETURNED,
        code="pd_plan.not_editable",
        verb="change",
    )
    _check_links(locked, priorities, goals)
    locked = audited_update(locked, actor=actor, fields=PD_PLAN_EDITABLE, data=data)
    audited_links(locked, actor=actor, links={"priorities": priorities, "goals": goals})
    return locked


@transaction.atomic
def pd_plan_submit(*, plan: PdPlan, actor) -> PdPlan:
    locked = lock(
        plan, PdPlan.Status.DRAFT, PdPlan.Status.RETURNED, code="pd_plan.not_draft", verb="submit"
    )
    missing = [
        PdPlan._meta.get_field(f).verbose_name for f in PD_PLAN_EDITABLE if not getattr(locked, f)
    ]
    if missing:
        raise DomainError(
            "pd_plan.incomplete", f"Describe the structure for support: {', '.join(missing)}."
        )
    if not locked.priorities.exists() and not locked.goals.exists():
        raise DomainError(
            "pd_plan.unlinked", "Say which priorities the plan addresses or which goals it serves."
        )
    return move(locked, actor=actor, to=PdPlan.Status.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def pd_plan_approve(*, plan: PdPlan, actor) -> PdPlan:
    locked = lock(plan, PdPlan.Status.SUBMITTED, code="pd_plan.not_submitted", verb="approve")
    return move(
        locked,
        actor=actor,
        to=PdPlan.Status.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
        comment="",
    )


@transaction.atomic
def pd_plan_return(*, plan: PdPlan, actor, comment: str) -> PdPlan:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("pd_plan.comment", "Say what to change.", field="comment")
    locked = lock(plan, PdPlan.Status.SUBMITTED, code="pd_plan.not_submitted", verb="return")
    return move(
        locked,
        actor=actor,
        to=PdPlan.Status.RETURNED,
        note=comment,
        comment=comment,
        decided_at=timezone.now(),
        decided_by=actor,
    )
