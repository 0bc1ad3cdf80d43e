"""Writes for small groups, one function per business action. Every write is audited; a
refusal is a `DomainError` (400) or a `Conflict` (409) with a short code.

Rules these functions hold (access, who may call them, is decided by `rules.py` before):

- A group, its members and facilitator belong to one district. A school group's facilitator
  works at that school, or holds a district-wide or program assignment (a district coach);
  the facilitator is always a member, and cannot be removed or leave while facilitating.
- A member's school is recorded as it is when they join (their first current school
  assignment), so the leaders of every school a cross-school group serves can follow it.
- A closed group refuses every change (`group.closed`) until it is reopened, except the
  effectiveness judgement, which is made at cycle end. Closing needs at least one evidence
  record, except for a book study (it studies a text, not student work). Reopening withdraws
  the judgement, since the evidence it rested on can change again.
- Meetings are recorded once held: not in the future, within the group's school year.
  Attendance is kept for every current member, present or absent.
- Student work is described without student names; attachments are PDF, PNG or JPEG files,
  recognised by their first bytes (`cadre.core.attachments`).
- A reflection is a member's own, one per meeting; saving again edits it.
- A research lesson moves planning → taught (its date, teacher and observers named) →
  debriefed (the debrief written) → revised (the revision written), one step forward at a
  time, or back to any earlier step.
- Check-ins and meetings are never dated in the future. Evidence counts at least one student;
  its figures are shown only for `district.min_group_size` students or more (selectors).
- The text people write (agendas, student work, decisions, reflections, check-in notes) stays
  out of the audit trail, which records the dates, numbers and choices, and the names of the
  text fields that changed.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
    ResearchLesson,
    WorkSample,
)
from cadre.core import attachments
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_create, audited_update, move
from cadre.districts.models import Assignment, District, School, SchoolYear, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.growth.services import home_unit
from cadre.planning.models import Goal, StrategicPlan

Status = Group.Status
Stage = Group.Stage
LessonStage = ResearchLesson.Stage
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
MEETING_FIELDS = [
    "held_on",
    "minutes",
    "agenda",
    "protocol",
    "student_work",
    "decisions",
    "next_steps",
]
MEETING_AUDITED = ["group", "held_on", "minutes", "protocol"]
MEETING_TEXT = ["agenda", "student_work", "decisions", "next_steps"]
LESSON_FIELDS = ["title", "goal", "plan", "teacher", "taught_on", "debrief", "revision"]
LESSON_AUDITED = ["group", "title", "teacher", "taught_on"]
LESSON_TEXT = ["goal", "plan", "debrief", "revision"]
CHECK_IN_FIELDS = ["held_on", "needs_changed", "adjustments", "resources"]
CHECK_IN_AUDITED = ["group", "held_on", "by", "needs_changed"]
CHECK_IN_TEXT = ["adjustments", "resources"]
EVIDENCE_FIELDS = ["measure", "unit", "before", "after", "students", "note"]
JUDGEMENTS = (Effectiveness.EFFECTIVE, Effectiveness.PARTLY, Effectiveness.NOT_EFFECTIVE)


# --- shared checks ---------------------------------------------------------------------------


def _day(on: date) -> str:
    return f"{on:%-d %B %Y}"


def check_open(group: Group) -> None:
    """Refuse any change to a closed group."""
    if group.status == Status.CLOSED:
        raise Conflict("group.closed", f"{group}'s cycle is closed; reopen it to change it.")


def _locked(group: Group) -> Group:
    """The group's row, locked for this transaction, and open."""
    locked = (
        Group.objects.select_for_update(of=("self",))
        .select_related("district", "school_year")
        .get(pk=group.pk)
    )
    check_open(locked)
    return locked


def _not_future(district: District, on: date | None, code: str, what: str, field: str) -> None:
    if on is not None and on > district.today():
        raise DomainError(code, f"{what} is recorded once it has happened.", field=field)


def _stripped(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) and k in names else v) for k, v in data.items()}


# --- groups ----------------------------------------------------------------------------------


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
    _check_member(group.district, staff)
    school, _ = home_unit(staff, group.district.today())
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                district=group.district,
                group=group,
                staff=staff,
                school=school,
                joined_on=group.district.today(),
            )
    except IntegrityError as exc:
        raise Conflict("group.already_member", f"{staff} is already a member.") from exc
    audit_event(
        district=group.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=membership,
        changes=diff({}, snapshot(membership, ["group", "staff", "school"])),
        comment=comment,
    )
    return membership


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
    for person in {p.pk: p for p in people}.values():
        _add_member(group, person, actor=actor)
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


# --- meetings --------------------------------------------------------------------------------


def _check_meeting(group: Group, data: dict[str, Any]) -> None:
    held_on = data.get("held_on")
    if held_on is None:
        raise DomainError(
            "group_meeting.date_required", "Give the meeting's date.", field="held_on"
        )
    _not_future(group.district, held_on, "group_meeting.future", "A meeting", "held_on")
    year = group.school_year
    if not year.start_date <= held_on <= year.end_date:
        raise DomainError(
            "group_meeting.outside_year",
            f"The group meets in {year} ({_day(year.start_date)} to {_day(year.end_date)}).",
            field="held_on",
        )


def _set_attendance(meeting: Meeting, present: list[Staff], *, creating: bool) -> dict:
    """Attendance for every current member (and anyone already on the meeting's register):
    present when named. Returns the audit change of who was present."""
    members = {m.staff_id: m.staff for m in meeting.group.memberships.select_related("staff")}
    rows = {
        a.staff_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("staff")
    }
    names = {pk: str(s) for pk, s in members.items()} | {pk: str(a.staff) for pk, a in rows.items()}
    allowed = set(members) | set(rows)
    wanted = {s.pk for s in present}
    strangers = [s for s in present if s.pk not in allowed]
    if strangers:
        raise DomainError(
            "group_meeting.not_member",
            f"{strangers[0]} is not a member of {meeting.group}.",
            field="present",
        )
    before = sorted(names[a.staff_id] for a in rows.values() if a.present)
    changed = [a for a in rows.values() if a.present != (a.staff_id in wanted)]
    for row in changed:
        row.present = row.staff_id in wanted
    Attendance.objects.bulk_update(changed, ["present"])
    Attendance.objects.bulk_create(
        Attendance(
            district=meeting.district,
            meeting=meeting,
            staff_id=pk,
            present=pk in wanted,
        )
        for pk in members
        if pk not in rows
    )
    after = sorted(names[pk] for pk in wanted)
    if creating or before != after:
        return {"present": [None if creating else before, after]}
    return {}


@transaction.atomic
def meeting_create(
    *,
    group: Group,
    actor,
    data: dict[str, Any],
    present: list[Staff],
    uploads: list | None = None,
    recorded_by: Staff | None = None,
) -> Meeting:
    """Record a held meeting: MEETING_FIELDS (minutes default to the group's usual length),
    the members `present` (the others are marked absent) and any student-work files."""
    locked = _locked(group)
    data = _stripped(data, MEETING_TEXT)
    _check_meeting(locked, data)
    if data.get("minutes") is None:
        data["minutes"] = locked.meeting_minutes
    _check_same_district(locked.district, recorded_by)
    meeting = Meeting(
        district=locked.district,
        group=locked,
        recorded_by=recorded_by,
        **{k: v for k, v in data.items() if k in MEETING_FIELDS},
    )
    meeting.full_clean(exclude=["district"])
    meeting.save()
    changes = diff({}, snapshot(meeting, MEETING_AUDITED))
    changes |= _set_attendance(meeting, present, creating=True)
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=meeting,
        changes=changes,
    )
    for upload in uploads or []:
        _add_sample(meeting, upload, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    actor,
    data: dict[str, Any],
    present: list[Staff] | None = None,
    uploads: list | None = None,
    remove_samples: list[WorkSample] | None = None,
) -> Meeting:
    """Change a meeting's fields, its attendance (when `present` is given), and its files."""
    group = _locked(meeting.group)
    data = _stripped(data, MEETING_TEXT)
    _check_meeting(group, {"held_on": data.get("held_on") or meeting.held_on})
    audited_update(
        meeting,
        actor=actor,
        data={k: v for k, v in data.items() if v is not None},
        fields=MEETING_FIELDS,
        audited=MEETING_AUDITED,
        private=MEETING_TEXT,
        also=_set_attendance(meeting, present, creating=False) if present is not None else {},
    )
    for sample in remove_samples or []:
        _remove_sample(sample, meeting=meeting, actor=actor)
    for upload in uploads or []:
        _add_sample(meeting, upload, actor=actor)
    return meeting


def _add_sample(meeting: Meeting, upload, *, actor) -> WorkSample:
    kind = attachments.sniff(upload)
    attachments.check_room(WorkSample.objects.filter(meeting=meeting).count(), holder="meeting")
    sample = WorkSample(
        district=meeting.district,
        meeting=meeting,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    sample.keep(upload, kind, fallback="student-work")
    sample.save()
    audit_event(
        district=meeting.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=sample,
        changes={
            "meeting": [None, str(meeting)],
            "name": [None, sample.name],
            "size": [None, sample.size],
        },
    )
    return sample


def _remove_sample(sample: WorkSample, *, meeting: Meeting, actor) -> None:
    if sample.meeting_id != meeting.pk:
        raise DomainError("work_sample.elsewhere", f"{sample} belongs to another meeting.")
    audit_event(district=sample.district, actor=actor, action=AuditEvent.Action.DELETE, obj=sample)
    # The stored file goes once the deletion commits: a rolled-back removal keeps it.
    storage, name = sample.file.storage, sample.file.name
    sample.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def work_sample_add(*, meeting: Meeting, actor, upload) -> WorkSample:
    """Attach a file of the student work examined: a PDF, PNG or JPEG of at most 10 MB."""
    _locked(meeting.group)
    return _add_sample(meeting, upload, actor=actor)


@transaction.atomic
def work_sample_remove(*, sample: WorkSample, actor) -> None:
    _locked(sample.meeting.group)
    _remove_sample(sample, meeting=sample.meeting, actor=actor)


@transaction.atomic
def reflection_save(*, meeting: Meeting, actor, staff: Staff, text: str) -> Reflection:
    """A member's own reflection on a meeting: written the first time, edited after."""
    _locked(meeting.group)
    text = (text or "").strip()
    if not text:
        raise DomainError("reflection.empty", "Write your reflection.", field="text")
    if not Membership.objects.filter(group_id=meeting.group_id, staff=staff).exists():
        raise DomainError(
            "reflection.not_member", f"{staff} is not a member of {meeting.group}.", field="text"
        )
    reflection = Reflection.objects.filter(meeting=meeting, staff=staff).first()
    created = reflection is None
    if created:
        reflection = Reflection(district=meeting.district, meeting=meeting, staff=staff)
    elif reflection.text == text:
        return reflection
    reflection.text = text
    reflection.full_clean(exclude=["district"])
    try:
        with transaction.atomic():
            reflection.save()
    except IntegrityError as exc:
        raise Conflict("reflection.exists", "Your reflection was saved meanwhile.") from exc
    audit_event(
        district=meeting.district,
        actor=actor,
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        obj=reflection,
        changes=diff({}, snapshot(reflection, ["meeting", "staff"])) if created else {},
        comment="" if created else "Changed: text",
    )
    return reflection


# --- research lessons ------------------------------------------------------------------------

LESSON_ORDER = list(LessonStage.values)
NULLABLE = {"teacher", "taught_on"}


def _check_lesson_stage(lesson: ResearchLesson, stage: str, observers: list[Staff]) -> None:
    """What a research lesson needs to stand at `stage` (and every step before it)."""
    at = LESSON_ORDER.index(stage)
    if at >= LESSON_ORDER.index(LessonStage.TAUGHT):
        if lesson.taught_on is None or lesson.teacher_id is None or not observers:
            raise DomainError(
                "lesson.taught_incomplete",
                "A public lesson taught has its date, its teacher and at least one observer.",
                field="taught_on" if lesson.taught_on is None else "observers",
            )
        _not_future(
            lesson.district, lesson.taught_on, "lesson.future", "A public lesson", "taught_on"
        )
    if at >= LESSON_ORDER.index(LessonStage.DEBRIEFED) and not lesson.debrief.strip():
        raise DomainError(
            "lesson.debrief_required", "Write what the debrief found first.", field="debrief"
        )
    if at >= LESSON_ORDER.index(LessonStage.REVISED) and not lesson.revision.strip():
        raise DomainError(
            "lesson.revision_required", "Write the revision of the lesson first.", field="revision"
        )


def _check_lesson_people(group: Group, teacher: Staff | None, observers: list[Staff]) -> None:
    _check_same_district(group.district, teacher, *observers)
    if teacher is not None and not group.memberships.filter(staff=teacher).exists():
        raise DomainError(
            "lesson.teacher_not_member",
            f"{teacher} is not a member of {group}; the public lesson is taught by a member.",
            field="teacher",
        )


def _save_observers(lesson: ResearchLesson, actor, before: list[Staff], after: list[Staff]):
    old, new = sorted(str(s) for s in before), sorted(str(s) for s in after)
    if old != new:
        lesson.observers.set(after)
        audit_event(
            district=lesson.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=lesson,
            changes={"observers": [old, new]},
        )


@transaction.atomic
def research_lesson_create(
    *, group: Group, actor, data: dict[str, Any], observers: list[Staff] | None = None
) -> ResearchLesson:
    """A research lesson of a lesson-study group, at the planning stage."""
    locked = _locked(group)
    if locked.kind != Group.Kind.LESSON_STUDY:
        raise DomainError("lesson.not_lesson_study", f"{locked} is not a lesson-study group.")
    data = _stripped(data, ["title", *LESSON_TEXT])
    observers = list(observers or [])
    _check_lesson_people(locked, data.get("teacher"), observers)
    _not_future(
        locked.district, data.get("taught_on"), "lesson.future", "A public lesson", "taught_on"
    )
    lesson = ResearchLesson(
        district=locked.district,
        group=locked,
        **{k: v for k, v in data.items() if k in LESSON_FIELDS},
    )
    audited_create(lesson, actor=actor, audited=LESSON_AUDITED)
    _save_observers(lesson, actor, [], observers)
    return lesson


@transaction.atomic
def research_lesson_update(
    *,
    lesson: ResearchLesson,
    actor,
    data: dict[str, Any],
    observers: list[Staff] | None = None,
) -> ResearchLesson:
    """Change a research lesson; what its stage needs must still be there."""
    locked_group = _locked(lesson.group)
    lesson = ResearchLesson.objects.select_for_update(of=("self",)).get(pk=lesson.pk)
    data = _stripped(data, ["title", *LESSON_TEXT])
    current = list(lesson.observers.all())
    after = current if observers is None else list(observers)
    teacher = data.get("teacher", lesson.teacher)
    _check_lesson_people(locked_group, teacher, after)

    def check(lesson: ResearchLesson) -> None:
        _not_future(
            lesson.district, lesson.taught_on, "lesson.future", "A public lesson", "taught_on"
        )
        _check_lesson_stage(lesson, lesson.stage, after)

    audited_update(
        lesson,
        actor=actor,
        data={k: "" if v is None and k not in NULLABLE else v for k, v in data.items()},
        fields=LESSON_FIELDS,
        audited=LESSON_AUDITED,
        private=LESSON_TEXT,
        check=check,
    )
    _save_observers(lesson, actor, current, after)
    return lesson


@transaction.atomic
def research_lesson_stage(
    *, lesson: ResearchLesson, actor, to: str, note: str = ""
) -> ResearchLesson:
    """One step forward (with what that step needs), or back to any earlier step."""
    _locked(lesson.group)
    locked = (
        ResearchLesson.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=lesson.pk)
    )
    if to not in LESSON_ORDER:
        raise DomainError("lesson.stage_invalid", "Choose a stage.", field="stage")
    here, there = LESSON_ORDER.index(locked.stage), LESSON_ORDER.index(to)
    if there == here:
        raise DomainError(
            "lesson.stage_same",
            f"The lesson is already {LessonStage(to).label.lower()}.",
            field="stage",
        )
    if there > here + 1:
        raise Conflict(
            "lesson.stage_skip",
            f"The lesson is {locked.get_stage_display().lower()}; it moves to "
            f"{LessonStage(LESSON_ORDER[here + 1]).label.lower()} next.",
        )
    if there > here:
        _check_lesson_stage(locked, to, list(locked.observers.all()))
    return move(locked, actor=actor, to=to, field="stage", note=note.strip())


# --- check-ins -------------------------------------------------------------------------------


@transaction.atomic
def check_in_create(*, group: Group, actor, by: Staff, data: dict[str, Any]) -> CheckIn:
    """A school leader's check-in with a group: its date (not in the future), whether the
    group's needs have changed, the adjustments and the resources asked for."""
    locked = _locked(group)
    _check_same_district(locked.district, by)
    data = _stripped(data, CHECK_IN_TEXT)
    if data.get("held_on") is None:
        raise DomainError(
            "group_check_in.date_required", "Give the check-in's date.", field="held_on"
        )
    _not_future(locked.district, data["held_on"], "group_check_in.future", "A check-in", "held_on")
    check_in = CheckIn(
        district=locked.district,
        group=locked,
        by=by,
        **{k: v for k, v in data.items() if k in CHECK_IN_FIELDS},
    )
    audited_create(check_in, actor=actor, audited=CHECK_IN_AUDITED)
    return check_in


@transaction.atomic
def check_in_update(*, check_in: CheckIn, actor, data: dict[str, Any]) -> CheckIn:
    _locked(check_in.group)
    data = _stripped(data, CHECK_IN_TEXT)
    if "held_on" in data:
        if data["held_on"] is None:
            raise DomainError(
                "group_check_in.date_required", "Give the check-in's date.", field="held_on"
            )
        _not_future(
            check_in.district, data["held_on"], "group_check_in.future", "A check-in", "held_on"
        )
    return audited_update(
        check_in,
        actor=actor,
        data=data,
        fields=CHECK_IN_FIELDS,
        audited=CHECK_IN_AUDITED,
        private=CHECK_IN_TEXT,
    )


# --- evidence --------------------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except Exception as exc:  # InvalidOperation, TypeError
        raise DomainError("evidence.number", "Give a number.", field=field) from exc
    if not number.is_finite():
        raise DomainError("evidence.number", "Give a number.", field=field)
    return number


@transaction.atomic
def evidence_add(
    *, group: Group, actor, data: dict[str, Any], recorded_by: Staff | None = None
) -> Evidence:
    """A student-learning measure at cycle end: `measure`, `unit`, `before`, `after`, the
    number of `students` measured (at least one) and a note. Aggregated figures only."""
    locked = _locked(group)
    data = _stripped(data, ["measure", "unit", "note"])
    try:
        students = int(data.get("students"))
    except (TypeError, ValueError):
        students = 0
    data["students"] = students
    if students < 1:
        raise DomainError(
            "evidence.students",
            "Give the number of students measured (at least 1).",
            field="students",
        )
    for name in ("before", "after"):
        if data.get(name) is None:
            raise DomainError("evidence.number", "Give a number.", field=name)
        data[name] = _decimal(data[name], name)
    _check_same_district(locked.district, recorded_by)
    return _create(
        Evidence,
        district=locked.district,
        actor=actor,
        fields=[*EVIDENCE_FIELDS, "group", "recorded_by"],
        data={**data, "group": locked, "recorded_by": recorded_by},
    )


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    _locked(evidence.group)
    audit_event(
        district=evidence.district, actor=actor, action=AuditEvent.Action.DELETE, obj=evidence
    )
    evidence.delete()
