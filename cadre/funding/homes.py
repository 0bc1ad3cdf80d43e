"""What funding puts on each person's home page and in their navigation."""

from django.urls import reverse

from cadre.core.nav import register_nav
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.funding import selectors
from cadre.funding.models import Budget, BudgetTransfer, ProgramPlan, StipendAward


def plans(actor: Actor) -> dict | None:
    """The current year's published plans that cover this person, to read and acknowledge."""
    found = list(selectors.plans_for_home(actor))
    return {"plans": found} if found else None


def money(actor: Actor) -> dict | None:
    """For those who hold budgets: this fiscal year's figures and what waits on them."""
    if not access.can(actor, "list", Budget):
        return None
    year = selectors.current_fiscal_year(actor)
    _, total = selectors.summary_by_source(selectors.budget_list(actor, fiscal_year=year.pk))
    context = {"year": year, "total": total}
    if actor.is_district_admin:
        context["pending_transfers"] = selectors.transfer_list(
            actor, status=BudgetTransfer.Status.REQUESTED
        ).count()
        context["proposed_awards"] = selectors.award_list(
            actor, status=StipendAward.Status.PROPOSED
        ).count()
    if actor.is_business_office or actor.is_district_admin:
        context["awaiting_payroll"] = selectors.award_list(
            actor, status=StipendAward.Status.APPROVED
        ).count()
    if actor.directed_program_ids:
        context["draft_plans"] = list(
            selectors.plan_list(actor).filter(
                status=ProgramPlan.Status.DRAFT, program_id__in=actor.directed_program_ids
            )
        )
    return context


def nav(actor: Actor) -> list[tuple[str, str]]:
    items = []
    if access.can(actor, "list", Budget):
        items.append(("Funding", reverse("funding-dashboard")))
    items.append(("Stipends", reverse("stipend-award-list")))
    items.append(("PD plans", reverse("program-plan-list")))
    return items


register_section("funding/_home_money.html", money)
register_section("funding/_home_plans.html", plans)
register_nav(nav)
