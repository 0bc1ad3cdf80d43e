"""Peer visit pages (learning walks): asking to visit a colleague's classroom, the host's
answer, and cancelling."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.coaching import selectors
from cadre.coaching.forms import RespondForm, VisitForm
from cadre.coaching.models import Observation, Visit
from cadre.coaching.services import peer_visits as services
from cadre.core.views import (
    act,
    actor_required,
    paginate,
    parse_choice,
    parse_int,
    save_form,
    transition,
)
from cadre.districts import access

Status = Observation.Status
VISIT_SIDES = [("asked", "I asked to visit"), ("hosted", "Visits to my classroom")]


@actor_required
def visit_list(request):
    actor = request.actor
    access.require(actor, "list", Visit)
    side = parse_choice(request.GET.get("side"), VISIT_SIDES)
    status = parse_choice(request.GET.get("status"), Visit.Status.choices)
    return render(
        request,
        "coaching/visit_list.html",
        {
            "page": paginate(request, selectors.visits(actor, side=side, status=status)),
            "side": side,
            "sides": VISIT_SIDES,
            "status": status,
            "statuses": Visit.Status.choices,
        },
    )


@actor_required
def visit_create(request):
    actor = request.actor
    access.require(actor, "create", Visit)
    form = VisitForm(
        request.POST or None,
        hosts=selectors.colleagues(actor),
        initial={"host": parse_int(request.GET.get("host"))},
    )
    return save_form(
        request,
        form,
        lambda data: services.visit_request(
            district=actor.district,
            actor=request.user,
            visitor=actor.staff,
            host=data["host"],
            on=data["on"],
            period=data["period"],
            focus=data["focus"],
        ),
        title="Ask to visit a colleague's classroom",
        cancel=reverse("peer-visit-list"),
        template="coaching/form.html",
        extra={"intro": "A learning walk: your colleague accepts or declines, with a message."},
    )


def _visit_page(request, visit, *, respond_form=None, status: int = 200):
    actor = request.actor
    open_states = (Visit.Status.REQUESTED, Visit.Status.ACCEPTED)
    observation = visit.observation
    return render(
        request,
        "coaching/visit_detail.html",
        {
            "visit": visit,
            "is_visitor": visit.visitor_id == actor.staff.pk,
            "can_respond": visit.status == Visit.Status.REQUESTED
            and access.can(actor, "respond", visit),
            "can_cancel": visit.status in open_states and access.can(actor, "cancel", visit),
            "can_record": visit.status == Visit.Status.ACCEPTED
            and visit.observation_id is None
            and access.can(actor, "record", visit),
            "observation": observation
            if observation is not None
            and (observation.observer_id == actor.staff.pk or observation.status != Status.DRAFT)
            else None,
            "respond_form": respond_form or RespondForm(initial={"decision": "accept"}),
        },
        status=status,
    )


@actor_required
def visit_detail(request, pk: int):
    return _visit_page(request, selectors.visit_detail(request.actor, pk))


@require_POST
@actor_required
def visit_respond(request, pk: int):
    actor = request.actor
    visit = selectors.visit_detail(actor, pk)
    access.require(actor, "respond", visit)
    form = RespondForm(request.POST)
    return act(
        request,
        visit,
        form,
        lambda data: services.visit_respond(
            visit=visit,
            actor=request.user,
            accept=data["decision"] == "accept",
            response=data["response"],
        ),
        done=f"Answered; {visit.visitor.full_name} sees your answer.",
        page=lambda f: _visit_page(request, visit, respond_form=f, status=400),
    )


@require_POST
@actor_required
def visit_cancel(request, pk: int):
    actor = request.actor
    visit = selectors.visit_detail(actor, pk)
    access.require(actor, "cancel", visit)
    return transition(
        request,
        lambda: services.visit_cancel(visit=visit, actor=request.user),
        visit,
        done="The visit is cancelled.",
    )
