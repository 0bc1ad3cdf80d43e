"""The mentoring API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` the teacher is the mentor (`mentor`) of `match` (active, with
`mentor_log`) and of `proposed_match`; `checklist` is the new teacher's onboarding. The
administrator coordinates the programme.
"""

from datetime import timedelta

from cadre.mentoring import services
from cadre.mentoring.factories import new_mentor, new_teacher
from cadre.mentoring.models import Log, Match
from cadre.tests.api_checks import TOO_BIG, Actions, Malformed, Queries, Resource


def more_mentors(world, n):
    for _ in range(n):
        new_mentor(school=world.obj("a.school"), year=world.obj("a.year"))


def more_matches(world, n):
    mentor = new_mentor(school=world.obj("a.school"), year=world.obj("a.year"), cap=20)
    fund = world.obj("a.mentoring_fund")
    for i in range(n):
        mentee = new_teacher(school=world.obj("a.school"))
        match = services.match_propose(
            district=world.a, actor=None, mentor=mentor, mentee=mentee, source=fund
        )
        if i < 20:
            match = services.match_confirm(match=match, actor=None)
            services.log_create(
                match=match,
                actor=mentor.staff.user,
                data={"met_on": match.started_on, "minutes": 30, "kind": "other", "focus": "f"},
            )


def more_logs(world, n):
    match, teacher = world.obj("a.match"), world.obj("a.teacher").user
    for i in range(n):
        services.log_create(
            match=match,
            actor=teacher,
            data={
                "met_on": world.a.today() - timedelta(days=i % 14),
                "minutes": 20,
                "kind": "planning",
                "focus": "f",
            },
        )


def more_checklists(world, n):
    admin = world.obj("a.admin").user
    for _ in range(n):
        staff = new_teacher(school=world.obj("a.school"))
        checklist = services.checklist_open(district=world.a, actor=admin, staff=staff)
        task = checklist.tasks.first()
        services.task_mark(task=task, actor=admin, done=True)


def _match_unchanged(world):
    assert Match.objects.get(pk=world.obj("a.match").pk).status == "active"


def _pair_unchanged(world):
    _match_unchanged(world)
    assert Log.objects.get(pk=world.obj("a.mentor_log").pk).minutes == 45


# The teacher asks with bad ids; the coordinator with bad list parameters.
RESOURCES = {
    "mentors": Resource(
        obj="mentor",
        caller="a.teacher",
        bad_params=(
            ("mentors/", {"available": "maybe"}, "available"),
            ("mentors/", {"ordering": "caseload_cap"}, "ordering"),
            ("mentors/", {"q": "x" * 201}, "q"),
        ),
        queries=Queries(more_mentors, 10, 5),
    ),
    "mentor-matches": Resource(
        obj="match",
        caller="a.teacher",
        bad_params=(
            ("mentor-matches/", {"status": "done"}, "status"),
            ("mentor-matches/", {"school": str(TOO_BIG)}, "school"),
            ("mentor-matches/", {"mentor": "me"}, "mentor"),
            ("mentor-matches/", {"school_year": "0"}, "school_year"),
            ("mentor-matches/", {"ordering": "note"}, "ordering"),
        ),
        # The page's cadence; who proposed and who confirmed; who logged; who did each task.
        queries=Queries(more_matches, 13, 8),
    ),
    "mentor-logs": Resource(
        obj="mentor_log",
        outsider="b.teacher",  # the pair's alone, even in district B
        caller="a.teacher",
        bad_params=(
            ("mentor-logs/", {"match": "-1"}, "match"),
            ("mentor-logs/", {"ordering": "focus"}, "ordering"),
        ),
        queries=Queries(more_logs, 11, 6, caller="a.teacher"),
    ),
    "onboarding-checklists": Resource(
        obj="checklist",
        caller="a.teacher",
        bad_params=(
            ("onboarding-checklists/", {"staff": "1.5"}, "staff"),
            ("onboarding-checklists/", {"school": str(TOO_BIG)}, "school"),
            ("onboarding-checklists/", {"ordering": "x"}, "ordering"),
        ),
        # the tasks
        queries=Queries(more_checklists, 12, 7, caller="a.principal"),
    ),
}
ACTIONS = Actions(
    paths=(
        "mentor-matches/{proposed_match}/confirm/",
        "mentor-matches/{match}/end/",
        "mentor-matches/{match}/stipends/",
        "mentor-logs/{mentor_log}/reflect/",
        "onboarding-checklists/{checklist}/mark/",
    ),
    outsiders=("b.admin", "b.teacher", "b.new_teacher"),
    body={"reason": "completed"},
    patch={"mentors": {"caseload_cap": 9}, "mentor-logs": {"minutes": 9}},
    unchanged=_pair_unchanged,
)
MALFORMED = Malformed("a.admin", "mentor-matches/{match}/end/", unchanged=_match_unchanged)
