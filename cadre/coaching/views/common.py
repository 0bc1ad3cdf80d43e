"""What the coaching pages share: the school-year picker, the offerings to choose from, and a
record's trail in words.

Views parse, ask access, call a service or selector, and render. A refusal shows inline on its
form (400), or, when the record's state forbids the step, as a message on the record's page."""

from cadre.catalog.models import Offering
from cadre.coaching import selectors
from cadre.core.views import parse_int
from cadre.growth.selectors import history


def _year(request):
    actor = request.actor
    years = selectors.school_years(actor)
    return years, selectors.pick_year(actor, years, parse_int(request.GET.get("year")))


def _offerings(actor):
    return (
        Offering.objects.filter(district=actor.district)
        .exclude(status=Offering.Status.ARCHIVED)
        .order_by("title")
    )


def _history(obj, choices) -> list:
    """The record's audit trail for growth/_history.html, with its transitions in words: the
    trail keeps the stored values ("goal_setting"), the page shows the labels ("Goal-setting")."""
    labels = dict(choices)
    events = list(history(obj))
    for e in events:
        if e.action == "transition":
            e.from_state = labels.get(e.from_state, e.from_state)
            e.to_state = labels.get(e.to_state, e.to_state)
    return events
