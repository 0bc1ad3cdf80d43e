"""The coaching API: coaching cycles confidential to the pair; observations for the observer
and, once shared, the teacher (autosave, share, acknowledge); rubrics and look-fors for
everyone, kept by their keepers; implementation rates for PD leaders, suppressed below three
teachers; refusals with their codes, other districts, bad input and query counts.

In district A of the `world` the instructional coach (at the principal's school) coaches the
teacher in `cycle` (observation stage), with `observation`, a shared coaching observation
rated 3 on component 3b of the district's `rubric`; the principal's `walkthrough` of the
teacher is shared, two of the `look_for`'s three items seen; the new teacher asked to visit
the teacher's classroom (`visit`, requested); the teacher mentors the new teacher.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.catalog.factories import OfferingFactory
from cadre.catalog.models import Offering
from cadre.coaching.models import Cycle, LookFor, LookForItem, Mark, Observation, Rating, Rubric
from cadre.coaching.services import cycles, lookfors, observations, peer_visits
from cadre.coaching.tests.api_checks import LABELS, levels, walkthrough
from cadre.districts.factories import StaffFactory, staff_with_role
from cadre.districts.models import Role
from cadre.growth.models import ProfessionalGoal
from cadre.tests.kit import API, fresh, ids, login_as, patch, pk, post, refused, resolve, today

pytestmark = pytest.mark.django_db

RESOURCES = ["coaching-cycles", "observations", "rubrics", "look-fors"]
OBJECTS = {
    "coaching-cycles": "cycle",
    "observations": "observation",
    "rubrics": "rubric",
    "look-fors": "look_for",
}
TOO_BIG = 2**63
GOAL = "More students explain their thinking in discussion"  # the cycle's: the pair's alone
NOTES = "Wait time grew from 1 s to 3 s after the first question"  # the observation's
PRE = "Focus on wait time in the reading block"  # the cycle's pre-conference notes


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads(client, world):
    key = Token.objects.create(user=world.obj("a.coach").user).key
    response = client.get(f"{API}/coaching-cycles/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(response) == {pk(world, "a.cycle")}


# --- cycles: the pair's alone --------------------------------------------------------------


def test_cycles_are_the_pairs_alone(client, world):
    cycle = pk(world, "a.cycle")
    for key in ("a.coach", "a.teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/coaching-cycles/")) == {cycle}
        response = client.get(f"{API}/coaching-cycles/{cycle}/")
        assert response.status_code == 200 and response.json()["goal"] == GOAL
    for key in ("a.principal", "a.director", "a.admin", "a.new_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/coaching-cycles/")) == set()
        for call in (
            client.get(f"{API}/coaching-cycles/{cycle}/"),
            patch(client, f"coaching-cycles/{cycle}/", {"debrief_notes": "Read by another"}),
            post(client, f"coaching-cycles/{cycle}/advance/"),
            post(client, f"coaching-cycles/{cycle}/reflect/", {"reflection": "Not mine"}),
        ):
            assert call.status_code == 404, key
            assert GOAL not in call.content.decode() and PRE not in call.content.decode()
    cycle_row = fresh(world.obj("a.cycle"))
    assert (cycle_row.stage, cycle_row.debrief_notes, cycle_row.reflection) == (
        "observation",
        "",
        "",
    )


def test_no_other_resource_carries_a_cycle(client, world):
    """The teacher's staff record, their groups and the offering say nothing of coaching."""
    teacher = pk(world, "a.teacher")
    login_as(client, world, "a.admin")
    for path in (
        f"staff/{teacher}/",
        f"groups/{pk(world, 'a.group')}/",
        f"offerings/{pk(world, 'a.offering')}/",
        "groups/",
        "staff/",
    ):
        response = client.get(f"{API}/{path}")
        assert response.status_code == 200, path
        text = response.content.decode()
        assert GOAL not in text and PRE not in text and NOTES not in text, path


def test_cycle_representation(client, world):
    cycle, coach, teacher = world.obj("a.cycle"), world.obj("a.coach"), world.obj("a.teacher")
    goal = cycle.professional_goal
    login_as(client, world, "a.teacher")
    body = client.get(f"{API}/coaching-cycles/{cycle.pk}/").json()
    assert body == {
        "id": cycle.pk,
        "coach": coach.pk,
        "coach_name": coach.full_name,
        "teacher": teacher.pk,
        "teacher_name": teacher.full_name,
        "school": pk(world, "a.school"),
        "school_name": world.obj("a.school").name,
        "school_year": pk(world, "a.year"),
        "school_year_name": world.obj("a.year").name,
        "goal": GOAL,
        "professional_goal": goal.pk if goal else None,
        "professional_goal_title": goal.title if goal else None,
        "offering": None,
        "offering_title": None,
        "is_virtual": False,
        "video_link": "",
        "stage": "observation",
        "started_on": str(today(world) - timedelta(days=21)),
        "closed_on": None,
        "pre_conference_notes": PRE,
        "debrief_notes": "",
        "reflection": "",
        "observation_count": 1,
    }


def test_a_coach_opens_a_cycle(client, world):
    coach = login_as(client, world, "a.coach")
    mentee = world.obj("a.new_teacher")
    body = {
        "teacher": mentee.pk,
        "goal": " Launch discussions with a question worth answering ",
        "offering": pk(world, "a.offering"),
        "is_virtual": True,
        "video_link": "https://meet.example.org/coaching",
        "stage": "closed",
        "reflection": "Not the coach's to write",
        "debrief_notes": "Not yet",
    }
    made = post(client, "coaching-cycles/", body)
    assert made.status_code == 201, made.json()
    cycle = made.json()
    assert (cycle["coach"], cycle["teacher"], cycle["stage"], cycle["started_on"]) == (
        coach.pk,
        mentee.pk,
        "goal_setting",
        str(today(world)),
    )
    assert (cycle["goal"], cycle["reflection"], cycle["debrief_notes"]) == (
        "Launch discussions with a question worth answering",
        "",
        "",
    )
    assert cycle["offering_title"] == world.obj("a.offering").title
    # The audit trail records that it happened, never what was said.
    events = AuditEvent.objects.filter(object_type="coaching.cycle", object_id=str(cycle["id"]))
    assert events.exists()
    assert all("question worth answering" not in str(e.changes) + e.comment for e in events)
    login_as(client, world, "a.new_teacher")
    assert ids(client.get(f"{API}/coaching-cycles/")) == {cycle["id"]}


def test_only_coaches_open_cycles(client, world):
    body = {"teacher": pk(world, "a.new_teacher"), "goal": "x"}
    for key in ("a.teacher", "a.principal", "a.director", "a.admin"):
        login_as(client, world, key)
        refused(post(client, "coaching-cycles/", body), 403, "permission_denied")
    assert not Cycle.objects.filter(teacher=world.obj("a.new_teacher")).exists()


def _someone_elses_goal(world):
    return (
        ProfessionalGoal.objects.filter(district=world.a)
        .exclude(staff=world.obj("a.new_teacher"))[0]
        .pk
    )


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"teacher": pk(w, "a.coach")}, 400, "cycle.self"),
        (lambda w: {"is_virtual": True}, 400, "cycle.video_link_required"),
        (lambda w: {"video_link": "http://meet.example.org"}, 400, "cycle.video_link"),
        (lambda w: {"professional_goal": _someone_elses_goal(w)}, 400, "cycle.goal_not_teachers"),
        (lambda w: {"started_on": str(w.a.today() + timedelta(days=1))}, 400, "cycle.future"),
        (
            lambda w: {"teacher": StaffFactory(district=w.a, is_active=False).pk},
            400,
            "cycle.inactive",
        ),
        (lambda w: {"goal": "x" * 20_001}, 400, "invalid"),
    ],
)
def test_open_rules_of_the_service(client, world, change, status, code):
    body = {"teacher": pk(world, "a.new_teacher"), "goal": "Refused goal"} | change(world)
    login_as(client, world, "a.coach")
    refused(post(client, "coaching-cycles/", body), status, code)
    assert not Cycle.objects.filter(goal="Refused goal").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"teacher": "b.teacher"},
        {"teacher": TOO_BIG},
        {"teacher": None},
        {"goal": ""},
        {"offering": "b.offering"},
        {"professional_goal": TOO_BIG},
        {"started_on": "2026-02-30"},
        {"is_virtual": "maybe"},
    ],
)
def test_bad_cycle_bodies_are_400(client, world, data):
    body = {"teacher": pk(world, "a.new_teacher"), "goal": "Bad body"}
    body |= {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.coach")
    refused(post(client, "coaching-cycles/", body), 400, "invalid")
    assert not Cycle.objects.filter(teacher=world.obj("a.new_teacher")).exists()


def test_the_coach_runs_the_cycle_and_the_teacher_reflects(client, world):
    url = f"coaching-cycles/{pk(world, 'a.cycle')}"
    login_as(client, world, "a.coach")
    changed = patch(
        client,
        f"{url}/",
        {"debrief_notes": "Students answered in full sentences", "teacher": 1, "stage": "closed"},
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["debrief_notes"], body["teacher"], body["stage"]) == (
        "Students answered in full sentences",
        pk(world, "a.teacher"),
        "observation",
    )
    assert post(client, f"{url}/advance/", {"back": True}).json()["stage"] == "pre_conference"
    for stage in ("observation", "debrief", "reflection"):
        moved = post(client, f"{url}/advance/")
        assert moved.status_code == 200 and moved.json()["stage"] == stage
    refused(post(client, f"{url}/reflect/", {"reflection": "Mine"}), 403, "permission_denied")

    login_as(client, world, "a.teacher")
    refused(patch(client, f"{url}/", {"goal": "Mine now"}), 403, "permission_denied")
    refused(post(client, f"{url}/advance/"), 403, "permission_denied")
    refused(post(client, f"{url}/reflect/", {"reflection": "  "}), 400, "cycle.reflection_empty")
    reflected = post(client, f"{url}/reflect/", {"reflection": " Waiting helps "})
    assert reflected.status_code == 200 and reflected.json()["reflection"] == "Waiting helps"

    login_as(client, world, "a.coach")
    closed = post(client, f"{url}/advance/")
    assert (closed.json()["stage"], closed.json()["closed_on"]) == ("closed", str(today(world)))
    refused(post(client, f"{url}/advance/"), 409, "cycle.closed")
    refused(patch(client, f"{url}/", {"debrief_notes": "x"}), 409, "cycle.closed")
    login_as(client, world, "a.teacher")
    refused(post(client, f"{url}/reflect/", {"reflection": "Late"}), 409, "cycle.closed")
    events = AuditEvent.objects.filter(object_type="coaching.cycle", object_id=url.split("/")[1])
    assert all("full sentences" not in str(e.changes) + e.comment for e in events)
    assert all("Waiting helps" not in str(e.changes) + e.comment for e in events)


def test_a_cycle_does_not_go_back_from_its_first_stage(client, world):
    cycle = cycles.cycle_create(
        district=world.a,
        actor=None,
        coach=world.obj("a.coach"),
        teacher=world.obj("a.new_teacher"),
        goal="g",
    )
    login_as(client, world, "a.coach")
    response = post(client, f"coaching-cycles/{cycle.pk}/advance/", {"back": True})
    refused(response, 409, "cycle.first_stage")


def test_cycle_filters(client, world):
    cycle = world.obj("a.cycle")
    login_as(client, world, "a.coach")

    def found(**params):
        return ids(client.get(f"{API}/coaching-cycles/", params))

    assert found(role="coach") == {cycle.pk}
    assert found(role="teacher") == set()
    assert found(stage="observation") == {cycle.pk}
    assert found(stage="closed") == set()
    assert found(open="true") == {cycle.pk}
    assert found(open="false") == set()
    assert found(school_year=pk(world, "a.year")) == {cycle.pk}
    assert found(school_year=pk(world, "b.year")) == set()


# --- observations: who sees them -----------------------------------------------------------


def test_observations_are_the_observers_and_once_shared_the_teachers(client, world):
    coaching, walk = pk(world, "a.observation"), pk(world, "a.walkthrough")
    seen = {
        "a.coach": {coaching},
        "a.teacher": {coaching, walk},
        "a.principal": {walk},
        "a.admin": set(),
        "a.director": set(),
        "a.new_teacher": set(),
    }
    for key, expected in seen.items():
        login_as(client, world, key)
        assert ids(client.get(f"{API}/observations/")) == expected, key
    for key in ("a.principal", "a.admin", "a.director"):
        login_as(client, world, key)
        response = client.get(f"{API}/observations/{coaching}/")
        assert response.status_code == 404 and NOTES not in response.content.decode()
    login_as(client, world, "a.admin")
    assert client.get(f"{API}/observations/{walk}/").status_code == 404


def test_a_draft_is_the_observers_until_shared(client, world):
    draft = walkthrough(world, world.obj("a.teacher"), share=False)
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/observations/{draft.pk}/").status_code == 404
    assert draft.pk not in ids(client.get(f"{API}/observations/"))
    login_as(client, world, "a.principal")
    assert post(client, f"observations/{draft.pk}/share/").status_code == 200
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/observations/{draft.pk}/").status_code == 200


def test_observation_representation_with_ratings_and_marks(client, world):
    observation, coach = world.obj("a.observation"), world.obj("a.coach")
    teacher, component = world.obj("a.teacher"), world.obj("a.component")
    login_as(client, world, "a.teacher")
    body = client.get(f"{API}/observations/{observation.pk}/").json()
    assert body.pop("shared_at")
    assert body == {
        "id": observation.pk,
        "kind": "coaching",
        "observer": coach.pk,
        "observer_name": coach.full_name,
        "teacher": teacher.pk,
        "teacher_name": teacher.full_name,
        "school": pk(world, "a.school"),
        "school_name": world.obj("a.school").name,
        "school_year": pk(world, "a.year"),
        "cycle": pk(world, "a.cycle"),
        "visit": None,
        "rubric": pk(world, "a.rubric"),
        "rubric_name": "Framework for teaching",
        "look_for": None,
        "look_for_title": None,
        "offering": None,
        "offering_title": None,
        "observed_on": str(today(world) - timedelta(days=3)),
        "focus": "Wait time",
        "notes": NOTES,
        "strengths": "",
        "next_steps": "",
        "status": "shared",
        "teacher_comment": "",
        "acknowledged_at": None,
        "ratings": [
            {"component": component.pk, "component_code": "3b", "level": 3, "evidence": ""}
        ],
        "marks": [],
    }
    walk = client.get(f"{API}/observations/{pk(world, 'a.walkthrough')}/").json()
    assert [(m["item_text"], m["seen"]) for m in walk["marks"]] == [
        ("Every student responds", True),
        ("Teacher adjusts from responses", True),
        ("Exit ticket used", False),
    ]
    assert (walk["kind"], walk["offering"], walk["look_for"]) == (
        "walkthrough",
        pk(world, "a.offering"),
        pk(world, "a.look_for"),
    )


# --- observations: create, autosave, share, acknowledge ------------------------------------


def test_a_coaching_observation_from_start_to_acknowledgement(client, world):
    cycle, component = world.obj("a.cycle"), world.obj("a.component")
    login_as(client, world, "a.coach")
    made = post(
        client,
        "observations/",
        {
            "kind": "coaching",
            "cycle": cycle.pk,
            "rubric": pk(world, "a.rubric"),
            "focus": "Turn and talk",
            "teacher": pk(world, "a.principal"),  # a coaching observation takes the cycle's
            "notes": "not on creation",
        },
    )
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["teacher"], body["observer"], body["notes"]) == (
        "draft",
        pk(world, "a.teacher"),
        pk(world, "a.coach"),
        "",
    )
    url = f"observations/{body['id']}"
    refused(post(client, f"{url}/share/"), 400, "observation.empty")
    # The tablet autosaves every change: the text, then a level, then its evidence.
    saved = patch(client, f"{url}/", {"notes": "Pairs talked for 90 s", "kind": "peer"})
    assert saved.status_code == 200, saved.json()
    assert (saved.json()["notes"], saved.json()["kind"]) == ("Pairs talked for 90 s", "coaching")
    rated = patch(client, f"{url}/", {"ratings": [{"component": component.pk, "level": 2}]})
    assert rated.json()["ratings"] == [
        {"component": component.pk, "component_code": "3b", "level": 2, "evidence": ""}
    ]
    noted = patch(
        client, f"{url}/", {"ratings": [{"component": component.pk, "evidence": "Six pairs"}]}
    )
    assert noted.json()["ratings"][0] | {"component_code": "3b"} == {
        "component": component.pk,
        "component_code": "3b",
        "level": 2,
        "evidence": "Six pairs",
    }
    assert patch(client, f"{url}/", {"notes": "Pairs talked for 90 s"}).status_code == 200
    # The teacher does not see the draft at all.
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/{url}/").status_code == 404
    login_as(client, world, "a.coach")
    shared = post(client, f"{url}/share/")
    assert shared.status_code == 200 and shared.json()["status"] == "shared"
    refused(patch(client, f"{url}/", {"notes": "later"}), 409, "observation.not_draft")
    refused(post(client, f"{url}/share/"), 409, "observation.not_draft")
    refused(post(client, f"{url}/acknowledge/"), 403, "permission_denied")

    login_as(client, world, "a.teacher")
    refused(patch(client, f"{url}/", {"notes": "mine"}), 403, "permission_denied")
    acknowledged = post(client, f"{url}/acknowledge/", {"comment": " Useful, thank you "})
    assert acknowledged.status_code == 200, acknowledged.json()
    assert (acknowledged.json()["status"], acknowledged.json()["teacher_comment"]) == (
        "acknowledged",
        "Useful, thank you",
    )
    assert acknowledged.json()["acknowledged_at"]
    refused(post(client, f"{url}/acknowledge/"), 409, "observation.not_shared")
    events = AuditEvent.objects.filter(
        object_type="coaching.observation", object_id=str(body["id"])
    )
    assert all("Pairs talked" not in str(e.changes) + e.comment for e in events)
    assert all("Useful" not in str(e.changes) + e.comment for e in events)


def test_autosave_rules_of_the_service(client, world):
    draft = walkthrough(world, world.obj("a.new_teacher"), share=False)
    url = f"observations/{draft.pk}/"
    item, component = world.obj("a.look_for_item"), world.obj("a.component")
    login_as(client, world, "a.principal")
    refused(
        patch(client, url, {"ratings": [{"component": component.pk, "level": 3}]}),
        400,
        "observation.no_rubric",
    )
    rubric = pk(world, "a.rubric")
    assert patch(client, url, {"rubric": rubric}).status_code == 200
    other = Rubric.objects.create(district=world.a, name="Other framework")
    refused(patch(client, url, {"look_for": None}), 400, "observation.look_for_required")
    refused(
        patch(client, url, {"ratings": [{"component": TOO_BIG - 1, "level": 1}]}),
        400,
        "observation.component_not_in_rubric",
    )
    elsewhere = lookfors.look_for_create(
        district=world.a, actor=None, data={"title": "t", "strategy": "s"}, items=["Other"]
    )
    refused(
        patch(client, url, {"marks": [{"item": elsewhere.items.get().pk, "seen": True}]}),
        400,
        "observation.item_not_in_look_for",
    )
    unmarked = patch(client, url, {"marks": [{"item": item.pk, "seen": None}]})
    assert unmarked.status_code == 200
    assert item.pk not in {m["item"] for m in unmarked.json()["marks"]}
    refused(post(client, f"{url}share/"), 400, "observation.unmarked")
    future = str(today(world) + timedelta(days=1))
    refused(patch(client, url, {"observed_on": future}), 400, "observation.future")
    Rubric.objects.filter(pk=other.pk).update(is_active=False)
    refused(patch(client, url, {"rubric": other.pk}), 400, "rubric.inactive")
    # Neither level nor evidence removes a rating.
    patch(client, url, {"ratings": [{"component": component.pk, "level": 4}]})
    cleared = patch(client, url, {"ratings": [{"component": component.pk, "level": None}]})
    assert cleared.json()["ratings"] == []
    assert not Rating.objects.filter(observation=draft).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"ratings": [{"component": "a.component", "level": 5}]},
        {"ratings": [{"component": "a.component", "level": 0}]},
        {"ratings": [{"level": 2}]},
        {"ratings": [{"component": "a.component"}, {"component": "a.component"}]},
        {"ratings": {"component": 1}},
        {"marks": [{"item": "a.look_for_item"}]},
        {"marks": [{"item": "a.look_for_item", "seen": "often"}]},
        {"marks": [{"seen": True}]},
        {"marks": [{"item": TOO_BIG, "seen": True}]},
        {"rubric": "b.rubric"},
        {"look_for": "b.look_for"},
        {"observed_on": "someday"},
        {"observed_on": None},
        {"focus": "x" * 301},
        {"notes": "x" * 20_001},
    ],
)
def test_bad_autosave_bodies_are_400(client, world, data):
    draft = walkthrough(world, world.obj("a.new_teacher"), share=False)
    body = {}
    for key, value in data.items():
        if isinstance(value, list):
            value = [{k: resolve(world, v) for k, v in row.items()} for row in value]
        body[key] = resolve(world, value)
    login_as(client, world, "a.principal")
    response = patch(client, f"observations/{draft.pk}/", body)
    assert response.status_code == 400, response.content
    assert response.json()["code"] in ("invalid", "observation.date_required")
    assert Mark.objects.filter(observation=draft).count() == 3


def test_walkthroughs_are_for_leaders_coaches_and_directors(client, world):
    data = {
        "kind": "walkthrough",
        "teacher": pk(world, "a.new_teacher"),
        "look_for": pk(world, "a.look_for"),
    }
    login_as(client, world, "a.teacher")
    refused(post(client, "observations/", data), 403, "permission_denied")
    login_as(client, world, "a.principal")
    refused(
        post(client, "observations/", data | {"look_for": None}),
        400,
        "observation.look_for_required",
    )
    elsewhere = data | {"teacher": pk(world, "a.other_teacher")}
    refused(post(client, "observations/", elsewhere), 400, "observation.not_leader")
    made = post(client, "observations/", data)
    assert made.status_code == 201, made.json()
    assert made.json()["offering"] == pk(world, "a.offering")  # the look-for's
    for key in ("a.coach", "a.director", "a.admin"):
        login_as(client, world, key)
        assert post(client, "observations/", elsewhere).status_code == 201, key


def test_coaching_peer_and_mentor_observations_come_from_their_work(client, world):
    cycle, visit = pk(world, "a.cycle"), world.obj("a.visit")
    # The teacher is in the cycle, but it is the coach's to observe.
    login_as(client, world, "a.teacher")
    refused(
        post(client, "observations/", {"kind": "coaching", "cycle": cycle}),
        403,
        "permission_denied",
    )
    refused(post(client, "observations/", {"kind": "coaching"}), 400, "observation.cycle_required")
    # The teacher mentors the new teacher: a mentor observation is theirs.
    mentor = post(
        client, "observations/", {"kind": "mentor", "teacher": pk(world, "a.new_teacher")}
    )
    assert mentor.status_code == 201, mentor.json()
    refused(
        post(client, "observations/", {"kind": "mentor", "teacher": pk(world, "a.principal")}),
        400,
        "observation.not_mentor",
    )
    # The host answers, then the visitor records.
    refused(
        post(client, "observations/", {"kind": "peer", "visit": visit.pk}), 403, "permission_denied"
    )
    login_as(client, world, "a.new_teacher")
    refused(
        post(client, "observations/", {"kind": "peer", "visit": visit.pk}),
        409,
        "visit.not_accepted",
    )
    peer_visits.visit_respond(visit=visit, actor=None, accept=True)
    peer = post(client, "observations/", {"kind": "peer", "visit": visit.pk})
    assert peer.status_code == 201, peer.json()
    assert (peer.json()["visit"], peer.json()["teacher"]) == (visit.pk, pk(world, "a.teacher"))
    refused(
        post(client, "observations/", {"kind": "peer", "visit": visit.pk}), 409, "visit.observed"
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "evaluation"},
        {"kind": None},
        {"kind": "coaching", "cycle": "b.cycle"},
        {"kind": "coaching", "cycle": TOO_BIG},
        {"kind": "peer", "visit": "b.visit"},
        {"kind": "walkthrough", "teacher": "b.teacher", "look_for": "a.look_for"},
        {"kind": "walkthrough", "teacher": "a.teacher", "look_for": "b.look_for"},
        {"kind": "walkthrough", "teacher": "a.teacher", "offering": "b.offering"},
        {"kind": "mentor", "teacher": "a.new_teacher", "observed_on": "2026-13-01"},
        {"kind": "mentor", "teacher": "a.new_teacher", "focus": "x" * 301},
    ],
)
def test_bad_observation_bodies_are_400(client, world, data):
    login_as(client, world, "a.principal")
    before = Observation.objects.count()
    response = post(client, "observations/", {k: resolve(world, v) for k, v in data.items()})
    refused(response, 400, "invalid")
    assert Observation.objects.count() == before


def test_observation_filters(client, world):
    coaching, walk = pk(world, "a.observation"), pk(world, "a.walkthrough")
    login_as(client, world, "a.teacher")

    def found(**params):
        return ids(client.get(f"{API}/observations/", params))

    assert found(side="of_me") == {coaching, walk}
    assert found(side="made") == set()
    assert found(kind="walkthrough") == {walk}
    assert found(status="shared") == {coaching, walk}
    assert found(status="acknowledged") == set()
    assert found(cycle=pk(world, "a.cycle")) == {coaching}
    assert found(school_year=pk(world, "a.year")) == {coaching, walk}
    # Those waiting for my acknowledgement come first.
    observations.observation_acknowledge(observation=world.obj("a.walkthrough"), actor=None)
    ordered = client.get(f"{API}/observations/").json()["results"]
    assert [row["id"] for row in ordered] == [coaching, walk]


# --- implementation rates ------------------------------------------------------------------


def test_implementation_rates_are_for_pd_leaders_and_suppressed_below_three(client, world):
    for key in ("a.teacher",):
        login_as(client, world, key)
        refused(client.get(f"{API}/observations/implementation/"), 403, "permission_denied")
    login_as(client, world, "a.principal")
    body = client.get(f"{API}/observations/implementation/").json()
    assert (body["by"], body["school_year"], body["min_teachers"]) == (
        "offering",
        pk(world, "a.year"),
        3,
    )
    (row,) = body["rows"]
    assert (row["key"], row["label"]) == (
        str(pk(world, "a.offering")),
        world.obj("a.offering").title,
    )
    hidden = {
        "suppressed": True,
        "rate": None,
        "seen": None,
        "marked": None,
        "walkthroughs": None,
        "teachers": None,
    }
    assert row["total"] == hidden and body["total"] == hidden  # one teacher: no figure at all
    assert len(row["months"]) == len(body["months"])

    # Three teachers: 2 + 3 + 1 seen of 9 marked.
    walkthrough(world, world.obj("a.new_teacher"), seen=(True, True, True))
    walkthrough(world, world.obj("a.second_new_teacher"), seen=(True, False, False))
    for key in ("a.principal", "a.director", "a.admin"):
        login_as(client, world, key)
        body = client.get(f"{API}/observations/implementation/").json()
        assert body["total"] == {
            "suppressed": False,
            "rate": "66.7",
            "seen": 6,
            "marked": 9,
            "walkthroughs": 3,
            "teachers": 3,
        }, key
    by_school = client.get(f"{API}/observations/implementation/", {"by": "school"}).json()
    assert [r["label"] for r in by_school["rows"]] == [world.obj("a.school").name]
    by_strategy = client.get(f"{API}/observations/implementation/", {"by": "strategy"}).json()
    assert [r["key"] for r in by_strategy["rows"]] == ["Checking for understanding"]
    elsewhere = client.get(
        f"{API}/observations/implementation/", {"school": pk(world, "a.other_school")}
    ).json()
    assert elsewhere["rows"] == []


@pytest.mark.parametrize(
    "params",
    [{"by": "teacher"}, {"school_year": "b.year"}, {"school_year": "x"}, {"school": str(TOO_BIG)}],
)
def test_bad_implementation_parameters_are_400(client, world, params):
    login_as(client, world, "a.admin")
    response = client.get(
        f"{API}/observations/implementation/", {k: resolve(world, v) for k, v in params.items()}
    )
    refused(response, 400, "invalid")


# --- rubrics -------------------------------------------------------------------------------


def test_everyone_reads_rubrics_with_their_tree(client, world):
    rubric, domain, component = (world.obj(f"a.{k}") for k in ("rubric", "domain", "component"))
    for key in ("a.teacher", "a.principal", "a.director", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/rubrics/")) == {rubric.pk}
    body = client.get(f"{API}/rubrics/{rubric.pk}/").json()
    assert (body["name"], body["is_active"], body["component_count"]) == (
        "Framework for teaching",
        True,
        2,
    )
    (found,) = body["domains"]
    assert (found["id"], found["number"], found["name"]) == (domain.pk, 3, "Instruction")
    assert [c["code"] for c in found["components"]] == ["3b", "3d"]
    first = found["components"][0]
    assert first["id"] == component.pk
    assert [(lv["level"], lv["label"]) for lv in first["levels"]] == list(
        enumerate(LABELS, start=1)
    )
    assert first["levels"][2]["descriptor"] == "Proficient practice in questioning and discussion"


def test_administrators_define_rubrics(client, world):
    admin = login_as(client, world, "a.admin")
    made = post(client, "rubrics/", {"name": "Danielson 2022", "description": "Four domains"})
    assert made.status_code == 201, made.json()
    rubric = made.json()
    assert (rubric["is_active"], rubric["domains"], rubric["component_count"]) == (True, [], 0)
    assert AuditEvent.objects.filter(
        object_type="coaching.rubric", object_id=str(rubric["id"]), actor=admin.user
    ).exists()
    refused(post(client, "rubrics/", {"name": "danielson 2022"}), 409, "rubric.name_taken")
    url = f"rubrics/{rubric['id']}"
    domain = post(client, f"{url}/domains/", {"name": "Planning"})
    assert domain.status_code == 201 and domain.json()["number"] == 1
    refused(
        post(client, f"{url}/domains/", {"number": 1, "name": "Again"}), 400, "domain.number_taken"
    )
    component = post(
        client,
        f"{url}/components/",
        {"domain": domain.json()["id"], "code": "1a", "name": "Content", "levels": levels()},
    )
    assert component.status_code == 201, component.json()
    assert [lv["level"] for lv in component.json()["levels"]] == [1, 2, 3, 4]
    three = {"domain": domain.json()["id"], "code": "1b", "name": "Students", "levels": levels(3)}
    refused(post(client, f"{url}/components/", three), 400, "component.four_levels")
    refused(
        post(client, f"{url}/components/", three | {"code": "1a", "levels": levels()}),
        400,
        "component.code_taken",
    )
    elsewhere = three | {"domain": pk(world, "a.domain"), "levels": levels()}
    refused(post(client, f"{url}/components/", elsewhere), 400, "invalid")
    retired = patch(client, f"{url}/", {"is_active": False, "name": "Danielson (old)"})
    assert retired.status_code == 200, retired.json()
    assert (retired.json()["is_active"], retired.json()["component_count"]) == (False, 1)
    assert ids(client.get(f"{API}/rubrics/", {"active": "false"})) == {rubric["id"]}
    assert ids(client.get(f"{API}/rubrics/", {"active": "true"})) == {pk(world, "a.rubric")}


def test_only_administrators_define_rubrics(client, world):
    url = f"rubrics/{pk(world, 'a.rubric')}"
    for key in ("a.teacher", "a.principal", "a.director", "a.coach"):
        login_as(client, world, key)
        refused(post(client, "rubrics/", {"name": "Mine"}), 403, "permission_denied")
        refused(patch(client, f"{url}/", {"name": "Mine"}), 403, "permission_denied")
        refused(post(client, f"{url}/domains/", {"name": "Mine"}), 403, "permission_denied")
        refused(post(client, f"{url}/components/", {}), 403, "permission_denied")
    assert fresh(world.obj("a.rubric")).name == "Framework for teaching"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("rubrics/", {"name": ""}),
        ("rubrics/", {"name": "x" * 201}),
        ("rubrics/", {"name": "n", "is_active": "sometimes"}),
        ("rubrics/{rubric}/domains/", {"number": 0, "name": "n"}),
        ("rubrics/{rubric}/domains/", {"number": 100, "name": "n"}),
        ("rubrics/{rubric}/domains/", {}),
        ("rubrics/{rubric}/components/", {"domain": TOO_BIG, "code": "c", "name": "n"}),
        ("rubrics/{rubric}/components/", {"domain": "a.domain", "code": "x" * 11, "name": "n"}),
        (
            "rubrics/{rubric}/components/",
            {"domain": "a.domain", "code": "3z", "name": "n", "levels": [{"level": 5}] * 4},
        ),
        (
            "rubrics/{rubric}/components/",
            {"domain": "a.domain", "code": "3z", "name": "n", "levels": [{}] * 5},
        ),
    ],
)
def test_bad_rubric_bodies_are_400(client, world, path, data):
    login_as(client, world, "a.admin")
    url = path.format(rubric=pk(world, "a.rubric"))
    response = post(client, url, {k: resolve(world, v) for k, v in data.items()})
    refused(response, 400, "invalid")
    assert Rubric.objects.filter(district=world.a).count() == 1


# --- look-fors -----------------------------------------------------------------------------


def test_everyone_reads_look_fors_with_their_items(client, world):
    look_for = world.obj("a.look_for")
    for key in ("a.teacher", "a.principal", "a.director", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/look-fors/")) == {look_for.pk}
    body = client.get(f"{API}/look-fors/{look_for.pk}/").json()
    items = body.pop("items")
    assert body == {
        "id": look_for.pk,
        "title": "Checking for understanding",
        "strategy": "Checking for understanding",
        "offering": pk(world, "a.offering"),
        "offering_title": world.obj("a.offering").title,
        "is_active": True,
    }
    assert [(i["position"], i["text"]) for i in items] == [
        (0, "Every student responds"),
        (1, "Teacher adjusts from responses"),
        (2, "Exit ticket used"),
    ]


def test_keepers_make_and_change_look_fors(client, world):
    for key in ("a.director", "a.coach", "a.admin"):
        login_as(client, world, key)
        made = post(
            client,
            "look-fors/",
            {
                "title": f"Think-pair-share ({key})",
                "strategy": "Think-pair-share",
                "item_texts": ["Think time given", "", "Every pair talks"],
            },
        )
        assert made.status_code == 201, made.json()
        assert [i["text"] for i in made.json()["items"]] == ["Think time given", "Every pair talks"]
        assert "item_texts" not in made.json()
    url = f"look-fors/{made.json()['id']}"
    added = post(client, f"{url}/items/", {"text": "Pairs report out", "position": 0})
    assert added.status_code == 201 and added.json()["position"] == 0
    refused(post(client, f"{url}/items/", {"text": "  "}), 400, "look_for.item_blank")
    changed = patch(client, f"{url}/", {"title": "TPS", "item_texts": ["ignored"]})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["title"] == "TPS" and len(changed.json()["items"]) == 3
    # An item never marked is deleted; one marked in observations is retired.
    removed = post(client, f"{url}/remove-item/", {"item": added.json()["id"]})
    assert removed.status_code == 200
    assert not LookForItem.objects.filter(pk=added.json()["id"]).exists()
    marked = world.obj("a.look_for_item")
    retired = post(client, f"look-fors/{pk(world, 'a.look_for')}/remove-item/", {"item": marked.pk})
    assert retired.status_code == 200, retired.json()
    assert marked.pk not in {i["id"] for i in retired.json()["items"]}
    assert fresh(marked).is_active is False
    refused(post(client, f"{url}/remove-item/", {"item": marked.pk}), 400, "invalid")
    archived = OfferingFactory(district=world.a, status=Offering.Status.ARCHIVED)
    refused(patch(client, f"{url}/", {"offering": archived.pk}), 400, "coaching.offering_archived")


def test_teachers_and_principals_do_not_keep_look_fors(client, world):
    url = f"look-fors/{pk(world, 'a.look_for')}"
    for key in ("a.teacher", "a.principal"):
        login_as(client, world, key)
        refused(post(client, "look-fors/", {"title": "t"}), 403, "permission_denied")
        refused(patch(client, f"{url}/", {"title": "t"}), 403, "permission_denied")
        refused(post(client, f"{url}/items/", {"text": "t"}), 403, "permission_denied")
        refused(post(client, f"{url}/remove-item/", {}), 403, "permission_denied")
    assert LookFor.objects.filter(district=world.a).count() == 1


def test_look_for_filters(client, world):
    look_for = pk(world, "a.look_for")
    other = lookfors.look_for_create(
        district=world.a,
        actor=None,
        data={"title": "Retired list", "strategy": "Jigsaw", "is_active": False},
        items=["x"],
    )
    login_as(client, world, "a.teacher")

    def found(**params):
        return ids(client.get(f"{API}/look-fors/", params))

    assert found() == {look_for, other.pk}
    assert found(active="true") == {look_for}
    assert found(active="false") == {other.pk}
    assert found(offering=pk(world, "a.offering")) == {look_for}
    assert found(q="jigsaw") == {other.pk}


@pytest.mark.parametrize(
    "data",
    [
        {"title": ""},
        {"strategy": ""},
        {"offering": "b.offering"},
        {"offering": TOO_BIG},
        {"item_texts": "one"},
        {"item_texts": ["x" * 301]},
        {"item_texts": ["x"] * 101},
    ],
)
def test_bad_look_for_bodies_are_400(client, world, data):
    body = {"title": "Bad", "strategy": "s"} | {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.admin")
    refused(post(client, "look-fors/", body), 400, "invalid")
    assert LookFor.objects.filter(district=world.a).count() == 1


# --- no replacing or deleting --------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_no_put_or_delete(client, world, resource):
    login_as(client, world, "a.teacher")  # who sees each of them
    target = pk(world, f"a.{OBJECTS[resource]}")
    assert client.put(f"{API}/{resource}/{target}/", {}).status_code == 405
    assert client.delete(f"{API}/{resource}/{target}/").status_code == 405


# --- query counts (the lists': cadre/tests/test_api_checks.py) -----------------------------


def test_implementation_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for _ in range(5):
        walkthrough(world, staff_with_role(Role.TEACHER, school=world.obj("a.school")))
    login_as(client, world, "a.admin")
    client.get(f"{API}/observations/implementation/")
    with django_assert_max_num_queries(13):
        response = client.get(f"{API}/observations/implementation/", {"by": "school"})
    assert response.status_code == 200


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_coaching_api(openapi_schema):
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        assert (f"{API}/{resource}/", "get") in operations
        assert (f"{API}/{resource}/", "post") in operations
        assert (f"{API}/{resource}/{{id}}/", "get") in operations
        assert (f"{API}/{resource}/{{id}}/", "patch") in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
    for action in (
        "coaching-cycles/{id}/advance/",
        "coaching-cycles/{id}/reflect/",
        "observations/{id}/share/",
        "observations/{id}/acknowledge/",
        "rubrics/{id}/domains/",
        "rubrics/{id}/components/",
        "look-fors/{id}/items/",
        "look-fors/{id}/remove-item/",
    ):
        assert (f"{API}/{action}", "post") in operations
    assert (f"{API}/observations/implementation/", "get") in operations
    components = schema["components"]["schemas"]
    assert components["CoachingCycle"]["properties"]["reflection"]["readOnly"] is True
    assert "ratings" in components["PatchedObservationChangeRequest"]["properties"]
    assert components["ImplementationCell"]["properties"]["rate"]["nullable"] is True
    assert components["ObservationKindEnum"]["enum"] == [k for k, _ in Observation.Kind.choices]
