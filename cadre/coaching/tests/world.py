"""The world's coaching part (conftest.py joins the parts; see World there)."""

from datetime import timedelta

from django.utils import timezone

from cadre.coaching.models import (
    Component,
    Cycle,
    Domain,
    Level,
    LookFor,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role


def build(district, o: dict) -> None:
    """An instructional coach at the principal's school coaches the teacher (a cycle at the
    observation stage, with a shared coaching observation rated on the district's rubric);
    the principal's walkthrough of the teacher on the offering's look-fors (two of three
    seen); the new teacher asks to visit the teacher's classroom."""
    school, year = o["school"], o["year"]
    today = district.today()
    coach = staff_with_role(Role.INSTRUCTIONAL_COACH, school=school)
    rubric = Rubric.objects.create(district=district, name="Framework for teaching")
    domain = Domain.objects.create(district=district, rubric=rubric, number=3, name="Instruction")
    components = [
        Component.objects.create(district=district, domain=domain, code=code, name=name)
        for code, name in (("3b", "Questioning and discussion"), ("3d", "Using assessment"))
    ]
    labels = ("Beginning", "Developing", "Proficient", "Distinguished")
    for component in components:
        for level, label in enumerate(labels, start=1):
            Level.objects.create(
                district=district,
                component=component,
                level=level,
                label=label,
                descriptor=f"{label} practice in {component.name.lower()}",
            )
    look_for = LookFor.objects.create(
        district=district,
        title="Checking for understanding",
        strategy="Checking for understanding",
        offering=o["offering"],
    )
    items = [
        LookForItem.objects.create(district=district, look_for=look_for, position=i, text=t)
        for i, t in enumerate(
            ("Every student responds", "Teacher adjusts from responses", "Exit ticket used")
        )
    ]
    goal = o["professional_goal"]
    cycle = Cycle.objects.create(
        district=district,
        school_year=year,
        school=school,
        coach=coach,
        teacher=o["teacher"],
        goal="More students explain their thinking in discussion",
        professional_goal=goal if goal.staff_id == o["teacher"].pk else None,
        stage=Cycle.Stage.OBSERVATION,
        started_on=today - timedelta(days=21),
        pre_conference_notes="Focus on wait time in the reading block",
    )
    now = timezone.now()
    observation = Observation.objects.create(
        district=district,
        school_year=year,
        school=school,
        kind=Observation.Kind.COACHING,
        observer=coach,
        teacher=o["teacher"],
        cycle=cycle,
        rubric=rubric,
        observed_on=today - timedelta(days=3),
        focus="Wait time",
        notes="Wait time grew from 1 s to 3 s after the first question",
        status=Observation.Status.SHARED,
        shared_at=now,
    )
    Rating.objects.create(
        district=district, observation=observation, component=components[0], level=3
    )
    walkthrough = Observation.objects.create(
        district=district,
        school_year=year,
        school=school,
        kind=Observation.Kind.WALKTHROUGH,
        observer=o["principal"],
        teacher=o["teacher"],
        look_for=look_for,
        offering=o["offering"],
        observed_on=today - timedelta(days=5),
        status=Observation.Status.SHARED,
        shared_at=now,
    )
    for item, seen in zip(items, (True, True, False), strict=True):
        Mark.objects.create(district=district, observation=walkthrough, item=item, seen=seen)
    visit = Visit.objects.create(
        district=district,
        visitor=o["new_teacher"],
        host=o["teacher"],
        on=today + timedelta(days=7),
        period="2nd period",
        focus="How she launches a discussion",
    )
    o |= {
        "coach": coach,
        "rubric": rubric,
        "domain": domain,
        "component": components[0],
        "look_for": look_for,
        "look_for_item": items[0],
        "cycle": cycle,
        "observation": observation,
        "walkthrough": walkthrough,
        "visit": visit,
    }
