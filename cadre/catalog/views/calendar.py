"""Calendars: a person's iCalendar feed at a secret, revocable address (no sign-in: calendar
programs fetch it), the buttons that make and revoke that address, and a `.ics` download per
session."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scope, scopes_disabled

from cadre.catalog import ical
from cadre.catalog.models import CalendarFeed, Session
from cadre.catalog.selectors import registration as selectors
from cadre.catalog.services import registration as services
from cadre.core import attachments
from cadre.core.views import actor_required
from cadre.districts import access

CALENDAR = "text/calendar; charset=utf-8"


def _calendar_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = attachments.disposition(filename, inline=not attachment)
    return response


@require_GET
def calendar_feed(request, token: str):
    """The feed, public by its token. An unknown or revoked token is a 404."""
    with scopes_disabled():
        feed = selectors.feed_by_token(token)
    if feed is None or not feed.staff.is_active:
        raise Http404("No such calendar.")
    with scope(district=feed.district_id):
        regs = selectors.feed_registrations(feed)
        body = ical.feed_ics(f"{feed.staff.full_name}: professional learning", regs)
    response = _calendar_response(body, "learning.ics", attachment=False)
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@actor_required
def session_ics(request, pk: int):
    session = access.get_visible_or_404(
        request.actor, Session.objects.select_related("offering", "district"), pk=pk
    )
    return _calendar_response(
        ical.session_ics(session), f"session-{session.pk}.ics", attachment=True
    )


@require_POST
@actor_required
def feed_link(request):
    """Make the person's feed (if they have none yet) and show its address on their page."""
    services.feed_get_or_create(staff=request.actor.staff, actor=request.user)
    messages.success(request, "Your calendar link is below; add it to your calendar program.")
    return redirect("my-learning")


@require_POST
@actor_required
def feed_revoke(request):
    feed = CalendarFeed.objects.filter(staff=request.actor.staff).first()
    if feed is None:
        messages.error(request, "You have no calendar link to revoke.")
    else:
        access.require(request.actor, "view", feed)
        services.feed_revoke(feed=feed, actor=request.user)
        messages.success(request, "The old link no longer works; here is the new one.")
    return redirect("my-learning")


urls = [
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    path("calendar/link/", feed_link, name="calendar-feed-link"),
    path("calendar/revoke/", feed_revoke, name="calendar-feed-revoke"),
    path("sessions/<int:pk>/calendar.ics", session_ics, name="session-ics"),
]
