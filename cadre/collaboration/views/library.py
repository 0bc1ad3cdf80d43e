"""The protocol library and the small-groups report."""

from django.shortcuts import render

from cadre.collaboration import protocols
from cadre.collaboration import report as reporting
from cadre.collaboration.models import Group
from cadre.collaboration.views.common import _years
from cadre.core.views import actor_required
from cadre.districts import access


@actor_required
def protocol_list(request):
    return render(request, "collaboration/protocols.html", {"protocols": protocols.entries()})


@actor_required
def report(request):
    actor = request.actor
    access.require(actor, "follow", Group)
    years, year = _years(request)
    return render(
        request,
        "collaboration/report.html",
        {
            "year": year,
            "years": years,
            "report": reporting.build(actor, year) if year else None,
            "scope": "the district" if actor.is_district_admin else "the groups of your schools",
        },
    )
