"""The mentoring API: who sees mentors, matches, the pair's confidential logs and onboarding
checklists; the match workflow and stipends through services; eligibility on staff; filters,
bad input, other districts and query counts.

In district A of the `world` the teacher mentors `new_teacher` (`match`, active, with one
log) and `second_new_teacher` (`proposed_match`); both new teachers work at the principal's
school; the administrator coordinates the programme; the other teacher has extended support.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.districts.factories import AssignmentFactory, StaffFactory, staff_with_role
from cadre.districts.models import Role, SchoolYear, Staff
from cadre.funding.factories import FundingSourceFactory
from cadre.funding.models import FundingSource, StipendAward, StipendRole, StipendSchedule
from cadre.mentoring import services
from cadre.mentoring.factories import new_mentor, new_teacher, train
from cadre.mentoring.models import Log, Match, Mentor, OnboardingChecklist
from cadre.tests.kit import API, fresh, ids, login_as, patch, pk, post, resolve, today

pytestmark = pytest.mark.django_db

RESOURCES = ["mentors", "mentor-matches", "mentor-logs", "onboarding-checklists"]
OBJECTS = {
    "mentors": "mentor",
    "mentor-matches": "match",
    "mentor-logs": "mentor_log",
    "onboarding-checklists": "checklist",
}
TOO_BIG = 2**63
SECRET = "First unit plan and the seating chart"  # the world's log: the pair's alone


def staff_elsewhere_first(world) -> Staff:
    """A new teacher the principal sees (at their school), whose first school is another."""
    staff = new_teacher(school=world.obj("a.other_school"))
    AssignmentFactory(staff=staff, school=world.obj("a.school"))
    return staff


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads(client, world):
    key = Token.objects.create(user=world.obj("a.teacher").user).key
    response = client.get(f"{API}/mentor-logs/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(response) == {pk(world, "a.mentor_log")}


# --- mentors -------------------------------------------------------------------------------


def test_mentors_are_listed_for_those_who_follow_the_programme(client, world):
    mentor = pk(world, "a.mentor")
    for key in ("a.admin", "a.principal"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/mentors/")) == {mentor}
    for key in ("a.teacher", "a.director"):
        login_as(client, world, key)
        refused = client.get(f"{API}/mentors/")
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    # A mentor reads their own row; the director, who is not one, reads none.
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/mentors/{mentor}/").status_code == 200
    login_as(client, world, "a.director")
    assert client.get(f"{API}/mentors/{mentor}/").status_code == 404


def test_mentor_representation(client, world):
    login_as(client, world, "a.principal")
    mentor, teacher = world.obj("a.mentor"), world.obj("a.teacher")
    body = client.get(f"{API}/mentors/{mentor.pk}/").json()
    assert body == {
        "id": mentor.pk,
        "staff": teacher.pk,
        "staff_name": teacher.full_name,
        "caseload_cap": world.a.mentor_caseload,
        "active": 1,  # the active match; the proposed one does not count
        "is_available": True,
        "availability": "Tuesdays",
        "is_active": True,
    }


def test_the_coordinator_names_and_changes_mentors(client, world):
    person = StaffFactory(district=world.a)
    admin = login_as(client, world, "a.admin")
    untrained = post(client, "mentors/", {"staff": person.pk})
    assert untrained.status_code == 400
    assert untrained.json()["code"] == "mentor.untrained"
    assert untrained.json()["field"] == "staff"
    train(person, year=world.obj("a.year"))
    made = post(client, "mentors/", {"staff": person.pk, "availability": "Mornings"})
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["staff"], body["caseload_cap"], body["active"], body["availability"]) == (
        person.pk,
        world.a.mentor_caseload,
        0,
        "Mornings",
    )
    assert AuditEvent.objects.filter(
        object_type="mentoring.mentor", object_id=str(body["id"]), actor=admin.user
    ).exists()
    again = post(client, "mentors/", {"staff": person.pk})
    assert again.status_code == 409 and again.json()["code"] == "mentor.exists"
    # The staff member is fixed; the rest changes.
    changed = patch(
        client,
        f"mentors/{body['id']}/",
        {"caseload_cap": 5, "is_available": False, "staff": pk(world, "a.principal")},
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["caseload_cap"], changed.json()["is_available"]) == (5, False)
    assert changed.json()["staff"] == person.pk


def test_an_inactive_person_does_not_become_a_mentor(client, world):
    person = StaffFactory(district=world.a, is_active=False)
    train(person, year=world.obj("a.year"))
    login_as(client, world, "a.admin")
    response = post(client, "mentors/", {"staff": person.pk})
    assert response.status_code == 400 and response.json()["code"] == "mentor.inactive_staff"


@pytest.mark.parametrize(
    "data",
    [
        {"staff": "b.teacher"},  # another district's
        {"staff": TOO_BIG},
        {"staff": "me"},
        {"caseload_cap": 0},
        {"caseload_cap": 21},
        {"availability": "x" * 201},
    ],
)
def test_bad_mentor_bodies_are_400(client, world, data):
    person = StaffFactory(district=world.a)
    train(person, year=world.obj("a.year"))
    login_as(client, world, "a.admin")
    body = {"staff": person.pk, **{k: resolve(world, v) for k, v in data.items()}}
    response = post(client, "mentors/", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Mentor.objects.filter(staff=person).exists()


def test_only_the_coordinator_writes_mentors(client, world):
    mentor = pk(world, "a.mentor")
    for key in ("a.teacher", "a.principal"):
        login_as(client, world, key)
        assert post(client, "mentors/", {"staff": pk(world, "a.other_teacher")}).status_code == 403
        assert patch(client, f"mentors/{mentor}/", {"caseload_cap": 9}).status_code == 403
    assert fresh(world.obj("a.mentor")).caseload_cap == world.a.mentor_caseload


def test_mentor_filters(client, world):
    mentor = world.obj("a.mentor")
    other = new_mentor(school=world.obj("a.school"), year=world.obj("a.year"), last_name="Zed")
    services.mentor_update(mentor=other, actor=None, data={"is_available": False})
    login_as(client, world, "a.admin")

    def found(**params):
        return ids(client.get(f"{API}/mentors/", params))

    assert found() == {mentor.pk, other.pk}
    assert found(available="true") == {mentor.pk}
    assert found(available="false") == {other.pk}
    assert found(q="Zed") == {other.pk}
    ordered = client.get(f"{API}/mentors/", {"ordering": "-active"}).json()["results"]
    assert [row["id"] for row in ordered] == [mentor.pk, other.pk]


def test_a_coordinator_who_is_not_an_administrator_runs_the_programme(client, world):
    coordinator = staff_with_role(Role.MENTOR_COORDINATOR, district=world.a)
    login_as(client, world, coordinator)
    assert ids(client.get(f"{API}/mentors/")) == {pk(world, "a.mentor")}
    both = {pk(world, "a.match"), pk(world, "a.proposed_match")}
    assert ids(client.get(f"{API}/mentor-matches/")) == both
    assert ids(client.get(f"{API}/onboarding-checklists/")) == {pk(world, "a.checklist")}
    # They name the fund, though the funding rules show them no money.
    url = f"mentor-matches/{pk(world, 'a.proposed_match')}/confirm/"
    confirmed = post(client, url, {"source": pk(world, "a.mentoring_fund")})
    assert confirmed.status_code == 200, confirmed.json()
    # The pair's logs are not theirs.
    assert ids(client.get(f"{API}/mentor-logs/")) == set()
    assert client.get(f"{API}/mentor-logs/{pk(world, 'a.mentor_log')}/").status_code == 404


# --- matches: who sees them, and their cadence ---------------------------------------------


def test_matches_are_seen_by_the_pair_the_coordinator_and_the_school(client, world):
    both = {pk(world, "a.match"), pk(world, "a.proposed_match")}
    for key in ("a.teacher", "a.principal", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/mentor-matches/")) == both
    login_as(client, world, "a.new_teacher")
    assert ids(client.get(f"{API}/mentor-matches/")) == {pk(world, "a.match")}
    for key in ("a.director", "a.other_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/mentor-matches/")) == set()
        assert client.get(f"{API}/mentor-matches/{pk(world, 'a.match')}/").status_code == 404


def test_match_representation_shows_the_cadence_not_the_content(client, world):
    match, mentor = world.obj("a.match"), world.obj("a.mentor")
    mentee, school, year = world.obj("a.new_teacher"), world.obj("a.school"), world.obj("a.year")
    login_as(client, world, "a.principal")
    response = client.get(f"{API}/mentor-matches/{match.pk}/")
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert "Observe period 2" not in response.content.decode()
    body = response.json()
    assert body == {
        "id": match.pk,
        "mentor": mentor.pk,
        "mentor_staff": mentor.staff_id,
        "mentor_name": mentor.staff.full_name,
        "mentee": mentee.pk,
        "mentee_name": mentee.full_name,
        "school": school.pk,
        "school_name": school.name,
        "school_year": year.pk,
        "school_year_name": year.name,
        "source": pk(world, "a.mentoring_fund"),
        "source_name": "General fund: induction",
        "status": "active",
        "note": "",
        "proposed_by_name": world.obj("a.admin").full_name,
        "confirmed_by_name": world.obj("a.admin").full_name,
        "started_on": str(today(world) - timedelta(days=14)),
        "ended_on": None,
        "end_reason": "",
        "end_note": "",
        "cadence": {
            "count": 1,
            "minutes": 45,
            "hours": "0.8",
            "last_met_on": str(today(world) - timedelta(days=7)),
            "weekly_minutes": 21,  # 45 minutes over 15 days
            "behind": True,  # under the district's 60 a week, past the first fortnight
        },
    }
    listed = client.get(f"{API}/mentor-matches/").json()["results"]
    by_id = {row["id"]: row["cadence"] for row in listed}
    assert by_id[match.pk] == body["cadence"]
    assert by_id[pk(world, "a.proposed_match")]["count"] == 0


def test_match_filters(client, world):
    login_as(client, world, "a.admin")
    active, proposed = pk(world, "a.match"), pk(world, "a.proposed_match")

    def found(**params):
        return ids(client.get(f"{API}/mentor-matches/", params))

    assert found(status="active") == {active}
    assert found(status="proposed") == {proposed}
    assert found(status="ended") == set()
    assert found(school=pk(world, "a.school")) == {active, proposed}
    assert found(school=pk(world, "a.other_school")) == set()
    assert found(mentor=pk(world, "a.mentor")) == {active, proposed}
    assert found(school_year=pk(world, "a.year")) == {active, proposed}
    assert found(school_year=pk(world, "b.year")) == set()


# --- matches: propose ----------------------------------------------------------------------


def test_a_principal_proposes_a_mentor_for_their_schools_new_teacher(client, world):
    mentee = new_teacher(school=world.obj("a.school"))
    principal = login_as(client, world, "a.principal")
    body = {"mentor": pk(world, "a.mentor"), "mentee": mentee.pk, "note": " Same subject "}
    made = post(client, "mentor-matches/", body | {"status": "active", "school": 1})
    assert made.status_code == 201, made.json()
    match = made.json()
    assert (match["status"], match["school"], match["school_year"], match["note"]) == (
        "proposed",
        pk(world, "a.school"),
        pk(world, "a.year"),
        "Same subject",
    )
    assert match["proposed_by_name"] == principal.full_name
    assert match["cadence"]["count"] == 0 and match["cadence"]["behind"] is False
    again = post(client, "mentor-matches/", body)
    assert again.status_code == 409 and again.json()["code"] == "match.open_exists"
    # Nobody but the coordinator confirms.
    assert post(client, f"mentor-matches/{match['id']}/confirm/").status_code == 403


def test_a_principal_proposes_only_for_their_own_schools_new_teachers(client, world):
    login_as(client, world, "a.principal")
    mentor = pk(world, "a.mentor")
    # Seen at their school, but led from another: 403.
    elsewhere = staff_elsewhere_first(world)
    response = post(client, "mentor-matches/", {"mentor": mentor, "mentee": elsewhere.pk})
    assert response.status_code == 403
    # Not seen at all: an unknown id.
    other = post(
        client, "mentor-matches/", {"mentor": mentor, "mentee": pk(world, "a.other_teacher")}
    )
    assert other.status_code == 400 and "mentee" in other.json()["errors"]
    assert not Match.objects.filter(mentee=elsewhere).exists()


def test_teachers_and_directors_do_not_propose(client, world):
    mentee = new_teacher(school=world.obj("a.school"))
    for key in ("a.teacher", "a.director"):
        login_as(client, world, key)
        body = {"mentor": pk(world, "a.mentor"), "mentee": mentee.pk}
        assert post(client, "mentor-matches/", body).status_code == 403


def test_the_coordinator_proposes_extended_support(client, world):
    login_as(client, world, "a.admin")
    body = {"mentor": pk(world, "a.mentor"), "mentee": pk(world, "a.other_teacher")}
    made = post(client, "mentor-matches/", body | {"source": pk(world, "a.mentoring_fund")})
    assert made.status_code == 201, made.json()
    assert made.json()["school"] == pk(world, "a.other_school")


def _inactive_mentee(world):
    staff = new_teacher(school=world.obj("a.school"))
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    return staff.pk


def _new_but_not_teaching(world):
    staff = StaffFactory(district=world.a, contracted_days=5, substitute_days=0)
    AssignmentFactory(staff=staff, school=world.obj("a.school"), role=Role.COUNSELOR)
    return staff.pk


def _self_mentor(world):
    mentor = new_mentor(school=world.obj("a.school"), year=world.obj("a.year"), contracted_days=10)
    return {"mentor": mentor.pk, "mentee": mentor.staff_id}


def _inactive_mentor(world):
    mentor = world.obj("a.mentor")
    services.mentor_update(mentor=mentor, actor=None, data={"is_active": False})
    return mentor.pk


def _closed_fund(world):
    return FundingSourceFactory(
        district=world.a, kind=FundingSource.Kind.GENERAL, is_active=False
    ).pk


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"mentee": pk(w, "a.principal")}, 400, "mentoring.not_eligible"),
        (lambda w: {"mentee": _new_but_not_teaching(w)}, 400, "mentoring.not_teaching"),
        (lambda w: {"mentee": pk(w, "a.new_teacher")}, 409, "match.open_exists"),
        (lambda w: {"mentee": _inactive_mentee(w)}, 400, "match.inactive"),
        (lambda w: {"mentor": _inactive_mentor(w)}, 400, "match.mentor_inactive"),
        (_self_mentor, 400, "match.self"),
        (lambda w: {"source": pk(w, "a.isd_source")}, 400, "mentoring.source_kind"),
        (lambda w: {"source": _closed_fund(w)}, 400, "mentoring.source_inactive"),
    ],
)
def test_propose_rules_of_the_service(client, world, change, status, code):
    mentee = new_teacher(school=world.obj("a.school"))
    body = {"mentor": pk(world, "a.mentor"), "mentee": mentee.pk} | change(world)
    login_as(client, world, "a.admin")
    response = post(client, "mentor-matches/", body)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code


@pytest.mark.parametrize(
    "data",
    [
        {"mentor": "b.mentor"},
        {"mentor": TOO_BIG},
        {"mentor": None},
        {"mentee": "b.new_teacher"},
        {"mentee": "x"},
        {"source": "b.mentoring_fund"},
        {"school_year": "b.year"},
        {"school_year": TOO_BIG},
        {"note": ["a", "list"]},
    ],
)
def test_bad_propose_bodies_are_400(client, world, data):
    mentee = new_teacher(school=world.obj("a.school"))
    body = {"mentor": pk(world, "a.mentor"), "mentee": mentee.pk}
    body |= {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.admin")
    response = post(client, "mentor-matches/", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Match.objects.filter(mentee=mentee).exists()


# --- matches: confirm, end, stipends -------------------------------------------------------


def test_confirm_end_and_stipends(client, world):
    proposed = world.obj("a.proposed_match")
    fund = pk(world, "a.mentoring_fund")
    admin = login_as(client, world, "a.admin")
    url = f"mentor-matches/{proposed.pk}"
    no_fund = post(client, f"{url}/confirm/")
    assert no_fund.status_code == 400 and no_fund.json()["code"] == "match.source_required"
    not_started = post(client, f"{url}/stipends/")
    assert not_started.status_code == 409 and not_started.json()["code"] == "match.not_started"
    started_on = today(world) - timedelta(days=3)
    confirmed = post(client, f"{url}/confirm/", {"source": fund, "started_on": str(started_on)})
    assert confirmed.status_code == 200, confirmed.json()
    body = confirmed.json()
    assert (body["status"], body["started_on"], body["source"]) == (
        "active",
        str(started_on),
        fund,
    )
    assert body["confirmed_by_name"] == admin.full_name
    twice = post(client, f"{url}/confirm/", {"source": fund})
    assert twice.status_code == 409 and twice.json()["code"] == "match.not_proposed"

    early = post(client, f"{url}/end/", {"reason": "completed", "ended_on": "2000-01-01"})
    assert early.status_code == 400 and early.json()["code"] == "match.end_before_start"
    ended = post(client, f"{url}/end/", {"reason": "mentee_left", "note": " Moved away "})
    assert ended.status_code == 200, ended.json()
    assert (ended.json()["status"], ended.json()["end_reason"], ended.json()["end_note"]) == (
        "ended",
        "mentee_left",
        "Moved away",
    )
    assert ended.json()["ended_on"] == str(today(world))
    again = post(client, f"{url}/end/", {"reason": "completed"})
    assert again.status_code == 409 and again.json()["code"] == "match.ended"
    events = AuditEvent.objects.filter(
        object_type="mentoring.match", object_id=str(proposed.pk), action="transition"
    )
    assert events.count() == 2  # confirm, end

    # An ended match still earns its stipends: the mentor's and the new teacher's.
    awards = post(client, f"{url}/stipends/")
    assert awards.status_code == 201, awards.json()
    rows = awards.json()
    assert {(row["role"], row["staff"]) for row in rows} == {
        ("mentor", pk(world, "a.teacher")),
        ("mentee", pk(world, "a.second_new_teacher")),
    }
    assert all(row["months"] == 1 and row["status"] == "proposed" for row in rows)
    assert StipendAward.objects.filter(pk__in=[row["id"] for row in rows]).count() == 2
    twice = post(client, f"{url}/stipends/")
    assert twice.status_code == 409 and twice.json()["code"] == "match.stipends_exist"


def test_confirm_holds_the_mentors_caseload_cap(client, world):
    mentor = world.obj("a.mentor")
    services.mentor_update(mentor=mentor, actor=None, data={"caseload_cap": 1})
    login_as(client, world, "a.admin")
    url = f"mentor-matches/{pk(world, 'a.proposed_match')}/confirm/"
    response = post(client, url, {"source": pk(world, "a.mentoring_fund")})
    assert response.status_code == 409 and response.json()["code"] == "match.over_cap"
    assert fresh(world.obj("a.proposed_match")).status == "proposed"


def test_confirm_refuses_a_mentor_who_stepped_down(client, world):
    services.mentor_update(mentor=world.obj("a.mentor"), actor=None, data={"is_active": False})
    login_as(client, world, "a.admin")
    url = f"mentor-matches/{pk(world, 'a.proposed_match')}/confirm/"
    response = post(client, url, {"source": pk(world, "a.mentoring_fund")})
    assert response.status_code == 409 and response.json()["code"] == "match.mentor_inactive"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({"started_on": "1999-09-01"}, 400, "match.start_outside_year"),
        ({"started_on": "2025-13-01"}, 400, "invalid"),
        ({"started_on": "soon"}, 400, "invalid"),
        ({"source": "a.isd_source"}, 400, "mentoring.source_kind"),
        ({"source": "b.mentoring_fund"}, 400, "invalid"),
        ({"source": TOO_BIG}, 400, "invalid"),
    ],
)
def test_confirm_refusals(client, world, data, status, code):
    login_as(client, world, "a.admin")
    body = {"source": pk(world, "a.mentoring_fund")} | {
        k: resolve(world, v) for k, v in data.items()
    }
    response = post(client, f"mentor-matches/{pk(world, 'a.proposed_match')}/confirm/", body)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code
    assert fresh(world.obj("a.proposed_match")).status == "proposed"


@pytest.mark.parametrize(
    "data",
    [{}, {"reason": "bored"}, {"reason": "completed", "ended_on": "31/12/2025"}],
)
def test_bad_end_bodies_are_400(client, world, data):
    login_as(client, world, "a.admin")
    response = post(client, f"mentor-matches/{pk(world, 'a.match')}/end/", data)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert fresh(world.obj("a.match")).status == "active"


def test_stipends_need_the_years_schedules(client, world):
    StipendSchedule.objects.filter(role=StipendRole.MENTEE).update(role=StipendRole.OTHER)
    login_as(client, world, "a.admin")
    response = post(client, f"mentor-matches/{pk(world, 'a.match')}/stipends/")
    assert response.status_code == 400 and response.json()["code"] == "match.no_stipend_schedule"
    assert not StipendAward.objects.filter(evidence_id=pk(world, "a.match")).exists()


def test_only_the_coordinator_confirms_ends_and_pays(client, world):
    paths = [
        f"mentor-matches/{pk(world, 'a.proposed_match')}/confirm/",
        f"mentor-matches/{pk(world, 'a.match')}/end/",
        f"mentor-matches/{pk(world, 'a.match')}/stipends/",
    ]
    for key in ("a.teacher", "a.principal", "a.new_teacher"):
        login_as(client, world, key)
        for path in paths:
            # The new teacher's own match is there for them (403); the other one is not (404).
            mine = key != "a.new_teacher" or "confirm" not in path
            expected = 403 if mine else 404
            assert post(client, path, {"reason": "completed"}).status_code == expected, path
    assert fresh(world.obj("a.match")).status == "active"
    assert fresh(world.obj("a.proposed_match")).status == "proposed"


# --- logs: the pair's alone ----------------------------------------------------------------


def test_logs_are_the_pairs_alone(client, world):
    log = pk(world, "a.mentor_log")
    for key in ("a.teacher", "a.new_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/mentor-logs/")) == {log}
        response = client.get(f"{API}/mentor-logs/{log}/")
        assert response.status_code == 200 and response.json()["focus"] == SECRET
    for key in ("a.admin", "a.principal", "a.director", "a.second_new_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/mentor-logs/")) == set()
        assert ids(client.get(f"{API}/mentor-logs/", {"match": pk(world, "a.match")})) == set()
        for call in (
            client.get(f"{API}/mentor-logs/{log}/"),
            patch(client, f"mentor-logs/{log}/", {"focus": "Read by someone else"}),
            post(client, f"mentor-logs/{log}/reflect/", {"reflection": "Not mine"}),
        ):
            assert call.status_code == 404
            assert SECRET not in call.content.decode()
    assert fresh(world.obj("a.mentor_log")).focus == SECRET


def test_log_representation(client, world):
    log, teacher = world.obj("a.mentor_log"), world.obj("a.teacher")
    login_as(client, world, "a.new_teacher")
    body = client.get(f"{API}/mentor-logs/{log.pk}/").json()
    assert body == {
        "id": log.pk,
        "match": pk(world, "a.match"),
        "met_on": str(today(world) - timedelta(days=7)),
        "minutes": 45,
        "kind": "planning",
        "focus": SECRET,
        "next_steps": "Observe period 2 next week",
        "logged_by_name": teacher.full_name,
        "reflection": "",
        "reflected_at": None,
    }


def test_the_mentor_logs_and_edits_the_new_teacher_reflects(client, world):
    match = pk(world, "a.match")
    teacher = login_as(client, world, "a.teacher")
    data = {
        "match": match,
        "met_on": str(today(world)),
        "minutes": 30,
        "kind": "observation",
        "focus": "Period 2: transitions",
        "reflection": "Not the mentor's to write",
    }
    made = post(client, "mentor-logs/", data)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["logged_by_name"], body["reflection"], body["minutes"]) == (
        teacher.full_name,
        "",
        30,
    )
    url = f"mentor-logs/{body['id']}"
    changed = patch(client, f"{url}/", {"minutes": 40, "match": pk(world, "a.proposed_match")})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["minutes"], changed.json()["match"]) == (40, match)
    assert post(client, f"{url}/reflect/", {"reflection": "Mine"}).status_code == 403

    login_as(client, world, "a.new_teacher")
    assert patch(client, f"{url}/", {"minutes": 10}).status_code == 403
    empty = post(client, f"{url}/reflect/", {"reflection": "   "})
    assert empty.status_code == 400 and empty.json()["code"] == "log.reflection_empty"
    reflected = post(client, f"{url}/reflect/", {"reflection": " Calmer starts "})
    assert reflected.status_code == 200, reflected.json()
    assert reflected.json()["reflection"] == "Calmer starts"
    assert reflected.json()["reflected_at"]
    # The cadence follows, for those who follow the pair.
    login_as(client, world, "a.principal")
    cadence = client.get(f"{API}/mentor-matches/{match}/").json()["cadence"]
    assert (cadence["count"], cadence["minutes"], cadence["last_met_on"]) == (
        2,
        85,
        str(today(world)),
    )


def test_only_the_mentor_writes_a_log(client, world):
    data = {
        "match": pk(world, "a.match"),
        "met_on": str(today(world)),
        "minutes": 30,
        "kind": "planning",
        "focus": "x",
    }
    # The match is there for them, but they are not its mentor.
    for key in ("a.new_teacher", "a.principal", "a.admin"):
        login_as(client, world, key)
        assert post(client, "mentor-logs/", data).status_code == 403, key
    # Not there at all: an unknown id.
    login_as(client, world, "a.director")
    refused = post(client, "mentor-logs/", data)
    assert refused.status_code == 400 and "match" in refused.json()["errors"]
    assert Log.objects.filter(match=world.obj("a.match")).count() == 1


def _ended_yesterday(world):
    services.match_end(
        match=world.obj("a.match"),
        actor=None,
        reason="completed",
        ended_on=world.a.today() - timedelta(days=1),
    )
    return {}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"met_on": str(w.a.today() + timedelta(days=1))}, 400, "log.future"),
        (lambda w: {"met_on": str(w.a.today() - timedelta(days=15))}, 400, "log.before_start"),
        (_ended_yesterday, 400, "log.after_end"),
        (lambda w: {"match": pk(w, "a.proposed_match")}, 409, "log.not_active"),
    ],
)
def test_log_rules_of_the_service(client, world, change, status, code):
    data = {
        "match": pk(world, "a.match"),
        "met_on": str(today(world)),
        "minutes": 30,
        "kind": "planning",
        "focus": "x",
    } | change(world)
    login_as(client, world, "a.teacher")
    response = post(client, "mentor-logs/", data)
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code


def test_log_dates_are_checked_on_edit_too(client, world):
    login_as(client, world, "a.teacher")
    tomorrow = str(today(world) + timedelta(days=1))
    response = patch(client, f"mentor-logs/{pk(world, 'a.mentor_log')}/", {"met_on": tomorrow})
    assert response.status_code == 400 and response.json()["code"] == "log.future"


@pytest.mark.parametrize(
    "data",
    [
        {"match": "b.match"},
        {"match": TOO_BIG},
        {"match": "abc"},
        {"minutes": 0},
        {"minutes": 601},
        {"minutes": "lots"},
        {"kind": "gossip"},
        {"met_on": "2026-02-30"},
        {"focus": ""},
    ],
)
def test_bad_log_bodies_are_400(client, world, data):
    body = {
        "match": pk(world, "a.match"),
        "met_on": str(today(world)),
        "minutes": 30,
        "kind": "planning",
        "focus": "Bad body",
    } | {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.teacher")
    response = post(client, "mentor-logs/", body)
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not Log.objects.filter(focus="Bad body").exists()


# --- onboarding checklists -----------------------------------------------------------------


def test_checklists_are_kept_by_the_school_and_the_coordinator(client, world):
    checklist = pk(world, "a.checklist")
    for key in ("a.principal", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/onboarding-checklists/")) == {checklist}
    for key in ("a.teacher", "a.director"):
        login_as(client, world, key)
        assert client.get(f"{API}/onboarding-checklists/").status_code == 403
        assert client.get(f"{API}/onboarding-checklists/{checklist}/").status_code == 404
    # The new teacher reads their own, and does not mark it.
    login_as(client, world, "a.new_teacher")
    assert client.get(f"{API}/onboarding-checklists/{checklist}/").status_code == 200
    task = pk(world, "a.onboarding_task")
    marked = post(client, f"onboarding-checklists/{checklist}/mark/", {"task": task, "done": True})
    assert marked.status_code == 403


def test_checklist_representation(client, world):
    checklist, staff = world.obj("a.checklist"), world.obj("a.new_teacher")
    login_as(client, world, "a.principal")
    body = client.get(f"{API}/onboarding-checklists/{checklist.pk}/").json()
    tasks = body.pop("tasks")
    assert body == {
        "id": checklist.pk,
        "staff": staff.pk,
        "staff_name": staff.full_name,
        "school": pk(world, "a.school"),
        "school_name": world.obj("a.school").name,
        "school_year": pk(world, "a.year"),
        "school_year_name": world.obj("a.year").name,
        "tasks_done": 0,
    }
    assert [t["title"] for t in tasks] == services.DEFAULT_ONBOARDING
    assert tasks[0] == {
        "id": pk(world, "a.onboarding_task"),
        "title": services.DEFAULT_ONBOARDING[0],
        "position": 1,
        "done_on": None,
        "done_by_name": None,
        "note": "",
    }


def test_the_principal_opens_and_marks_a_checklist(client, world):
    principal = login_as(client, world, "a.principal")
    second = pk(world, "a.second_new_teacher")
    opened = post(client, "onboarding-checklists/", {"staff": second, "school": 1})
    assert opened.status_code == 201, opened.json()
    body = opened.json()
    assert (body["staff"], body["school"], len(body["tasks"])) == (
        second,
        pk(world, "a.school"),
        len(services.DEFAULT_ONBOARDING),
    )
    again = post(client, "onboarding-checklists/", {"staff": second})
    assert again.status_code == 409 and again.json()["code"] == "onboarding.exists"
    url = f"onboarding-checklists/{body['id']}/mark/"
    task = body["tasks"][1]["id"]
    done = post(client, url, {"task": task, "done": True, "note": " Keys given "})
    assert done.status_code == 200, done.json()
    row = next(t for t in done.json()["tasks"] if t["id"] == task)
    assert (row["done_on"], row["done_by_name"], row["note"]) == (
        str(today(world)),
        principal.full_name,
        "Keys given",
    )
    assert done.json()["tasks_done"] == 1
    undone = post(client, url, {"task": task, "done": False})
    assert undone.json()["tasks_done"] == 0
    # Another checklist's task is not this one's.
    other = post(client, url, {"task": pk(world, "a.onboarding_task"), "done": True})
    assert other.status_code == 400 and "task" in other.json()["errors"]


def test_checklist_open_rules(client, world):
    login_as(client, world, "a.principal")
    experienced = post(client, "onboarding-checklists/", {"staff": pk(world, "a.teacher")})
    assert experienced.status_code == 400
    assert experienced.json()["code"] == "mentoring.not_eligible"
    elsewhere = staff_elsewhere_first(world)
    led_elsewhere = post(client, "onboarding-checklists/", {"staff": elsewhere.pk})
    assert led_elsewhere.status_code == 403
    assert not OnboardingChecklist.objects.filter(staff=elsewhere).exists()
    # The coordinator opens one for extended support at any school.
    login_as(client, world, "a.admin")
    extended = post(client, "onboarding-checklists/", {"staff": pk(world, "a.other_teacher")})
    assert extended.status_code == 201, extended.json()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("onboarding-checklists/", {"staff": "b.new_teacher"}),
        ("onboarding-checklists/", {"staff": TOO_BIG}),
        ("onboarding-checklists/", {"staff": "a.second_new_teacher", "school_year": "b.year"}),
        ("onboarding-checklists/{checklist}/mark/", {"task": TOO_BIG, "done": True}),
        ("onboarding-checklists/{checklist}/mark/", {"task": "a.onboarding_task"}),
        ("onboarding-checklists/{checklist}/mark/", {"task": "x", "done": True}),
        ("onboarding-checklists/{checklist}/mark/", {"task": "a.onboarding_task", "done": "?"}),
    ],
)
def test_bad_checklist_bodies_are_400(client, world, path, data):
    login_as(client, world, "a.principal")
    url = path.format(checklist=pk(world, "a.checklist"))
    response = post(client, url, {k: resolve(world, v) for k, v in data.items()})
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert fresh(world.obj("a.onboarding_task")).done_on is None


# --- eligibility on staff ------------------------------------------------------------------


def test_staff_show_their_mentoring_eligibility(client, world):
    login_as(client, world, "a.admin")

    def eligibility(key):
        return client.get(f"{API}/staff/{pk(world, key)}/").json()["eligibility"]

    assert eligibility("a.new_teacher") == {
        "kind": "new",
        "label": "New teacher",
        "reason": "62 days: 40 contracted + 22 substitute",
    }
    assert eligibility("a.other_teacher") == {
        "kind": "extended",
        "label": "Extended support",
        "reason": f"{world.obj('a.other_teacher').experience_reason}; New to the state's standards",
    }
    assert eligibility("a.teacher")["kind"] == ""
    # Under the threshold but not teaching: the programme is for teachers.
    counselor = StaffFactory(district=world.a, contracted_days=5, substitute_days=0)
    AssignmentFactory(staff=counselor, school=world.obj("a.school"), role=Role.COUNSELOR)
    body = client.get(f"{API}/staff/{counselor.pk}/").json()["eligibility"]
    assert body == {
        "kind": "",
        "label": "",
        "reason": "5 days: 5 contracted + 0 substitute; no current teaching assignment",
    }
    listed = client.get(f"{API}/staff/", {"q": world.obj("a.other_teacher").last_name})
    rows = {row["id"]: row["eligibility"]["kind"] for row in listed.json()["results"]}
    assert rows[pk(world, "a.other_teacher")] == "extended"


def test_eligibility_follows_the_year_that_covers_today_when_none_is_marked(client, world):
    year = world.obj("a.year")
    assert year.start_date <= world.a.today() <= year.end_date
    SchoolYear.objects.filter(district=world.a).update(is_current=False)
    login_as(client, world, "a.admin")
    body = client.get(f"{API}/staff/{pk(world, 'a.other_teacher')}/").json()
    assert body["eligibility"]["kind"] == "extended"


# --- no replacing where the workflow decides -----------------------------------------------


@pytest.mark.parametrize("resource", ["mentor-matches", "onboarding-checklists"])
def test_no_put_or_patch_where_the_workflow_decides(client, world, resource):
    login_as(client, world, "a.admin")
    target = pk(world, f"a.{OBJECTS[resource]}")
    assert patch(client, f"{resource}/{target}/", {"status": "ended"}).status_code == 405
    assert client.delete(f"{API}/{resource}/{target}/").status_code == 405


# --- the programme's figures ---------------------------------------------------------------


def _unknown(school):
    return staff_with_role(Role.TEACHER, school=school, contracted_days=None, substitute_days=None)


def test_the_summary_gives_the_coordinators_figures_as_the_pages_do(client, world):
    login_as(client, world, "a.admin")
    body = client.get(f"{API}/mentor-matches/summary/").json()
    assert body == {
        "school_year": pk(world, "a.year"),
        "school_year_name": world.obj("a.year").name,
        "in_programme": 3,  # two new teachers and one with extended support
        "active_pairs": 1,
        "proposed_pairs": 1,
        "overdue": body["overdue"],
        "unknown_experience": 0,
    }
    person = _unknown(world.obj("a.school"))
    _unknown(world.obj("b.school"))  # another district's: not counted
    body = client.get(f"{API}/mentor-matches/summary/").json()
    assert body["unknown_experience"] == 1 and body["in_programme"] == 3
    page = client.get("/mentoring/").context
    assert page["unknown_experience"] == body["unknown_experience"]
    assert page["people_count"] == body["in_programme"]
    # The person is on the staff list as not a new teacher, honestly unknown.
    staff = client.get(f"{API}/staff/{person.pk}/").json()
    assert staff["experience_known"] is False and staff["is_new_teacher"] is False
    # A coordinator who is not an administrator reads it too.
    coordinator = staff_with_role(Role.MENTOR_COORDINATOR, district=world.a)
    login_as(client, world, coordinator)
    assert client.get(f"{API}/mentor-matches/summary/").json()["unknown_experience"] == 1


def test_the_summary_is_the_coordinators(client, world):
    for key in ("a.teacher", "a.principal", "a.director"):
        login_as(client, world, key)
        response = client.get(f"{API}/mentor-matches/summary/")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"school_year": "x"}, "school_year"),
        ({"school_year": TOO_BIG}, "school_year"),
        ({"school_year": 0}, "school_year"),
    ],
)
def test_the_summary_refuses_bad_years(client, world, query, field):
    login_as(client, world, "a.admin")
    response = client.get(f"{API}/mentor-matches/summary/", query)
    assert response.status_code == 400 and field in response.json()["errors"]
    other = client.get(f"{API}/mentor-matches/summary/", {"school_year": pk(world, "b.year")})
    assert other.status_code == 400 and "school_year" in other.json()["errors"]


def test_the_summary_takes_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    login_as(client, world, "a.admin")
    client.get(f"{API}/mentor-matches/summary/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/mentor-matches/summary/")
    for _ in range(8):
        _unknown(world.obj("a.school"))
        new_teacher(school=world.obj("a.school"))
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{API}/mentor-matches/summary/").json()
    assert body["unknown_experience"] == 8 and body["in_programme"] == 11


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_mentoring_api(openapi_schema):
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        assert (f"{API}/{resource}/", "get") in operations
        assert (f"{API}/{resource}/", "post") in operations
        assert (f"{API}/{resource}/{{id}}/", "get") in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
        patched = (f"{API}/{resource}/{{id}}/", "patch") in operations
        assert patched == (resource in ("mentors", "mentor-logs"))
    for action in (
        "mentor-matches/{id}/confirm/",
        "mentor-matches/{id}/end/",
        "mentor-matches/{id}/stipends/",
        "mentor-logs/{id}/reflect/",
        "onboarding-checklists/{id}/mark/",
    ):
        assert (f"{API}/{action}", "post") in operations
    assert (f"{API}/mentor-matches/summary/", "get") in operations
    components = schema["components"]["schemas"]
    assert set(components["MatchCadence"]["properties"]) == {
        "count",
        "minutes",
        "hours",
        "last_met_on",
        "weekly_minutes",
        "behind",
    }
    assert "eligibility" in components["Staff"]["properties"]
    staff = components["Staff"]["properties"]
    assert staff["experience_known"]["readOnly"] is True
    assert staff["experience_days"]["nullable"] is True
    assert staff["contracted_days"]["nullable"] is True
    assert "unknown_experience" in components["ProgrammeSummary"]["properties"]
    assert components["MentorLog"]["properties"]["reflection"]["readOnly"] is True
