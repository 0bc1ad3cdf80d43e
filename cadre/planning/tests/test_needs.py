"""Needs assessments, stakeholder input and PD plans."""

import pytest
from django.core.exceptions import ValidationError

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import actor_for
from cadre.planning import services
from cadre.planning.models import NeedsAssessment, PdPlan, StakeholderInput


def test_priorities_are_ranked_moved_and_removed(o):
    a, p = o["assessment"], o["principal"].user
    second = services.priority_add(assessment=a, actor=p, data={"area": "Math", "evidence": "e"})
    third = services.priority_add(assessment=a, actor=p, data={"area": "SEL", "evidence": "e"})
    assert [x.rank for x in (o["priority"], second, third)] == [1, 2, 3]
    services.priority_move(priority=third, actor=p, rank=1)
    assert list(a.priorities.values_list("area", flat=True)) == ["SEL", "Reading", "Math"]
    for bad in (0, 4, "2"):
        with pytest.raises(DomainError) as exc:
            services.priority_move(priority=third, actor=p, rank=bad)
        assert exc.value.code == "priority.rank"
    services.priority_remove(priority=third, actor=p)
    assert list(a.priorities.values_list("rank", "area")) == [(1, "Reading"), (2, "Math")]
    with pytest.raises(ValidationError):
        services.priority_add(assessment=a, actor=p, data={"area": "", "evidence": "e"})
    assert AuditEvent.objects.filter(object_type="planning.priority", action="delete").exists()


def test_finalising_needs_priorities_closes_the_link_and_freezes_it(o, world):
    p = o["principal"].user
    empty = services.assessment_create(
        district=o["school"].district,
        actor=p,
        data={"program": o["program"], "school_year": o["year"]},
    )
    with pytest.raises(DomainError) as exc:
        services.assessment_finalize(assessment=empty, actor=p)
    assert exc.value.code == "assessment.no_priorities"
    with pytest.raises(Conflict) as exc:
        services.assessment_create(
            district=o["school"].district,
            actor=p,
            data={"school": o["school"], "school_year": o["year"]},
        )
    assert exc.value.code == "assessment.exists"
    with pytest.raises(DomainError):
        services.assessment_create(
            district=o["school"].district,
            actor=p,
            data={"school": world.b_objects["school"], "school_year": o["year"]},
        )
    final = services.assessment_finalize(assessment=o["assessment"], actor=p)
    assert final.status == "final" and not final.input_open
    with pytest.raises(Conflict) as exc:
        services.priority_add(assessment=final, actor=p, data={"area": "x", "evidence": "y"})
    assert exc.value.code == "assessment.final"
    with pytest.raises(DomainError) as exc:
        services.input_submit_public(
            assessment=final, data={"source": "parent", "body": "Hi"}, client_ip="1.2.3.4"
        )
    assert exc.value.code == "input.closed"


def test_the_public_link_is_rate_limited_per_sender(o):
    a = o["assessment"]
    for _ in range(services.PER_SENDER_PER_HOUR - 1):  # the world's parent already sent one
        services.input_submit_public(
            assessment=a, data={"source": "parent", "body": "More"}, client_ip="203.0.113.9"
        )
    with pytest.raises(services.RateLimited) as exc:
        services.input_submit_public(
            assessment=a, data={"source": "parent", "body": "More"}, client_ip="203.0.113.9"
        )
    assert exc.value.status == 429 and exc.value.code == "input.rate_limited"
    # Another sender is still heard; the address itself is not kept.
    item = services.input_submit_public(
        assessment=a, data={"source": "community", "body": "Hi"}, client_ip="198.51.100.1"
    )
    assert "198.51.100.1" not in item.client_key and len(item.client_key) == 64
    for data, code in (
        ({"source": "staff", "body": "x"}, "input.source"),
        ({"source": "parent", "body": "  "}, "input.empty"),
        ({"source": "parent", "body": "x" * 5000}, "input.too_long"),
    ):
        with pytest.raises(DomainError) as exc:
            services.input_submit_public(assessment=a, data=data, client_ip="192.0.2.1")
        assert exc.value.code == code


def test_renewing_the_link_revokes_the_old_token(o):
    a = o["assessment"]
    old = a.input_token
    renewed = services.assessment_input_link(
        assessment=a, actor=o["principal"].user, open=True, renew=True
    )
    assert renewed.input_token != old and len(renewed.input_token) >= 32
    assert not NeedsAssessment.objects.filter(input_token=old).exists()


def test_moderation_attaches_input_to_a_priority(o):
    item, p = o["input"], o["principal"].user
    item = services.input_moderate(item=item, actor=p, status="accepted", priority=o["priority"])
    assert item.priority == o["priority"] and item.moderated_by == p
    with pytest.raises(DomainError):
        services.input_moderate(item=item, actor=p, status="pending")
    hidden = services.input_moderate(item=item, actor=p, status="hidden", priority=o["priority"])
    assert hidden.priority is None
    staff_input = services.input_submit_staff(
        assessment=o["assessment"], staff=o["teacher"], actor=o["teacher"].user, data={"body": "x"}
    )
    teacher = actor_for(o["teacher"].user)
    assert set(access.visible(teacher, StakeholderInput)) == {staff_input}
    assert access.can(actor_for(o["principal"].user), "moderate", item)
    assert not access.can(teacher, "moderate", item)


def test_staff_see_final_assessments_and_approved_pd_plans_of_their_school(o):
    teacher, other = actor_for(o["teacher"].user), actor_for(o["other_teacher"].user)
    p = o["principal"].user
    assert not access.visible(teacher, NeedsAssessment).exists()
    services.assessment_finalize(assessment=o["assessment"], actor=p)
    assert access.visible(teacher, NeedsAssessment).count() == 1
    assert not access.visible(other, NeedsAssessment).exists()
    assert not access.visible(teacher, PdPlan).exists()
    services.pd_plan_approve(plan=o["pd_plan"], actor=p)
    assert access.visible(teacher, PdPlan).count() == 1
    assert not access.visible(other, PdPlan).exists()
    assert not access.visible(actor_for(o["director"].user), PdPlan).exists()


def test_the_pd_plan_workflow(o, world):
    plan, p = o["pd_plan"], o["principal"].user
    with pytest.raises(Conflict) as exc:
        services.pd_plan_update(plan=plan, actor=p, data={"individual": "x"})
    assert exc.value.code == "pd_plan.not_editable"
    with pytest.raises(DomainError):
        services.pd_plan_return(plan=plan, actor=p, comment=" ")
    plan = services.pd_plan_return(plan=plan, actor=p, comment="Name the coaches")
    assert plan.status == "returned" and plan.comment == "Name the coaches"
    with pytest.raises(DomainError) as exc:
        services.pd_plan_update(plan=plan, actor=p, data={}, goals=[world.b_objects["school_goal"]])
    assert exc.value.code == "pd_plan.goal"
    elsewhere = services.assessment_create(
        district=o["school"].district,
        actor=p,
        data={"school": o["other_school"], "school_year": o["year"]},
    )
    theirs = services.priority_add(
        assessment=elsewhere, actor=p, data={"area": "x", "evidence": "y"}
    )
    with pytest.raises(DomainError) as exc:
        services.pd_plan_update(plan=plan, actor=p, data={}, priorities=[theirs])
    assert exc.value.code == "pd_plan.priority"
    plan = services.pd_plan_update(plan=plan, actor=p, data={"intensive_support": ""})
    with pytest.raises(DomainError) as exc:
        services.pd_plan_submit(plan=plan, actor=p)
    assert exc.value.code == "pd_plan.incomplete"
    plan = services.pd_plan_update(plan=plan, actor=p, data={"intensive_support": "Coaches"})
    plan = services.pd_plan_submit(plan=plan, actor=p)
    plan = services.pd_plan_approve(plan=plan, actor=p)
    assert plan.status == "approved" and plan.decided_by == p and plan.comment == ""
    principal = actor_for(o["principal"].user)
    assert access.can(principal, "approve", plan)
    assert not access.can(actor_for(o["teacher"].user), "approve", plan)
    assert not access.can(actor_for(o["director"].user), "approve", plan)
