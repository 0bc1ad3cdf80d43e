"""The registrations and session-assignments API."""

import pytest
from django.urls import reverse

from cadre.catalog.models import Offering, Registration, SessionAssignment
from cadre.catalog.tests.test_registration_services import make_session, register, teachers
from cadre.tests.kit import login

pytestmark = pytest.mark.django_db
S = Registration.Status


def api(name, obj=None) -> str:
    return reverse(f"api:{name}", args=[obj.pk] if obj is not None else [])


def test_register_yourself_then_the_waitlist(client, o):
    session = make_session(o, capacity=1)
    login(client, o["teacher"])
    response = client.post(api("registration-list"), {"session": session.pk})
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == S.REGISTERED and body["staff"] == o["teacher"].pk
    assert body["session_name"] == str(session)
    again = client.post(api("registration-list"), {"session": session.pk})
    assert again.status_code == 409 and again.json()["code"] == "registration.exists"
    login(client, o["other_teacher"])
    body = client.post(api("registration-list"), {"session": session.pk}).json()
    assert body["status"] == S.WAITLISTED and body["position"] == 1


def test_a_session_of_another_district_is_no_session(client, o, world):
    login(client, o["teacher"])
    response = client.post(api("registration-list"), {"session": world.b_objects["session"].pk})
    assert response.status_code == 400


def test_list_filters_and_query_count(client, o, django_assert_max_num_queries):
    session = make_session(o, capacity=2)
    for person in teachers(o, 5):
        register(session, person)
    login(client, o["admin"])
    with django_assert_max_num_queries(10):
        response = client.get(api("registration-list"), {"session": session.pk})
    assert response.json()["count"] == 5
    waiting = client.get(
        api("registration-list"),
        {"session": session.pk, "status": S.WAITLISTED, "ordering": "position"},
    ).json()["results"]
    assert [r["position"] for r in waiting] == [1, 2, 3]
    for person in teachers(o, 10):
        register(make_session(o, capacity=5), person)
    with django_assert_max_num_queries(10):
        assert client.get(api("registration-list")).json()["count"] >= 15
    # A teacher sees only their own.
    login(client, o["teacher"])
    mine = client.get(api("registration-list")).json()["results"]
    assert {r["staff"] for r in mine} == {o["teacher"].pk}


def test_approve_deny_and_cancel_steps(client, o):
    session = make_session(o, capacity=5, approval=Offering.Approval.SUPERVISOR)
    a, b = teachers(o, 2)
    ra, rb = register(session, a), register(session, b)
    login(client, o["principal"])
    response = client.post(api("registration-approve", ra))
    assert response.status_code == 200 and response.json()["status"] == S.REGISTERED
    response = client.post(api("registration-approve", ra))
    assert response.status_code == 409
    assert response.json() == {
        "code": "registration.not_requested",
        "detail": "This registration is registered; you cannot approve it.",
    }
    assert client.post(api("registration-deny", rb), {}).status_code == 400
    response = client.post(api("registration-deny", rb), {"reason": "Full schedule"})
    assert response.json()["status"] == S.DENIED and response.json()["reason"] == "Full schedule"
    response = client.post(api("registration-cancel", rb))
    assert response.status_code == 409 and response.json()["code"] == "registration.not_cancellable"
    login(client, a)
    assert client.post(api("registration-approve", ra)).status_code == 403
    response = client.post(api("registration-cancel", ra), {"reason": "Ill"})
    assert response.status_code == 200 and response.json()["status"] == S.CANCELLED


def test_session_assignments(client, o, django_assert_max_num_queries):
    session = make_session(o, capacity=2)
    login(client, o["principal"])
    body = {"session": session.pk, "school": o["school"].pk}
    teachers(o, 2)  # with the principal and the teacher: four people for two seats
    response = client.post(api("session-assignment-list"), body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "session_assignment.no_seats"
    body["roles"] = ["principal"]
    response = client.post(api("session-assignment-list"), body, content_type="application/json")
    assert response.status_code == 201 and response.json()["assigned_count"] == 1
    other = {"session": session.pk, "school": o["other_school"].pk}
    response = client.post(api("session-assignment-list"), other, content_type="application/json")
    assert response.status_code == 403
    with django_assert_max_num_queries(11):  # with who assigned (their staff record here)
        listed = client.get(api("session-assignment-list"), {"session": session.pk}).json()
    assert listed["count"] == 1 and listed["results"][0]["roles"] == ["principal"]
    assert SessionAssignment.objects.filter(session=session).count() == 1
    login(client, o["teacher"])
    response = client.post(api("session-assignment-list"), body, content_type="application/json")
    assert response.status_code == 403
