"""iCalendar (RFC 5545) for sessions and personal feeds, built with the `icalendar` package.

The calendar carries PRODID and VERSION; every event a stable UID and a DTSTAMP. Times keep the
district's time zone: each DTSTART and DTEND names its TZID, and the calendar holds the matching
VTIMEZONE. Modules of self-paced sessions have no time and are left out.
"""

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from cadre.catalog.models import Meeting, Registration, Session

PRODID = "-//Cadre//Professional learning catalogue//EN"
TENTATIVE = (Registration.Status.REQUESTED, Registration.Status.WAITLISTED)


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "cadre.invalid"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _event(meeting: Meeting, session: Session, *, stamp, status: str | None = None) -> Event:
    tz = session.district.tz
    offering = session.offering
    event = Event()
    event.add("uid", f"catalog-meeting-{meeting.pk}@{_host()}")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    title = str(session)
    if meeting.title:
        title = f"{title}: {meeting.title}"
    event.add("summary", title)
    place = meeting.location or session.location
    if place:
        event.add("location", place)
    elif meeting.join_url:
        event.add("location", meeting.join_url)
    link = f"{settings.SITE_URL}{reverse('session-detail', args=[session.pk])}"
    lines = [offering.description.strip()] if offering.description.strip() else []
    if meeting.join_url:
        lines.append(f"Join: {meeting.join_url}")
    lines.append(f"Details: {link}")
    event.add("description", "\n\n".join(lines))
    event.add("url", meeting.join_url or link)
    event.add("status", "TENTATIVE" if status in TENTATIVE else "CONFIRMED")
    return event


def _finish(cal: Calendar) -> bytes:
    """Add the VTIMEZONE of every TZID used, with its rules for the years around the events
    (the whole 1970–2038 table would make each feed many times longer)."""
    events = cal.walk("VEVENT")
    if events:
        first = min(e.decoded("DTSTART") for e in events).date()
        last = max(e.decoded("DTEND") for e in events).date()
        cal.add_missing_timezones(
            first_date=first - timedelta(days=366), last_date=last + timedelta(days=366)
        )
    return cal.to_ical()


def session_ics(session: Session) -> bytes:
    """The timed meetings of one session."""
    cal = _calendar(str(session))
    stamp = timezone.now()
    for meeting in session.meetings.filter(starts_at__isnull=False).order_by("starts_at", "id"):
        cal.add_component(_event(meeting, session, stamp=stamp))
    return _finish(cal)


def feed_ics(name: str, registrations: Iterable[Registration]) -> bytes:
    """The meetings of a person's registrations (each with its session and meetings loaded)."""
    cal = _calendar(name)
    stamp = timezone.now()
    for reg in registrations:
        for meeting in reg.session.meetings.all():
            if meeting.starts_at is not None:
                cal.add_component(_event(meeting, reg.session, stamp=stamp, status=reg.status))
    return _finish(cal)
