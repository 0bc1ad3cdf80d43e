"""Writes for group meetings: recording a meeting with its attendance, its student-work files,
and the members' reflections.

- Meetings are recorded once held: not in the future, within the group's school year.
  Attendance is kept for every current member, present or absent.
- Student work is described without student names; attachments are PDF, PNG or JPEG files,
  recognised by their first bytes (`cadre.core.attachments`).
- A reflection is a member's own, one per meeting; saving again edits it.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Subquery

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.collaboration.models import (
    Attendance,
    Group,
    Meeting,
    Membership,
    Reflection,
    WorkSample,
)
from cadre.collaboration.services.common import _locked, _not_future, _stripped
from cadre.core import attachments
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_update, known_keys, validate
from cadre.districts.models import Staff
from cadre.districts.services import _check_same_district

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


def _day(on: date) -> str:
    return f"{on:%-d %B %Y}"


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
    rows = (
        {}  # a new meeting has no register yet
        if creating
        else {
            a.staff_id: a
            for a in Attendance.objects.filter(meeting=meeting).select_related("staff")
        }
    )
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
    validate(meeting, ["district"], trusted=known_keys(meeting))
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
    # One query: whether they are a member, and which reflection is theirs (if they wrote one).
    mine = Reflection.objects.filter(meeting=meeting, staff=staff).values("pk")[:1]
    found = (
        Membership.objects.filter(group_id=meeting.group_id, staff=staff)
        .values_list(Subquery(mine))
        .first()
    )
    if found is None:
        raise DomainError(
            "reflection.not_member", f"{staff} is not a member of {meeting.group}.", field="text"
        )
    reflection = Reflection.objects.get(pk=found[0]) if found[0] else None
    created = reflection is None
    if created:
        reflection = Reflection(district=meeting.district, meeting=meeting, staff=staff)
    elif reflection.text == text:
        return reflection
    reflection.text = text
    # The meeting is the caller's row, and the lookup above is the one-per-member check: the
    # database's constraint catches a reflection saved meanwhile (below).
    validate(reflection, ["district", "meeting"], trusted=known_keys(reflection))
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
