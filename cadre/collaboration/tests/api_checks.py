"""The small-groups API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` the teacher facilitates `group` (a PLC at the principal's
school, at the data stage) with the new teacher as a member; it met once (`group_meeting`)
and the principal checked in (`check_in`).
"""

from datetime import timedelta

from cadre.collaboration.models import Evidence, Group
from cadre.collaboration.services import check_ins as check_in_services
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.tests.api_checks import TOO_BIG, Actions, Malformed, Queries, Resource


def new_group(world, **data) -> Group:
    base = {
        "name": "Maths PLC",
        "kind": Group.Kind.PLC,
        "school": world.obj("a.school"),
        "school_year": world.obj("a.year"),
        "focus": "Number sense",
        "facilitator": world.obj("a.teacher"),
    }
    return group_services.group_create(district=world.a, actor=None, data=base | data)


def add_evidence(group, students=25) -> Evidence:
    return evidence_services.evidence_add(
        group=group,
        actor=None,
        data={"measure": "Unit CFA proficient", "before": 40, "after": 55, "students": students},
    )


def more_groups(world, n):
    for i in range(n):
        group = new_group(world, name=f"PLC {i}", goals=None)
        group_services.member_add(group=group, actor=None, staff=world.obj("a.new_teacher"))
        if i % 3 == 0:
            add_evidence(group)


def more_meetings(world, n):
    group, teacher = world.obj("a.group"), world.obj("a.teacher")
    mentee = world.obj("a.new_teacher")
    for i in range(n):
        meeting = meeting_services.meeting_create(
            group=group,
            actor=None,
            data={"held_on": world.a.today() - timedelta(days=i % 20), "minutes": 30},
            present=[teacher, mentee],
        )
        meeting_services.reflection_save(meeting=meeting, actor=None, staff=mentee, text="r")


def more_check_ins(world, n):
    group, principal = world.obj("a.group"), world.obj("a.principal")
    for i in range(n):
        check_in_services.check_in_create(
            group=group,
            actor=None,
            by=principal,
            data={"held_on": world.a.today() - timedelta(days=i % 20)},
        )


def _stage_unchanged(world):
    assert Group.objects.get(pk=world.obj("a.group").pk).stage == "data"


RESOURCES = {
    "groups": Resource(
        obj="group",
        caller="a.teacher",
        bad_params=(
            ("groups/", {"kind": "choir"}, "kind"),
            ("groups/", {"status": "open"}, "status"),
            ("groups/", {"school": str(TOO_BIG)}, "school"),
            ("groups/", {"school_year": "x"}, "school_year"),
            ("groups/", {"q": "x" * 201}, "q"),
            ("groups/", {"ordering": "focus"}, "ordering"),
        ),
        # members, goals, evidence
        queries=Queries(more_groups, 13, 8, caller="a.principal", exact=False),
    ),
    "group-meetings": Resource(
        obj="group_meeting",
        caller="a.teacher",
        bad_params=(
            ("group-meetings/", {"group": "-1"}, "group"),
            ("group-meetings/", {"ordering": "agenda"}, "ordering"),
        ),
        # attendance, reflections, files
        queries=Queries(more_meetings, 13, 8, caller="a.teacher", exact=False),
    ),
    "check-ins": Resource(
        obj="check_in",
        caller="a.teacher",
        bad_params=(
            ("check-ins/", {"school": "1.5"}, "school"),
            ("check-ins/", {"ordering": "x"}, "ordering"),
        ),
        queries=Queries(more_check_ins, 10, 5, caller="a.principal", exact=False),
    ),
}
ACTIONS = Actions(
    paths=(
        "groups/{group}/join/",
        "groups/{group}/leave/",
        "groups/{group}/members/",
        "groups/{group}/remove-member/",
        "groups/{group}/stage/",
        "groups/{group}/close/",
        "groups/{group}/reopen/",
        "groups/{group}/judge/",
        "groups/{group}/evidence/",
        "group-meetings/{group_meeting}/reflect/",
        "group-meetings/{group_meeting}/samples/",
    ),
    outsiders=("b.admin", "b.principal", "b.teacher"),
    body={"stage": "evidence"},
    unchanged=_stage_unchanged,
)
MALFORMED = Malformed("a.teacher", "groups/{group}/stage/", unchanged=_stage_unchanged)
