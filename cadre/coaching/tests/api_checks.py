"""The coaching API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` the instructional coach coaches the teacher in `cycle`
(observation stage), with `observation`, a shared coaching observation; the principal's
`walkthrough` of the teacher is shared; `rubric` and `look_for` are the district's.
"""

from cadre.coaching.models import Cycle, LookForItem, Observation
from cadre.coaching.services import cycles, lookfors, observations, rubrics
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.tests.api_checks import TOO_BIG, Actions, Malformed, Queries, Resource

LABELS = ("Beginning", "Developing", "Proficient", "Distinguished")


def levels(n=4):
    return [{"label": LABELS[i], "descriptor": f"Level {i + 1}"} for i in range(n)]


def walkthrough(world, teacher, *, seen=(True, True, False), share=True) -> Observation:
    """The principal's walkthrough of a teacher at their school on the world's look-fors."""
    principal = world.obj("a.principal")
    observation = observations.observation_create(
        district=world.a,
        actor=None,
        kind=Observation.Kind.WALKTHROUGH,
        observer=principal,
        teacher=teacher,
        look_for=world.obj("a.look_for"),
    )
    items = list(LookForItem.objects.filter(look_for=world.obj("a.look_for")))
    observations.observation_autosave(
        observation=observation,
        actor=None,
        marks={item.pk: s for item, s in zip(items, seen, strict=True)},
    )
    if share:
        observation = observations.observation_share(observation=observation, actor=None)
    return observation


def more_cycles(world, n):
    coach = world.obj("a.coach")
    for _ in range(n):
        teacher = staff_with_role(Role.TEACHER, school=world.obj("a.school"))
        cycles.cycle_create(district=world.a, actor=None, coach=coach, teacher=teacher, goal="g")


def more_observations(world, n):
    for _ in range(n):
        teacher = staff_with_role(Role.TEACHER, school=world.obj("a.school"))
        walkthrough(world, teacher)  # shared, with its three marks


def more_rubrics(world, n):
    for i in range(n):
        rubric = rubrics.rubric_create(district=world.a, actor=None, data={"name": f"R{i}"})
        domain = rubrics.domain_create(rubric=rubric, actor=None, data={"name": "D"})
        rubrics.component_create(
            domain=domain, actor=None, data={"code": "1a", "name": "C"}, levels=levels()
        )


def more_look_fors(world, n):
    for i in range(n):
        lookfors.look_for_create(
            district=world.a,
            actor=None,
            data={"title": f"L{i}", "strategy": "s", "offering": world.obj("a.offering")},
            items=["a", "b"],
        )


def _stage_unchanged(world):
    assert Cycle.objects.get(pk=world.obj("a.cycle").pk).stage == "observation"


# The teacher sees each of them (bad ids); the coach asks with bad list parameters.
WHO = {"caller": "a.teacher", "params_caller": "a.coach"}
RESOURCES = {
    "coaching-cycles": Resource(
        obj="cycle",
        outsider="b.coach",
        **WHO,
        bad_params=(
            ("coaching-cycles/", {"role": "principal"}, "role"),
            ("coaching-cycles/", {"stage": "done"}, "stage"),
            ("coaching-cycles/", {"open": "maybe"}, "open"),
            ("coaching-cycles/", {"school_year": str(TOO_BIG)}, "school_year"),
            ("coaching-cycles/", {"ordering": "goal"}, "ordering"),
        ),
        queries=Queries(more_cycles, 10, 5, caller="a.coach", exact=False),
    ),
    "observations": Resource(
        obj="observation",
        outsider="b.teacher",
        **WHO,
        bad_params=(
            ("observations/", {"side": "theirs"}, "side"),
            ("observations/", {"kind": "evaluation"}, "kind"),
            ("observations/", {"status": "final"}, "status"),
            ("observations/", {"cycle": "-1"}, "cycle"),
            ("observations/", {"ordering": "notes"}, "ordering"),
        ),
        # ratings, marks
        queries=Queries(more_observations, 12, 7, caller="a.principal", exact=False),
    ),
    "rubrics": Resource(
        obj="rubric",
        **WHO,
        bad_params=(
            ("rubrics/", {"active": "yes"}, "active"),
            ("rubrics/", {"ordering": "x"}, "ordering"),
        ),
        # domains, components, levels
        queries=Queries(more_rubrics, 13, 8, caller="a.teacher", exact=False),
    ),
    "look-fors": Resource(
        obj="look_for",
        **WHO,
        bad_params=(
            ("look-fors/", {"q": "x" * 201}, "q"),
            ("look-fors/", {"q": "a\x00b"}, "q"),
            ("look-fors/", {"offering": "1.5"}, "offering"),
            ("look-fors/", {"ordering": "x"}, "ordering"),
        ),
        # items
        queries=Queries(more_look_fors, 11, 6, caller="a.teacher", exact=False),
    ),
}
ACTIONS = Actions(
    paths=(
        "coaching-cycles/{cycle}/advance/",
        "coaching-cycles/{cycle}/reflect/",
        "observations/{observation}/share/",
        "observations/{observation}/acknowledge/",
        "rubrics/{rubric}/domains/",
        "rubrics/{rubric}/components/",
        "look-fors/{look_for}/items/",
        "look-fors/{look_for}/remove-item/",
    ),
    outsiders=("b.admin", "b.coach", "b.teacher"),
    body={"name": "x", "text": "x"},
    unchanged=_stage_unchanged,
)
MALFORMED = Malformed("a.coach", "coaching-cycles/{cycle}/advance/", unchanged=_stage_unchanged)
