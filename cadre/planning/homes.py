"""What planning puts on each person's home page and in their navigation."""

from django.urls import reverse

from cadre.core.nav import register_nav
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.planning import selectors
from cadre.planning.models import NeedsAssessment, StakeholderInput


def planning(actor: Actor) -> dict | None:
    """Needs assessments asking for this person's input; for leaders, input to review and PD
    plans to approve."""
    context = {}
    asking = [
        a
        for a in selectors.assessments_taking_input(actor)[:10]
        if not actor.leads(a.school_id, a.program_id)
    ]
    if asking:
        context["asking"] = asking
    if actor.is_district_admin or actor.is_school_leader or actor.is_program_director:
        pending = StakeholderInput.objects.filter(
            assessment__in=access.visible(actor, NeedsAssessment)
            .filter(status=NeedsAssessment.Status.DRAFT)
            .values("pk"),
            status=StakeholderInput.Status.PENDING,
        ).count()
        if pending:
            context["pending_input"] = pending
        to_approve = [
            p
            for p in selectors.pd_plans_to_approve(actor)[:20]
            if actor.approves_for(p.school_id, p.program_id)
        ]
        if to_approve:
            context["to_approve"] = to_approve
    return context or None


def nav(actor: Actor) -> list[tuple[str, str]]:
    return [("Planning", reverse("strategic-plan-list"))]


register_section("planning/_home_planning.html", planning)
register_nav(nav)
