"""Test helpers for coaching, each keeping its rows in one district and going through the
services where a rule applies."""

from collections.abc import Sequence
from datetime import date

from cadre.coaching.models import Cycle, LookFor, Observation, Rubric
from cadre.coaching.services import cycles, lookfors, observations, rubrics
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role, Staff

LABELS = ("Beginning", "Developing", "Proficient", "Distinguished")


def coach(*, school, **staff) -> Staff:
    """An instructional coach at `school`."""
    return staff_with_role(Role.INSTRUCTIONAL_COACH, school=school, **staff)


def teacher(*, school, **staff) -> Staff:
    return staff_with_role(Role.TEACHER, school=school, **staff)


def levels(name: str = "practice") -> list[dict]:
    return [{"label": label, "descriptor": f"{label} {name}"} for label in LABELS]


def rubric(district, *, name: str = "Rubric", components: Sequence[str] = ("1a", "1b")) -> Rubric:
    """A rubric with one domain and the given components, each with four levels."""
    found = rubrics.rubric_create(district=district, actor=None, data={"name": name})
    domain = rubrics.domain_create(rubric=found, actor=None, data={"name": "Planning"})
    for code in components:
        rubrics.component_create(
            domain=domain,
            actor=None,
            data={"code": code, "name": f"Component {code}"},
            levels=levels(code),
        )
    return found


def look_for(
    district,
    *,
    title: str = "Look-for",
    strategy: str = "Strategy",
    offering=None,
    items: Sequence[str] = ("One", "Two", "Three"),
) -> LookFor:
    return lookfors.look_for_create(
        district=district,
        actor=None,
        data={"title": title, "strategy": strategy, "offering": offering, "is_active": True},
        items=items,
    )


def cycle(*, coach: Staff, teacher: Staff, goal: str = "A goal", **kwargs) -> Cycle:
    return cycles.cycle_create(
        district=coach.district, actor=coach.user, coach=coach, teacher=teacher, goal=goal, **kwargs
    )


def walkthrough(
    *,
    observer: Staff,
    teacher: Staff,
    look_for: LookFor,
    seen: Sequence[bool],
    on: date | None = None,
    share: bool = True,
    offering=None,
) -> Observation:
    """A walkthrough marking the look-for's items in order with `seen`, shared by default."""
    observation = observations.observation_create(
        district=observer.district,
        actor=observer.user,
        kind=Observation.Kind.WALKTHROUGH,
        observer=observer,
        teacher=teacher,
        look_for=look_for,
        offering=offering,
        observed_on=on,
    )
    items = list(look_for.items.filter(is_active=True).order_by("position", "id"))
    observations.observation_autosave(
        observation=observation,
        actor=observer.user,
        marks={item.pk: value for item, value in zip(items, seen, strict=False)},
    )
    if share:
        observation = observations.observation_share(observation=observation, actor=observer.user)
    return observation
