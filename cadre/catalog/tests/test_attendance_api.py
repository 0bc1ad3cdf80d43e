"""The attendance API: lists and filters, marking from the roster, check-in, completions, bad
input and query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.catalog.factories import (
    OfferingFactory,
    RegistrationFactory,
    SessionFactory,
    add_meeting,
)
from cadre.catalog.models import Attendance, Completion
from cadre.catalog.services import attendance as services
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import API, login

pytestmark = pytest.mark.django_db
TOO_BIG = 2**63


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_attendance_list_filters_and_visibility(client, o, world):
    login(client, o["teacher"])
    rows = client.get(f"{API}/attendance/").json()["results"]
    assert [r["id"] for r in rows] == [o["attendance"].pk]
    row = rows[0]
    assert row["session"] == o["done_session"].pk
    assert row["staff"] == o["teacher"].pk
    assert row["staff_name"] == o["teacher"].full_name
    assert (row["present"], row["minutes"], row["method"]) == (True, 180, "roster")
    for name, obj in (
        ("meeting", o["done_meeting"]),
        ("session", o["done_session"]),
        ("registration", o["done_registration"]),
    ):
        assert ids(client.get(f"{API}/attendance/", {name: obj.pk})) == [o["attendance"].pk]
    assert ids(client.get(f"{API}/attendance/", {"session": o["session"].pk})) == []
    assert client.get(f"{API}/attendance/", {"meeting": TOO_BIG}).status_code == 400
    login(client, o["director"])
    assert ids(client.get(f"{API}/attendance/")) == []
    login(client, world.b_objects["admin"])
    assert o["attendance"].pk not in ids(client.get(f"{API}/attendance/"))


def test_mark_through_the_api(client, o):
    meeting, reg = o["meeting"], o["registration"]
    body = {"meeting": meeting.pk, "registration": reg.pk, "present": True, "minutes": 60}
    login(client, o["teacher"])  # a participant does not take attendance
    response = client.post(f"{API}/attendance/", body, content_type="application/json")
    assert response.status_code == 403
    login(client, o["other_teacher"])  # the facilitator does
    response = client.post(f"{API}/attendance/", body, content_type="application/json")
    assert response.status_code == 201
    row = response.json()
    assert (row["meeting"], row["registration"], row["present"], row["minutes"]) == (
        meeting.pk,
        reg.pk,
        True,
        60,
    )
    assert row["recorded_by_name"] == o["other_teacher"].full_name
    response = client.post(
        f"{API}/attendance/",
        {"meeting": meeting.pk, "registration": reg.pk, "present": False},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["present"], response.json()["minutes"]) == (False, 0)
    assert Attendance.objects.filter(meeting=meeting, registration=reg).count() == 1


def test_mark_refusals(client, o, world):
    meeting, reg = o["meeting"], o["registration"]
    login(client, o["admin"])
    post = lambda body: client.post(f"{API}/attendance/", body, content_type="application/json")  # noqa: E731
    response = post({"meeting": meeting.pk, "registration": reg.pk, "minutes": 10_000})
    assert response.status_code == 400
    assert response.json()["code"] == "attendance.minutes"
    response = post({"meeting": meeting.pk, "registration": o["done_registration"].pk})
    assert response.status_code == 400
    assert response.json()["code"] == "attendance.wrong_session"
    other = world.b_objects["registration"]
    assert post({"meeting": meeting.pk, "registration": other.pk}).status_code == 400
    assert post({"meeting": TOO_BIG, "registration": reg.pk}).status_code == 400
    assert post({"meeting": meeting.pk, "registration": reg.pk, "minutes": -1}).status_code == 400


def test_checkin_action(client, o):
    district = o["school"].district
    session = SessionFactory(
        district=district, offering=OfferingFactory(district=district), school_year=o["year"]
    )
    meeting = add_meeting(session, start=timezone.now() - timedelta(minutes=5), minutes=60)
    RegistrationFactory(district=district, session=session, staff=o["teacher"])
    login(client, o["teacher"])
    url = f"{API}/attendance/checkin/"
    response = client.post(url, {"code": meeting.checkin_code.lower()})
    assert response.status_code == 201
    assert (response.json()["method"], response.json()["minutes"]) == ("checkin", 60)
    response = client.post(url, {"code": meeting.checkin_code})
    assert response.status_code == 200
    response = client.post(url, {"code": o["meeting"].checkin_code})
    assert response.status_code == 400
    assert response.json()["code"] == "checkin.too_early"
    login(client, o["principal"])
    response = client.post(url, {"code": meeting.checkin_code})
    assert response.json()["code"] == "checkin.not_registered"


def test_completions_list_detail_and_filters(client, o, world):
    completion = o["completion"]
    login(client, o["teacher"])
    rows = client.get(f"{API}/completions/").json()["results"]
    assert [r["id"] for r in rows] == [completion.pk]
    row = rows[0]
    assert row["clock_hours"] == "3.00"
    assert row["code"] == completion.code
    assert row["offering_title"] == "Guided reading"
    assert (
        row["certificate_url"]
        == f"/catalog/registrations/{completion.registration_id}/certificate/"
    )
    assert row["verification_url"].endswith(f"/catalog/verify/{completion.code}/")
    for name, value in (
        ("staff", o["teacher"].pk),
        ("offering", o["offering"].pk),
        ("school_year", o["year"].pk),
    ):
        assert ids(client.get(f"{API}/completions/", {name: value})) == [completion.pk]
    assert ids(client.get(f"{API}/completions/", {"staff": o["principal"].pk})) == []
    detail = client.get(f"{API}/completions/{completion.pk}/")
    assert detail.status_code == 200 and detail.json()["id"] == completion.pk
    assert client.post(f"{API}/completions/", {}).status_code == 405
    login(client, o["director"])
    assert client.get(f"{API}/completions/{completion.pk}/").status_code == 404
    login(client, world.b_objects["admin"])
    assert client.get(f"{API}/completions/{completion.pk}/").status_code == 404


def _many(o, n):
    """n people in a closed session, each with an attendance and a completion."""
    district = o["school"].district
    session = SessionFactory(
        district=district, offering=OfferingFactory(district=district), school_year=o["year"]
    )
    meeting = add_meeting(session, start=timezone.now() - timedelta(days=3), minutes=120)
    admin = o["admin"].user
    for _ in range(n):
        person = staff_with_role(Role.TEACHER, school=o["school"])
        reg = RegistrationFactory(
            district=district, session=session, staff=person, school=o["school"]
        )
        services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=admin)
    services.session_close(session=session, actor=admin)
    assert Completion.objects.filter(registration__session=session).count() == n
    return session


@pytest.mark.parametrize("resource", ["attendance", "completions"])
def test_list_query_counts_are_pinned(client, o, resource, django_assert_num_queries):
    session = _many(o, 25)
    login(client, o["admin"])
    url = f"{API}/{resource}/"
    client.get(url)  # warm the session
    # Sign-in (session, user, staff check, staff, assignments); the count; the page; who
    # recorded or awarded (their staff records here); the session's save (savepoint, update,
    # release). Not one more for 25 rows.
    with django_assert_num_queries(11):
        response = client.get(url, {"page_size": 100})
    assert response.json()["count"] >= 25
    query = (
        {"session": session.pk} if resource == "attendance" else {"offering": session.offering_id}
    )
    with django_assert_num_queries(11):
        assert client.get(url, query).json()["count"] == 25
