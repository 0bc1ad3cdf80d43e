"""The coaching home page: what to act on, and the links that the person's roles open."""

from django.shortcuts import render

from cadre.coaching import selectors
from cadre.coaching.models import Cycle, LookFor, Observation
from cadre.core.views import actor_required
from cadre.districts import access


@actor_required
def home(request):
    actor = request.actor
    return render(
        request,
        "coaching/home.html",
        {
            "todo": selectors.to_do(actor),
            "can_create_cycle": access.can(actor, "create", Cycle),
            "follows": access.can(actor, "follow", Cycle),
            "reads_implementation": access.can(actor, "implementation", Observation),
            "walks_through": access.can(actor, "walkthrough", Observation),
            "keeps_look_fors": access.can(actor, "create", LookFor),
        },
    )
