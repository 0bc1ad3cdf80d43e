"""Writes for external hours: learning outside the catalogue, entered by the person with
evidence and decided by their supervisor (the principal of their school, or the director of
their program; district administrators decide for anyone, and for people with neither).

    submitted → approved
              → returned (with a comment) → corrected and resubmitted
              → withdrawn (by the author) → corrected and resubmitted

Only approved entries count on the transcript. Nobody decides their own. An evidence file is
optional: a PDF, PNG or JPEG of at most 10 MB, recognised by its first bytes as every upload
is (`cadre.core.attachments`).
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog.models import Category, ExternalHours
from cadre.core import attachments
from cadre.core.errors import DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_update, lock, move
from cadre.districts.models import Staff
from cadre.growth.services import _year_of, home_unit

Status = ExternalHours.Status
FIELDS = ["title", "provider", "completed_on", "hours", "category", "evidence"]
AUDITED = [*FIELDS, "school_year"]
CENT = Decimal("0.01")
MAX_HOURS = Decimal("9999.99")  # the column holds 6 digits, 2 of them after the point
EDITABLE = (Status.RETURNED, Status.WITHDRAWN)


def _file(entry: ExternalHours) -> dict[str, Any]:
    """The file as the audit trail records it: its stored name."""
    return {"file": entry.file.name or None}


def _store(entry: ExternalHours, upload, kind: str) -> None:
    attachments.store(entry.file, upload, kind, fallback="evidence")
    entry.file_type = kind


def _clean(district, data: dict[str, Any], partial: bool = False) -> dict[str, Any]:
    """The entry's fields from a form or a body, checked; `partial` keeps only those named."""
    out: dict[str, Any] = {}
    names = [k for k in FIELDS if k in data] if partial else FIELDS
    for name in names:
        value = data.get(name)
        if name in ("title", "provider", "evidence"):
            out[name] = (value or "").strip()
        else:
            out[name] = value
    if "title" in out and not out["title"]:
        raise DomainError("external_hours.title", "Say what the learning was.", field="title")
    if "evidence" in out and not out["evidence"]:
        raise DomainError(
            "external_hours.evidence",
            "Describe the evidence: a certificate number, an agenda, a transcript.",
            field="evidence",
        )
    if "completed_on" in out:
        on = out["completed_on"]
        if not isinstance(on, date):
            raise DomainError(
                "external_hours.date", "Give the date it was completed.", field="completed_on"
            )
        if on > district.today():
            raise DomainError(
                "external_hours.future",
                "Enter learning once it is completed; that date is still to come.",
                field="completed_on",
            )
    if "hours" in out:
        try:
            hours = Decimal(str(out["hours"])) if out["hours"] is not None else None
        except (InvalidOperation, ValueError) as exc:
            raise DomainError("external_hours.hours", "Give the hours.", field="hours") from exc
        if hours is None or not hours.is_finite() or hours <= 0 or hours > MAX_HOURS:
            raise DomainError(
                "external_hours.hours",
                f"Give the clock hours: more than 0 and at most {MAX_HOURS}.",
                field="hours",
            )
        if hours != hours.quantize(CENT):
            raise DomainError(
                "external_hours.hours", "Give the hours to the hundredth at most.", field="hours"
            )
        out["hours"] = hours.quantize(CENT)
    if "category" in out:
        out["category"] = out["category"] or Category.GENERAL
        if out["category"] not in Category.values:
            raise DomainError(
                "external_hours.category", "Choose general, equity or STEM.", field="category"
            )
    return out


def _only_author(entry: ExternalHours, actor, verb: str) -> None:
    if entry.staff.user_id != getattr(actor, "pk", None):
        raise DomainError("external_hours.not_author", f"Only the author may {verb} these hours.")


def _not_own(entry: ExternalHours, actor) -> None:
    if entry.staff.user_id == getattr(actor, "pk", None):
        raise DomainError(
            "external_hours.own", "Nobody decides their own hours; your supervisor does."
        )


@transaction.atomic
def external_hours_create(
    *, staff: Staff, actor, data: dict[str, Any], upload=None
) -> ExternalHours:
    """Enter and submit hours: the supervisor is the author's home unit today, the school year
    the one its date falls in."""
    district = staff.district
    clean = _clean(district, data)
    kind = attachments.sniff(upload) if upload is not None else ""
    school, program = home_unit(staff, district.today())
    entry = ExternalHours(
        district=district,
        staff=staff,
        school=school,
        program=program,
        school_year=_year_of(district, clean["completed_on"], "completed_on"),
        submitted_at=timezone.now(),
        status=Status.SUBMITTED,
        **clean,
    )
    if upload is not None:
        _store(entry, upload, kind)
    entry.full_clean(exclude=["district", "staff", "school_year", "file"])
    entry.save()
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=entry,
        changes=diff({}, {**snapshot(entry, AUDITED), **_file(entry)}),
    )
    return entry


def _editable(entry: ExternalHours, verb: str) -> ExternalHours:
    return lock(
        entry,
        *EDITABLE,
        code="external_hours.not_editable",
        verb=verb,
        related=("staff", "school_year"),
    )


@transaction.atomic
def external_hours_update(
    *,
    entry: ExternalHours,
    actor,
    data: dict[str, Any],
    upload=None,
    remove_file: bool = False,
) -> ExternalHours:
    """Correct returned or withdrawn hours (then submit them again). A new file replaces the
    old one; `remove_file` drops it."""
    locked = _editable(entry, "change")
    _only_author(locked, actor, "change")
    clean = _clean(locked.district, data, partial=True)
    kind = attachments.sniff(upload) if upload is not None else ""
    if "completed_on" in clean:
        clean["school_year"] = _year_of(locked.district, clean["completed_on"], "completed_on")
    before = _file(locked)
    if upload is not None:
        _store(locked, upload, kind)
    elif remove_file and locked.file:
        locked.file = ""
        locked.file_type = ""
    locked = audited_update(locked, actor=actor, fields=[*FIELDS, "school_year"], data=clean)
    file_changes = diff(before, _file(locked))
    if file_changes:
        locked.save()
        audit_event(
            district=locked.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=locked,
            changes=file_changes,
        )
    return locked


@transaction.atomic
def external_hours_submit(*, entry: ExternalHours, actor) -> ExternalHours:
    """Send returned or withdrawn hours back to the supervisor, who is found afresh: the
    person may have moved schools since."""
    locked = _editable(entry, "submit")
    _only_author(locked, actor, "submit")
    school, program = home_unit(locked.staff, locked.district.today())
    return move(
        locked,
        actor=actor,
        to=Status.SUBMITTED,
        submitted_at=timezone.now(),
        school=school,
        program=program,
        decided_at=None,
        decided_by=None,
    )


@transaction.atomic
def external_hours_withdraw(*, entry: ExternalHours, actor) -> ExternalHours:
    locked = lock(
        entry,
        Status.SUBMITTED,
        code="external_hours.not_submitted",
        verb="withdraw",
        related=("staff",),
    )
    _only_author(locked, actor, "withdraw")
    return move(locked, actor=actor, to=Status.WITHDRAWN)


@transaction.atomic
def external_hours_approve(*, entry: ExternalHours, actor) -> ExternalHours:
    locked = lock(
        entry,
        Status.SUBMITTED,
        code="external_hours.not_submitted",
        verb="approve",
        related=("staff",),
    )
    _not_own(locked, actor)
    return move(
        locked,
        actor=actor,
        to=Status.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
        comment="",
    )


@transaction.atomic
def external_hours_return(*, entry: ExternalHours, actor, comment: str) -> ExternalHours:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("external_hours.comment", "Say what to correct.", field="comment")
    locked = lock(
        entry,
        Status.SUBMITTED,
        code="external_hours.not_submitted",
        verb="return",
        related=("staff",),
    )
    _not_own(locked, actor)
    return move(
        locked,
        actor=actor,
        to=Status.RETURNED,
        note=comment,
        comment=comment,
        decided_at=timezone.now(),
        decided_by=actor,
    )
