"""What collaboration puts on each person's home page and in their navigation: their open
groups with the next steps from the last meeting, the meetings awaiting their reflection, and
for school leaders and administrators the groups overdue a check-in."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from cadre.collaboration import rules, selectors
from cadre.collaboration.models import Group, Meeting
from cadre.core.errors import DomainError
from cadre.core.nav import register_nav
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.growth.services import current_year

SHOWN = 6


def groups(actor: Actor) -> dict | None:
    try:
        year = current_year(actor.district)
    except DomainError:
        return None
    last = Meeting.objects.filter(group=OuterRef("pk")).order_by("-held_on", "-id")
    mine = list(
        selectors.my_groups(actor, year)
        .filter(status=Group.Status.ACTIVE)
        .annotate(
            last_meeting=Subquery(last.values("held_on")[:1]),
            last_next_steps=Subquery(last.values("next_steps")[:1]),
        )[:SHOWN]
    )
    awaiting = selectors.awaiting_reflection(actor, year)
    context = {
        "year": year,
        "groups": mine,
        "awaiting": list(awaiting[:1]) if mine else [],
        "awaiting_count": awaiting.count() if mine else 0,
        "follows": rules.follows(actor),
    }
    if context["follows"]:
        context["overdue"] = selectors.overdue_count(actor, year)
    return context if mine or context["follows"] else None


def nav(actor: Actor) -> list[tuple[str, str]]:
    # Everyone: the page lists the groups a person belongs to or follows, and the link costs
    # no query on every page.
    return [("Groups", reverse("group-list"))]


register_section("collaboration/_home_groups.html", groups)
register_nav(nav)
