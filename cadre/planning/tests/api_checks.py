"""The planning API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` the principal's school has a published plan (`school_plan`, with
`school_goal`), a needs `assessment` and a submitted PD plan (`pd_plan`); `draft_plan` is a
draft. The administrator asks.
"""

from cadre.districts.factories import SchoolFactory
from cadre.planning import services
from cadre.planning.models import PdPlan, Priority, StrategicPlan
from cadre.tests.api_checks import TOO_BIG, Actions, Malformed, Queries, Resource


def more_plans(world, n, school=None):
    """Published school plans, each with two goals: of new schools, or of `school`."""
    admin = world.obj("a.admin").user
    year = world.obj("a.year")
    for i in range(n):
        plan = services.plan_create(
            district=world.a,
            actor=admin,
            data={
                "level": "school",
                "school": school or SchoolFactory(district=world.a),
                "title": f"Plan {i}",
                "first_year": year,
                "last_year": year,
            },
        )
        for code in ("A", "B"):
            services.goal_create(
                plan=plan,
                actor=admin,
                data={"code": code, "title": code, "measure": "m", "target": "t"},
                aligns_to=[world.obj("a.district_goal")],
            )
        services.plan_publish(plan=plan, actor=admin)


def more_goals(world, n):
    more_plans(world, (n + 1) // 2)


def more_assessments(world, n):
    admin = world.obj("a.admin").user
    year = world.obj("a.year")
    for _ in range(n):
        assessment = services.assessment_create(
            district=world.a,
            actor=admin,
            data={"school": SchoolFactory(district=world.a), "school_year": year},
        )
        for area in ("Reading", "Math"):
            services.priority_add(
                assessment=assessment, actor=admin, data={"area": area, "evidence": "Data"}
            )


def more_pd_plans(world, n):
    admin = world.obj("a.admin").user
    year = world.obj("a.year")
    for _ in range(n):
        school = SchoolFactory(district=world.a)
        assessment = services.assessment_create(
            district=world.a, actor=admin, data={"school": school, "school_year": year}
        )
        priority = services.priority_add(
            assessment=assessment, actor=admin, data={"area": "Reading", "evidence": "Data"}
        )
        plan = services.pd_plan_create(
            district=world.a,
            actor=admin,
            data={"school": school, "school_year": year},
            priorities=[priority],
            goals=[world.obj("a.district_goal")],
        )
        PdPlan.objects.filter(pk=plan.pk).update(decided_by=admin)


def _plans_unchanged(world):
    assert PdPlan.objects.get(pk=world.obj("a.pd_plan").pk).status == "submitted"
    assert StrategicPlan.objects.get(pk=world.obj("a.draft_plan").pk).status == "draft"


def _priorities_unchanged(world):
    assert Priority.objects.filter(assessment=world.obj("a.assessment")).count() == 1


RESOURCES = {
    "strategic-plans": Resource(
        obj="school_plan",
        bad_params=(
            ("strategic-plans/", {"level": "state"}, "level"),
            ("strategic-plans/", {"status": "final"}, "status"),
            ("strategic-plans/", {"school": str(TOO_BIG)}, "school"),
            ("strategic-plans/", {"school_year": "abc"}, "school_year"),
            ("strategic-plans/", {"ordering": "password"}, "ordering"),
            ("strategic-plans/", {"q": "x" * 201}, "q"),
        ),
        # the plans' goals, who published them
        queries=Queries(more_plans, 12, 7),
    ),
    "plan-goals": Resource(
        obj="school_goal",
        bad_params=(
            ("plan-goals/", {"plan": "-1"}, "plan"),
            ("plan-goals/", {"level": "nation"}, "level"),
        ),
        queries=Queries(more_goals, 11, 6),  # the goals' alignments
    ),
    "needs-assessments": Resource(
        obj="assessment",
        bad_params=(
            ("needs-assessments/", {"school_year": "0"}, "school_year"),
            ("needs-assessments/", {"status": "done"}, "status"),
            ("needs-assessments/{assessment}/inputs/", {"status": "maybe"}, "status"),
            ("needs-assessments/{assessment}/inputs/", {"ordering": "name"}, "ordering"),
        ),
        queries=Queries(more_assessments, 11, 6),  # the priorities
    ),
    "pd-plans": Resource(
        obj="pd_plan",
        bad_params=(
            ("pd-plans/", {"program": "1.5"}, "program"),
            ("pd-plans/", {"status": "rejected"}, "status"),
        ),
        # priorities and goals, who decided
        queries=Queries(more_pd_plans, 13, 8),
    ),
}
ACTIONS = Actions(
    paths=(
        "strategic-plans/{draft_plan}/publish/",
        "needs-assessments/{assessment}/finalize/",
        "needs-assessments/{assessment}/link/",
        "needs-assessments/{assessment}/priorities/",
        "needs-assessments/{assessment}/moderate/",
        "pd-plans/{pd_plan}/submit/",
        "pd-plans/{pd_plan}/approve/",
        "pd-plans/{pd_plan}/return/",
    ),
    reads=("needs-assessments/{assessment}/inputs/",),
    unchanged=_plans_unchanged,
)
MALFORMED = Malformed(
    "a.principal",
    "needs-assessments/{assessment}/priorities/",
    unchanged=_priorities_unchanged,
)
