"""The growth API: who sees whose goals and requests, the workflows through services, the ISD
balance, attachments, filters, bad input and query counts.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.districts.factories import (
    staff_with_role,
)
from cadre.districts.models import Role, Staff
from cadre.funding.models import Budget, LedgerEntry
from cadre.growth import services
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.growth.tests.api_checks import more_allotments, more_goals
from cadre.tests.kit import (
    API,
    fresh,
    ids,
    login_as,
    patch,
    pk,
    post,
    resolve,
)

pytestmark = pytest.mark.django_db

D = Decimal
RESOURCES = ["professional-goals", "isd-allotments", "isd-requests"]
OBJECTS = {
    "professional-goals": "professional_goal",
    "isd-allotments": "allotment",
    "isd-requests": "isd_request",
}
TOO_BIG = 2**63
PDF = b"%PDF-1.4 a receipt"


def goal_body(world, **more) -> dict:
    return {
        "title": "Questioning",
        "statement": "Ask better questions",
        "activities": "Lesson study",
        "evidence": "Observation notes",
        "aligns_to": [pk(world, "a.school_goal")],
        **more,
    }


def request_body(world, **more) -> dict:
    today = world.a.today()
    return {
        "kind": "course",
        "title": "Phonics course",
        "provider": "State university",
        "start_date": str(today),
        "end_date": str(today + timedelta(days=1)),
        "cost": "250.00",
        "hours": "4",
        "rationale": "It serves my reading goal",
        **more,
    }


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads_and_writes(client, world):
    key = Token.objects.create(user=world.obj("a.teacher").user).key
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    goal = pk(world, "a.draft_goal_personal")
    response = client.patch(
        f"{API}/professional-goals/{goal}/",
        {"statement": "Autosaved"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 200 and response.json()["statement"] == "Autosaved"


# --- professional goals: who sees whose ----------------------------------------------------


def test_a_teacher_sees_only_their_own_goals(client, world):
    mine = {pk(world, "a.professional_goal"), pk(world, "a.draft_goal_personal")}
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/professional-goals/")) == mine
    assert client.get(f"{API}/professional-goals/{pk(world, 'a.program_goal')}/").status_code == 404
    login_as(client, world, "a.other_teacher")
    assert ids(client.get(f"{API}/professional-goals/")) == set()
    for goal in mine:
        assert client.get(f"{API}/professional-goals/{goal}/").status_code == 404


def test_a_principal_sees_only_their_schools_goals(client, world):
    colleague = services.goal_create(
        staff=world.obj("a.other_teacher"),
        actor=None,
        data={"title": "Elsewhere", "school_year": world.obj("a.year")},
    )
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/professional-goals/")) == {
        pk(world, "a.professional_goal"),
        pk(world, "a.draft_goal_personal"),
    }
    assert client.get(f"{API}/professional-goals/{colleague.pk}/").status_code == 404
    assert client.get(f"{API}/professional-goals/{pk(world, 'a.program_goal')}/").status_code == 404


def test_a_director_sees_only_their_program_staffs_goals(client, world):
    login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/professional-goals/")) == {pk(world, "a.program_goal")}
    teacher_goal = pk(world, "a.professional_goal")
    assert client.get(f"{API}/professional-goals/{teacher_goal}/").status_code == 404
    assert post(client, f"professional-goals/{teacher_goal}/approve/").status_code == 404
    approved = post(client, f"professional-goals/{pk(world, 'a.program_goal')}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_goal_representation(client, world):
    login_as(client, world, "a.principal")
    goal, teacher, school, year = (
        world.obj("a.professional_goal"),
        world.obj("a.teacher"),
        world.obj("a.school"),
        world.obj("a.year"),
    )
    body = client.get(f"{API}/professional-goals/{goal.pk}/").json()
    assert body.pop("submitted_at")
    assert body == {
        "id": goal.pk,
        "staff": teacher.pk,
        "staff_name": teacher.full_name,
        "school": school.pk,
        "school_name": school.name,
        "program": None,
        "program_name": None,
        "school_year": year.pk,
        "school_year_name": year.name,
        "title": "Guided reading",
        "statement": "Raise reading",
        "aligns_to": [pk(world, "a.school_goal")],
        "activities": "Reading institute",
        "evidence": "Screener growth",
        "status": "submitted",
        "decided_at": None,
        "decided_by_name": None,
        "comment": "",
        "reflection": "",
        "outcome": "",
        "reflected_at": None,
    }


# --- professional goals: the workflow ------------------------------------------------------


def test_write_submit_withdraw_resubmit_return_approve_reflect(client, world):
    teacher = login_as(client, world, "a.teacher")
    response = post(
        client,
        "professional-goals/",
        goal_body(world, statement="", staff=pk(world, "a.other_teacher"), status="approved"),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    # The author is the caller, the supervisor their school, the year the current one.
    assert (body["staff"], body["school"], body["school_year"], body["status"]) == (
        teacher.pk,
        pk(world, "a.school"),
        pk(world, "a.year"),
        "draft",
    )
    url = f"professional-goals/{body['id']}"
    incomplete = post(client, f"{url}/submit/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "goal.incomplete"
    # Autosave: the statement arrives on its own.
    saved = patch(client, f"{url}/", {"statement": "Ask better questions"})
    assert saved.status_code == 200 and saved.json()["statement"] == "Ask better questions"
    assert post(client, f"{url}/submit/").json()["status"] == "submitted"
    assert patch(client, f"{url}/", {"title": "x"}).json()["code"] == "goal.not_editable"
    assert post(client, f"{url}/withdraw/").json()["status"] == "draft"
    again = post(client, f"{url}/withdraw/")
    assert again.status_code == 409 and again.json()["code"] == "goal.not_submitted"
    assert post(client, f"{url}/submit/").json()["status"] == "submitted"
    # Nobody decides their own.
    assert post(client, f"{url}/approve/").status_code == 403

    principal = login_as(client, world, "a.principal")
    assert patch(client, f"{url}/", {"title": "x"}).status_code == 403
    early = post(client, f"{url}/return/", {"comment": ""})
    assert early.status_code == 400 and "comment" in early.json()["errors"]
    returned = post(client, f"{url}/return/", {"comment": "Name the look-fors"})
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["comment"]) == (
        "returned",
        "Name the look-fors",
    )

    login_as(client, world, "a.teacher")
    not_yet = post(client, f"{url}/reflect/", {"reflection": "Went well", "outcome": "met"})
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "goal.not_approved"
    assert patch(client, f"{url}/", {"evidence": "Look-for tallies"}).status_code == 200
    assert post(client, f"{url}/submit/").json()["status"] == "submitted"

    login_as(client, world, "a.principal")
    approved = post(client, f"{url}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["decided_by_name"] == principal.full_name
    assert post(client, f"{url}/approve/").status_code == 409

    login_as(client, world, "a.teacher")
    bad = post(client, f"{url}/reflect/", {"reflection": "Went well", "outcome": "great"})
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    reflected = post(
        client, f"{url}/reflect/", {"reflection": "Went well", "outcome": "partly_met"}
    )
    assert reflected.status_code == 200, reflected.json()
    assert (reflected.json()["outcome"], reflected.json()["reflection"]) == (
        "partly_met",
        "Went well",
    )
    assert reflected.json()["reflected_at"]
    events = AuditEvent.objects.filter(
        object_type="growth.professionalgoal", object_id=str(body["id"]), action="transition"
    )
    assert events.count() == 6  # submit, withdraw, submit, return, submit, approve


@pytest.mark.parametrize(
    ("aligns_to", "code"),
    [
        ("a.draft_goal", "invalid"),  # a draft plan's goal: not there for the teacher
        ("b.school_goal", "invalid"),  # another district's
        (TOO_BIG, "invalid"),
        ("x", "invalid"),
    ],
)
def test_goal_alignment_refusals(client, world, aligns_to, code):
    login_as(client, world, "a.teacher")
    target = resolve(world, aligns_to)
    response = post(client, "professional-goals/", goal_body(world, aligns_to=[target]))
    assert response.status_code == 400
    assert response.json()["code"] == code and "aligns_to" in response.json()["errors"]
    assert not ProfessionalGoal.objects.filter(title="Questioning").exists()


def test_a_goal_aligns_only_to_its_own_schools_goals(client, world):
    # The principal sees the draft plan's goal, but it is not published.
    login_as(client, world, "a.principal")
    response = post(
        client, "professional-goals/", goal_body(world, aligns_to=[pk(world, "a.draft_goal")])
    )
    assert response.status_code == 400 and response.json()["code"] == "goal.alignment_invalid"


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"school_year": "b.year"},
        {"school_year": TOO_BIG},
        {"aligns_to": "abc"},
    ],
)
def test_bad_goal_bodies_are_400(client, world, data):
    login_as(client, world, "a.teacher")
    data = {k: resolve(world, v) for k, v in data.items()}
    response = post(client, "professional-goals/", goal_body(world, **data))
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not ProfessionalGoal.objects.filter(title__in=["", "Questioning", "x" * 201]).exists()


def test_goal_filters(client, world):
    login_as(client, world, "a.admin")

    def found(**params):
        return ids(client.get(f"{API}/professional-goals/", params))

    submitted = {pk(world, "a.professional_goal"), pk(world, "a.program_goal")}
    assert found(status="submitted") == submitted
    assert found(status="draft") == {pk(world, "a.draft_goal_personal")}
    assert found(staff=pk(world, "a.program_teacher")) == {pk(world, "a.program_goal")}
    assert found(school=pk(world, "a.school")) == submitted - {pk(world, "a.program_goal")} | {
        pk(world, "a.draft_goal_personal")
    }
    assert found(program=pk(world, "a.program")) == {pk(world, "a.program_goal")}
    assert len(found(school_year=pk(world, "a.year"))) == 3
    assert found(school=pk(world, "b.school")) == set()


# --- ISD allotments and the balance --------------------------------------------------------


def test_everyone_reads_allotments_and_admins_set_them(client, world):
    allotment = world.obj("a.allotment")
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/isd-allotments/")) == {allotment.pk}
    body = client.get(f"{API}/isd-allotments/{allotment.pk}/").json()
    assert body == {
        "id": allotment.pk,
        "school_year": pk(world, "a.year"),
        "school_year_name": world.obj("a.year").name,
        "bargaining_unit": "",
        "role": "",
        "role_label": "",
        "source": pk(world, "a.isd_source"),
        "source_name": "ISD contract funds",
        "amount": "1500.00",
        "hours": "30.00",
    }
    assert patch(client, f"isd-allotments/{allotment.pk}/", {"amount": "9000"}).status_code == 403
    assert post(client, "isd-allotments/", {}).status_code == 403

    admin = login_as(client, world, "a.admin")
    data = {
        "school_year": pk(world, "a.year"),
        "bargaining_unit": "Teachers' Association",
        "role": "teacher",
        "source": pk(world, "a.isd_source"),
        "amount": "2000",
        "hours": "40",
    }
    created = post(client, "isd-allotments/", data)
    assert created.status_code == 201, created.json()
    assert created.json()["role_label"] == "Teacher"
    row = IsdAllotment.objects.get(pk=created.json()["id"])
    assert AuditEvent.objects.filter(
        object_type="growth.isdallotment", object_id=str(row.pk), actor=admin.user
    ).exists()
    taken = post(client, "isd-allotments/", data)
    assert taken.status_code == 409 and taken.json()["code"] == "allotment.exists"
    changed = patch(client, f"isd-allotments/{row.pk}/", {"hours": "45"})
    assert changed.status_code == 200, changed.json()
    row.refresh_from_db()
    assert (row.amount, row.hours, row.role) == (D("2000"), D("45"), "teacher")
    # The default row no longer applies to the teacher: theirs is the unit-and-role row.
    Staff.objects.filter(pk=pk(world, "a.teacher")).update(bargaining_unit="Teachers' Association")
    login_as(client, world, "a.teacher")
    balance = client.get(f"{API}/isd-allotments/balance/").json()
    assert (balance["allotment"], balance["allotted_amount"]) == (row.pk, "2000.00")


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"source": "a.source"}, 400, "allotment.source"),  # Title I is not an ISD source
        ({"source": "b.isd_source"}, 400, "invalid"),
        ({"school_year": "b.year"}, 400, "invalid"),
        ({"role": "janitor"}, 400, "invalid"),
        ({"amount": "-1"}, 400, "invalid"),
        ({"amount": "1.001"}, 400, "invalid"),
        ({"hours": "100000000000"}, 400, "invalid"),
        ({"school_year": TOO_BIG}, 400, "invalid"),
    ],
)
def test_bad_allotments_are_400(client, world, data, status, code):
    login_as(client, world, "a.admin")
    data = {k: resolve(world, v) for k, v in data.items()}
    body = {
        "school_year": pk(world, "a.year"),
        "bargaining_unit": "Paraprofessionals",
        "source": pk(world, "a.isd_source"),
        "amount": "100",
        **data,
    }
    response = post(client, "isd-allotments/", body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not IsdAllotment.objects.filter(bargaining_unit="Paraprofessionals").exists()


def test_the_balance_of_yourself_and_of_staff_you_see(client, world):
    teacher = login_as(client, world, "a.teacher")
    response = client.get(f"{API}/isd-allotments/balance/")
    assert response.status_code == 200
    year = world.obj("a.year")
    # The approved request holds $300 and 6 hours; the submitted one holds nothing yet.
    assert response.json() == {
        "staff": teacher.pk,
        "staff_name": teacher.full_name,
        "school_year": year.pk,
        "school_year_name": year.name,
        "allotment": pk(world, "a.allotment"),
        "allotted_amount": "1500.00",
        "allotted_hours": "30.00",
        "committed_amount": "300.00",
        "committed_hours": "6.00",
        "spent_amount": "0.00",
        "spent_hours": "0.00",
        "remaining_amount": "1200.00",
        "remaining_hours": "24.00",
    }
    balance = f"{API}/isd-allotments/balance/"
    assert client.get(balance, {"staff": pk(world, "a.other_teacher")}).status_code == 404
    assert client.get(balance, {"school_year": pk(world, "b.year")}).status_code == 404
    assert client.get(balance, {"staff": "me"}).status_code == 400
    assert client.get(balance, {"staff": str(TOO_BIG)}).status_code == 400
    login_as(client, world, "a.principal")
    assert client.get(balance, {"staff": teacher.pk}).json()["remaining_amount"] == "1200.00"
    assert client.get(balance, {"staff": pk(world, "a.program_teacher")}).status_code == 404
    login_as(client, world, "a.director")
    program = client.get(balance, {"staff": pk(world, "a.program_teacher")}).json()
    assert (program["committed_amount"], program["remaining_amount"]) == ("0.00", "1500.00")
    login_as(client, world, "b.admin")
    assert client.get(balance, {"staff": teacher.pk}).status_code == 404
    # Nobody without an allotment row: all zeros, and no allotment.
    login_as(client, world, "b.other_teacher")
    IsdAllotment.objects.filter(district=world.b).delete()
    empty = client.get(balance).json()
    assert (empty["allotment"], empty["remaining_amount"]) == (None, "0.00")


# --- ISD requests --------------------------------------------------------------------------


def test_requests_are_seen_by_their_author_and_supervisors(client, world):
    teachers = {pk(world, "a.isd_request"), pk(world, "a.approved_request")}
    program = pk(world, "a.program_request")
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/isd-requests/")) == teachers
    assert client.get(f"{API}/isd-requests/{program}/").status_code == 404
    login_as(client, world, "a.other_teacher")
    assert ids(client.get(f"{API}/isd-requests/")) == set()
    assert client.get(f"{API}/isd-requests/{pk(world, 'a.isd_request')}/").status_code == 404
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/isd-requests/")) == teachers
    assert client.get(f"{API}/isd-requests/{program}/").status_code == 404
    login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/isd-requests/")) == {program}


def test_request_representation_lists_attachments(client, world):
    login_as(client, world, "a.teacher")
    request, attachment = world.obj("a.isd_request"), world.obj("a.attachment")
    body = client.get(f"{API}/isd-requests/{request.pk}/").json()
    assert (body["status"], body["cost"], body["hours"], body["goal"], body["goal_title"]) == (
        "submitted",
        "200.00",
        "6.00",
        pk(world, "a.professional_goal"),
        "Guided reading",
    )
    assert body["staff_name"] == world.obj("a.teacher").full_name
    [item] = body["attachments"]
    assert {k: item[k] for k in ("id", "name", "content_type", "size")} == {
        "id": attachment.pk,
        "name": "receipt.pdf",
        "content_type": "application/pdf",
        "size": attachment.size,
    }
    # The download page belongs to the pages; until it is there, the id alone identifies it.
    assert item["url"] == (attachment.get_absolute_url() if _named() else None)


def _named() -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("isd-attachment", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_request_approve_complete_reimburse(client, world):
    teacher = login_as(client, world, "a.teacher")
    response = post(
        client,
        "isd-requests/",
        request_body(
            world,
            goal=pk(world, "a.professional_goal"),
            staff=pk(world, "a.other_teacher"),
            status="reimbursed",
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["staff"], body["status"], body["school"], body["school_year"]) == (
        teacher.pk,
        "submitted",
        pk(world, "a.school"),
        pk(world, "a.year"),
    )
    url = f"isd-requests/{body['id']}"
    early = post(client, f"{url}/complete/", {"note": "Done"})
    assert early.status_code == 409 and early.json()["code"] == "isd.not_approved"
    assert post(client, f"{url}/approve/").status_code == 403

    login_as(client, world, "a.principal")
    approved = post(client, f"{url}/approve/")
    assert approved.status_code == 200, approved.json()
    request = IsdRequest.objects.get(pk=body["id"])
    assert request.encumbrance.amount == D("250") and request.encumbrance.kind == "encumbrance"
    assert post(client, f"{url}/approve/").json()["code"] == "isd.not_submitted"
    assert post(client, f"{url}/complete/", {"note": "Done"}).status_code == 403

    login_as(client, world, "a.teacher")
    blank = post(client, f"{url}/complete/", {"note": ""})
    assert blank.status_code == 400 and "note" in blank.json()["errors"]
    completed = post(client, f"{url}/complete/", {"note": "Finished all modules"})
    assert completed.status_code == 200
    assert completed.json()["completion_note"] == "Finished all modules"
    assert post(client, f"{url}/reimburse/", {"paid_amount": "240"}).status_code == 403

    login_as(client, world, "a.admin")
    over = post(client, f"{url}/reimburse/", {"paid_amount": "250.01"})
    assert over.status_code == 400 and over.json()["code"] == "isd.overpaid"
    cents = post(client, f"{url}/reimburse/", {"paid_amount": "1.001"})
    assert cents.status_code == 400 and "paid_amount" in cents.json()["errors"]
    paid = post(client, f"{url}/reimburse/", {"paid_amount": "240"})
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["status"], paid.json()["paid_amount"]) == ("reimbursed", "240.00")
    spent = LedgerEntry.objects.get(encumbrance=request.encumbrance)
    assert (spent.kind, spent.amount) == ("expenditure", D("240"))
    again = post(client, f"{url}/reimburse/", {"paid_amount": "240"})
    assert again.status_code == 409 and again.json()["code"] == "isd.not_completed"

    login_as(client, world, "a.teacher")
    balance = client.get(f"{API}/isd-allotments/balance/").json()
    assert (balance["spent_amount"], balance["remaining_amount"]) == ("240.00", "960.00")


def test_deny_and_cancel(client, world):
    request, approved = world.obj("a.isd_request"), world.obj("a.approved_request")
    login_as(client, world, "a.principal")
    blank = post(client, f"isd-requests/{request.pk}/deny/", {"reason": " "})
    assert blank.status_code == 400 and "reason" in blank.json()["errors"]
    denied = post(client, f"isd-requests/{request.pk}/deny/", {"reason": "Out of scope"})
    assert denied.status_code == 200
    assert (denied.json()["status"], denied.json()["reason"]) == ("denied", "Out of scope")
    cancel_denied = post(client, f"isd-requests/{request.pk}/cancel/", {"reason": "x"})
    assert cancel_denied.status_code == 409
    assert cancel_denied.json()["code"] == "isd.not_submitted_or_approved_or_completed"

    login_as(client, world, "a.teacher")
    budget = Budget.objects.get(pk=pk(world, "a.isd_budget"))
    held = budget.committed_amount
    cancelled = post(client, f"isd-requests/{approved.pk}/cancel/", {"reason": "Course full"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert fresh(budget).committed_amount == held - D("300")
    assert post(client, f"isd-requests/{approved.pk}/deny/", {"reason": "x"}).status_code == 403


def test_a_request_over_the_balance_is_409(client, world):
    login_as(client, world, "a.teacher")
    response = post(client, "isd-requests/", request_body(world, cost="1200.01"))
    assert response.status_code == 409 and response.json()["code"] == "isd.balance"
    ok = post(client, "isd-requests/", request_body(world, cost="1200.00", hours="0"))
    assert ok.status_code == 201
    # Two submitted requests of $1,200 and $200 fit alone, not together.
    login_as(client, world, "a.principal")
    assert post(client, f"isd-requests/{ok.json()['id']}/approve/").status_code == 200
    second = post(client, f"isd-requests/{pk(world, 'a.isd_request')}/approve/")
    assert second.status_code == 409 and second.json()["code"] == "isd.balance"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"goal": "a.program_goal"}, "goal"),  # a colleague's goal is not there
        ({"goal": "b.professional_goal"}, "goal"),
        ({"goal": TOO_BIG}, "goal"),
        ({"kind": "holiday"}, "kind"),
        ({"cost": "-5"}, "cost"),
        ({"cost": "12.345"}, "cost"),
        ({"hours": "abc"}, "hours"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"rationale": ""}, "rationale"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_request_bodies_are_400(client, world, data, field):
    login_as(client, world, "a.teacher")
    data = {k: resolve(world, v) for k, v in data.items()}
    response = post(client, "isd-requests/", request_body(world, **data))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and field in response.json()["errors"]
    assert not IsdRequest.objects.filter(title="Phonics course").exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"cost": "0", "hours": "0"}, "isd.empty"),
        ({"end_date": "2000-01-01"}, "isd.dates"),
        ({"goal": "a.professional_goal"}, None),  # the author's own goal is fine
    ],
)
def test_request_rules_of_the_service(client, world, data, code):
    login_as(client, world, "a.teacher")
    data = {k: resolve(world, v) for k, v in data.items()}
    response = post(client, "isd-requests/", request_body(world, **data))
    if code is None:
        assert response.status_code == 201
    else:
        assert response.status_code == 400 and response.json()["code"] == code


def test_a_principal_cannot_serve_someone_elses_goal(client, world):
    # The principal sees the teacher's goal, but a request serves its author's own.
    login_as(client, world, "a.principal")
    response = post(
        client, "isd-requests/", request_body(world, goal=pk(world, "a.professional_goal"))
    )
    assert response.status_code == 400 and response.json()["code"] in (
        "isd.goal",
        "isd.no_allotment",
    )


def test_requests_change_only_through_their_workflow(client, world):
    login_as(client, world, "a.admin")
    request = pk(world, "a.isd_request")
    assert patch(client, f"isd-requests/{request}/", {"cost": "1"}).status_code == 405
    assert client.delete(f"{API}/isd-requests/{request}/").status_code == 405
    assert fresh(world.obj("a.isd_request")).cost == D("200")


def test_request_filters(client, world):
    login_as(client, world, "a.admin")

    def found(**params):
        return ids(client.get(f"{API}/isd-requests/", params))

    assert found(status="approved") == {pk(world, "a.approved_request")}
    assert found(staff=pk(world, "a.program_teacher")) == {pk(world, "a.program_request")}
    assert len(found(school_year=pk(world, "a.year"))) == 3
    assert found(staff=pk(world, "b.teacher")) == set()


# --- attachments ---------------------------------------------------------------------------


def _upload(client, request_pk, content=PDF, name="invoice.pdf"):
    return client.post(
        f"{API}/isd-requests/{request_pk}/attachments/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_the_author_attaches_receipts(client, world):
    request = world.obj("a.isd_request")
    login_as(client, world, "a.teacher")
    response = _upload(client, request.pk)
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("name", "content_type", "size")} == {
        "name": "invoice.pdf",
        "content_type": "application/pdf",
        "size": len(PDF),
    }
    png = _upload(client, request.pk, b"\x89PNG\r\n\x1a\n....", "scan.png")
    assert png.status_code == 201 and png.json()["content_type"] == "image/png"
    fake = _upload(client, request.pk, b"MZ\x90\x00 not a pdf", "receipt.pdf")
    assert fake.status_code == 400 and fake.json()["code"] == "attachment.type"
    missing = client.post(f"{API}/isd-requests/{request.pk}/attachments/", {})
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    body = client.get(f"{API}/isd-requests/{request.pk}/").json()
    assert [a["name"] for a in body["attachments"]] == ["receipt.pdf", "invoice.pdf", "scan.png"]

    login_as(client, world, "a.principal")
    assert _upload(client, request.pk).status_code == 403
    login_as(client, world, "a.other_teacher")
    assert _upload(client, request.pk).status_code == 404
    login_as(client, world, "b.admin")
    assert _upload(client, request.pk).status_code == 404
    assert IsdAttachment.objects.filter(request=request).count() == 3


def test_no_attachment_after_reimbursement_or_denial(client, world):
    request = world.obj("a.isd_request")
    services.isd_deny(request=request, actor=world.obj("a.principal").user, reason="No")
    login_as(client, world, "a.teacher")
    response = _upload(client, request.pk)
    assert response.status_code == 409


# --- query counts (every list's: cadre/tests/test_api_checks.py) --------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_principal_goal_list_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    more_goals(world, rows, school=world.obj("a.school"))
    more_goals(world, 2)  # another school's: not the principal's
    login_as(client, world, "a.principal")
    client.get(f"{API}/professional-goals/")
    with django_assert_num_queries(12):
        response = client.get(f"{API}/professional-goals/")
    assert response.json()["count"] == rows + 2  # and the teacher's two


@pytest.mark.parametrize("rows", [3, 30])
def test_balance_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    teacher = world.obj("a.teacher")
    more_allotments(world, rows)
    login_as(client, world, "a.principal")
    url = f"{API}/isd-allotments/balance/?staff={teacher.pk}&school_year={pk(world, 'a.year')}"
    client.get(url)
    with django_assert_num_queries(14):  # the staff, year, allotment rows, roles and sums
        response = client.get(url)
    assert response.status_code == 200


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_growth_api(openapi_schema):
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        assert (f"{API}/{resource}/", "get") in operations
        assert (f"{API}/{resource}/", "post") in operations
        assert (f"{API}/{resource}/{{id}}/", "get") in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
        patched = (f"{API}/{resource}/{{id}}/", "patch") in operations
        assert patched == (resource != "isd-requests")
    for action in (
        "professional-goals/{id}/submit/",
        "professional-goals/{id}/withdraw/",
        "professional-goals/{id}/approve/",
        "professional-goals/{id}/return/",
        "professional-goals/{id}/reflect/",
        "isd-requests/{id}/approve/",
        "isd-requests/{id}/deny/",
        "isd-requests/{id}/complete/",
        "isd-requests/{id}/reimburse/",
        "isd-requests/{id}/cancel/",
        "isd-requests/{id}/attachments/",
    ):
        assert (f"{API}/{action}", "post") in operations
    assert (f"{API}/isd-allotments/balance/", "get") in operations
    upload = schema["paths"][f"{API}/isd-requests/{{id}}/attachments/"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    goal = schema["components"]["schemas"]["ProfessionalGoal"]["properties"]
    assert goal["staff"]["readOnly"] is True and goal["status"]["readOnly"] is True


def test_the_business_office_records_reimbursements(client, world):
    office = staff_with_role(Role.BUSINESS_OFFICE, district=world.a)
    approved = world.obj("a.approved_request")
    services.isd_complete(request=approved, actor=world.obj("a.teacher").user, note="Done")
    login_as(client, world, office)
    assert pk(world, "a.approved_request") in ids(client.get(f"{API}/isd-requests/"))
    # It pays; it does not decide.
    assert post(client, f"isd-requests/{pk(world, 'a.isd_request')}/approve/").status_code == 403
    response = post(client, f"isd-requests/{approved.pk}/reimburse/", {"paid_amount": "300"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "reimbursed"


def test_a_request_names_a_visible_published_offering(client, world):
    login_as(client, world, "a.teacher")
    start = world.obj("a.isd_request").start_date.isoformat()
    body = {"kind": "offering", "start_date": start, "end_date": start, "rationale": "why"}
    made = post(client, "isd-requests/", body | {"offering": pk(world, "a.offering"), "hours": 3})
    assert made.status_code == 201, made.content
    assert made.json()["offering_title"] == made.json()["title"] == "Guided reading"
    for other in ("b.offering", "a.draft_offering"):  # another district's; a draft (not seen)
        refused = post(client, "isd-requests/", body | {"offering": pk(world, other)})
        assert refused.status_code == 400, refused.content
    missing = post(client, "isd-requests/", body | {"hours": 3})
    assert missing.status_code == 400 and missing.json()["code"] == "isd.offering"
