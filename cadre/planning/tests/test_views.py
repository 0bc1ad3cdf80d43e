"""Planning pages through the client: strategic plans and goals, needs assessments with
priorities and stakeholder input (including the public link), and PD plans."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.districts.factories import SchoolFactory, SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.planning import services
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)
from cadre.tests.kit import login, text

pytestmark = pytest.mark.django_db


def pks(response) -> list[int]:
    return [x.pk for x in response.context["page"]]


# --- strategic plans -------------------------------------------------------------------------


def test_a_principal_drafts_edits_aligns_and_publishes_a_school_plan(client, o):
    client = login(client, o["principal"])
    form = client.get(reverse("strategic-plan-create")).context["form"]
    # Only what the principal may pick: a school plan, for their own school.
    assert [c[0] for c in form.fields["level"].choices] == ["school"]
    assert list(form.fields["school"].queryset) == [o["school"]]
    assert "program" not in form.fields
    data = {
        "level": "school",
        "school": o["school"].pk,
        "title": "Reading first",
        "first_year": o["year"].pk,
        "last_year": o["year"].pk,
    }
    other = client.post(reverse("strategic-plan-create"), {**data, "school": o["other_school"].pk})
    assert other.status_code == 400 and "Select a valid choice" in text(other)
    assert client.post(reverse("strategic-plan-create"), data).status_code == 302
    plan = StrategicPlan.objects.get(title="Reading first")
    assert plan.status == "draft" and plan.school == o["school"]

    edit = reverse("strategic-plan-edit", args=[plan.pk])
    response = client.post(edit, {**data, "title": "Reading first, always", "summary": "Why."})
    assert response.status_code == 302
    assert StrategicPlan.objects.get(pk=plan.pk).title == "Reading first, always"

    # Publishing without goals is refused with the reason on the plan's page.
    publish = reverse("strategic-plan-publish", args=[plan.pk])
    refused = client.post(publish, follow=True)
    assert "needs at least one goal" in text(refused)

    # A school goal must serve a district goal: the refusal is inline, and nothing is saved.
    add = reverse("plan-goal-create", args=[plan.pk])
    offered = client.get(add).context["form"].fields["aligns_to"].queryset
    assert list(offered) == [o["district_goal"]]
    goal = {"code": "R1", "title": "Fluent readers", "measure": "Screener", "target": "80%"}
    response = client.post(add, goal)
    assert response.status_code == 400
    assert "Choose at least one district goal" in text(response)
    assert not Goal.objects.filter(plan=plan).exists()
    # Another school goal is not a district goal, so it is not a valid choice.
    response = client.post(add, {**goal, "aligns_to": [o["school_goal"].pk]})
    assert response.status_code == 400 and "Select a valid choice" in text(response)
    response = client.post(add, {**goal, "aligns_to": [o["district_goal"].pk]})
    assert response.status_code == 302
    created = Goal.objects.get(plan=plan, code="R1")
    assert list(created.aligns_to.all()) == [o["district_goal"]]
    # A second R1 in the same plan is refused inline.
    again = client.post(add, {**goal, "aligns_to": [o["district_goal"].pk]})
    assert again.status_code == 400 and "already has a goal R1" in text(again)

    response = client.post(
        reverse("plan-goal-edit", args=[created.pk]),
        {**goal, "target": "85%", "aligns_to": [o["district_goal"].pk]},
    )
    assert response.status_code == 302 and Goal.objects.get(pk=created.pk).target == "85%"

    client.post(publish)
    assert StrategicPlan.objects.get(pk=plan.pk).status == "published"
    page = text(client.get(plan.get_absolute_url()))
    assert "R1" in page and "Fluent readers" in page and "85%" in page
    assert "D1 Goal D1" in page  # the district goal it serves


def test_the_district_plan_shows_supporting_goals_the_viewer_may_see(client, o):
    url = o["district_plan"].get_absolute_url()
    principal = text(login(client, o["principal"]).get(url))
    assert "S1 Goal S1" in principal and "N1 Goal N1" in principal  # their draft too
    teacher = text(login(client, o["teacher"]).get(url))
    assert "S1 Goal S1" in teacher and "N1 Goal N1" not in teacher
    director = text(login(client, o["director"]).get(url))
    assert "S1 Goal S1" not in director  # another school's plan


def test_forms_offer_each_leader_only_their_own_kind_of_plan(client, o):
    director = login(client, o["director"]).get(reverse("strategic-plan-create"))
    form = director.context["form"]
    assert [c[0] for c in form.fields["level"].choices] == ["program"]
    assert list(form.fields["program"].queryset) == [o["program"]]
    assert "school" not in form.fields
    admin = login(client, o["admin"]).get(reverse("strategic-plan-create")).context["form"]
    assert [c[0] for c in admin.fields["level"].choices] == ["district", "school", "program"]
    # A district plan's goals align to nothing, so the field is not offered.
    goal_form = client.get(reverse("plan-goal-create", args=[o["district_plan"].pk]))
    assert "aligns_to" not in goal_form.context["form"].fields


def test_a_district_goal_of_other_years_is_not_offered(client, o, world):
    later = SchoolYearFactory(
        district=world.a,
        name="2030–31",
        start_date=date(2030, 7, 1),
        end_date=date(2031, 6, 30),
        is_current=False,
    )
    admin = o["admin"].user
    plan = services.plan_create(
        district=world.a,
        actor=admin,
        data={"level": "district", "title": "Later", "first_year": later, "last_year": later},
    )
    far = services.goal_create(
        plan=plan, actor=admin, data={"code": "L1", "title": "t", "measure": "m", "target": "t"}
    )
    services.plan_publish(plan=plan, actor=admin)
    client = login(client, o["principal"])
    add = reverse("plan-goal-create", args=[o["draft_plan"].pk])
    assert far not in client.get(add).context["form"].fields["aligns_to"].queryset
    data = {"code": "N2", "title": "t", "measure": "m", "target": "t", "aligns_to": [far.pk]}
    assert client.post(add, data).status_code == 400


def test_a_plan_with_a_year_range_backwards_is_refused_inline(client, o, world):
    later = SchoolYearFactory(
        district=world.a,
        name="2027–28",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )
    response = login(client, o["admin"]).post(
        reverse("strategic-plan-create"),
        {"level": "district", "title": "Odd", "first_year": later.pk, "last_year": o["year"].pk},
    )
    assert response.status_code == 400 and "The last school year comes after" in text(response)
    response = client.post(
        reverse("strategic-plan-create"),
        {"level": "school", "title": "No school", "first_year": later.pk, "last_year": later.pk},
    )
    assert response.status_code == 400 and "Choose the school" in text(response)


# --- needs assessments -----------------------------------------------------------------------


def test_a_principal_ranks_reorders_and_finalises_priorities(client, o):
    client = login(client, o["principal"])
    assessment = o["assessment"]
    # One per school and year: a second is refused with the reason.
    again = client.post(
        reverse("needs-assessment-create"), {"school": o["school"].pk, "school_year": o["year"].pk}
    )
    assert again.status_code == 400 and "already has a needs assessment" in text(again)

    add = reverse("priority-add", args=[assessment.pk])
    for area in ("Math", "Belonging"):
        assert client.post(add, {"area": area, "evidence": "Survey"}).status_code == 302
    assert client.post(add, {"area": "", "evidence": ""}).status_code == 400

    def order():
        return list(assessment.priorities.values_list("area", flat=True))

    assert order() == ["Reading", "Math", "Belonging"]
    belonging = Priority.objects.get(assessment=assessment, area="Belonging")
    move = reverse("priority-move", args=[belonging.pk])
    client.post(move, {"direction": "up"})
    assert order() == ["Reading", "Belonging", "Math"]
    client.post(move, {"rank": "1"})
    assert order() == ["Belonging", "Reading", "Math"]
    first = client.post(move, {"direction": "up"}, follow=True)
    assert "already first" in text(first) and order() == ["Belonging", "Reading", "Math"]
    # Nonsense is a clear 400, never a 500, and changes nothing.
    for bad in ({"rank": "first"}, {"rank": "0"}, {"rank": "99"}, {"rank": "9" * 30}, {}):
        response = client.post(move, bad)
        assert response.status_code == 400, bad
        assert "rank" in text(response).lower() or "up or down" in text(response)
    assert order() == ["Belonging", "Reading", "Math"]

    math = Priority.objects.get(assessment=assessment, area="Math")
    client.post(
        reverse("priority-edit", args=[math.pk]), {"area": "Math, grades 6–8", "evidence": "x"}
    )
    client.post(reverse("priority-remove", args=[belonging.pk]))
    assert list(assessment.priorities.values_list("rank", "area")) == [
        (1, "Reading"),
        (2, "Math, grades 6–8"),
    ]
    page = text(client.get(assessment.get_absolute_url()))
    assert page.index(f'id="priority-{o["priority"].pk}"') < page.index(f'id="priority-{math.pk}"')
    assert "Spring screener" in page  # the evidence

    # The teacher cannot see the draft; once final, they can read it.
    teacher = Client()
    login(teacher, o["teacher"])
    assert teacher.get(assessment.get_absolute_url()).status_code == 404
    assert pks(teacher.get(reverse("needs-assessment-list"))) == []
    client.post(reverse("needs-assessment-finalize", args=[assessment.pk]))
    final = NeedsAssessment.objects.get(pk=assessment.pk)
    assert final.status == "final" and not final.input_open
    assert teacher.get(assessment.get_absolute_url()).status_code == 200
    assert pks(teacher.get(reverse("needs-assessment-list"))) == [assessment.pk]
    # A final assessment is frozen: its edit pages send the principal back with the reason.
    frozen = client.get(reverse("priority-add", args=[assessment.pk]), follow=True)
    assert "is final" in text(frozen)
    refused = client.post(reverse("priority-move", args=[math.pk]), {"rank": "1"}, follow=True)
    assert "you cannot change it" in text(refused)
    assert order() == ["Reading", "Math, grades 6–8"]


def test_the_input_link_opens_takes_anonymous_input_and_the_principal_attaches_it(client, o):
    assessment = o["assessment"]
    leader = login(client, o["principal"])
    detail = text(leader.get(assessment.get_absolute_url()))
    public = reverse("stakeholder-input", args=[assessment.input_token])
    assert f'value="http://testserver{public}"' in detail  # the full link, to copy

    anon = Client()
    page = anon.get(public)
    assert page.status_code == 200
    body = text(page)
    assert o["school"].name in body and o["year"].name in body and "Reading" in body
    # Nothing beyond the name, year and areas: no evidence, no one else's input.
    assert "Spring screener" not in body and "More reading support" not in body
    response = anon.post(
        public, {"source": "parent", "name": "", "body": "Please teach phonics to all."}
    )
    assert response.status_code == 302 and response["Location"].endswith("?sent=1")
    assert "Thank you" in text(anon.get(response["Location"]))
    item = StakeholderInput.objects.get(body="Please teach phonics to all.")
    assert item.status == "pending" and item.source == "parent" and item.staff is None

    queue = leader.get(reverse("needs-assessment-inputs", args=[assessment.pk]))
    assert "Please teach phonics to all." in text(queue)
    only_parents = leader.get(
        reverse("needs-assessment-inputs", args=[assessment.pk]), {"source": "community"}
    )
    assert pks(only_parents) == []
    moderate = reverse("stakeholder-input-moderate", args=[item.pk])
    response = leader.post(moderate, {"status": "accepted", "priority": o["priority"].pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "accepted" and item.priority == o["priority"]
    assert "Please teach phonics to all." in text(leader.get(assessment.get_absolute_url()))
    # A priority of another assessment, or a made-up status, is a clear 400.
    assert leader.post(moderate, {"status": "accepted", "priority": "999999"}).status_code == 400
    assert leader.post(moderate, {"status": "shred"}).status_code == 400
    hidden = leader.post(moderate, {"status": "hidden", "priority": o["priority"].pk})
    assert hidden.status_code == 302
    item.refresh_from_db()
    assert item.status == "hidden" and item.priority is None

    # Closing the link: the page answers a friendly 404; renewing replaces the old link.
    link = reverse("needs-assessment-link", args=[assessment.pk])
    leader.post(link, {"action": "close"})
    closed = anon.get(public)
    assert closed.status_code == 404 and "not taking input" in text(closed)
    assert anon.post(public, {"source": "parent", "body": "Hi"}).status_code == 404
    leader.post(link, {"action": "open"})
    leader.post(link, {"action": "renew"})
    fresh = NeedsAssessment.objects.get(pk=assessment.pk)
    assert fresh.input_open and fresh.input_token != assessment.input_token
    assert anon.get(public).status_code == 404
    assert anon.get(reverse("stakeholder-input", args=[fresh.input_token])).status_code == 200
    assert leader.post(link, {"action": "explode"}).status_code == 400


def test_the_public_page_works_with_csrf_checks_and_keeps_text_when_rate_limited(o):
    anon = Client(enforce_csrf_checks=True)
    public = reverse("stakeholder-input", args=[o["assessment"].input_token])
    for i in range(services.PER_SENDER_PER_HOUR):
        anon.get(public)
        token = anon.cookies["csrftoken"].value
        data = {"csrfmiddlewaretoken": token, "source": "community", "body": f"Idea {i}"}
        assert anon.post(public, data).status_code == 302
    anon.get(public)
    data = {
        "csrfmiddlewaretoken": anon.cookies["csrftoken"].value,
        "source": "community",
        "name": "Sam",
        "body": "One idea too many",
    }
    limited = anon.post(public, data)
    assert limited.status_code == 429
    body = text(limited)
    assert "Please try again later" in body
    assert "One idea too many" in body and 'value="Sam"' in body  # what they typed stays
    assert not StakeholderInput.objects.filter(body="One idea too many").exists()
    # Without the CSRF token the post is refused.
    assert Client(enforce_csrf_checks=True).post(public, data).status_code == 403


def test_behind_a_trusted_proxy_each_parent_has_their_own_limit(o, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    public = reverse("stakeholder-input", args=[o["assessment"].input_token])

    def send(forwarded_for, body):
        data = {"source": "parent", "body": body}
        return Client(HTTP_X_FORWARDED_FOR=forwarded_for).post(public, data).status_code

    for i in range(services.PER_SENDER_PER_HOUR):
        assert send("198.51.100.7", f"First parent {i}") == 302
    assert send("198.51.100.7", "First parent again") == 429
    assert send("198.51.100.8", "Second parent") == 302  # same proxy, another parent
    # A request that skipped the proxy is keyed on its own address, not refused.
    assert Client().post(public, {"source": "parent", "body": "Direct"}).status_code == 302


def test_bad_or_unknown_public_input(o, world):
    anon = Client()
    for token in ("nope", "x" * 100):
        response = anon.get(reverse("stakeholder-input", args=[token]))
        assert response.status_code == 404 and "not taking input" in text(response)
    public = reverse("stakeholder-input", args=[o["assessment"].input_token])
    empty = anon.post(public, {"source": "parent", "body": "  "})
    assert empty.status_code == 400 and "Write your input" in text(empty)
    who = anon.post(public, {"source": "staff", "body": "I am staff"})
    assert who.status_code == 400 and "Select a valid choice" in text(who)
    too_long = anon.post(public, {"source": "parent", "body": "x" * 5000})
    assert too_long.status_code == 400
    # A final assessment takes no input from the link, even if it was open.
    services.priority_add(
        assessment=o["assessment"], actor=o["principal"].user, data={"area": "M", "evidence": "e"}
    )
    services.assessment_finalize(assessment=o["assessment"], actor=o["principal"].user)
    assert anon.get(public).status_code == 404


def test_staff_of_the_school_give_input_others_cannot(client, o):
    url = reverse("needs-assessment-give-input", args=[o["assessment"].pk])
    teacher = login(client, o["teacher"])
    page = teacher.get(url)
    assert page.status_code == 200 and "Reading" in text(page)
    assert "More reading support" not in text(page)  # not others' input
    assert teacher.post(url, {"body": ""}).status_code == 400
    assert teacher.post(url, {"body": "Time to co-plan, please."}).status_code == 302
    mine = StakeholderInput.objects.get(body="Time to co-plan, please.")
    assert mine.source == "staff" and mine.staff == o["teacher"]
    assert "Time to co-plan, please." in text(teacher.get(url))
    # The teacher's home asks for their input.
    assert url in text(teacher.get("/"))
    assert login(Client(), o["other_teacher"]).get(url).status_code == 404
    assert login(Client(), o["program_teacher"]).get(url).status_code == 404


# --- PD plans --------------------------------------------------------------------------------


def test_pd_plan_returned_edited_resubmitted_and_approved(client, o):
    plan = o["pd_plan"]
    principal = login(client, o["principal"])
    teacher = login(Client(), o["teacher"])
    assert teacher.get(plan.get_absolute_url()).status_code == 404
    assert pks(teacher.get(reverse("pd-plan-list"))) == []

    return_url = reverse("pd-plan-return", args=[plan.pk])
    empty = principal.post(return_url, {"comment": " "})
    assert empty.status_code == 400 and "Say what to change" in text(empty)
    principal.post(return_url, {"comment": "Say more about PLCs."})
    plan.refresh_from_db()
    assert plan.status == "returned" and plan.comment == "Say more about PLCs."
    assert "Say more about PLCs." in text(principal.get(plan.get_absolute_url()))

    edit = reverse("pd-plan-edit", args=[plan.pk])
    form = principal.get(edit).context["form"]
    assert list(form.fields["priorities"].queryset) == [o["priority"]]
    goals = set(form.fields["goals"].queryset)
    assert {o["school_goal"], o["district_goal"], o["draft_goal"]} == goals
    data = {
        "priorities": [o["priority"].pk],
        "goals": [o["school_goal"].pk, o["district_goal"].pk],
        "intensive_support": "Coaching cycles",
        "individual": "Goals",
        "small_group": "Weekly PLCs on reading data",
        "whole_group": "Institute",
    }
    assert principal.post(edit, {**data, "goals": ["abc"]}).status_code == 400
    assert principal.post(edit, data).status_code == 302
    plan.refresh_from_db()
    assert plan.small_group == "Weekly PLCs on reading data" and plan.goals.count() == 2

    principal.post(reverse("pd-plan-submit", args=[plan.pk]))
    assert PdPlan.objects.get(pk=plan.pk).status == "submitted"
    locked = principal.get(edit, follow=True)
    assert "only a draft or a returned plan can change" in text(locked)
    principal.post(reverse("pd-plan-approve", args=[plan.pk]))
    assert PdPlan.objects.get(pk=plan.pk).status == "approved"

    page = teacher.get(plan.get_absolute_url())
    assert page.status_code == 200
    body = text(page)
    assert "Weekly PLCs on reading data" in body and "Reading" in body and "S1 Goal S1" in body
    assert pks(teacher.get(reverse("pd-plan-list"))) == [plan.pk]
    # Deciding twice is a message, not an error.
    again = principal.post(reverse("pd-plan-approve", args=[plan.pk]), follow=True)
    assert "you cannot approve it" in text(again)


def test_a_new_pd_plan_submitted_incomplete_is_refused_with_the_reason(client, o, world):
    school = SchoolFactory(district=world.a)
    admin = login(client, o["admin"])
    response = admin.post(
        reverse("pd-plan-create"),
        {"school": school.pk, "school_year": o["year"].pk, "whole_group": "Institute"},
    )
    assert response.status_code == 302
    plan = PdPlan.objects.get(school=school)
    refused = admin.post(reverse("pd-plan-submit", args=[plan.pk]), follow=True)
    assert "Describe the structure for support" in text(refused)
    both = admin.post(
        reverse("pd-plan-create"),
        {"school": school.pk, "program": o["program"].pk, "school_year": o["year"].pk},
    )
    assert both.status_code == 400 and "not both" in text(both)
    # The principal may not write another school's plan.
    principal = login(Client(), o["principal"])
    other = principal.post(
        reverse("pd-plan-create"), {"school": school.pk, "school_year": o["year"].pk}
    )
    assert other.status_code == 400


def test_an_assistant_principal_leads_but_does_not_approve(client, o, world):
    assistant = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    client = login(client, assistant)
    page = client.get(o["pd_plan"].get_absolute_url())
    assert page.status_code == 200 and not page.context["can_decide"]
    assert client.post(reverse("pd-plan-approve", args=[o["pd_plan"].pk])).status_code == 403


# --- what teachers see, and bad input --------------------------------------------------------


def test_a_teacher_sees_only_published_plans(client, o):
    teacher = login(client, o["teacher"])
    seen = set(pks(teacher.get(reverse("strategic-plan-list"))))
    assert seen == {o["district_plan"].pk, o["school_plan"].pk}
    assert teacher.get(o["draft_plan"].get_absolute_url()).status_code == 404
    drafts = teacher.get(reverse("strategic-plan-list"), {"status": "draft"})
    assert pks(drafts) == []
    assert "New plan" not in text(teacher.get(reverse("strategic-plan-list")))


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("strategic-plan-list", {"school": "abc"}),
        ("strategic-plan-list", {"program": "99999999999999999999999"}),
        ("strategic-plan-list", {"level": "galaxy"}),
        ("needs-assessment-list", {"school_year": "-3"}),
        ("needs-assessment-list", {"status": "maybe"}),
        ("pd-plan-list", {"program": "1e5"}),
        ("pd-plan-list", {"status": "done"}),
    ],
)
def test_garbage_filters_answer_400_with_the_reason(client, o, name, query):
    response = login(client, o["admin"]).get(reverse(name), query)
    assert response.status_code == 400
    assert "is not a valid" in text(response)


def test_filters_narrow_the_lists(client, o):
    admin = login(client, o["admin"])
    by_school = pks(admin.get(reverse("strategic-plan-list"), {"school": o["school"].pk}))
    assert set(by_school) == {o["school_plan"].pk, o["draft_plan"].pk}
    by_level = pks(admin.get(reverse("strategic-plan-list"), {"level": "district"}))
    assert by_level == [o["district_plan"].pk]
    assert pks(admin.get(reverse("needs-assessment-list"), {"status": "final"})) == []
    assert pks(admin.get(reverse("pd-plan-list"), {"status": "submitted"})) == [o["pd_plan"].pk]
    queue = reverse("needs-assessment-inputs", args=[o["assessment"].pk])
    assert admin.get(queue, {"status": "nope"}).status_code == 400
    assert pks(admin.get(queue, {"status": "pending"})) == [o["input"].pk]


def test_the_home_shows_leaders_what_waits(client, o):
    body = text(login(client, o["principal"]).get("/"))
    assert "stakeholder input to review" in body
    assert o["pd_plan"].get_absolute_url() in body
    assert 'href="/planning/plans/"' in body  # the navigation entry


# --- pinned query counts ---------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_rows(world, o, n: int = 6) -> None:
    admin, year = o["admin"].user, o["year"]
    for i in range(n):
        school = SchoolFactory(district=world.a)
        plan = services.plan_create(
            district=world.a,
            actor=admin,
            data={
                "level": "school",
                "school": school,
                "title": f"Plan {i}",
                "first_year": year,
                "last_year": year,
            },
        )
        services.goal_create(
            plan=plan,
            actor=admin,
            data={"code": f"G{i}", "title": "t", "measure": "m", "target": "t"},
            aligns_to=[o["district_goal"]],
        )
        services.plan_publish(plan=plan, actor=admin)
        assessment = services.assessment_create(
            district=world.a, actor=admin, data={"school": school, "school_year": year}
        )
        services.priority_add(
            assessment=assessment, actor=admin, data={"area": "A", "evidence": "e"}
        )
        services.pd_plan_create(
            district=world.a, actor=admin, data={"school": school, "school_year": year}
        )
        services.input_submit_public(
            assessment=o["assessment"],
            data={"source": "community", "name": f"N{i}", "body": f"Idea {i}"},
            client_ip=f"192.0.2.{i + 1}",
        )
    StakeholderInput.objects.filter(body__in=["Idea 0", "Idea 1"]).update(
        status=StakeholderInput.Status.ACCEPTED, priority=o["priority"]
    )


PAGES = {
    "plans": lambda o: reverse("strategic-plan-list"),
    "assessments": lambda o: reverse("needs-assessment-list"),
    "pd-plans": lambda o: reverse("pd-plan-list"),
    "inputs": lambda o: reverse("needs-assessment-inputs", args=[o["assessment"].pk]),
    "district-plan": lambda o: o["district_plan"].get_absolute_url(),
    "assessment": lambda o: o["assessment"].get_absolute_url(),
}
LEADERS_ONLY = {"inputs", "assessment"}  # the draft assessment is its leaders' alone


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (role, page)
        for role in ("admin", "principal", "teacher")
        for page in PAGES
        if role != "teacher" or page not in LEADERS_ONLY
    ],
)
def test_pages_use_the_same_number_of_queries_for_more_rows(
    client, o, world, role, page, django_assert_num_queries
):
    client = login(client, o[role])
    address = PAGES[page](o)
    before = _count(client, address)
    _more_rows(world, o)
    with django_assert_num_queries(before):
        assert client.get(address).status_code == 200


# The session, the user and the actor (5), the page's own reads, and the session save (3).
PINNED = {"plans": 12, "assessments": 13, "pd-plans": 13, "inputs": 13}


@pytest.mark.parametrize("page", sorted(PINNED))
def test_list_page_query_counts_are_pinned(client, o, world, page, django_assert_num_queries):
    _more_rows(world, o)
    urls = {
        "plans": reverse("strategic-plan-list"),
        "assessments": reverse("needs-assessment-list"),
        "pd-plans": reverse("pd-plan-list"),
        "inputs": reverse("needs-assessment-inputs", args=[o["assessment"].pk]),
    }
    client = login(client, o["admin"])
    with django_assert_num_queries(PINNED[page]):
        assert client.get(urls[page]).status_code == 200


def test_ids_in_pages_never_leak_another_district(client, o, world):
    admin = login(client, o["admin"])
    outsider = world.obj("b.assessment")
    assert admin.get(reverse("needs-assessment-detail", args=[outsider.pk])).status_code == 404
    response = admin.post(
        reverse("stakeholder-input-moderate", args=[world.obj("b.input").pk]),
        {"status": "accepted"},
    )
    assert response.status_code == 404
    # A token from district B still works for the public: it carries its own district.
    anon = Client()
    page = anon.get(reverse("stakeholder-input", args=[outsider.input_token]))
    assert page.status_code == 200 and world.obj("b.school").name in text(page)
    assert re.search(r"Alder District", text(page)) is None


def test_a_final_assessment_shows_staff_its_priorities_but_not_others_input(client, o):
    principal = o["principal"].user
    services.input_moderate(
        item=o["input"], actor=principal, status="accepted", priority=o["priority"]
    )
    services.assessment_finalize(assessment=o["assessment"], actor=principal)
    url = o["assessment"].get_absolute_url()
    leader = text(login(client, o["principal"]).get(url))
    assert "More reading support, please." in leader
    teacher = login(Client(), o["teacher"]).get(url)
    assert teacher.status_code == 200
    assert "Reading" in text(teacher) and "More reading support" not in text(teacher)
    assert not teacher.context["can_change"] and not teacher.context["can_moderate"]
