"""Reads for attendance and completion: the roster of a meeting, a registration's modules,
completions for certificates, and the public verification of a certificate's code. Every read
starts from `access.visible`, except the public lookup by code, which shows only what a
certificate shows."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from cadre.catalog.models import (
    CODE_ALPHABET,
    Attendance,
    Completion,
    Meeting,
    Registration,
    Session,
)
from cadre.catalog.services.attendance import ATTENDING
from cadre.districts import access
from cadre.districts.access import Actor

VERIFICATION_CODE_LENGTH = 12


def session_for_roster(actor: Actor, pk: int) -> Session:
    return access.get_visible_or_404(
        actor, Session.objects.select_related("offering", "school_year", "district"), pk=pk
    )


def meeting_for(actor: Actor, pk: int) -> Meeting:
    return access.get_visible_or_404(
        actor, Meeting.objects.select_related("session__offering", "district"), pk=pk
    )


def scheduled_meetings(session: Session) -> list[Meeting]:
    return list(session.meetings.filter(starts_at__isnull=False).order_by("starts_at", "id"))


def pick_meeting(meetings: list[Meeting], pk: int | None, now: datetime | None = None):
    """The meeting asked for; else the one under way, else the next, else the last."""
    if not meetings:
        return None
    if pk is not None:
        return next((m for m in meetings if m.pk == pk), None)
    now = now or timezone.now()
    for m in meetings:
        if m.ends_at >= now:
            return m
    return meetings[-1]


@dataclass
class RosterRow:
    registration: Registration
    attendance: Attendance | None

    @property
    def present(self) -> bool:
        return self.attendance is not None and self.attendance.present

    @property
    def marked(self) -> bool:
        return self.attendance is not None


def roster(actor: Actor, meeting: Meeting) -> list[RosterRow]:
    """Everyone attending the meeting's session, by name, with their attendance at it."""
    registrations = (
        access.visible(actor, Registration)
        .filter(session_id=meeting.session_id, status__in=ATTENDING)
        .select_related("staff", "school", "program")
        .prefetch_related(
            Prefetch(
                "attendance",
                Attendance.objects.filter(meeting=meeting).order_by(),
                to_attr="at_meeting",
            )
        )
        .order_by("staff__last_name", "staff__first_name", "id")
    )
    return [RosterRow(r, r.at_meeting[0] if r.at_meeting else None) for r in registrations]


def roster_counts(actor: Actor, meeting: Meeting) -> dict:
    """Present, absent and not yet marked, for the roster's heading (two queries)."""
    total = (
        access.visible(actor, Registration)
        .filter(session_id=meeting.session_id, status__in=ATTENDING)
        .count()
    )
    marks = Attendance.objects.filter(
        meeting=meeting,
        registration__in=access.visible(actor, Registration).filter(
            session_id=meeting.session_id, status__in=ATTENDING
        ),
    ).aggregate(present=Count("pk", filter=Q(present=True)), marked=Count("pk"))
    present, absent = marks["present"], marks["marked"] - marks["present"]
    return {"present": present, "absent": absent, "unmarked": total - present - absent}


def roster_row(actor: Actor, meeting: Meeting, registration_id: int) -> RosterRow | None:
    reg = (
        access.visible(actor, Registration)
        .filter(session_id=meeting.session_id, pk=registration_id)
        .select_related("staff", "school", "program")
        .first()
    )
    if reg is None:
        return None
    return RosterRow(reg, Attendance.objects.filter(meeting=meeting, registration=reg).first())


def registration_for(actor: Actor, pk: int) -> Registration:
    return access.get_visible_or_404(
        actor,
        Registration.objects.select_related(
            "session__offering", "session__school_year", "staff", "district"
        ),
        pk=pk,
    )


@dataclass
class ModuleRow:
    meeting: Meeting
    attendance: Attendance | None

    @property
    def attested(self) -> bool:
        return self.attendance is not None and self.attendance.present


def modules(registration: Registration) -> list[ModuleRow]:
    """The session's modules (meetings without a time), each with the registrant's
    attestation if any."""
    mods = list(
        registration.session.meetings.filter(starts_at__isnull=True).order_by("title", "id")
    )
    marks = {
        a.meeting_id: a
        for a in Attendance.objects.filter(registration=registration, meeting__in=mods)
    }
    return [ModuleRow(m, marks.get(m.pk)) for m in mods]


def completion_for(actor: Actor, registration_id: int) -> Completion:
    """The completion of a completed registration the caller may see, else 404."""
    return access.get_visible_or_404(
        actor,
        Completion.objects.select_related(
            "registration__session__offering", "staff", "offering", "school_year", "district"
        ),
        registration_id=registration_id,
        registration__status=Registration.Status.COMPLETED,
    )


def plausible_code(code: str) -> bool:
    return len(code) == VERIFICATION_CODE_LENGTH and all(c in CODE_ALPHABET for c in code)


@dataclass(frozen=True)
class Verified:
    """What the public verification page shows: nothing more."""

    name: str
    offering: str
    clock_hours: object
    completed_on: object
    code: str


def verify(code: str) -> Verified | None:
    """The certificate with this code, as the public may see it, or None."""
    code = "".join((code or "").split()).upper()
    if not plausible_code(code):
        return None
    with scopes_disabled():
        found = (
            Completion.objects.filter(code=code)
            .select_related("staff", "offering")
            .only(
                "code",
                "clock_hours",
                "completed_on",
                "staff__first_name",
                "staff__last_name",
                "offering__title",
            )
            .first()
        )
        if found is None:
            return None
        return Verified(
            name=found.staff.full_name,
            offering=found.offering.title,
            clock_hours=found.clock_hours,
            completed_on=found.completed_on,
            code=found.code,
        )


# --- the API ---------------------------------------------------------------------------------


def attendance_list(actor: Actor, **filters) -> QuerySet:
    qs = (
        access.visible(actor, Attendance)
        .select_related("meeting", "registration__staff", "recorded_by")
        .prefetch_related("recorded_by__staff_records")
    )
    for name in ("meeting", "registration"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    if filters.get("session"):
        qs = qs.filter(meeting__session_id=filters["session"])
    return qs


def completion_list(actor: Actor, **filters) -> QuerySet:
    qs = (
        access.visible(actor, Completion)
        .select_related("staff", "offering", "school_year", "awarded_by")
        .prefetch_related("awarded_by__staff_records")
    )
    for name in ("staff", "offering", "school_year"):
        if filters.get(name):
            qs = qs.filter(**{f"{name}_id": filters[name]})
    return qs
