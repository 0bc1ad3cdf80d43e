from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.funding.models import StipendAward
from cadre.mentoring import services
from cadre.mentoring.models import ExtendedSupport, Log, Match, Mentor, OnboardingTask, Training
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db
FOCUS = "First unit plan and the seating chart"  # the world's log, which only the pair reads


def new_teacher(o, days=30, hired_ago=10, **kwargs):
    return staff_with_role(
        Role.TEACHER,
        school=o["school"],
        contracted_days=days,
        substitute_days=0,
        hire_date=o["school"].district.today() - timedelta(days=hired_ago),
        **kwargs,
    )


# --- confidentiality -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["principal", "admin"])
def test_followers_see_counts_and_dates_never_the_log(client, o, who):
    page = login(client, o[who]).get(url("mentor-match-detail", o["match"]))
    assert page.status_code == 200
    body = text(page)
    assert "1 contact" in body and "confidential to the mentor and the new teacher" in body
    assert FOCUS not in body and "Observe period 2" not in body
    assert client.get(url("mentor-log-detail", o["mentor_log"])).status_code == 404


def test_the_pair_reads_the_log(client, o):
    body = text(login(client, o["teacher"]).get(url("mentor-match-detail", o["match"])))
    assert "First unit plan" in body and "Log a contact" in body
    body = text(login(client, o["new_teacher"]).get(url("mentor-log-detail", o["mentor_log"])))
    assert FOCUS in body and "Reflect on this contact" in body


def test_log_content_stays_out_of_the_audit_log(client, o):
    login(client, o["admin"])
    body = text(client.get(reverse("audit-list")))
    assert "seating chart" not in body
    log = services.log_update(
        log=o["mentor_log"], actor=o["teacher"].user, data={"focus": "Parent phone calls"}
    )
    assert log.focus == "Parent phone calls"
    assert "Parent phone calls" not in text(client.get(reverse("audit-list")))


# --- people, eligibility, extended support ---------------------------------------------------


def test_person_page_shows_the_reason_and_training(client, o):
    body = text(login(client, o["principal"]).get(url("mentoring-person", o["new_teacher"])))
    assert "62 days: 40 contracted + 22 substitute" in body
    assert "New teacher" in body and o["approval_offering"].title in body and "To do" in body
    assert "Onboarding checklist" in body


def test_people_lists_the_overdue(client, o):
    login(client, o["principal"])
    page = client.get(url("mentoring-people"), {"state": "overdue"})
    names = {p.staff.pk for p in page.context["page"].rows}
    # Hired in August with only a proposal; the new teacher hired 20 days ago has a mentor.
    assert o["second_new_teacher"].pk in names and o["new_teacher"].pk not in names
    assert "Overdue" in text(page)
    everyone = client.get(url("mentoring-people")).context["page"].rows
    assert {p.staff.pk for p in everyone} == {o["new_teacher"].pk, o["second_new_teacher"].pk}


def test_coordinator_extends_support(client, o):
    login(client, o["admin"])
    person = o["program_teacher"]
    bad = client.post(url("mentoring-extend", person), {"reason": " ", "source": ""})
    assert bad.status_code == 400 and not ExtendedSupport.objects.filter(staff=person).exists()
    isd = client.post(
        url("mentoring-extend", person), {"reason": "Moved grades", "source": o["isd_source"].pk}
    )
    assert isd.status_code == 400  # ISD money is not a district fund or grant
    done = client.post(
        url("mentoring-extend", person),
        {"reason": "Moved grades", "source": o["mentoring_fund"].pk},
    )
    assert done.status_code == 302
    body = text(client.get(url("mentoring-person", person)))
    assert "Extended support" in body and "Moved grades" in body


# --- proposing and confirming ----------------------------------------------------------------


def test_principal_proposes_from_the_suggestions(client, o):
    mentee = new_teacher(o)
    login(client, o["principal"])
    form = client.get(url("mentoring-propose", mentee))
    assert form.status_code == 200
    suggestion = form.context["suggestions"][0]
    assert suggestion.mentor == o["mentor"] and "same school" in suggestion.reasons
    done = client.post(
        url("mentoring-propose", mentee), {"mentor": o["mentor"].pk, "note": "Both English"}
    )
    match = Match.objects.get(mentee=mentee)
    assert done.status_code == 302 and done.url == match.get_absolute_url()
    assert match.status == Match.Status.PROPOSED and match.proposed_by == o["principal"].user


def test_a_second_open_match_is_refused_inline(client, o):
    login(client, o["principal"])
    page = client.post(url("mentoring-propose", o["new_teacher"]), {"mentor": o["mentor"].pk})
    assert page.status_code == 400 and "match.open_exists" in text(page)


def test_coordinator_confirms_and_the_cap_holds(client, o):
    login(client, o["admin"])
    proposed = o["proposed_match"]
    today = o["school"].district.today()
    missing = client.post(url("mentor-match-confirm", proposed), {"started_on": today})
    assert missing.status_code == 400 and Match.objects.get(pk=proposed.pk).status == "proposed"
    Mentor.objects.filter(pk=o["mentor"].pk).update(caseload_cap=1)
    full = client.post(
        url("mentor-match-confirm", proposed),
        {"source": o["mentoring_fund"].pk, "started_on": today},
        follow=True,
    )
    assert "match.over_cap" in text(full)
    assert Match.objects.get(pk=proposed.pk).status == "proposed"
    Mentor.objects.filter(pk=o["mentor"].pk).update(caseload_cap=3)
    client.post(
        url("mentor-match-confirm", proposed),
        {"source": o["mentoring_fund"].pk, "started_on": today},
    )
    assert Match.objects.get(pk=proposed.pk).status == "active"


def test_coordinator_ends_a_match(client, o):
    login(client, o["admin"])
    today = o["school"].district.today()
    client.post(
        url("mentor-match-end", o["match"]),
        {"reason": "mentee_left", "ended_on": today, "note": "Moved away"},
    )
    match = Match.objects.get(pk=o["match"].pk)
    assert (match.status, match.end_reason, match.ended_on) == ("ended", "mentee_left", today)
    again = client.post(
        url("mentor-match-end", o["match"]), {"reason": "other", "ended_on": today}, follow=True
    )
    assert "match.ended" in text(again)


# --- logs ------------------------------------------------------------------------------------


def test_mentor_logs_and_mentee_reflects(client, o):
    login(client, o["teacher"])
    today = o["school"].district.today()
    future = client.post(
        url("mentor-log-create", o["match"]),
        {"met_on": today + timedelta(days=1), "minutes": 30, "kind": "observation", "focus": "x"},
    )
    assert future.status_code == 400 and "log.future" in text(future)
    done = client.post(
        url("mentor-log-create", o["match"]),
        {"met_on": today, "minutes": 50, "kind": "observation", "focus": "Period 2 questioning"},
    )
    log = Log.objects.get(focus="Period 2 questioning")
    assert done.status_code == 302 and done.url == log.get_absolute_url()
    login(client, o["new_teacher"])
    assert "Period 2 questioning" in text(client.get(log.get_absolute_url()))
    empty = client.post(url("mentor-log-reflect", log), {"reflection": ""})
    assert empty.status_code == 400
    client.post(url("mentor-log-reflect", log), {"reflection": "I will try wait time."})
    assert Log.objects.get(pk=log.pk).reflection == "I will try wait time."
    login(client, o["principal"])
    assert client.get(log.get_absolute_url()).status_code == 404
    body = text(client.get(url("mentor-match-detail", o["match"])))
    assert "2 contacts" in body and "wait time" not in body


def test_mentor_edits_a_log(client, o):
    login(client, o["teacher"])
    log = o["mentor_log"]
    client.post(
        url("mentor-log-edit", log),
        {"met_on": log.met_on, "minutes": 60, "kind": "planning", "focus": log.focus},
    )
    assert Log.objects.get(pk=log.pk).minutes == 60


# --- onboarding, training, mentors, stipends -------------------------------------------------


def test_principal_keeps_the_onboarding_checklist(client, o):
    login(client, o["principal"])
    task = o["onboarding_task"]
    client.post(url("onboarding-task", task), {"done": "1", "note": "Met the team"})
    task = OnboardingTask.objects.get(pk=task.pk)
    assert task.done_on and task.note == "Met the team"
    body = text(client.get(url("onboarding-detail", o["checklist"])))
    assert "1 of 4 done" in body and "Reopen" in body
    client.post(url("onboarding-task", task), {"done": "", "note": ""})
    assert OnboardingTask.objects.get(pk=task.pk).done_on is None


def test_principal_opens_a_checklist(client, o):
    login(client, o["principal"])
    done = client.post(url("onboarding-open", o["second_new_teacher"]))
    checklist = o["second_new_teacher"].onboarding.get()
    assert done.url == checklist.get_absolute_url() and checklist.tasks.count() == 4
    again = client.post(url("onboarding-open", o["second_new_teacher"]), follow=True)
    assert "onboarding.exists" in text(again)


def test_district_edits_the_onboarding_steps(client, o):
    login(client, o["admin"])
    client.post(
        url("onboarding-items"), {"title": "Meet the union rep", "position": 9, "is_active": "on"}
    )
    checklist = services.checklist_open(
        district=o["school"].district, actor=o["admin"].user, staff=o["second_new_teacher"]
    )
    assert "Meet the union rep" in set(checklist.tasks.values_list("title", flat=True))
    first = o["onboarding_item"]
    client.post(url("onboarding-item-edit", first), {"title": first.title, "position": 1})
    first.refresh_from_db()
    assert not first.is_active


def test_coordinator_names_training(client, o):
    login(client, o["admin"])
    offering = o["approval_offering"]
    duplicate = client.post(
        url("mentor-training"), {"offering": offering.pk, "kind": "orientation"}
    )
    assert duplicate.status_code == 400 and "training.duplicate" in text(duplicate)
    client.post(url("mentor-training"), {"offering": offering.pk, "kind": "mentor"})
    assert Training.objects.filter(offering=offering, kind="mentor").exists()


def test_only_trained_staff_can_be_added_as_mentors(client, o):
    login(client, o["admin"])
    untrained = client.post(
        url("mentor-create"), {"staff": o["other_teacher"].pk, "caseload_cap": 2}
    )
    assert (
        untrained.status_code == 400
        and not Mentor.objects.filter(staff=o["other_teacher"]).exists()
    )


def test_stipends_from_the_match_page(client, o):
    login(client, o["admin"])
    client.post(url("mentor-match-stipends", o["match"]))
    awards = StipendAward.objects.filter(evidence_id=o["match"].pk, evidence_type__model="match")
    assert {a.staff_id for a in awards} == {o["teacher"].pk, o["new_teacher"].pk}
    assert all(a.budget == o["mentoring_budget"] for a in awards)
    body = text(client.get(url("mentor-match-detail", o["match"])))
    assert "contact" in body and "0.8 hours" in body
    again = client.post(url("mentor-match-stipends", o["match"]), follow=True)
    assert "match.stipends_exist" in text(again)


# --- home and report -------------------------------------------------------------------------


def test_homes(client, o):
    body = text(login(client, o["teacher"]).get(reverse("home")))
    assert "Mentoring" in body and o["new_teacher"].full_name in body
    body = text(login(client, o["new_teacher"]).get(url("mentoring-home")))
    assert "Your mentor" in body and o["teacher"].full_name in body
    body = text(login(client, o["principal"]).get(url("mentoring-home")))
    assert "without an active mentor" in body and "Proposed, waiting" in body


def test_report_figures(client, o):
    report = login(client, o["admin"]).get(url("mentoring-report")).context["report"]
    assert (report["people"], report["new"], report["extended"]) == (3, 2, 1)
    # The new teacher was matched in time; the second and the extended one still wait.
    assert (report["on_time"].part, report["on_time"].whole, report["waiting"]) == (1, 3, 2)
    assert report["pairs"] == 1 and report["total_hours"] == Decimal("0.8")
    assert dict(report["hour_rows"])["Under 5 hours"] == 1
    assert report["orientation"].part == 0 and report["paid"] == 0
    services.match_stipends(match=o["match"], actor=o["admin"].user)
    report = client.get(url("mentoring-report")).context["report"]
    assert {s["role"] for s in report["stipends"]} == {"Mentor", "Mentee"}


# --- staff with unknown experience -----------------------------------------------------------

PROGRAMME_PAGES = ["mentoring-home", "mentoring-people", "mentoring-report"]


def unknown_teacher(o, school="school"):
    return staff_with_role(
        Role.TEACHER, school=o[school], contracted_days=None, substitute_days=None
    )


def coordinator(o):
    return staff_with_role(Role.MENTOR_COORDINATOR, district=o["school"].district)


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_the_administrator_sees_unknown_experience_with_the_hr_import(client, o, name):
    login(client, o["admin"])
    assert "unknown experience" not in text(client.get(url(name)))  # the world has none
    person = unknown_teacher(o)
    unknown_teacher(o, "other_school")
    response = client.get(url(name))
    body = text(response)
    assert response.context["unknown_experience"] == 2
    assert "<strong>2 staff with unknown experience.</strong>" in body
    assert f'<a href="{reverse("staff-data-create")}">Import HR data</a>' in body
    assert person.full_name not in body  # counted, never listed as a new teacher


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_the_coordinator_sees_the_count_and_who_imports(client, o, name):
    unknown_teacher(o)
    body = text(login(client, coordinator(o)).get(url(name)))
    assert "<strong>1 staff with unknown experience.</strong>" in body
    assert "A district administrator imports HR data" in body
    assert reverse("staff-data-create") not in body


def test_the_coordinators_home_counts_unknown_experience(client, o):
    unknown_teacher(o)
    body = text(login(client, coordinator(o)).get(reverse("home")))
    assert '>1</span><span class="stat-label">staff with unknown experience' in body
    assert f"{reverse('mentoring-home')}#unknown-experience" in body
    # The administrator's home shows it once, with the district's figures.
    body = text(login(client, o["admin"]).get(reverse("home")))
    assert body.count("staff with unknown experience") == 1


def test_a_principal_does_not_get_the_coordinators_figure(client, o):
    unknown_teacher(o)
    login(client, o["principal"])
    for path in [url("mentoring-home"), url("mentoring-people"), reverse("home")]:
        assert "unknown experience" not in text(client.get(path))


def test_unknown_experience_is_not_counted_as_new_in_the_report(client, o):
    unknown_teacher(o)
    report = login(client, o["admin"]).get(url("mentoring-report")).context["report"]
    assert (report["people"], report["new"], report["extended"]) == (3, 2, 1)


@pytest.mark.parametrize("name", PROGRAMME_PAGES)
def test_unknown_experience_adds_no_query_per_person(client, o, name):
    login(client, coordinator(o))
    path = url(name)
    unknown_teacher(o)
    client.get(path)
    before = _count(client, path)
    for _ in range(6):
        unknown_teacher(o)
    assert _count(client, path) == before


# --- query counts ----------------------------------------------------------------------------


def _grow(o, n):
    for i in range(n):
        mentee = new_teacher(o, days=5 + i)
        mentor_staff = staff_with_role(Role.TEACHER, school=o["school"])
        # Set up directly: the training rule is tested elsewhere; here only the rows count.
        mentor = Mentor.objects.create(
            district=o["school"].district, staff=mentor_staff, caseload_cap=2
        )
        match = services.match_propose(
            district=o["school"].district,
            actor=o["admin"].user,
            mentor=mentor,
            mentee=mentee,
            source=o["mentoring_fund"],
        )
        services.match_confirm(match=match, actor=o["admin"].user)
        services.checklist_open(district=o["school"].district, actor=o["admin"].user, staff=mentee)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        # The coordinator's pages count staff with unknown experience: one query.
        ("admin", "mentoring-people", 19),
        ("principal", "mentoring-people", 18),
        ("admin", "mentor-match-list", 13),
        ("admin", "mentor-list", 11),
        ("admin", "mentoring-home", 19),
        ("principal", "mentoring-home", 17),
        ("admin", "mentoring-report", 21),
    ],
)
def test_list_queries_are_pinned(client, o, who, name, expected):
    login(client, o[who])
    path = url(name)
    client.get(path)
    before = _count(client, path)
    _grow(o, 4)
    client.get(path)
    after = _count(client, path)
    assert before == after == expected


def test_the_person_page_says_experience_unknown(client, o):
    person = unknown_teacher(o)
    body = text(login(client, o["admin"]).get(url("mentoring-person", person)))
    assert "Experience unknown</span> Experience unknown: no HR data yet" in body
    assert "Not eligible" not in body and reverse("staff-data-create") in body
    assert "Propose a mentor" not in body and "Extend support" in body
    body = text(login(client, coordinator(o)).get(url("mentoring-person", person)))
    assert "A district administrator imports HR data." in body
