"""Writes for groups and their members: creating and changing a group, members joining and
leaving, the stage of the cycle of inquiry, closing and reopening the cycle, and the
effectiveness judgement.

- A group, its members and facilitator belong to one district. A school group's facilitator
  works at that school, or holds a district-wide or program assignment (a district coach);
  the facilitator is always a member, and cannot be removed or leave while facilitating.
- A member's school is recorded as it is when they join (their first current school
  assignment), so the leaders of every school a cross-school group serves can follow it.
- A closed group refuses every change (`group.closed`) until it is reopened, except the
  effectiveness judgement, which is made at cycle end. Closing needs at least one evidence
  record, except for a book study (it studies a text, not student work). Reopening withdraws
  the judgement, since the evidence it rested on can change again.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.collaboration.models import Group, Membership
from cadre.collaboration.services.common import _locked, _not_future, _stripped
from cadre.core import trail
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_create, audited_update, move
from cadre.districts.models import Assignment, District, School, SchoolYear, Staff
from cadre.districts.services import _check_same_district
from cadre.growth.services import home_units
from cadre.planning.models import Goal, StrategicPlan

Status = Group.Status
Stage = Group.Stage
Effectiveness = Group.Effectiveness

GROUP_FIELDS = [
    "name",
    "kind",
    "school",
    "school_year",
    "focus",
    "facilitator",
    "schedule",
    "meeting_minutes",
    "is_virtual",
    "meeting_link",
    "support",
]
JUDGEMENTS = (Effectiveness.EFFECTIVE, Effectiveness.PARTLY, Effectiveness.NOT_EFFECTIVE)


def goal_choices(district: District, school: School | None, year: SchoolYear) -> QuerySet[Goal]:
    """The plan goals a group may serve: published goals of the district, and of its school
    (of any school for a cross-school group), whose plans cover its school year."""
    unit = Q(plan__level=StrategicPlan.Level.DISTRICT)
    if school is not None:
        unit |= Q(plan__school_id=school.pk)
    else:
        unit |= Q(plan__level=StrategicPlan.Level.SCHOOL)
    return (
        Goal.objects.filter(district=district, plan__status=StrategicPlan.Status.PUBLISHED)
        .filter(plan__first_year__start_date__lte=year.start_date)
        .filter(plan__last_year__start_date__gte=year.start_date)
        .filter(unit)
        .select_related("plan__school")
        .order_by("plan__level", "plan__school__name", "code", "id")
    )


def _check_goals(district: District, school: School | None, year: SchoolYear, goals) -> None:
    if not goals:
        return
    _check_same_district(district, *goals)
    allowed = set(
        goal_choices(district, school, year)
        .filter(pk__in=[g.pk for g in goals])
        .values_list("pk", flat=True)
    )
    for goal in goals:
        if goal.pk not in allowed:
            where = f"{school}'s or the district's" if school else "a school's or the district's"
            raise DomainError(
                "group.goal_invalid",
                f"{goal} is not a published goal of {where} plan for {year}.",
                field="goals",
            )


def _check_facilitator(district: District, school: School | None, staff: Staff | None) -> None:
    if staff is None:
        raise DomainError(
            "group.facilitator_required", "Name the facilitator.", field="facilitator"
        )
    _check_same_district(district, staff)
    if not staff.is_active:
        raise DomainError(
            "group.facilitator_inactive", f"{staff} is not active.", field="facilitator"
        )
    if school is None:
        return
    current = list(
        Assignment.objects.filter(staff=staff).current(district.today()).values_list("school_id")
    )
    # Someone with a district-wide or program assignment (a district coach) may facilitate
    # anywhere; someone based at other schools only.
    if any(school_id in (None, school.pk) for (school_id,) in current):
        return
    raise DomainError(
        "group.facilitator_elsewhere",
        f"{staff} does not work at {school}; a school group's facilitator works there, or "
        "district-wide.",
        field="facilitator",
    )


def _check_member(district: District, staff: Staff) -> None:
    _check_same_district(district, staff)
    if not staff.is_active:
        raise DomainError("group.member_inactive", f"{staff} is not active.", field="staff")


def _check_group(district: District, data: dict[str, Any], goals) -> None:
    school, year = data.get("school"), data.get("school_year")
    _check_same_district(district, school, year)
    if year is None:
        raise DomainError("group.year_required", "Choose the school year.", field="school_year")
    _check_facilitator(district, school, data.get("facilitator"))
    _check_goals(district, school, year, goals)


def _add_member(group: Group, staff: Staff, *, actor, comment: str = "") -> Membership:
    return _add_members(group, [staff], actor=actor, comment=comment)[0]


def _add_members(
    group: Group, people: list[Staff], *, actor, comment: str = ""
) -> list[Membership]:
    """Add people (each once) together: one query finds their schools, one writes them, one
    their audit events."""
    for staff in people:
        _check_member(group.district, staff)
    today = group.district.today()
    homes = home_units(people, today)
    memberships = [
        Membership(
            district=group.district,
            group=group,
            staff=staff,
            school=homes[staff.pk][0],
            joined_on=today,
        )
        for staff in people
    ]
    try:
        with transaction.atomic():
            Membership.objects.bulk_create(memberships)
    except IntegrityError as exc:
        there = set(
            Membership.objects.filter(group=group, staff__in=people).values_list(
                "staff_id", flat=True
            )
        )
        staff = next((s for s in people if s.pk in there), None)
        if staff is None:
            raise  # not a membership that exists already: nobody to name
        raise Conflict("group.already_member", f"{staff} is already a member.") from exc
    trail.record_many(
        district=group.district,
        actor=actor,
        events=[
            {
                "action": trail.Action.CREATE,
                "obj": membership,
                "changes": diff({}, snapshot(membership, ["group", "staff", "school"])),
                "comment": comment,
            }
            for membership in memberships
        ],
    )
    return memberships


@transaction.atomic
def group_create(
    *,
    district: District,
    actor,
    data: dict[str, Any],
    goals: list[Goal] | None = None,
    members: list[Staff] | None = None,
) -> Group:
    """A new group. `data` holds GROUP_FIELDS (school None for a cross-school group); the
    facilitator becomes its first member, then `members` join."""
    data = _stripped(data, ["name", "focus", "schedule", "meeting_link"])
    _check_group(district, data, goals)
    group = Group(
        district=district,
        created_by=actor if getattr(actor, "pk", None) else None,
        **{k: v for k, v in data.items() if k in GROUP_FIELDS},
    )
    audited_create(group, actor=actor, audited=GROUP_FIELDS)
    if goals:
        group.goals.set(goals)
        _audit_goals(group, actor, [], goals)
    people = [group.facilitator, *[m for m in members or [] if m.pk != group.facilitator_id]]
    _add_members(group, list({p.pk: p for p in people}.values()), actor=actor)
    return group


def _audit_goals(group: Group, actor, before, after) -> None:
    old, new = sorted(g.code for g in before), sorted(g.code for g in after)
    if old != new:
        audit_event(
            district=group.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=group,
            changes={"goals": [old, new]},
        )


@transaction.atomic
def group_update(
    *, group: Group, actor, data: dict[str, Any], goals: list[Goal] | None = None
) -> Group:
    """Change a group's fields (any of GROUP_FIELDS) and, when given, the goals it serves. A new
    facilitator becomes a member."""
    locked = _locked(group)
    data = _stripped(data, ["name", "focus", "schedule", "meeting_link"])
    merged = {name: data.get(name, getattr(locked, name)) for name in GROUP_FIELDS}
    _check_group(locked.district, merged, goals)
    if goals is None and ("school" in data or "school_year" in data):
        _check_goals(
            locked.district, merged["school"], merged["school_year"], list(locked.goals.all())
        )
    updated = audited_update(locked, actor=actor, fields=GROUP_FIELDS, data=data)
    if goals is not None:
        before = list(updated.goals.all())
        updated.goals.set(goals)
        _audit_goals(updated, actor, before, goals)
    if not Membership.objects.filter(group=updated, staff=updated.facilitator).exists():
        _add_member(updated, updated.facilitator, actor=actor, comment="Facilitator")
    return updated


@transaction.atomic
def member_add(*, group: Group, actor, staff: Staff) -> Membership:
    """Add a member; their school is recorded as of today."""
    return _add_member(_locked(group), staff, actor=actor)


def _remove_member(group: Group, staff: Staff, *, actor, comment: str = "") -> None:
    locked = _locked(group)
    if locked.facilitator_id == staff.pk:
        raise DomainError(
            "group.facilitator_member",
            f"{staff} facilitates the group; name another facilitator first.",
            field="staff",
        )
    membership = Membership.objects.filter(group=locked, staff=staff).first()
    if membership is None:
        raise DomainError("group.not_member", f"{staff} is not a member.", field="staff")
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=membership,
        comment=comment,
    )
    membership.delete()


@transaction.atomic
def member_remove(*, group: Group, actor, staff: Staff) -> None:
    """Remove a member (never the facilitator). Their attendance and reflections stay."""
    _remove_member(group, staff, actor=actor)


@transaction.atomic
def group_join(*, group: Group, actor, staff: Staff) -> Membership:
    """A school leader joins a group they follow."""
    return _add_member(_locked(group), staff, actor=actor, comment="Joined")


@transaction.atomic
def group_leave(*, group: Group, actor, staff: Staff) -> None:
    """A member leaves (the facilitator names another first)."""
    _remove_member(group, staff, actor=actor, comment="Left")


@transaction.atomic
def group_stage(*, group: Group, actor, to: str, note: str = "") -> Group:
    """Move the group to another stage of the cycle of inquiry, forward or back."""
    locked = _locked(group)
    if to not in Stage.values:
        raise DomainError("group.stage_invalid", "Choose a stage of the cycle.", field="stage")
    if to == locked.stage:
        raise DomainError(
            "group.stage_same", f"The group is already at {Stage(to).label}.", field="stage"
        )
    return move(locked, actor=actor, to=to, field="stage", note=note.strip())


@transaction.atomic
def group_close(*, group: Group, actor, closed_on: date | None = None, note: str = "") -> Group:
    """End the cycle. Needs at least one evidence record, except for a book study."""
    locked = _locked(group)
    district = locked.district
    closed_on = closed_on or district.today()
    _not_future(district, closed_on, "group.close_future", "A cycle's end", "closed_on")
    if locked.kind != Group.Kind.BOOK_STUDY and not locked.evidence.exists():
        raise Conflict(
            "group.evidence_required",
            "Record the group's student-learning evidence before closing its cycle.",
        )
    return move(locked, actor=actor, to=Status.CLOSED, note=note.strip(), closed_on=closed_on)


@transaction.atomic
def group_reopen(*, group: Group, actor, note: str = "") -> Group:
    """Open a closed cycle again. Its effectiveness judgement is withdrawn."""
    locked = (
        Group.objects.select_for_update(of=("self",)).select_related("district").get(pk=group.pk)
    )
    if locked.status != Status.CLOSED:
        raise Conflict("group.not_closed", f"{locked}'s cycle is not closed.")
    return move(
        locked,
        actor=actor,
        to=Status.ACTIVE,
        note=note.strip(),
        closed_on=None,
        effectiveness="",
        effectiveness_note="",
        judged_by=None,
        judged_on=None,
    )


@transaction.atomic
def group_judge(*, group: Group, actor, by: Staff, effectiveness: str, note: str = "") -> Group:
    """A school leader's (or an administrator's) judgement of the group's effectiveness, on its
    evidence. Made at cycle end, so a closed group takes it too."""
    locked = (
        Group.objects.select_for_update(of=("self",)).select_related("district").get(pk=group.pk)
    )
    if effectiveness not in JUDGEMENTS:
        raise DomainError(
            "group.judgement_invalid",
            "Choose effective, partly effective or not effective.",
            field="effectiveness",
        )
    if not locked.evidence.exists():
        raise Conflict(
            "group.no_evidence", "The group has recorded no evidence to judge its work on yet."
        )
    _check_same_district(locked.district, by)
    return audited_update(
        locked,
        actor=actor,
        fields=["effectiveness", "effectiveness_note", "judged_by", "judged_on"],
        data={
            "effectiveness": effectiveness,
            "effectiveness_note": note.strip(),
            "judged_by": by,
            "judged_on": locked.district.today(),
        },
    )
