"""The offerings API: partners (agreements only for those allowed), offerings (filters,
owners, transitions), sessions and their meetings, and pinned query counts on every list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.catalog.factories import OfferingFactory, PartnerFactory, SessionFactory, add_meeting
from cadre.catalog.models import Meeting, Offering, PartnerContact, Session
from cadre.tests.kit import API, login, patch, post

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


# --- partners --------------------------------------------------------------------------------


def test_partners_show_agreements_only_to_those_allowed(client, o):
    teacher = rows(login(client, o["teacher"]).get(f"{API}/partners/"))
    assert teacher[0]["agreements"] is None
    assert teacher[0]["contacts"][0]["name"] == "Dana Reyes"
    assert teacher[0]["offering_count"] == 1
    principal = rows(login(client, o["principal"]).get(f"{API}/partners/"))
    agreement = principal[0]["agreements"][0]
    assert (agreement["title"], agreement["cost"]) == ("Reading endorsement MOU", "12000.00")


def test_admins_write_partners(client, o):
    admin = login(client, o["admin"])
    response = post(admin, "partners/", {"name": "Tech Co", "kind": "vendor"})
    assert response.status_code == 201, response.content
    assert response.json()["is_active"] is True
    duplicate = post(admin, "partners/", {"name": "tech co", "kind": "vendor"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "partner.duplicate"
    pk = response.json()["id"]
    assert patch(admin, f"partners/{pk}/", {"is_active": False}).json()["is_active"] is False
    assert [p["name"] for p in rows(admin.get(f"{API}/partners/", {"kind": "vendor"}))] == [
        "Tech Co"
    ]


def test_the_partner_list_pins_its_queries(client, o, django_assert_num_queries):
    admin = login(client, o["admin"])
    admin.get(f"{API}/partners/")
    for n in range(4):
        partner = PartnerFactory(district=o["school"].district)
        PartnerContact.objects.create(district=partner.district, partner=partner, name=f"C{n}")
    with django_assert_num_queries(PARTNERS):
        rows(admin.get(f"{API}/partners/"))


# Session, user, actor (5), count, rows, contacts, agreements; the session's save (3).
PARTNERS = 12


# --- offerings -------------------------------------------------------------------------------


def test_offerings_filter_like_the_catalogue(client, o):
    OfferingFactory(district=o["school"].district, title="Webinar", format="live_online")
    teacher = login(client, o["teacher"])

    def titles(**params):
        return {row["title"] for row in rows(teacher.get(f"{API}/offerings/", params))}

    assert titles(format="live_online") == {"Webinar"}
    assert titles(provider=o["partner"].pk) == {"Guided reading"}
    assert "Guided reading" not in titles(provider="district")
    assert "School data dive" not in titles()  # the school's draft
    assert titles(q="webinar") == {"Webinar"}
    soon = (timezone.now() + timedelta(days=5)).date().isoformat()
    assert "Guided reading" in titles(**{"from": soon})
    row = next(r for r in rows(teacher.get(f"{API}/offerings/")) if r["title"] == "Guided reading")
    assert row["upcoming_count"] == 1 and row["provider"] == "Western University"
    assert row["owner"] == "District" and row["focus_areas"] == [o["focus_area"].pk]


def test_the_offering_list_pins_its_queries(client, o, django_assert_num_queries):
    admin = login(client, o["admin"])
    admin.get(f"{API}/offerings/")
    for _ in range(5):
        made = OfferingFactory(district=o["school"].district, roles=["teacher"])
        made.focus_areas.add(o["focus_area"])
        made.schools.add(o["school"])
    with django_assert_num_queries(OFFERINGS):
        rows(admin.get(f"{API}/offerings/"))


# Session, user, actor (5), count, rows, focus areas, schools, programs, goals, facilitators;
# the session's save (3).
OFFERINGS = 15


def test_managers_create_patch_publish_and_archive(client, o):
    principal = login(client, o["principal"])
    body = {
        "title": "Number talks",
        "format": "in_person",
        "structure": "series",
        "school": o["school"].pk,
        "roles": ["teacher"],
        "goals": [o["school_goal"].pk],
        "cost": "25.00",
        "source": o["source"].pk,
    }
    response = post(principal, "offerings/", body)
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["status"], made["owner"], made["cost"]) == ("draft", str(o["school"]), "25.00")
    refused = post(principal, "offerings/", {**body, "school": None})
    assert refused.status_code == 400 and refused.json()["code"] == "offering.owner"
    pk = made["id"]
    changed = patch(principal, f"offerings/{pk}/", {"title": "Number talks 2", "school": 999})
    assert changed.status_code == 200 and changed.json()["school"] == o["school"].pk
    assert post(principal, f"offerings/{pk}/publish/").json()["status"] == "published"
    again = post(principal, f"offerings/{pk}/publish/")
    assert again.status_code == 409 and again.json()["code"] == "offering.not_publishable"
    assert post(principal, f"offerings/{pk}/archive/").json()["status"] == "archived"
    director = login(client, o["director"])
    assert director.get(f"{API}/offerings/{pk}/").status_code == 200  # archived: seen by all
    assert patch(director, f"offerings/{pk}/", {"title": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"credit_kind": "quarter"}, "credit.missing"),
        ({"completion_rules": ["nope"]}, "offering.completion_rule"),
        ({"substitute_days": "1"}, "offering.substitute_source"),
    ],
)
def test_bad_offerings_are_400(client, o, body, code):
    admin = login(client, o["admin"])
    base = {"title": "T", "format": "in_person", "structure": "workshop"}
    response = post(admin, "offerings/", {**base, **body})
    assert response.status_code == 400 and response.json()["code"] == code


# --- sessions and meetings -------------------------------------------------------------------


def test_sessions_and_meetings_through_the_api(client, o):
    admin = login(client, o["admin"])
    response = post(admin, "sessions/", {"offering": o["offering"].pk, "name": "Spring"})
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["capacity"] == o["offering"].capacity and session["meetings"] == []
    meeting = post(
        admin,
        "meetings/",
        {
            "session": session["id"],
            "starts_at": "2027-03-10T09:00:00-08:00",
            "ends_at": "2027-03-10T12:00:00-08:00",
            "break_minutes": 30,
            "location": "Room 1",
        },
    )
    assert meeting.status_code == 201, meeting.content
    assert meeting.json()["minutes"] == 150
    shown = admin.get(f"{API}/sessions/{session['id']}/").json()
    assert shown["minutes"] == 150 and shown["clock_hours"] == "2.50"
    assert shown["starts_at"].startswith("2027-03-10T09:00:00")
    mid = meeting.json()["id"]
    assert patch(admin, f"meetings/{mid}/", {"break_minutes": 0}).json()["minutes"] == 180
    bad = patch(admin, f"meetings/{mid}/", {"break_minutes": 180})
    assert bad.status_code == 400 and bad.json()["code"] == "meeting.breaks"
    assert admin.delete(f"{API}/meetings/{mid}/").status_code == 204
    assert admin.get(f"{API}/sessions/{session['id']}/").json()["minutes"] == 0
    cancelled = post(admin, f"sessions/{session['id']}/cancel/", {"reason": "Low numbers"})
    assert cancelled.json()["status"] == "cancelled"
    late = post(admin, "meetings/", {"session": session["id"], "starts_at": None})
    assert late.status_code == 409 and late.json()["code"] == "session.not_scheduled"


def test_only_the_offerings_managers_write_its_sessions(client, o):
    principal = login(client, o["principal"])
    response = post(principal, "sessions/", {"offering": o["offering"].pk})
    assert response.status_code == 403
    response = post(principal, "sessions/", {"offering": o["draft_offering"].pk})
    assert response.status_code == 201
    assert patch(principal, f"sessions/{o['session'].pk}/", {"name": "x"}).status_code == 403
    meeting = {"session": o["session"].pk, "title": "x"}
    assert post(principal, "meetings/", meeting).status_code == 403


def test_session_filters(client, o):
    other = SessionFactory(
        district=o["school"].district, offering=o["approval_offering"], school_year=o["year"]
    )
    add_meeting(other, start=timezone.now() + timedelta(days=90))
    teacher = login(client, o["teacher"])
    by_offering = rows(teacher.get(f"{API}/sessions/", {"offering": o["offering"].pk}))
    assert {r["id"] for r in by_offering} == {o["session"].pk, o["done_session"].pk}
    soon = (timezone.now() + timedelta(days=60)).date().isoformat()
    assert [r["id"] for r in rows(teacher.get(f"{API}/sessions/", {"from": soon}))] == [other.pk]
    assert other.pk not in {r["id"] for r in rows(teacher.get(f"{API}/sessions/", {"to": soon}))}
    scheduled = rows(teacher.get(f"{API}/sessions/", {"status": "closed"}))
    assert [r["id"] for r in scheduled] == [o["done_session"].pk]


def test_session_and_meeting_lists_pin_their_queries(client, o, django_assert_num_queries):
    admin = login(client, o["admin"])
    admin.get(f"{API}/sessions/")
    for n in range(4):
        session = SessionFactory(
            district=o["school"].district, offering=o["offering"], school_year=o["year"]
        )
        session.facilitators.add(o["teacher"])
        add_meeting(session, start=timezone.now() + timedelta(days=20 + n))
        add_meeting(session, start=timezone.now() + timedelta(days=40 + n))
    with django_assert_num_queries(SESSIONS):
        rows(admin.get(f"{API}/sessions/"))
    count = Meeting.objects.filter(district=o["school"].district).count()
    with django_assert_num_queries(MEETINGS):
        assert len(rows(admin.get(f"{API}/meetings/"))) == count


# Session, user, actor (5), count, rows, facilitators, meetings; the session's save (3).
SESSIONS = 12
# Session, user, actor (5), count, rows; the session's save (3).
MEETINGS = 10


def test_other_districts_ids_are_unknown(client, world, o):
    admin = login(client, o["admin"])
    theirs = world.b_objects["offering"]
    response = post(admin, "sessions/", {"offering": theirs.pk})
    assert response.status_code == 400
    assert admin.get(f"{API}/offerings/{theirs.pk}/").status_code == 404
    assert Session.objects.filter(offering=theirs).count() == 2
    assert Offering.objects.filter(pk=theirs.pk).exists()


def test_token_calls_read_and_write_times_in_the_districts_zone(client, o, world):
    from rest_framework.authtoken.models import Token

    world.a.time_zone = "America/New_York"
    world.a.save()
    token = Token.objects.create(user=o["admin"].user)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    session = client.post(
        f"{API}/sessions/", {"offering": o["offering"].pk}, content_type="application/json", **auth
    ).json()
    made = client.post(
        f"{API}/meetings/",
        {
            "session": session["id"],
            "starts_at": "2030-03-05T09:00:00",
            "ends_at": "2030-03-05T11:00:00",
            "location": "Room 2",
        },
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    assert made.json()["starts_at"] == "2030-03-05T09:00:00-05:00"
    stored = Meeting.objects.get(pk=made.json()["id"]).starts_at
    assert stored.astimezone(world.a.tz).hour == 9
