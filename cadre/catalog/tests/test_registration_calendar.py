"""Calendars: the personal feed at a secret, revocable address and the `.ics` per session."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cadre.catalog.factories import OfferingFactory, SessionFactory, add_meeting
from cadre.catalog.models import CalendarFeed, Registration
from cadre.catalog.services import registration as services
from cadre.catalog.tests.test_registration_services import make_session, register
from cadre.tests.kit import login

pytestmark = pytest.mark.django_db


def feed_url(feed) -> str:
    return reverse("calendar-feed", args=[feed.token])


def parse(response) -> Calendar:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_the_feed_parses_and_keeps_the_time_zone(client, o):
    district = o["school"].district
    tz = district.tz
    start = (
        (timezone.now() + timedelta(days=3))
        .astimezone(tz)
        .replace(hour=15, minute=30, second=0, microsecond=0)
    )
    session = make_session(o, capacity=5, start=start, description="Close reading, in depth.")
    session.meetings.update(location="Room 12")
    register(session, o["teacher"])
    feed = o["feed"]
    response = client.get(feed_url(feed))  # no sign-in
    assert response.status_code == 200
    cal = parse(response)
    assert cal["PRODID"] and str(cal["VERSION"]) == "2.0"
    events = cal.walk("VEVENT")
    # The world's sessions (registered, requested, completed last month) and this one.
    assert len(events) == 4
    for event in events:
        assert event["UID"] and event["DTSTAMP"]
        assert event["DTSTART"].params["TZID"] == district.time_zone
    ours = next(e for e in events if "Close reading" in str(e["DESCRIPTION"]))
    assert ours.decoded("DTSTART") == start
    assert ours.decoded("DTSTART").utcoffset() == start.utcoffset()
    assert str(ours["LOCATION"]) == "Room 12"
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == [district.time_zone]


def test_the_feed_leaves_out_what_is_not_the_persons(client, o, world):
    feed = o["feed"]
    other_district = world.b_objects
    outsider = other_district["session"]
    mine = make_session(o, capacity=5)
    reg = register(mine, o["teacher"])
    services.registration_cancel(registration=reg, actor=o["teacher"].user)
    module_offering = OfferingFactory(
        district=o["school"].district, format="self_paced", title="Self-paced"
    )
    module_session = SessionFactory(
        district=o["school"].district, offering=module_offering, school_year=o["year"]
    )
    register(module_session, o["teacher"])
    cal = parse(client.get(feed_url(feed)))
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    uids = {str(e["UID"]).split("@")[0] for e in cal.walk("VEVENT")}
    assert not uids & {f"catalog-meeting-{m.pk}" for m in outsider.meetings.all()}
    assert uids == {
        f"catalog-meeting-{m.pk}"
        for key in ("session", "done_session", "approval_session")
        for m in o[key].meetings.all()
    }
    assert all(str(mine) not in s for s in summaries)  # cancelled
    assert all("Self-paced" not in s for s in summaries)  # no timed meetings
    assert sorted(summaries) == sorted(
        str(s) for s in (o["session"], o["done_session"], o["approval_session"])
    )
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in cal.walk("VEVENT")}
    assert statuses[str(o["approval_session"])] == "TENTATIVE"
    assert statuses[str(o["session"])] == "CONFIRMED"
    # District B's session of the same name has registrations; none of them shows here.
    assert Registration.objects.filter(session=outsider).exists()


def test_a_revoked_token_is_gone(client, o):
    feed = o["feed"]
    old = feed_url(feed)
    login(client, o["teacher"])
    response = client.post(reverse("calendar-feed-revoke"))
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(pk=feed.pk)
    client.logout()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(feed)).status_code == 200
    assert client.get(reverse("calendar-feed", args=["x" * 64])).status_code == 404


def test_my_learning_makes_the_link(client, o):
    person = o["principal"]
    login(client, person)
    assert "Get my calendar address" in client.get(reverse("my-learning")).content.decode()
    client.post(reverse("calendar-feed-link"))
    client.post(reverse("calendar-feed-link"))  # asking twice keeps one address
    feed = CalendarFeed.objects.get(staff=person)
    page = client.get(reverse("my-learning")).content.decode()
    assert feed.token in page


def test_a_session_ics_download(client, o):
    district = o["school"].district
    session = make_session(o, capacity=5)
    add_meeting(session, start=timezone.now() + timedelta(days=9))
    login(client, o["teacher"])
    response = client.get(reverse("session-ics", args=[session.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    cal = parse(response)
    events = cal.walk("VEVENT")
    assert len(events) == 2 and len({str(e["UID"]) for e in events}) == 2
    assert all(e["DTSTART"].params["TZID"] == district.time_zone for e in events)
    assert isinstance(events[0].decoded("DTSTART"), datetime)
