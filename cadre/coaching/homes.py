"""What coaching puts on each person's home page and in their navigation."""

from django.urls import reverse

from cadre.coaching import selectors
from cadre.core.nav import register_nav
from cadre.districts.access import Actor
from cadre.districts.homes import register_section


def coaching(actor: Actor) -> dict | None:
    """What this person must act on: open cycles as coach or teacher, observations waiting
    for their acknowledgement, their drafts to share, visit requests to answer and accepted
    visits to make. Left off the home when there is none (three queries)."""
    todo = selectors.to_do(actor, limit=10)
    return {"todo": todo} if todo.any else None


def nav(actor: Actor) -> list[tuple[str, str]]:
    # Everyone: anyone may be observed, acknowledge and ask for a peer visit. No query.
    return [("Coaching", reverse("coaching-home"))]


register_section("coaching/_home_coaching.html", coaching)
register_nav(nav)
