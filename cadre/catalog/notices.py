"""The registration emails: confirmations, waitlist places, promotions, assignments, decisions,
cancellations, and the reminders before each meeting.

A `Notice` row records each confirmation, waitlisting, promotion, assignment and reminder; its
unique constraints stop a second sending, and it commits only with the sending, so a refused
send is tried again next time. Emails about a seat carry the session's `.ics`.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cadre.catalog.ical import session_ics
from cadre.catalog.models import Meeting, Notice, Registration, Session
from cadre.districts.models import District

Status = Registration.Status
# The notice kind that keeps each email from going twice (None: sent each time it happens).
NOTICE_KIND = {
    Status.REGISTERED: Notice.Kind.CONFIRMED,
    "approved": Notice.Kind.CONFIRMED,
    Status.WAITLISTED: Notice.Kind.WAITLISTED,
    "promoted": Notice.Kind.PROMOTED,
    "assigned": Notice.Kind.ASSIGNED,
}
WITH_CALENDAR = {Status.REGISTERED, "approved", "promoted", "assigned"}


_muted: ContextVar[bool] = ContextVar("catalog_notices_muted", default=False)


@contextmanager
def muted():
    """No registration emails inside: for bulk builds such as the demo, whose people have no
    inboxes. Reminders are not affected."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted() -> bool:
    return _muted.get()


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _when(session: Session) -> str:
    if not session.starts_at:
        return "Self-paced: work through the modules at your own pace."
    tz = session.district.tz
    start = session.starts_at.astimezone(tz)
    text = f"Starts {start:%A %-d %B %Y at %H:%M}"
    count = session.meetings.filter(starts_at__isnull=False).count()
    if count > 1:
        text += f" ({count} meetings)"
    return text + "."


def _subject_and_body(reg: Registration, kind: str) -> tuple[str, str]:
    session = reg.session
    name = str(session)
    tz = session.district.tz
    lines: list[str] = []
    if kind in (Status.REGISTERED, "approved"):
        subject = f"You are registered: {name}"
        lines.append(f"You are registered for {name}.")
        if kind == "approved":
            lines[0] = f"Your registration for {name} was approved. You are registered."
    elif kind == Status.REQUESTED:
        subject = f"Registration requested: {name}"
        approver = session.offering.get_approval_display().lower()
        lines.append(f"You asked to register for {name}. It now waits for approval by {approver}.")
    elif kind == Status.WAITLISTED:
        subject = f"You are on the waitlist: {name}"
        lines.append(
            f"{name} is full. You are number {reg.position} on the waitlist; we will email you "
            "if a seat frees."
        )
    elif kind == "promoted":
        if reg.status == Status.REQUESTED:
            subject = f"A seat freed, awaiting approval: {name}"
            lines.append(
                f"A seat freed in {name} and it is held for you. It waits for approval before you "
                "are registered."
            )
        else:
            subject = f"A seat freed: you are registered for {name}"
            lines.append(
                f"A seat freed in {name}. You moved up from the waitlist and are registered."
            )
    elif kind == "assigned":
        subject = f"Required learning: {name}"
        lines.append(
            f"You have been assigned to {name}. It is required; you are registered and it is on "
            "your learning page."
        )
    elif kind == "denied":
        subject = f"Registration not approved: {name}"
        lines.append(f"Your request to register for {name} was not approved.")
        if reg.reason:
            lines.append(f"Reason: {reg.reason}")
    elif kind == "cancelled":
        subject = f"Registration cancelled: {name}"
        lines.append(f"Your registration for {name} was cancelled.")
        if reg.reason:
            lines.append(f"Reason: {reg.reason}")
    elif kind == "session_cancelled":
        subject = f"Session cancelled: {name}"
        lines.append(f"{name} was cancelled, and your registration with it.")
    else:
        raise ValueError(f"Unknown notice {kind!r}")
    if kind not in ("denied", "cancelled", "session_cancelled"):
        lines.append(_when(session))
        if session.cancel_by and reg.status != Status.WAITLISTED:
            lines.append(
                f"You can cancel until {session.cancel_by.astimezone(tz):%-d %B %Y, %H:%M}."
            )
    lines.append(f"Details: {_link(reverse('registration-detail', args=[reg.pk]))}")
    body = (
        f"Hello {reg.staff.first_name},\n\n"
        + "\n\n".join(lines)
        + f"\n\n— {session.district.name}, through Cadre"
    )
    return subject, body


def _message(reg: Registration, kind: str) -> EmailMessage:
    subject, body = _subject_and_body(reg, kind)
    message = EmailMessage(subject=subject, body=body, to=[reg.staff.email])
    if kind in WITH_CALENDAR and reg.session.starts_at:
        message.attach(f"session-{reg.session_id}.ics", session_ics(reg.session), "text/calendar")
    return message


def send_registration_notice(registration_id: int, kind: str) -> bool:
    """Send one registration email; False when there is nobody to send to or it went already."""
    reg = (
        Registration.objects.select_related(
            "staff", "session__offering", "session__district", "district"
        )
        .filter(pk=registration_id)
        .first()
    )
    if reg is None or not reg.staff.email:
        return False
    message = _message(reg, kind)
    notice = NOTICE_KIND.get(kind)
    with transaction.atomic():
        if notice is not None:
            try:
                with transaction.atomic():
                    Notice.objects.create(district=reg.district, registration=reg, kind=notice)
            except IntegrityError:
                return False
        message.send()
    return True


# --- reminders before each meeting ------------------------------------------------------------


def due_meetings(district: District, now=None):
    """Timed meetings of scheduled sessions starting within the district's reminder window."""
    now = now or timezone.now()
    horizon = now + timedelta(hours=district.catalog_reminder_hours)
    return Meeting.objects.filter(
        district=district,
        starts_at__gt=now,
        starts_at__lte=horizon,
        session__status=Session.Status.SCHEDULED,
    ).select_related("session__offering", "session__district")


@transaction.atomic
def send_meeting_reminders(district: District, now=None) -> int:
    """Email each registered person about their meetings starting soon, once per meeting.
    The notices commit only with the sending: if the mail server refuses, the next run tries
    again."""
    if not district.catalog_reminder_hours:
        return 0
    meetings = {m.pk: m for m in due_meetings(district, now)}
    if not meetings:
        return 0
    sessions = {m.session_id for m in meetings.values()}
    regs = list(
        Registration.objects.filter(session_id__in=sessions, status=Status.REGISTERED)
        .exclude(staff__email="")
        .select_related("staff")
        .order_by("pk")
    )
    done = set(
        Notice.objects.filter(
            registration__in=regs, meeting_id__in=list(meetings), kind=Notice.Kind.REMINDER
        ).values_list("registration_id", "meeting_id")
    )
    calendars: dict[int, bytes] = {}
    messages = []
    tz = district.tz
    for meeting in sorted(meetings.values(), key=lambda m: (m.starts_at, m.pk)):
        session = meeting.session
        for reg in (r for r in regs if r.session_id == session.pk):
            if (reg.pk, meeting.pk) in done:
                continue
            try:
                with transaction.atomic():
                    Notice.objects.create(
                        district=district,
                        registration=reg,
                        meeting=meeting,
                        kind=Notice.Kind.REMINDER,
                    )
            except IntegrityError:  # a run at the same moment took it
                continue
            start = meeting.starts_at.astimezone(tz)
            where = meeting.location or session.location
            lines = [
                f"Hello {reg.staff.first_name},",
                f"A reminder: {session} meets {start:%A %-d %B at %H:%M}"
                f" until {meeting.ends_at.astimezone(tz):%H:%M}.",
            ]
            if where:
                lines.append(f"Where: {where}")
            if meeting.join_url:
                lines.append(f"Join: {meeting.join_url}")
            lines.append(f"Details: {_link(reverse('registration-detail', args=[reg.pk]))}")
            lines.append(f"— {district.name}, through Cadre")
            message = EmailMessage(
                subject=f"Reminder: {session}, {start:%a %-d %b %H:%M}",
                body="\n\n".join(lines),
                to=[reg.staff.email],
            )
            if session.pk not in calendars:
                calendars[session.pk] = session_ics(session)
            message.attach(f"session-{session.pk}.ics", calendars[session.pk], "text/calendar")
            messages.append(message)
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
