"""What growth puts on each person's home page and in their navigation."""

from django.db.models import Count, Q
from django.urls import reverse

from cadre.core.errors import DomainError
from cadre.core.nav import register_nav
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.districts.models import Staff
from cadre.growth import selectors, services
from cadre.growth.models import IsdRequest, ProfessionalGoal

GoalStatus = ProfessionalGoal.Status


def growth(actor: Actor) -> dict | None:
    """Your goals and ISD balance this year, and what waits on you to decide or pay."""
    try:
        year = services.current_year(actor.district)
    except DomainError:
        return None
    mine = ProfessionalGoal.objects.filter(staff=actor.staff, school_year=year).aggregate(
        goals=Count("pk"),
        drafts=Count("pk", filter=Q(status=GoalStatus.DRAFT)),
        returned=Count("pk", filter=Q(status=GoalStatus.RETURNED)),
    )
    context = {"year": year, **mine, "balance": services.balance(actor.staff, year)}
    if access.can(actor, "approve", ProfessionalGoal):
        context["goals_to_decide"] = selectors.goals_to_decide(actor).count()
    if access.can(actor, "approve", IsdRequest):
        context["requests_to_decide"] = selectors.isd_request_list(actor, show="decide").count()
    if access.can(actor, "reimburse", IsdRequest):
        context["to_reimburse"] = selectors.isd_request_list(actor, show="reimburse").count()
    return context


def nav(actor: Actor) -> list[tuple[str, str]]:
    items = [("My goals", reverse("professional-goal-list"))]
    if access.can(actor, "list", Staff):
        items.append(("Goal status", reverse("goal-status")))
    items.append(("ISD", reverse("isd-request-list")))
    items.append(("Alignment", reverse("alignment")))
    return items


register_section("growth/_home_growth.html", growth)
register_nav(nav)
