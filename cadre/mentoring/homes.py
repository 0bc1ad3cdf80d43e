"""What the mentor programme puts on each person's home page and in their navigation."""

from django.urls import reverse

from cadre.core.errors import DomainError
from cadre.core.nav import register_nav
from cadre.districts.access import Actor
from cadre.districts.homes import register_section
from cadre.growth.services import current_year
from cadre.mentoring import rules, selectors
from cadre.mentoring.models import Match


def mentoring(actor: Actor) -> dict | None:
    """The pairs you are part of, and for those following the programme what needs acting on:
    new teachers past the deadline without a mentor, pairs behind, proposals to confirm, and
    for the coordinator the teachers whose experience is unknown."""
    try:
        year = current_year(actor.district)
    except DomainError:
        return None
    mine = list(
        selectors.matches(actor, year=year)
        .filter(rules.pair_q(actor))
        .exclude(status=Match.Status.ENDED)
    )
    context: dict = {"year": year, "pairs": selectors.with_cadence(actor, mine)}
    if rules.follows(actor):
        found = selectors.alerts(actor, year)
        context |= {
            "alerts": found,
            "people": selectors.people(actor, year).count(),
            "to_confirm": selectors.matches(actor, year=year, status=Match.Status.PROPOSED).count()
            if rules.coordinates(actor)
            else 0,
            # An administrator's home shows this figure with the district's; the coordinator's
            # shows it here.
            "unknown_experience": None
            if actor.is_district_admin
            else selectors.unknown_experience(actor),
        }
        return context
    return context if mine else None


def nav(actor: Actor) -> list[tuple[str, str]]:
    # Everyone: the page tells a new teacher about their mentor and anyone else how to become
    # one, and the link costs no query on every page.
    return [("Mentoring", reverse("mentoring-home"))]


register_section("mentoring/_home_mentoring.html", mentoring)
register_nav(nav)
