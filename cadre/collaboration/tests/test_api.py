"""The small-groups API: who sees groups, their meetings (with attendance and reflections) and
check-ins; creating and running groups through the services (members, stage, close, evidence,
judgement, join and leave); meetings and reflections; check-ins; refusals with their codes,
other districts, bad input and query counts.

In district A of the `world` the teacher facilitates `group` (a PLC at the principal's
school, at the data stage) with the new teacher as a member; it met once (`group_meeting`,
both present, the teacher's reflection) and the principal checked in a week ago
(`check_in`). The teacher also facilitates `lesson_group`; the other teacher facilitates
`cross_group`, a cross-school group with members from the other school only.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.collaboration.models import CheckIn, Evidence, Group, Meeting, Membership, Reflection
from cadre.collaboration.services import groups as services
from cadre.collaboration.tests.api_checks import add_evidence, new_group
from cadre.districts.factories import StaffFactory, staff_with_role
from cadre.districts.models import Role, Staff
from cadre.tests.kit import API, fresh, ids, login_as, patch, pk, post, refused, resolve, today

pytestmark = pytest.mark.django_db

RESOURCES = ["groups", "group-meetings", "check-ins"]
OBJECTS = {"groups": "group", "group-meetings": "group_meeting", "check-ins": "check_in"}
TOO_BIG = 2**63
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads(client, world):
    key = Token.objects.create(user=world.obj("a.new_teacher").user).key
    response = client.get(f"{API}/groups/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ids(response) == {pk(world, "a.group")}


# --- groups: who sees them -----------------------------------------------------------------


def test_groups_are_seen_by_members_school_leaders_and_administrators(client, world):
    group, lesson, cross = (pk(world, f"a.{k}") for k in ("group", "lesson_group", "cross_group"))
    seen = {
        "a.teacher": {group, lesson},
        "a.new_teacher": {group},
        "a.principal": {group, lesson},  # their school's; the cross-school one has none of theirs
        "a.admin": {group, lesson, cross},
        "a.other_teacher": {cross},
        "a.director": set(),
    }
    for key, expected in seen.items():
        login_as(client, world, key)
        assert ids(client.get(f"{API}/groups/")) == expected, key
    login_as(client, world, "a.director")
    refused(client.get(f"{API}/groups/{group}/"), 404, "not_found")


def test_a_cross_school_group_is_seen_by_the_leaders_of_its_members_schools(client, world):
    cross = world.obj("a.cross_group")
    login_as(client, world, "a.principal")
    assert client.get(f"{API}/groups/{cross.pk}/").status_code == 404
    services.member_add(group=cross, actor=None, staff=world.obj("a.new_teacher"))
    assert client.get(f"{API}/groups/{cross.pk}/").status_code == 200


def test_group_representation(client, world):
    group, teacher, mentee = (
        world.obj("a.group"),
        world.obj("a.teacher"),
        world.obj("a.new_teacher"),
    )
    goal = world.obj("a.school_goal")
    login_as(client, world, "a.principal")
    body = client.get(f"{API}/groups/{group.pk}/").json()
    members = body.pop("members")
    assert body == {
        "id": group.pk,
        "name": "Grade 3 reading PLC",
        "kind": "plc",
        "school": pk(world, "a.school"),
        "school_name": world.obj("a.school").name,
        "school_year": pk(world, "a.year"),
        "school_year_name": world.obj("a.year").name,
        "focus": "Why do our readers stall on inference questions?",
        "goals": [goal.pk],
        "goal_summaries": [{"id": goal.pk, "code": goal.code, "title": goal.title}],
        "facilitator": teacher.pk,
        "facilitator_name": teacher.full_name,
        "schedule": "Tuesdays, 3:15",
        "meeting_minutes": 60,
        "is_virtual": False,
        "meeting_link": "",
        "support": "leader",
        "stage": "data",
        "status": "active",
        "closed_on": None,
        "member_count": 2,
        "last_meeting": str(today(world) - timedelta(days=10)),
        "last_check_in": str(today(world) - timedelta(days=7)),
        "overdue": False,
        "is_mine": False,
        "effectiveness": "",
        "effectiveness_note": "",
        "judged_by_name": None,
        "judged_on": None,
        "evidence": [],
    }
    assert {(m["staff"], m["staff_name"], m["school"]) for m in members} == {
        (teacher.pk, teacher.full_name, pk(world, "a.school")),
        (mentee.pk, mentee.full_name, pk(world, "a.school")),
    }
    # Nothing of coaching rides along: the facilitator is coached, and no cycle shows.
    text = client.get(f"{API}/groups/{group.pk}/").content.decode()
    assert "explain their thinking" not in text and "cycle" not in text
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/groups/{group.pk}/").json()["is_mine"] is True


def test_the_overdue_flag_follows_the_districts_check_in_interval(client, world):
    group, cross = world.obj("a.group"), world.obj("a.cross_group")
    login_as(client, world, "a.admin")

    def overdue(g):
        return client.get(f"{API}/groups/{g.pk}/").json()["overdue"]

    assert overdue(group) is False
    interval = world.a.check_in_days
    CheckIn.objects.filter(group=group).update(held_on=today(world) - timedelta(days=interval))
    assert overdue(group) is False  # exactly the interval is not overdue
    CheckIn.objects.filter(group=group).update(held_on=today(world) - timedelta(days=interval + 1))
    assert overdue(group) is True
    # Without a check-in it counts from the group's creation.
    assert overdue(cross) is False
    Group.objects.filter(pk=cross.pk).update(
        created_at=cross.created_at - timedelta(days=interval + 2)
    )
    assert overdue(cross) is True
    listed = {row["id"]: row["overdue"] for row in client.get(f"{API}/groups/").json()["results"]}
    assert listed[group.pk] is True and listed[cross.pk] is True
    # A closed cycle is never overdue.
    add_evidence(group)
    services.group_close(group=fresh(group), actor=None)
    assert overdue(group) is False


def test_group_filters(client, world):
    group, lesson, cross = (pk(world, f"a.{k}") for k in ("group", "lesson_group", "cross_group"))
    login_as(client, world, "a.admin")

    def found(**params):
        return ids(client.get(f"{API}/groups/", params))

    assert found(kind="lesson_study") == {lesson}
    assert found(kind="critical_friends") == {cross}
    assert found(status="closed") == set()
    assert found(school=pk(world, "a.school")) == {group, lesson}
    assert found(school=pk(world, "a.other_school")) == {cross}  # its members' school
    assert found(school_year=pk(world, "a.year")) == {group, lesson, cross}
    assert found(school_year=pk(world, "b.year")) == set()
    assert found(q="inference") == {group}
    assert found(q="fractions") == {lesson}
    ordered = client.get(f"{API}/groups/", {"ordering": "name"}).json()["results"]
    assert [row["id"] for row in ordered] == [lesson, group, cross]


# --- groups: create and change -------------------------------------------------------------


def test_a_principal_creates_a_group_at_their_school(client, world):
    principal = login_as(client, world, "a.principal")
    body = {
        "name": " Science PLC ",
        "kind": "plc",
        "school": pk(world, "a.school"),
        "school_year": pk(world, "a.year"),
        "focus": "Claims and evidence",
        "facilitator": pk(world, "a.teacher"),
        "goals": [pk(world, "a.district_goal"), pk(world, "a.school_goal")],
        "member_ids": [pk(world, "a.new_teacher")],
        "support": "coach",
        "stage": "evidence",
        "status": "closed",
    }
    made = post(client, "groups/", body)
    assert made.status_code == 201, made.json()
    group = made.json()
    assert (group["name"], group["stage"], group["status"], group["support"]) == (
        "Science PLC",
        "question",
        "active",
        "coach",
    )
    assert set(group["goals"]) == set(body["goals"])
    assert {m["staff"] for m in group["members"]} == {
        pk(world, "a.teacher"),
        pk(world, "a.new_teacher"),
    }
    assert group["member_count"] == 2 and group["is_mine"] is False
    assert AuditEvent.objects.filter(
        object_type="collaboration.group", object_id=str(group["id"]), actor=principal.user
    ).exists()
    # Elsewhere is not theirs; a cross-school group is.
    elsewhere = post(
        client,
        "groups/",
        body | {"school": pk(world, "a.other_school"), "goals": [], "member_ids": []},
    )
    assert elsewhere.status_code == 403
    cross = post(client, "groups/", body | {"school": None, "goals": [], "member_ids": []})
    assert cross.status_code == 201, cross.json()
    assert cross.json()["school"] is None


def test_a_coach_creates_a_group_they_do_not_run(client, world):
    """The coach neither facilitates nor joins: the answer is still the group written."""
    login_as(client, world, "a.coach")
    body = {
        "name": "Coach-led PLC",
        "school": pk(world, "a.school"),
        "school_year": pk(world, "a.year"),
        "focus": "Discourse",
        "facilitator": pk(world, "a.teacher"),
        "support": "coach",
    }
    made = post(client, "groups/", body)
    assert made.status_code == 201, made.json()
    assert made.json()["facilitator"] == pk(world, "a.teacher")
    assert made.json()["member_count"] == 1
    assert (
        post(client, "groups/", body | {"school": pk(world, "a.other_school")}).status_code == 403
    )


def test_teachers_and_directors_do_not_create_groups(client, world):
    for key in ("a.teacher", "a.director"):
        login_as(client, world, key)
        refused(post(client, "groups/", {"name": "x"}), 403, "permission_denied")
    assert not Group.objects.filter(name="x").exists()


def _inactive(world):
    staff = staff_with_role(Role.TEACHER, school=world.obj("a.school"))
    Staff.objects.filter(pk=staff.pk).update(is_active=False)
    return staff.pk


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"facilitator": pk(w, "a.other_teacher")}, 400, "group.facilitator_elsewhere"),
        (lambda w: {"facilitator": _inactive(w)}, 400, "group.facilitator_inactive"),
        (lambda w: {"goals": [pk(w, "a.draft_goal")]}, 400, "group.goal_invalid"),
        (lambda w: {"member_ids": [_inactive(w)]}, 400, "group.member_inactive"),
    ],
)
def test_create_rules_of_the_service(client, world, change, status, code):
    body = {
        "name": "Refused PLC",
        "school": pk(world, "a.school"),
        "school_year": pk(world, "a.year"),
        "focus": "f",
        "facilitator": pk(world, "a.teacher"),
    } | change(world)
    login_as(client, world, "a.admin")
    refused(post(client, "groups/", body), status, code)
    assert not Group.objects.filter(name="Refused PLC").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"school": "b.school"},
        {"school": TOO_BIG},
        {"school_year": "b.year"},
        {"school_year": None},
        {"facilitator": "b.teacher"},
        {"facilitator": "me"},
        {"goals": ["b.school_goal"]},
        {"goals": [TOO_BIG]},
        {"member_ids": ["b.teacher"]},
        {"kind": "choir"},
        {"support": "none"},
        {"meeting_minutes": 0},
        {"meeting_minutes": 601},
        {"meeting_link": "not a link"},
        {"name": ""},
        {"focus": "x" * 10_001},
    ],
)
def test_bad_group_bodies_are_400(client, world, data):
    body = {
        "name": "Bad PLC",
        "school": pk(world, "a.school"),
        "school_year": pk(world, "a.year"),
        "focus": "f",
        "facilitator": pk(world, "a.teacher"),
    }
    if isinstance(data.get("goals"), list) or isinstance(data.get("member_ids"), list):
        data = {k: [resolve(world, v) for v in vs] for k, vs in data.items()}
    else:
        data = {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.admin")
    refused(post(client, "groups/", body | data), 400, "invalid")
    assert not Group.objects.filter(name__in=["Bad PLC", ""]).exists()


def test_the_facilitator_changes_their_group(client, world):
    group = pk(world, "a.group")
    login_as(client, world, "a.teacher")
    changed = patch(
        client,
        f"groups/{group}/",
        {
            "schedule": "Thursdays",
            "goals": [],
            "school": pk(world, "a.other_school"),
            "stage": "evidence",
        },
    )
    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["schedule"], body["goals"], body["school"], body["stage"]) == (
        "Thursdays",
        [],
        pk(world, "a.school"),
        "data",
    )
    # A new facilitator becomes a member.
    handed = patch(client, f"groups/{group}/", {"facilitator": pk(world, "a.principal")})
    assert handed.status_code == 200, handed.json()
    assert pk(world, "a.principal") in {m["staff"] for m in handed.json()["members"]}
    # A member who does not run it may not change it.
    login_as(client, world, "a.new_teacher")
    refused(patch(client, f"groups/{group}/", {"name": "Mine now"}), 403, "permission_denied")
    assert fresh(world.obj("a.group")).name == "Grade 3 reading PLC"


# --- groups: the cycle of inquiry, evidence and the judgement ------------------------------


def test_stage_evidence_close_judge_and_reopen(client, world):
    url = f"groups/{pk(world, 'a.group')}"
    login_as(client, world, "a.teacher")
    moved = post(client, f"{url}/stage/", {"stage": "strategy", "note": "Chose think-alouds"})
    assert moved.status_code == 200 and moved.json()["stage"] == "strategy"
    refused(post(client, f"{url}/stage/", {"stage": "strategy"}), 400, "group.stage_same")
    refused(post(client, f"{url}/close/"), 409, "group.evidence_required")

    # A member records the evidence; too few students withholds its figures.
    login_as(client, world, "a.new_teacher")
    few = post(
        client,
        f"{url}/evidence/",
        {"measure": "Exit tickets", "before": "40.0", "after": "55", "students": 4},
    )
    assert few.status_code == 201, few.json()
    assert (few.json()["shown"], few.json()["before"], few.json()["after"]) == (False, None, None)
    assert few.json()["change"] is None and few.json()["students"] == 4
    enough = post(
        client,
        f"{url}/evidence/",
        {"measure": "Unit CFA", "unit": "%", "before": "40", "after": "55.5", "students": 24},
    )
    assert enough.status_code == 201, enough.json()
    assert (enough.json()["before"], enough.json()["after"], enough.json()["change"]) == (
        "40.00",
        "55.50",
        "15.50",
    )
    refused(post(client, f"{url}/close/"), 403, "permission_denied")  # a member does not close
    refused(post(client, f"{url}/judge/", {"effectiveness": "effective"}), 403, "permission_denied")

    login_as(client, world, "a.teacher")
    closed = post(client, f"{url}/close/", {"note": "Cycle done"})
    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", str(today(world)))
    refused(post(client, f"{url}/stage/", {"stage": "evidence"}), 409, "group.closed")
    refused(patch(client, f"{url}/", {"schedule": "x"}), 409, "group.closed")
    refused(post(client, f"{url}/judge/", {"effectiveness": "effective"}), 403, "permission_denied")

    principal = login_as(client, world, "a.principal")
    judged = post(client, f"{url}/judge/", {"effectiveness": "partly", "note": "Gains in one"})
    assert judged.status_code == 200, judged.json()
    body = judged.json()
    assert (body["effectiveness"], body["judged_by_name"], body["judged_on"]) == (
        "partly",
        principal.full_name,
        str(today(world)),
    )
    assert [e["shown"] for e in body["evidence"]] == [False, True]
    assert body["evidence"][0]["before"] is None  # withheld in the group's own list too

    reopened = post(client, f"{url}/reopen/", {"note": "One more round"})
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["effectiveness"]) == ("active", "")
    refused(post(client, f"{url}/reopen/"), 409, "group.not_closed")


def test_judging_needs_evidence(client, world):
    login_as(client, world, "a.admin")
    url = f"groups/{pk(world, 'a.group')}/judge/"
    refused(post(client, url, {"effectiveness": "effective"}), 409, "group.no_evidence")
    refused(post(client, url, {"effectiveness": ""}), 400, "invalid")


def test_a_book_study_closes_without_evidence(client, world):
    group = new_group(world, kind=Group.Kind.BOOK_STUDY, name="Reading Hattie")
    login_as(client, world, "a.teacher")
    closed = post(client, f"groups/{group.pk}/close/")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("stage", {"stage": "done"}),
        ("stage", {}),
        ("close", {"closed_on": "31/12/2025"}),
        ("judge", {"effectiveness": "great"}),
        ("evidence", {"measure": "m", "before": "x", "after": 1, "students": 20}),
        ("evidence", {"measure": "m", "before": 1, "after": 1, "students": -1}),
        ("evidence", {"measure": "m", "before": "1e9", "after": 1, "students": 20}),
        ("evidence", {"before": 1, "after": 1, "students": 20}),
        ("members", {"staff": "b.teacher"}),
        ("members", {"staff": TOO_BIG}),
        ("remove-member", {}),
    ],
)
def test_bad_action_bodies_are_400(client, world, action, data):
    login_as(client, world, "a.admin")
    body = {k: resolve(world, v) for k, v in data.items()}
    response = post(client, f"groups/{pk(world, 'a.group')}/{action}/", body)
    refused(response, 400, "invalid")
    assert fresh(world.obj("a.group")).stage == "data"
    assert not Evidence.objects.filter(group=world.obj("a.group")).exists()


def test_evidence_counts_at_least_one_student(client, world):
    login_as(client, world, "a.teacher")
    response = post(
        client,
        f"groups/{pk(world, 'a.group')}/evidence/",
        {"measure": "m", "before": 1, "after": 2, "students": 0},
    )
    refused(response, 400, "evidence.students")


def test_a_closed_group_takes_no_evidence(client, world):
    group = world.obj("a.group")
    add_evidence(group)
    services.group_close(group=group, actor=None)
    login_as(client, world, "a.teacher")
    response = post(
        client,
        f"groups/{group.pk}/evidence/",
        {"measure": "m", "before": 1, "after": 2, "students": 20},
    )
    refused(response, 409, "group.closed")


# --- groups: members, join and leave -------------------------------------------------------


def test_the_facilitator_adds_and_removes_members(client, world):
    url = f"groups/{pk(world, 'a.group')}"
    other = pk(world, "a.other_teacher")
    login_as(client, world, "a.teacher")
    added = post(client, f"{url}/members/", {"staff": other})
    assert added.status_code == 201, added.json()
    assert (added.json()["staff"], added.json()["school"]) == (other, pk(world, "a.other_school"))
    refused(post(client, f"{url}/members/", {"staff": other}), 409, "group.already_member")
    inactive = StaffFactory(district=world.a, is_active=False)
    refused(post(client, f"{url}/members/", {"staff": inactive.pk}), 400, "group.member_inactive")
    removed = post(client, f"{url}/remove-member/", {"staff": other})
    assert removed.status_code == 200, removed.json()
    assert other not in {m["staff"] for m in removed.json()["members"]}
    refused(post(client, f"{url}/remove-member/", {"staff": other}), 400, "group.not_member")
    refused(
        post(client, f"{url}/remove-member/", {"staff": pk(world, "a.teacher")}),
        400,
        "group.facilitator_member",
    )
    # A member does not manage the others.
    login_as(client, world, "a.new_teacher")
    refused(post(client, f"{url}/members/", {"staff": other}), 403, "permission_denied")


def test_a_principal_joins_and_leaves(client, world):
    url = f"groups/{pk(world, 'a.group')}"
    principal = login_as(client, world, "a.principal")
    joined = post(client, f"{url}/join/")
    assert joined.status_code == 200, joined.json()
    assert principal.pk in {m["staff"] for m in joined.json()["members"]}
    assert joined.json()["is_mine"] is True
    refused(post(client, f"{url}/join/"), 403, "permission_denied")  # already in
    left = post(client, f"{url}/leave/")
    assert left.status_code == 204
    assert not Membership.objects.filter(group=world.obj("a.group"), staff=principal).exists()
    refused(post(client, f"{url}/leave/"), 403, "permission_denied")  # no longer a member
    # Teachers do not join; a member leaves, but not the facilitator.
    login_as(client, world, "a.other_teacher")
    assert post(client, f"{url}/join/").status_code == 404
    login_as(client, world, "a.teacher")
    refused(post(client, f"{url}/leave/"), 400, "group.facilitator_member")
    login_as(client, world, "a.new_teacher")
    assert post(client, f"{url}/leave/").status_code == 204
    assert client.get(f"{API}/{url}/").status_code == 404  # out of the group, out of sight


# --- meetings ------------------------------------------------------------------------------


def test_meetings_are_seen_with_the_group(client, world):
    meeting = pk(world, "a.group_meeting")
    for key in ("a.teacher", "a.new_teacher", "a.principal", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/group-meetings/")) == {meeting}, key
    for key in ("a.director", "a.other_teacher"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/group-meetings/")) == set()
        assert client.get(f"{API}/group-meetings/{meeting}/").status_code == 404


def test_meeting_representation_shows_attendance_and_reflections(client, world):
    meeting, teacher = world.obj("a.group_meeting"), world.obj("a.teacher")
    mentee, sample = world.obj("a.new_teacher"), world.obj("a.work_sample")
    login_as(client, world, "a.principal")  # not a member: reflections are read by all who see it
    body = client.get(f"{API}/group-meetings/{meeting.pk}/").json()
    attendance, reflections = body.pop("attendance"), body.pop("reflections")
    assert body == {
        "id": meeting.pk,
        "group": pk(world, "a.group"),
        "group_name": "Grade 3 reading PLC",
        "held_on": str(today(world) - timedelta(days=10)),
        "minutes": 60,
        "agenda": "Look at the unit 2 exit tickets",
        "protocol": "tuning",
        "student_work": "24 exit tickets, names removed",
        "decisions": "Model inference with think-alouds",
        "next_steps": "Try it for two weeks",
        "samples": [
            {
                "id": sample.pk,
                "name": "exit-tickets.pdf",
                "content_type": "application/pdf",
                "size": sample.size,
                "uploaded_at": body["samples"][0]["uploaded_at"],
                "url": f"/groups/samples/{sample.pk}/",
            }
        ],
        "recorded_by_name": teacher.full_name,
    }
    assert sorted((a["staff"], a["present"]) for a in attendance) == sorted(
        [(teacher.pk, True), (mentee.pk, True)]
    )
    assert [(r["staff"], r["staff_name"], r["text"]) for r in reflections] == [
        (teacher.pk, teacher.full_name, "The protocol kept us on evidence.")
    ]
    assert "present" not in body


def test_the_facilitator_records_a_meeting_and_members_reflect(client, world):
    group = world.obj("a.group")
    teacher, mentee = world.obj("a.teacher"), world.obj("a.new_teacher")
    login_as(client, world, "a.teacher")
    data = {
        "group": group.pk,
        "held_on": str(today(world) - timedelta(days=1)),
        "agenda": "Think-aloud results",
        "protocol": "data_dialogue",
        "student_work": "Running records, numbers only",
        "present": [teacher.pk],
    }
    made = post(client, "group-meetings/", data)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["minutes"] == 60  # the group's usual length
    assert {(a["staff"], a["present"]) for a in body["attendance"]} == {
        (teacher.pk, True),
        (mentee.pk, False),
    }
    url = f"group-meetings/{body['id']}"
    changed = patch(client, f"{url}/", {"minutes": 45, "present": [teacher.pk, mentee.pk]})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["minutes"] == 45
    assert all(a["present"] for a in changed.json()["attendance"])
    assert changed.json()["group"] == group.pk

    # Members reflect, each their own; the facilitator's second save edits theirs.
    refused(post(client, f"{url}/reflect/", {"text": "   "}), 400, "reflection.empty")
    assert post(client, f"{url}/reflect/", {"text": "First"}).status_code == 200
    again = post(client, f"{url}/reflect/", {"text": "Edited"})
    assert [r["text"] for r in again.json()["reflections"]] == ["Edited"]
    login_as(client, world, "a.new_teacher")
    mine = post(client, f"{url}/reflect/", {"text": " Mine "})
    assert mine.status_code == 200, mine.json()
    assert {(r["staff"], r["text"]) for r in mine.json()["reflections"]} == {
        (teacher.pk, "Edited"),
        (mentee.pk, "Mine"),
    }
    refused(patch(client, f"{url}/", {"minutes": 5}), 403, "permission_denied")
    # A school leader who is not a member does not reflect.
    login_as(client, world, "a.principal")
    refused(post(client, f"{url}/reflect/", {"text": "x"}), 403, "permission_denied")
    assert Reflection.objects.filter(meeting_id=body["id"]).count() == 2


def test_only_those_who_run_the_group_record_meetings(client, world):
    data = {"group": pk(world, "a.group"), "held_on": str(today(world)), "present": []}
    login_as(client, world, "a.new_teacher")  # a member
    refused(post(client, "group-meetings/", data), 403, "permission_denied")
    login_as(client, world, "a.director")  # not there at all: an unknown id
    response = post(client, "group-meetings/", data)
    refused(response, 400, "invalid")
    assert "group" in response.json()["errors"]
    login_as(client, world, "a.principal")  # the school's leader runs it
    assert post(client, "group-meetings/", data).status_code == 201
    assert Meeting.objects.filter(group=world.obj("a.group")).count() == 2


def _closed(world):
    group = world.obj("a.group")
    add_evidence(group)
    services.group_close(group=group, actor=None)
    return {}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (lambda w: {"held_on": str(w.a.today() + timedelta(days=1))}, 400, "group_meeting.future"),
        (lambda w: {"held_on": "1999-01-05"}, 400, "group_meeting.outside_year"),
        (lambda w: {"present": [pk(w, "a.other_teacher")]}, 400, "group_meeting.not_member"),
        (_closed, 409, "group.closed"),
    ],
)
def test_meeting_rules_of_the_service(client, world, change, status, code):
    data = {"group": pk(world, "a.group"), "held_on": str(today(world)), "present": []}
    data |= change(world)
    login_as(client, world, "a.teacher")
    refused(post(client, "group-meetings/", data), status, code)
    assert Meeting.objects.filter(group=world.obj("a.group")).count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"group": "b.group"},
        {"group": TOO_BIG},
        {"held_on": "2026-02-30"},
        {"held_on": None},
        {"minutes": 0},
        {"minutes": 601},
        {"protocol": "fishbowl"},
        {"present": ["b.teacher"]},
        {"present": "a.teacher"},
        {"agenda": "x" * 10_001},
    ],
)
def test_bad_meeting_bodies_are_400(client, world, data):
    body = {"group": pk(world, "a.group"), "held_on": str(today(world)), "agenda": "Bad"}
    for k, v in data.items():
        body[k] = [resolve(world, x) for x in v] if isinstance(v, list) else resolve(world, v)
    login_as(client, world, "a.teacher")
    refused(post(client, "group-meetings/", body), 400, "invalid")
    assert Meeting.objects.filter(group=world.obj("a.group")).count() == 1


def test_student_work_is_attached_by_its_content(client, world):
    url = f"{API}/group-meetings/{pk(world, 'a.group_meeting')}/samples/"
    login_as(client, world, "a.teacher")
    made = client.post(url, {"file": SimpleUploadedFile("tickets.txt", PNG)})
    assert made.status_code == 201, made.json()
    assert (made.json()["name"], made.json()["content_type"]) == ("tickets.png", "image/png")
    listed = client.get(f"{API}/group-meetings/{pk(world, 'a.group_meeting')}/").json()
    assert [s["id"] for s in listed["samples"]] == [pk(world, "a.work_sample"), made.json()["id"]]
    wrong = client.post(url, {"file": SimpleUploadedFile("names.pdf", b"Ana, Ben, Cy")})
    refused(wrong, 400, "attachment.type")
    refused(client.post(url, {}), 400, "invalid")
    login_as(client, world, "a.new_teacher")
    refused(client.post(url, {"file": SimpleUploadedFile("x.png", PNG)}), 403, "permission_denied")


# --- check-ins -----------------------------------------------------------------------------


def test_check_ins_are_seen_with_the_group(client, world):
    check_in = pk(world, "a.check_in")
    for key in ("a.teacher", "a.new_teacher", "a.principal", "a.admin"):
        login_as(client, world, key)
        assert ids(client.get(f"{API}/check-ins/")) == {check_in}, key
    login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/check-ins/")) == set()
    assert client.get(f"{API}/check-ins/{check_in}/").status_code == 404


def test_check_in_representation(client, world):
    check_in, principal = world.obj("a.check_in"), world.obj("a.principal")
    login_as(client, world, "a.teacher")
    body = client.get(f"{API}/check-ins/{check_in.pk}/").json()
    assert body.pop("created_at")
    assert body == {
        "id": check_in.pk,
        "group": pk(world, "a.group"),
        "group_name": "Grade 3 reading PLC",
        "held_on": str(today(world) - timedelta(days=7)),
        "by": principal.pk,
        "by_name": principal.full_name,
        "needs_changed": False,
        "adjustments": "None yet",
        "resources": "Release time for a lesson study",
    }


def test_the_principal_logs_and_edits_check_ins(client, world):
    principal = login_as(client, world, "a.principal")
    data = {
        "group": pk(world, "a.group"),
        "held_on": str(today(world)),
        "needs_changed": True,
        "adjustments": " Add a data day ",
        "by": pk(world, "a.admin"),
    }
    made = post(client, "check-ins/", data)
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["by"], body["needs_changed"], body["adjustments"]) == (
        principal.pk,
        True,
        "Add a data day",
    )
    changed = patch(client, f"check-ins/{body['id']}/", {"resources": "Subs", "group": 1})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["resources"], changed.json()["group"]) == ("Subs", pk(world, "a.group"))
    future = str(today(world) + timedelta(days=1))
    refused(
        patch(client, f"check-ins/{body['id']}/", {"held_on": future}), 400, "group_check_in.future"
    )
    refused(post(client, "check-ins/", data | {"held_on": future}), 400, "group_check_in.future")
    # The group's last check-in follows.
    assert client.get(f"{API}/groups/{pk(world, 'a.group')}/").json()["last_check_in"] == str(
        today(world)
    )
    # Only its author changes it.
    login_as(client, world, "a.admin")
    refused(patch(client, f"check-ins/{body['id']}/", {"resources": "x"}), 403, "permission_denied")


def test_check_ins_are_the_school_leaders(client, world):
    data = {"group": pk(world, "a.group"), "held_on": str(today(world))}
    for key in ("a.teacher", "a.director"):
        login_as(client, world, key)
        refused(post(client, "check-ins/", data), 403, "permission_denied")
    # An administrator follows every group but leads no school: not theirs to log.
    login_as(client, world, "a.admin")
    refused(post(client, "check-ins/", data), 403, "permission_denied")
    # The principal of another school: the group is not there for them.
    other = staff_with_role(Role.PRINCIPAL, school=world.obj("a.other_school"))
    login_as(client, world, other)
    response = post(client, "check-ins/", data)
    refused(response, 400, "invalid")
    assert "group" in response.json()["errors"]
    assert CheckIn.objects.filter(group=world.obj("a.group")).count() == 1


def test_check_in_filters(client, world):
    check_in = pk(world, "a.check_in")
    login_as(client, world, "a.admin")

    def found(**params):
        return ids(client.get(f"{API}/check-ins/", params))

    assert found(group=pk(world, "a.group")) == {check_in}
    assert found(group=pk(world, "a.cross_group")) == set()
    assert found(school=pk(world, "a.school")) == {check_in}
    assert found(school=pk(world, "a.other_school")) == set()


@pytest.mark.parametrize(
    "data",
    [
        {"group": "b.group"},
        {"held_on": "tomorrow"},
        {"held_on": None},
        {"needs_changed": "perhaps"},
        {"resources": "x" * 10_001},
    ],
)
def test_bad_check_in_bodies_are_400(client, world, data):
    body = {"group": pk(world, "a.group"), "held_on": str(today(world))}
    body |= {k: resolve(world, v) for k, v in data.items()}
    login_as(client, world, "a.principal")
    refused(post(client, "check-ins/", body), 400, "invalid")
    assert CheckIn.objects.filter(group=world.obj("a.group")).count() == 1


# --- other districts -----------------------------------------------------------------------


@pytest.mark.parametrize("resource", ["group-meetings", "check-ins"])
def test_another_districts_group_is_an_unknown_id(client, world, resource):
    login_as(client, world, "b.principal")
    body = {"group": pk(world, "a.group"), "held_on": str(world.b.today()), "present": []}
    response = post(client, f"{resource}/", body)
    refused(response, 400, "invalid")
    assert "group" in response.json()["errors"]


# --- bad input is a 400, never a 500 -------------------------------------------------------


def test_a_nul_in_the_search_is_400(client, world):
    login_as(client, world, "a.admin")
    refused(client.get(f"{API}/groups/", {"q": "a\x00b"}), 400, "invalid")


@pytest.mark.parametrize("resource", RESOURCES)
def test_no_put_or_delete(client, world, resource):
    login_as(client, world, "a.admin")
    target = pk(world, f"a.{OBJECTS[resource]}")
    assert client.put(f"{API}/{resource}/{target}/", {}).status_code == 405
    assert client.delete(f"{API}/{resource}/{target}/").status_code == 405


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_small_groups_api(openapi_schema):
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
        "groups/{id}/join/",
        "groups/{id}/leave/",
        "groups/{id}/members/",
        "groups/{id}/remove-member/",
        "groups/{id}/stage/",
        "groups/{id}/close/",
        "groups/{id}/reopen/",
        "groups/{id}/judge/",
        "groups/{id}/evidence/",
        "group-meetings/{id}/reflect/",
        "group-meetings/{id}/samples/",
    ):
        assert (f"{API}/{action}", "post") in operations
    components = schema["components"]["schemas"]
    assert components["Group"]["properties"]["overdue"]["type"] == "boolean"
    assert components["GroupEvidence"]["properties"]["before"]["nullable"] is True
    assert "member_ids" not in components["Group"]["properties"]  # write-only
    assert "reflections" in components["GroupMeeting"]["properties"]
    assert components["GroupKindEnum"]["enum"] == [k for k, _ in Group.Kind.choices]
