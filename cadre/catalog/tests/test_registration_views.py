"""Registration pages: the session panel, register and cancel, my learning, approvals,
whole-group assignment and a session's registrations."""

import csv
import io

import pytest

from cadre.catalog.models import Offering, Registration, SessionAssignment
from cadre.catalog.services import registration as services
from cadre.catalog.tests.test_registration_services import make_session, register, teachers
from cadre.districts.models import Role
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db
S = Registration.Status


def test_the_session_page_shows_the_panel_and_registers(client, o):
    session = make_session(o, capacity=1)
    login(client, o["teacher"])
    page = text(client.get(session.get_absolute_url()))
    assert "1 of 1" in page and "Register</button>" in page
    response = client.post(url("session-register", session), follow=True)
    assert "You are registered." in text(response)
    assert "Cancel my registration" in text(response)
    login(client, o["other_teacher"])
    response = client.post(url("session-register", session), follow=True)
    assert "number 1 on the" in text(response)
    assert "Leave the waitlist" in text(response)


def test_a_refused_registration_is_a_message(client, o):
    login(client, o["teacher"])
    session = o["session"]  # the teacher holds a seat there already
    response = client.post(url("session-register", session), follow=True)
    assert "registration.exists" in text(response)


def test_the_panel_says_required_and_offers_leaders_their_links(client, o):
    session = make_session(o, capacity=5)
    services.session_assign(session=session, actor=o["principal"].user, school=o["school"])
    login(client, o["teacher"])
    page = text(client.get(session.get_absolute_url()))
    assert "required for you" in page and "Assign to my school" not in page
    login(client, o["principal"])
    page = text(client.get(session.get_absolute_url()))
    assert "Assign to my school or program" in page
    login(client, o["admin"])
    assert "seats taken" in text(client.get(session.get_absolute_url()))


def test_cancel_from_the_registration_page(client, o):
    session = make_session(o, capacity=1)
    reg = register(session, o["teacher"])
    queued = register(session, o["other_teacher"])
    login(client, o["teacher"])
    page = text(client.get(url("registration-detail", reg)))
    assert "Cancel the registration" in page
    response = client.post(url("registration-cancel", reg), {"reason": "Conflict"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=queued.pk).status == S.REGISTERED
    page = text(client.get(url("registration-detail", reg)))
    assert "Registered → cancelled" in page and "Conflict" in page  # the history


def test_my_learning_groups_required_first(client, o, django_assert_max_num_queries):
    required = make_session(o, capacity=5)
    services.session_assign(session=required, actor=o["principal"].user, school=o["school"])
    full = make_session(o, capacity=1)
    register(full, o["principal"])
    register(full, o["teacher"])
    login(client, o["teacher"])
    with django_assert_max_num_queries(13):  # with who assigned the required one
        page = text(client.get(url("my-learning")))
    assert page.index("Required") < page.index("Upcoming") < page.index("Awaiting approval")
    assert page.index("Awaiting approval") < page.index("Waitlisted")
    assert "number 1" in page
    assert "Past, cancelled and denied" in page and "Summer" in page  # the completed one


def test_my_learning_costs_the_same_with_more_rows(client, o, django_assert_max_num_queries):
    for _ in range(6):
        register(make_session(o, capacity=5), o["teacher"])
    login(client, o["teacher"])
    with django_assert_max_num_queries(12):
        assert client.get(url("my-learning")).status_code == 200


def test_approvals_page_approve_and_deny(client, o, django_assert_max_num_queries):
    session = make_session(o, capacity=5, approval=Offering.Approval.SUPERVISOR)
    waiting = [register(session, p) for p in teachers(o, 3)]
    login(client, o["principal"])
    with django_assert_max_num_queries(10):
        page = text(client.get(url("registration-approvals")))
    for reg in waiting:
        assert reg.staff.full_name in page
    assert o["requested_registration"].staff.full_name in page
    back = url("registration-approvals")
    response = client.post(url("registration-approve", waiting[0]), {"next": back})
    assert response.status_code == 302 and response.url == back
    assert Registration.objects.get(pk=waiting[0].pk).status == S.REGISTERED
    response = client.post(url("registration-deny", waiting[1]), {"reason": "", "next": back})
    assert response.status_code == 400
    response = client.post(url("registration-deny", waiting[1]), {"reason": "No", "next": back})
    assert response.url == back
    assert Registration.objects.get(pk=waiting[1].pk).status == S.DENIED
    # The director sees none of the school's requests.
    login(client, o["director"])
    assert waiting[2].staff.full_name not in text(client.get(url("registration-approvals")))


def test_assign_counts_before_confirming(client, o):
    session = make_session(o, capacity=5)
    teachers(o, 2)
    login(client, o["principal"])
    page = text(client.get(url("session-assign", session)))
    assert "Assign to the staff of" in page
    unit = f"school:{o['school'].pk}"
    preview = client.post(url("session-assign", session), {"unit": unit, "step": "preview"})
    assert preview.status_code == 200
    # The principal, the teacher, the world's two new teachers, its instructional coach and the
    # two here: seven people, five seats.
    assert "7 people of" in text(preview) and "raise the session" in text(preview)
    narrowed = {"unit": unit, "roles": [Role.TEACHER], "step": "preview"}
    preview = client.post(url("session-assign", session), narrowed)
    assert "5 people of" in text(preview) and "Assign 5 people" in text(preview)
    response = client.post(url("session-assign", session), {**narrowed, "step": "confirm"})
    assert response.status_code == 302
    assert Registration.objects.filter(session=session, assigned=True).count() == 5
    assert SessionAssignment.objects.get(session=session).roles == [Role.TEACHER]
    # Again: nobody left to assign, said on the form.
    response = client.post(url("session-assign", session), {**narrowed, "step": "confirm"})
    assert response.status_code == 400 and "session_assignment.nobody" in text(response)


def test_a_principal_assigns_only_their_school(client, o):
    session = make_session(o, capacity=3)
    login(client, o["principal"])
    other = f"school:{o['other_school'].pk}"
    response = client.post(url("session-assign", session), {"unit": other, "step": "confirm"})
    assert response.status_code == 400
    assert not Registration.objects.filter(session=session).exists()


def test_session_registrations_and_csv(client, o, django_assert_max_num_queries):
    session = make_session(o, capacity=1)
    people = teachers(o, 3)
    for p in people:
        register(session, p)
    login(client, o["admin"])
    with django_assert_max_num_queries(10):
        page = text(client.get(url("session-registrations", session)))
    assert "Waitlist, in order" in page
    assert page.index(people[1].full_name) < page.index(people[2].full_name)
    response = client.get(url("session-registrations", session) + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Last name", "First name"]
    assert [r[5] for r in rows[1:]] == ["", "1", "2"]
    # The facilitator of the offering sees it too.
    session.offering.facilitators.add(o["other_teacher"])
    login(client, o["other_teacher"])
    assert client.get(url("session-registrations", session)).status_code == 200


def test_session_registrations_query_count_does_not_grow(client, o, django_assert_max_num_queries):
    session = make_session(o, capacity=30)
    for p in teachers(o, 12):
        register(session, p)
    login(client, o["admin"])
    with django_assert_max_num_queries(10):
        assert client.get(url("session-registrations", session)).status_code == 200
