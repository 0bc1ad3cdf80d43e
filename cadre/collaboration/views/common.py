"""What the small-group pages share: the school year a page shows, the answer to a form of
a closed group, and a group's members as choices.

Across the package (`groups`, `meetings`, `lessons`, `check_ins`, `library`): views parse, ask
access, call a service or selector, and render. A refusal shows inline on its form (400), or,
when the record's state forbids the step, as a message on the record's page. A closed group's
pages are read-only."""

from django.contrib import messages
from django.shortcuts import redirect

from cadre.collaboration import selectors
from cadre.collaboration.models import Group
from cadre.core.views import parse_int
from cadre.districts.models import Staff


def _years(request, source=None):
    """The school years, and the one the page shows (?year=), else the current one."""
    actor = request.actor
    years = selectors.school_years(actor)
    wanted = parse_int((source or request.GET).get("year"))
    return years, selectors.pick_year(actor, years, wanted)


def _closed(request, group: Group):
    """A closed group's forms are not offered: back to its page with why."""
    messages.error(request, f"{group}'s cycle is closed; it is read-only until reopened.")
    return redirect(group.get_absolute_url())


def _members(group: Group):
    return Staff.objects.filter(group_memberships__group=group).order_by(
        "last_name", "first_name", "id"
    )
