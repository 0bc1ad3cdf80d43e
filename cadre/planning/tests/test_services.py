from datetime import date

import pytest

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import actor_for
from cadre.districts.factories import SchoolYearFactory
from cadre.planning import services
from cadre.planning.models import Goal, StrategicPlan

pytestmark = pytest.mark.django_db
GOAL = {"measure": "State reading assessment", "target": "70% proficient by 2028"}


@pytest.fixture
def plans(world):
    a = world.a_objects
    admin, principal = a["admin"].user, a["principal"].user
    year = a["year"]
    district_plan = services.plan_create(
        district=world.a,
        actor=admin,
        data={
            "level": "district",
            "title": "Riverbend 2030",
            "first_year": year,
            "last_year": year,
        },
    )
    d1 = services.goal_create(
        plan=district_plan, actor=admin, data={"code": "D1", "title": "Every reader", **GOAL}
    )
    school_plan = services.plan_create(
        district=world.a,
        actor=principal,
        data={
            "level": "school",
            "school": a["school"],
            "title": "Site plan",
            "first_year": year,
            "last_year": year,
        },
    )
    return {"district": district_plan, "d1": d1, "school": school_plan, "world": world}


def test_a_plans_owner_matches_its_level(world):
    a = world.a_objects
    for data, code in (
        ({"level": "district", "school": a["school"]}, "plan.owner"),
        ({"level": "school"}, "plan.owner"),
        ({"level": "program", "school": a["school"]}, "plan.owner"),
        ({"level": "state"}, "plan.level"),
    ):
        with pytest.raises(DomainError) as exc:
            services.plan_create(
                district=world.a,
                actor=None,
                data={"title": "x", "first_year": a["year"], "last_year": a["year"], **data},
            )
        assert exc.value.code == code


def test_a_plan_spans_years_in_order(world):
    a = world.a_objects
    earlier = SchoolYearFactory(
        district=world.a,
        name="2025–26",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    with pytest.raises(DomainError) as exc:
        services.plan_create(
            district=world.a,
            actor=None,
            data={"level": "district", "title": "x", "first_year": a["year"], "last_year": earlier},
        )
    assert exc.value.code == "plan.years"
    plan = services.plan_create(
        district=world.a,
        actor=None,
        data={"level": "district", "title": "x", "first_year": earlier, "last_year": a["year"]},
    )
    assert (plan.first_year, plan.last_year) == (earlier, a["year"])


def test_school_goals_align_to_district_goals(plans):
    school, d1 = plans["school"], plans["d1"]
    with pytest.raises(DomainError) as exc:
        services.goal_create(plan=school, actor=None, data={"code": "S1", "title": "x", **GOAL})
    assert exc.value.code == "plan_goal.alignment_required"
    s1 = services.goal_create(
        plan=school, actor=None, data={"code": "S1", "title": "Readers", **GOAL}, aligns_to=[d1]
    )
    assert list(d1.supported_by.all()) == [s1]
    with pytest.raises(DomainError) as exc:
        services.goal_create(
            plan=school, actor=None, data={"code": "S2", "title": "x", **GOAL}, aligns_to=[s1]
        )
    assert exc.value.code == "plan_goal.alignment_invalid"
    with pytest.raises(DomainError) as exc:
        services.goal_create(
            plan=plans["district"],
            actor=None,
            data={"code": "D2", "title": "x", **GOAL},
            aligns_to=[d1],
        )
    assert exc.value.code == "plan_goal.district_aligns"
    with pytest.raises(DomainError) as exc:
        services.goal_create(
            plan=school, actor=None, data={"code": "S1", "title": "Twice", **GOAL}, aligns_to=[d1]
        )
    assert exc.value.code == "plan_goal.duplicate_code"


def test_goal_changes_and_publishing_are_audited(plans):
    school, d1 = plans["school"], plans["d1"]
    with pytest.raises(DomainError):
        services.plan_publish(plan=school, actor=None)
    goal = services.goal_create(
        plan=school, actor=None, data={"code": "S1", "title": "Readers", **GOAL}, aligns_to=[d1]
    )
    services.goal_update(goal=goal, actor=None, data={"target": "75% by 2028"})
    event = AuditEvent.objects.filter(object_type="planning.goal", action="update").get()
    assert event.changes["target"] == ["70% proficient by 2028", "75% by 2028"]
    published = services.plan_publish(plan=school, actor=None)
    assert published.status == StrategicPlan.Status.PUBLISHED
    with pytest.raises(Conflict):
        services.plan_publish(plan=school, actor=None)


def test_who_sees_and_edits_which_plans(plans):
    world = plans["world"]
    a = world.a_objects
    services.plan_publish(plan=plans["district"], actor=None)
    teacher, other = actor_for(a["teacher"].user), actor_for(a["other_teacher"].user)
    principal, director = actor_for(a["principal"].user), actor_for(a["director"].user)
    school = plans["school"]

    ours = {plans["district"].pk, plans["school"].pk}  # the world's own plans aside

    def seen(actor):
        return set(access.visible(actor, StrategicPlan).values_list("pk", flat=True)) & ours

    # The school plan is a draft: only its principal (and admins) see it.
    assert seen(teacher) == {plans["district"].pk}
    assert seen(principal) == {plans["district"].pk, school.pk}
    services.goal_create(
        plan=school,
        actor=None,
        data={"code": "S1", "title": "x", **GOAL},
        aligns_to=[plans["d1"]],
    )
    services.plan_publish(plan=school, actor=None)
    assert seen(teacher) == {plans["district"].pk, school.pk}
    assert seen(other) == {plans["district"].pk}  # another school's staff
    assert seen(director) == {plans["district"].pk}
    assert access.can(principal, "change", school)
    assert not access.can(principal, "change", plans["district"])
    assert not access.can(teacher, "change", school)
    assert not access.can(actor_for(world.b_objects["admin"].user), "change", school)
    assert set(access.visible(teacher, Goal).values_list("plan_id", flat=True)) & ours == {
        plans["district"].pk,
        school.pk,
    }
