"""The planning API: scope, permissions, workflows through services, filters, bad input and
query counts.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import date

import pytest
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.planning import services
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    StakeholderInput,
    StrategicPlan,
)
from cadre.planning.tests.api_checks import more_plans
from cadre.tests.kit import (
    API,
    fresh,
    ids,
    login_as,
    patch,
    pk,
    post,
)

pytestmark = pytest.mark.django_db

RESOURCES = ["strategic-plans", "plan-goals", "needs-assessments", "pd-plans"]
OBJECTS = {
    "strategic-plans": "school_plan",
    "plan-goals": "school_goal",
    "needs-assessments": "assessment",
    "pd-plans": "pd_plan",
}
TOO_BIG = 2**63


def next_year(world, key="a"):
    district = world.a if key == "a" else world.b
    return SchoolYearFactory(
        district=district,
        name="2027–28",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads(client, world):
    key = Token.objects.create(user=world.obj("a.teacher").user).key
    response = client.get(f"{API}/strategic-plans/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(response) == {pk(world, "a.district_plan"), pk(world, "a.school_plan")}


# --- strategic plans -----------------------------------------------------------------------


def test_plans_are_seen_by_those_they_cover(client, world):
    district_plan, school_plan, draft = (
        pk(world, "a.district_plan"),
        pk(world, "a.school_plan"),
        pk(world, "a.draft_plan"),
    )
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/strategic-plans/")) == {district_plan, school_plan}
    assert client.get(f"{API}/strategic-plans/{draft}/").status_code == 404
    login_as(client, world, "a.other_teacher")
    assert ids(client.get(f"{API}/strategic-plans/")) == {district_plan}
    assert client.get(f"{API}/strategic-plans/{school_plan}/").status_code == 404
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/strategic-plans/")) == {district_plan, school_plan, draft}
    login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/strategic-plans/")) == {district_plan}


def test_plan_representation(client, world):
    login_as(client, world, "a.teacher")
    plan, school, year = world.obj("a.school_plan"), world.obj("a.school"), world.obj("a.year")
    body = client.get(f"{API}/strategic-plans/{plan.pk}/").json()
    published_at = body.pop("published_at")
    assert published_at
    assert body == {
        "id": plan.pk,
        "level": "school",
        "school": school.pk,
        "school_name": school.name,
        "program": None,
        "program_name": None,
        "owner": str(school),
        "title": "School plan",
        "summary": "",
        "first_year": year.pk,
        "first_year_name": year.name,
        "last_year": year.pk,
        "last_year_name": year.name,
        "status": "published",
        "published_by_name": world.obj("a.principal").full_name,
        "goals": [{"id": pk(world, "a.school_goal"), "code": "S1", "title": "Goal S1"}],
    }


def test_principal_drafts_and_publishes_a_school_plan(client, world):
    principal = login_as(client, world, "a.principal")
    year = world.obj("a.year")
    school = world.obj("a.school")
    response = post(
        client,
        "strategic-plans/",
        {
            "level": "school",
            "school": school.pk,
            "title": "  Literacy first ",
            "first_year": year.pk,
            "last_year": year.pk,
            "status": "published",  # read-only: publishing is its own step
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["owner"], body["goals"]) == ("draft", str(school), [])
    plan = StrategicPlan.objects.get(pk=body["id"])
    assert plan.district == world.a
    assert AuditEvent.objects.filter(
        object_type="planning.strategicplan", object_id=str(plan.pk), actor=principal.user
    ).exists()

    later = next_year(world)
    response = patch(
        client,
        f"strategic-plans/{plan.pk}/",
        {"summary": "Reading across subjects", "last_year": later.pk, "level": "district"},
    )
    assert response.status_code == 200, response.json()
    plan.refresh_from_db()
    assert (plan.summary, plan.last_year, plan.level) == (
        "Reading across subjects",
        later,
        "school",
    )

    empty = post(client, f"strategic-plans/{plan.pk}/publish/")
    assert empty.status_code == 400 and empty.json()["code"] == "plan.no_goals"
    services.goal_create(
        plan=plan,
        actor=principal.user,
        data={"code": "L1", "title": "Readers", "measure": "m", "target": "t"},
        aligns_to=[world.obj("a.district_goal")],
    )
    published = post(client, f"strategic-plans/{plan.pk}/publish/")
    assert published.status_code == 200, published.json()
    assert published.json()["status"] == "published"
    assert published.json()["published_by_name"] == principal.full_name
    again = post(client, f"strategic-plans/{plan.pk}/publish/")
    assert again.status_code == 409 and again.json()["code"] == "plan.published"
    # Now the school's staff see it.
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/strategic-plans/{plan.pk}/").status_code == 200


def test_plan_create_refusals(client, world):
    year = world.obj("a.year").pk
    base = {"title": "P", "first_year": year, "last_year": year}
    login_as(client, world, "a.principal")
    # Another school's plan, or the district's, is not the principal's to write.
    other = post(
        client,
        "strategic-plans/",
        {**base, "level": "school", "school": pk(world, "a.other_school")},
    )
    assert other.status_code == 403
    assert post(client, "strategic-plans/", {**base, "level": "district"}).status_code == 403
    # An owner that does not match the level is the service's refusal.
    mismatch = post(client, "strategic-plans/", {**base, "level": "program"})
    assert mismatch.status_code == 400 and mismatch.json()["code"] == "plan.owner"
    foreign = post(
        client, "strategic-plans/", {**base, "level": "school", "school": pk(world, "b.school")}
    )
    assert foreign.status_code == 400 and "school" in foreign.json()["errors"]
    foreign_year = post(
        client,
        "strategic-plans/",
        {**base, "level": "school", "school": pk(world, "a.school"), "first_year": TOO_BIG},
    )
    assert foreign_year.status_code == 400 and "first_year" in foreign_year.json()["errors"]
    login_as(client, world, "a.teacher")
    assert post(client, "strategic-plans/", {}).status_code == 403
    assert not StrategicPlan.objects.filter(title="P").exists()


def test_plan_write_refusals(client, world):
    school_plan, district_plan = world.obj("a.school_plan"), world.obj("a.district_plan")
    login_as(client, world, "a.teacher")
    assert patch(client, f"strategic-plans/{school_plan.pk}/", {"title": "X"}).status_code == 403
    assert post(client, f"strategic-plans/{school_plan.pk}/publish/").status_code == 403
    login_as(client, world, "a.principal")
    assert patch(client, f"strategic-plans/{district_plan.pk}/", {"title": "X"}).status_code == 403
    login_as(client, world, "a.director")
    assert patch(client, f"strategic-plans/{school_plan.pk}/", {"title": "X"}).status_code == 404
    login_as(client, world, "b.admin")
    assert patch(client, f"strategic-plans/{school_plan.pk}/", {"title": "X"}).status_code == 404
    assert fresh(school_plan).title == "School plan"


def test_plan_filters(client, world):
    login_as(client, world, "a.admin")
    district_plan, school_plan, draft = (
        pk(world, "a.district_plan"),
        pk(world, "a.school_plan"),
        pk(world, "a.draft_plan"),
    )

    def found(**params):
        return ids(client.get(f"{API}/strategic-plans/", params))

    assert found(level="district") == {district_plan}
    assert found(status="draft") == {draft}
    assert found(school=pk(world, "a.school")) == {school_plan, draft}
    assert found(q="next") == {draft}
    assert found(school_year=pk(world, "a.year")) == {district_plan, school_plan, draft}
    assert found(school_year=next_year(world).pk) == set()
    assert found(program=pk(world, "a.program")) == set()
    ordered = client.get(f"{API}/strategic-plans/", {"ordering": "title"}).json()["results"]
    assert [p["title"] for p in ordered] == ["District plan", "Next plan", "School plan"]


# --- goals of plans ------------------------------------------------------------------------


def test_goals_follow_their_plans(client, world):
    d1, s1, n1 = (pk(world, f"a.{k}") for k in ("district_goal", "school_goal", "draft_goal"))
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/plan-goals/")) == {d1, s1}
    assert client.get(f"{API}/plan-goals/{n1}/").status_code == 404
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/plan-goals/")) == {d1, s1, n1}
    assert ids(client.get(f"{API}/plan-goals/", {"level": "district"})) == {d1}
    assert ids(client.get(f"{API}/plan-goals/", {"plan": pk(world, "a.draft_plan")})) == {n1}
    assert ids(client.get(f"{API}/plan-goals/", {"q": "s1"})) == {s1}
    body = client.get(f"{API}/plan-goals/{s1}/").json()
    assert body == {
        "id": s1,
        "plan": pk(world, "a.school_plan"),
        "plan_title": "School plan",
        "level": "school",
        "code": "S1",
        "title": "Goal S1",
        "description": "",
        "measure": "m",
        "target": "t",
        "aligns_to": [d1],
    }


def test_principal_writes_goals_of_their_plans(client, world):
    principal = login_as(client, world, "a.principal")
    draft, d1 = world.obj("a.draft_plan"), world.obj("a.district_goal")
    response = post(
        client,
        "plan-goals/",
        {
            "plan": draft.pk,
            "code": "N2",
            "title": "Writers",
            "measure": "Writing rubric",
            "target": "Half at level 3",
            "aligns_to": [d1.pk],
        },
    )
    assert response.status_code == 201, response.json()
    goal = Goal.objects.get(pk=response.json()["id"])
    assert (goal.plan, list(goal.aligns_to.all())) == (draft, [d1])
    assert AuditEvent.objects.filter(
        object_type="planning.goal", object_id=str(goal.pk), actor=principal.user
    ).exists()

    duplicate = patch(client, f"plan-goals/{goal.pk}/", {"code": "N1"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "plan_goal.duplicate_code"
    # The plan is fixed; the text and alignment change.
    response = patch(
        client,
        f"plan-goals/{goal.pk}/",
        {"title": "Strong writers", "plan": pk(world, "a.school_plan")},
    )
    assert response.status_code == 200, response.json()
    goal.refresh_from_db()
    assert (goal.title, goal.plan, list(goal.aligns_to.all())) == ("Strong writers", draft, [d1])
    unaligned = patch(client, f"plan-goals/{goal.pk}/", {"aligns_to": []})
    assert (
        unaligned.status_code == 400 and unaligned.json()["code"] == "plan_goal.alignment_required"
    )


@pytest.mark.parametrize(
    ("aligns_to", "status", "code"),
    [
        ("a.school_goal", 400, "plan_goal.alignment_invalid"),  # not a district goal
        ("b.district_goal", 400, "invalid"),  # another district's
        (TOO_BIG, 400, "invalid"),
        ("abc", 400, "invalid"),
    ],
)
def test_goal_alignment_refusals(client, world, aligns_to, status, code):
    login_as(client, world, "a.principal")
    target = (
        world.obj(aligns_to).pk if isinstance(aligns_to, str) and "." in aligns_to else aligns_to
    )
    response = post(
        client,
        "plan-goals/",
        {
            "plan": pk(world, "a.draft_plan"),
            "code": "N9",
            "title": "T",
            "measure": "m",
            "target": "t",
            "aligns_to": [target],
        },
    )
    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Goal.objects.filter(code="N9").exists()


def test_goal_write_refusals(client, world):
    body = {"code": "X1", "title": "T", "measure": "m", "target": "t"}
    login_as(client, world, "a.teacher")
    assert (
        post(client, "plan-goals/", {**body, "plan": pk(world, "a.school_plan")}).status_code == 403
    )
    assert (
        patch(client, f"plan-goals/{pk(world, 'a.school_goal')}/", {"title": "X"}).status_code
        == 403
    )
    login_as(client, world, "a.principal")
    # The district's plan is the administrators'.
    response = post(client, "plan-goals/", {**body, "plan": pk(world, "a.district_plan")})
    assert response.status_code == 403
    foreign = post(client, "plan-goals/", {**body, "plan": pk(world, "b.draft_plan")})
    assert foreign.status_code == 400 and "plan" in foreign.json()["errors"]
    login_as(client, world, "a.director")
    # A school's draft plan is not even there for the director.
    hidden = post(client, "plan-goals/", {**body, "plan": pk(world, "a.draft_plan")})
    assert hidden.status_code == 400 and "plan" in hidden.json()["errors"]
    assert not Goal.objects.filter(code="X1").exists()


# --- needs assessments ---------------------------------------------------------------------


def test_a_draft_assessment_is_its_leaders_alone(client, world):
    assessment = world.obj("a.assessment")
    for key in ("a.teacher", "a.director", "a.other_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/needs-assessments/")) == set()
        assert client.get(f"{API}/needs-assessments/{assessment.pk}/").status_code == 404
    login_as(client, world, "a.principal")
    body = client.get(f"{API}/needs-assessments/{assessment.pk}/").json()
    assert body["input_token"] == assessment.input_token
    assert (body["status"], body["input_open"], body["owner"]) == (
        "draft",
        True,
        str(world.obj("a.school")),
    )
    assert body["priorities"] == [
        {"id": pk(world, "a.priority"), "rank": 1, "area": "Reading", "evidence": "Spring screener"}
    ]


def test_assessment_priorities_link_and_finalize(client, world):
    login_as(client, world, "a.principal")
    assessment = world.obj("a.assessment")
    url = f"needs-assessments/{assessment.pk}"
    response = post(client, f"{url}/priorities/", {"area": " Math ", "evidence": "Benchmarks"})
    assert response.status_code == 201, response.json()
    assert {k: response.json()[k] for k in ("rank", "area")} == {"rank": 2, "area": "Math"}
    missing = post(client, f"{url}/priorities/", {"area": "Science"})
    assert missing.status_code == 400 and "evidence" in missing.json()["errors"]

    old_token = assessment.input_token
    renewed = post(client, f"{url}/link/", {"open": True, "renew": True})
    assert renewed.status_code == 200
    assert renewed.json()["input_token"] not in (None, old_token)
    assert renewed.json()["input_open"] is True
    closed = post(client, f"{url}/link/", {"open": False})
    assert closed.status_code == 200 and closed.json()["input_open"] is False
    assert post(client, f"{url}/link/", {"open": "maybe"}).status_code == 400

    assert patch(client, f"{url}/", {"summary": "Readers first"}).status_code == 200
    final = post(client, f"{url}/finalize/")
    assert final.status_code == 200, final.json()
    assert final.json()["status"] == "final" and final.json()["input_open"] is False
    again = post(client, f"{url}/finalize/")
    assert again.status_code == 409 and again.json()["code"] == "assessment.final"
    late = post(client, f"{url}/priorities/", {"area": "Art", "evidence": "Survey"})
    assert late.status_code == 409 and late.json()["code"] == "assessment.final"
    reopen = post(client, f"{url}/link/", {"open": True})
    assert reopen.status_code == 409
    assert patch(client, f"{url}/", {"summary": "x"}).status_code == 409
    assert fresh(assessment).summary == "Readers first"

    # Final: the school's staff read it, without the link's key.
    login_as(client, world, "a.teacher")
    body = client.get(f"{API}/{url}/").json()
    assert body["status"] == "final" and body["input_token"] is None
    assert post(client, f"{url}/priorities/", {"area": "A", "evidence": "B"}).status_code == 403
    assert client.get(f"{API}/{url}/inputs/").status_code == 403


def test_finalize_needs_a_priority(client, world):
    login_as(client, world, "a.admin")
    response = post(
        client,
        "needs-assessments/",
        {"program": pk(world, "a.program"), "school_year": pk(world, "a.year")},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == str(world.obj("a.program"))
    empty = post(client, f"needs-assessments/{response.json()['id']}/finalize/")
    assert empty.status_code == 400 and empty.json()["code"] == "assessment.no_priorities"


def test_assessment_create_refusals(client, world):
    year = pk(world, "a.year")
    login_as(client, world, "a.principal")
    taken = post(
        client, "needs-assessments/", {"school": pk(world, "a.school"), "school_year": year}
    )
    assert taken.status_code == 409 and taken.json()["code"] == "assessment.exists"
    other = post(
        client, "needs-assessments/", {"school": pk(world, "a.other_school"), "school_year": year}
    )
    assert other.status_code == 403
    both = post(
        client,
        "needs-assessments/",
        {"school": pk(world, "a.school"), "program": pk(world, "a.program"), "school_year": year},
    )
    assert both.status_code == 400 and both.json()["code"] == "assessment.owner"
    foreign = post(
        client,
        "needs-assessments/",
        {"school": pk(world, "a.school"), "school_year": pk(world, "b.year")},
    )
    assert foreign.status_code == 400 and "school_year" in foreign.json()["errors"]
    login_as(client, world, "a.teacher")
    assert post(client, "needs-assessments/", {}).status_code == 403
    assert NeedsAssessment.objects.filter(district=world.a).count() == 1


def test_inputs_are_listed_and_moderated_by_leaders(client, world):
    assessment, item, priority = (
        world.obj("a.assessment"),
        world.obj("a.input"),
        world.obj("a.priority"),
    )
    url = f"needs-assessments/{assessment.pk}"
    login_as(client, world, "a.principal")
    response = client.get(f"{API}/{url}/inputs/")
    assert ids(response) == {item.pk}
    row = response.json()["results"][0]
    assert (row["source"], row["status"], row["body"]) == (
        "parent",
        "pending",
        "More reading support, please.",
    )
    assert ids(client.get(f"{API}/{url}/inputs/", {"status": "accepted"})) == set()

    moderated = post(
        client,
        f"{url}/moderate/",
        {"input": item.pk, "status": "accepted", "priority": priority.pk},
    )
    assert moderated.status_code == 200, moderated.json()
    assert (moderated.json()["status"], moderated.json()["priority"]) == ("accepted", priority.pk)
    assert fresh(item).priority == priority
    hidden = post(client, f"{url}/moderate/", {"input": item.pk, "status": "hidden"})
    assert hidden.status_code == 200 and hidden.json()["priority"] is None
    assert ids(client.get(f"{API}/{url}/inputs/", {"status": "hidden"})) == {item.pk}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"input": "b.input", "status": "accepted"}, "input"),
        ({"input": "a.input", "status": "pending"}, "status"),
        ({"input": "a.input", "status": "accepted", "priority": "b.priority"}, "priority"),
        ({"input": TOO_BIG, "status": "accepted"}, "input"),
        ({"status": "accepted"}, "input"),
    ],
)
def test_bad_moderation_is_400(client, world, data, field):
    login_as(client, world, "a.principal")
    data = {k: world.obj(v).pk if isinstance(v, str) and "." in v else v for k, v in data.items()}
    response = post(client, f"needs-assessments/{pk(world, 'a.assessment')}/moderate/", data)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert fresh(world.obj("a.input")).status == "pending"


def test_input_of_another_assessment_is_unknown(client, world):
    admin = login_as(client, world, "a.admin")
    other = services.assessment_create(
        district=world.a,
        actor=admin.user,
        data={"school": world.obj("a.other_school"), "school_year": world.obj("a.year")},
    )
    response = post(
        client,
        f"needs-assessments/{other.pk}/moderate/",
        {"input": pk(world, "a.input"), "status": "accepted"},
    )
    assert response.status_code == 400 and "input" in response.json()["errors"]
    # Nor may a priority of another assessment be attached.
    response = post(
        client,
        f"needs-assessments/{pk(world, 'a.assessment')}/moderate/",
        {
            "input": pk(world, "a.input"),
            "status": "accepted",
            "priority": services.priority_add(
                assessment=other, actor=admin.user, data={"area": "X", "evidence": "Y"}
            ).pk,
        },
    )
    assert response.status_code == 400 and "priority" in response.json()["errors"]


# --- PD plans ------------------------------------------------------------------------------


def test_pd_plan_approved_by_the_principal_is_seen_by_staff(client, world):
    plan = world.obj("a.pd_plan")
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/pd-plans/{plan.pk}/").status_code == 404
    login_as(client, world, "a.director")
    assert post(client, f"pd-plans/{plan.pk}/approve/").status_code == 404
    principal = login_as(client, world, "a.principal")
    body = client.get(f"{API}/pd-plans/{plan.pk}/").json()
    assert (body["status"], body["priorities"], body["goals"]) == (
        "submitted",
        [pk(world, "a.priority")],
        [pk(world, "a.school_goal")],
    )
    approved = post(client, f"pd-plans/{plan.pk}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by_name"] == principal.full_name
    again = post(client, f"pd-plans/{plan.pk}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "pd_plan.not_submitted"
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/pd-plans/")) == {plan.pk}
    assert post(client, f"pd-plans/{plan.pk}/submit/").status_code == 403


def test_pd_plan_return_edit_and_resubmit(client, world):
    plan = world.obj("a.pd_plan")
    url = f"pd-plans/{plan.pk}"
    login_as(client, world, "a.principal")
    assert patch(client, f"{url}/", {"individual": "x"}).status_code == 409
    blank = post(client, f"{url}/return/", {"comment": "  "})
    assert blank.status_code == 400 and "comment" in blank.json()["errors"]
    returned = post(client, f"{url}/return/", {"comment": "Say more about coaching"})
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["comment"]) == (
        "returned",
        "Say more about coaching",
    )
    response = patch(
        client,
        f"{url}/",
        {"intensive_support": "Coaching cycles every six weeks", "goals": [], "school": None},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["goals"] == [] and response.json()["priorities"] == [
        pk(world, "a.priority")
    ]
    assert fresh(plan).school == world.obj("a.school")
    resubmitted = post(client, f"{url}/submit/")
    assert resubmitted.status_code == 200 and resubmitted.json()["status"] == "submitted"
    assert post(client, f"{url}/submit/").json()["code"] == "pd_plan.not_draft"


def test_pd_plan_create_and_refusals(client, world):
    later = next_year(world)
    login_as(client, world, "a.principal")
    base = {"school": pk(world, "a.school"), "school_year": later.pk, "individual": "Goals"}
    # The priority is of this year's assessment, not next year's.
    wrong = post(client, "pd-plans/", {**base, "priorities": [pk(world, "a.priority")]})
    assert wrong.status_code == 400 and wrong.json()["code"] == "pd_plan.priority"
    foreign = post(client, "pd-plans/", {**base, "goals": [pk(world, "b.district_goal")]})
    assert foreign.status_code == 400 and "goals" in foreign.json()["errors"]
    big = post(client, "pd-plans/", {**base, "priorities": [TOO_BIG]})
    assert big.status_code == 400 and "priorities" in big.json()["errors"]
    other = post(client, "pd-plans/", {**base, "school": pk(world, "a.other_school")})
    assert other.status_code == 403
    # The district plan covers this year only, not next year.
    stale = post(client, "pd-plans/", {**base, "goals": [pk(world, "a.district_goal")]})
    assert stale.status_code == 400 and stale.json()["code"] == "pd_plan.goal_year"
    StrategicPlan.objects.filter(pk=world.obj("a.district_plan").pk).update(last_year=later)
    response = post(client, "pd-plans/", {**base, "goals": [pk(world, "a.district_goal")]})
    assert response.status_code == 201, response.json()
    assert (response.json()["status"], response.json()["goals"]) == (
        "draft",
        [pk(world, "a.district_goal")],
    )
    taken = post(client, "pd-plans/", base)
    assert taken.status_code == 409 and taken.json()["code"] == "pd_plan.exists"
    incomplete = post(client, f"pd-plans/{response.json()['id']}/submit/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "pd_plan.incomplete"
    login_as(client, world, "a.teacher")
    assert post(client, "pd-plans/", base).status_code == 403
    assert PdPlan.objects.filter(district=world.a).count() == 2


def test_pd_plan_filters(client, world):
    login_as(client, world, "a.admin")
    plan = pk(world, "a.pd_plan")
    assert ids(client.get(f"{API}/pd-plans/", {"status": "submitted"})) == {plan}
    assert ids(client.get(f"{API}/pd-plans/", {"status": "approved"})) == set()
    assert ids(client.get(f"{API}/pd-plans/", {"school": pk(world, "a.school")})) == {plan}
    assert ids(client.get(f"{API}/pd-plans/", {"program": pk(world, "a.program")})) == set()
    assert ids(client.get(f"{API}/pd-plans/", {"school_year": pk(world, "a.year")})) == {plan}
    assessment = pk(world, "a.assessment")
    assert ids(client.get(f"{API}/needs-assessments/", {"status": "draft"})) == {assessment}
    assert ids(client.get(f"{API}/needs-assessments/", {"status": "final"})) == set()
    assert (
        ids(client.get(f"{API}/needs-assessments/", {"program": pk(world, "a.program")})) == set()
    )


# --- bad input is a 400, never a 500 -------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"level": "school", "school": "abc"},
        {"level": "school", "school": TOO_BIG},
        {"level": "school", "school": [1]},
        {"level": "nation"},
        {"level": "district", "first_year": None},
        {"level": "district", "title": "x" * 201},
    ],
)
def test_bad_plan_bodies_are_400(client, world, data):
    login_as(client, world, "a.admin")
    year = pk(world, "a.year")
    body = {"title": "Bad", "first_year": year, "last_year": year, **data}
    response = post(client, "strategic-plans/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# --- query counts (every list's: cadre/tests/test_api_checks.py) --------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_teacher_plan_list_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    more_plans(world, rows, school=world.obj("a.school"))
    more_plans(world, 2)  # of other schools: not the teacher's
    login_as(client, world, "a.teacher")
    client.get(f"{API}/strategic-plans/")
    with django_assert_num_queries(12):
        response = client.get(f"{API}/strategic-plans/")
    assert response.json()["count"] == rows + 2  # the district plan and their school's


@pytest.mark.parametrize("rows", [3, 30])
def test_inputs_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    assessment = world.obj("a.assessment")
    for i in range(rows):
        StakeholderInput.objects.create(
            district=world.a, assessment=assessment, source="community", body=f"Input {i}"
        )
    login_as(client, world, "a.principal")
    url = f"{API}/needs-assessments/{assessment.pk}/inputs/"
    client.get(url)
    with django_assert_num_queries(11):  # the list's queries and the assessment
        response = client.get(url)
    assert response.json()["count"] == rows + 1


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_planning_api(openapi_schema):
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        for route, method in (("", "get"), ("", "post"), ("{id}/", "get"), ("{id}/", "patch")):
            assert (f"{API}/{resource}/{route}", method) in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
    for action in (
        "strategic-plans/{id}/publish/",
        "needs-assessments/{id}/finalize/",
        "needs-assessments/{id}/link/",
        "needs-assessments/{id}/priorities/",
        "needs-assessments/{id}/moderate/",
        "pd-plans/{id}/submit/",
        "pd-plans/{id}/approve/",
        "pd-plans/{id}/return/",
    ):
        assert (f"{API}/{action}", "post") in operations
    assert (f"{API}/needs-assessments/{{id}}/inputs/", "get") in operations
    patched = schema["components"]["schemas"]["PatchedStrategicPlanChangeRequest"]["properties"]
    assert set(patched) == {"title", "summary", "first_year", "last_year"}
    assert (
        "input_token" not in schema["components"]["schemas"]["NeedsAssessmentRequest"]["properties"]
    )


def test_a_second_admin_decides_like_the_first(client, world):
    login_as(client, world, staff_with_role(Role.DISTRICT_ADMIN, district=world.a))
    response = post(client, f"pd-plans/{pk(world, 'a.pd_plan')}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
