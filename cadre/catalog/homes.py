"""What the catalogue puts on each person's home page and in their navigation: their next
sessions (required ones first), what waits on them to approve, their hours this year, and
offerings recommended for them."""

from django.db.models import Sum
from django.urls import reverse

from cadre.catalog.models import Completion, ExternalHours, Partner, Registration
from cadre.catalog.selectors import offerings as offering_selectors
from cadre.catalog.selectors import registration as registration_selectors
from cadre.catalog.selectors import transcript as transcript_selectors
from cadre.core.errors import DomainError
from cadre.core.nav import register_nav
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.growth.services import current_year


def learning(actor: Actor) -> dict:
    mine = registration_selectors.my_learning(actor)
    try:
        year = current_year(actor.district)
    except DomainError:
        year = None
    hours = (
        Completion.objects.filter(staff=actor.staff, school_year=year).aggregate(
            h=Sum("clock_hours")
        )["h"]
        if year
        else None
    )
    context = {
        "next": (mine.required + mine.upcoming)[:3],
        "required": len(mine.required),
        "waitlisted": len(mine.waitlisted),
        "awaiting": len(mine.awaiting),
        "year": year,
        "hours": hours or 0,
        "recommended": offering_selectors.recommended(actor, limit=3),
    }
    if access.can(actor, "approve", Registration):
        context["to_approve"] = registration_selectors.approvals_for(actor).count()
    if access.can(actor, "approve", ExternalHours):
        context["hours_to_decide"] = transcript_selectors.waiting_count(actor)
    return context


def nav(actor: Actor) -> list[tuple[str, str]]:
    items = [
        ("Catalogue", reverse("catalog")),
        ("My learning", reverse("my-learning")),
        ("Transcript", reverse("transcript")),
    ]
    if access.can(actor, "change", Partner):
        items.append(("Partners", reverse("partner-list")))
    return items


register_section("catalog/_home_learning.html", learning)
register_nav(nav)
