"""Observation pages: the list; starting one from a cycle, a visit, a match or as a
walkthrough; the tablet form, which saves every change (a busy database answers 503, never a
500); sharing with the teacher, and the teacher's acknowledgement."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.coaching import selectors
from cadre.coaching.forms import (
    AcknowledgeForm,
    ObservationStartForm,
    SheetForm,
    look_for_choices,
    rubric_choices,
    sheet_initial,
)
from cadre.coaching.models import Observation
from cadre.coaching.services import observations as services
from cadre.coaching.views.common import _history, _offerings
from cadre.core.errors import DomainError
from cadre.core.views import (
    act,
    actor_required,
    form_error,
    paginate,
    parse_choice,
    parse_int,
    refused,
)
from cadre.districts import access
from cadre.mentoring.models import Match

Kind = Observation.Kind
Status = Observation.Status
SIDES = [("made", "Made by me"), ("of_me", "Of me")]


def _saved_at() -> str:
    return timezone.localtime().strftime("%H:%M")


@actor_required
def observation_list(request):
    actor = request.actor
    access.require(actor, "list", Observation)
    get = request.GET
    side = parse_choice(get.get("side"), SIDES)
    kind = parse_choice(get.get("kind"), Kind.choices)
    status = parse_choice(get.get("status"), Status.choices)
    page = paginate(request, selectors.observations(actor, side=side, kind=kind, status=status))
    return render(
        request,
        "coaching/observation_list.html",
        {
            "page": page,
            "side": side,
            "sides": SIDES,
            "kind": kind,
            "kinds": Kind.choices,
            "status": status,
            "statuses": Status.choices,
        },
    )


def _start(request):
    """Where the observation starts from (?cycle=, ?visit=, ?match= or ?kind=walkthrough):
    (kind, source, teacher), after the access checks; None for the chooser."""
    actor = request.actor
    get = request.GET
    if get.get("cycle"):
        cycle = selectors.cycle_detail(actor, parse_int(get.get("cycle")))
        access.require(actor, "observe", cycle)
        return Kind.COACHING, cycle, cycle.teacher
    if get.get("visit"):
        visit = selectors.visit_detail(actor, parse_int(get.get("visit")))
        access.require(actor, "record", visit)
        return Kind.PEER, visit, visit.host
    if get.get("match"):
        match = access.get_visible_or_404(
            actor,
            Match.objects.select_related("mentee", "mentor__staff"),
            pk=parse_int(get.get("match")),
        )
        access.require(actor, "observe", match, message="Only the mentor observes for the match.")
        return Kind.MENTOR, match, match.mentee
    if get.get("kind") == Kind.WALKTHROUGH:
        access.require(actor, "walkthrough", Observation)
        return Kind.WALKTHROUGH, None, None
    return None


@actor_required
def observation_create(request):
    actor = request.actor
    access.require(actor, "create", Observation)
    start = _start(request)
    if start is None:
        if request.method == "POST":
            messages.error(request, "Start an observation from a cycle, a visit or a match.")
        return render(
            request,
            "coaching/observation_start.html",
            {"starts": selectors.starts(actor)},
            status=400 if request.method == "POST" else 200,
        )
    kind, source, teacher = start
    walkthrough = kind == Kind.WALKTHROUGH
    initial = {
        "observed_on": actor.today,
        "look_for": parse_int(request.GET.get("look_for")),
        "teacher": parse_int(request.GET.get("teacher")),
        "focus": getattr(source, "focus", ""),
    }
    form = ObservationStartForm(
        request.POST or None,
        initial=initial,
        teachers=selectors.walkthrough_teachers(actor, parse_int(request.GET.get("school")))
        if walkthrough
        else None,
        look_fors=look_for_choices(actor.district),
        rubrics=rubric_choices(actor.district),
        offerings=_offerings(actor) if walkthrough else None,
    )

    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            observation = services.observation_create(
                district=actor.district,
                actor=request.user,
                kind=kind,
                observer=actor.staff,
                teacher=data.get("teacher") or teacher,
                cycle=source if kind == Kind.COACHING else None,
                visit=source if kind == Kind.PEER else None,
                rubric=data["rubric"],
                look_for=data["look_for"],
                offering=data.get("offering"),
                observed_on=data["observed_on"],
                focus=data["focus"],
            )
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Draft started: write as you observe; every change saves.")
            return redirect("observation-edit", observation.pk)
    title = {
        Kind.COACHING: "Observe {name} for your coaching cycle",
        Kind.PEER: "Record your visit to {name}'s classroom",
        Kind.MENTOR: "Observe {name}, your mentee",
        Kind.WALKTHROUGH: "Start an implementation walkthrough",
    }[kind].format(name=teacher.full_name if teacher else "")
    return render(
        request,
        "coaching/form.html",
        {
            "form": form,
            "title": title,
            "cancel": source.get_absolute_url()
            if source is not None
            else reverse("observation-list"),
            "intro": "Observations are support, not evaluation. You write on the next page, "
            "which saves every change; the teacher reads it once you share it.",
        },
        status=400 if request.method == "POST" else 200,
    )


def _observation_page(request, observation, *, ack_form=None, status: int = 200):
    actor = request.actor
    is_observer = observation.observer_id == actor.staff.pk
    is_teacher = observation.teacher_id == actor.staff.pk
    draft = observation.status == Status.DRAFT
    return render(
        request,
        "coaching/observation_detail.html",
        {
            "observation": observation,
            "sheet": selectors.sheet(observation),
            "is_observer": is_observer,
            "is_teacher": is_teacher,
            "can_edit": draft and access.can(actor, "change", observation),
            "can_acknowledge": observation.status == Status.SHARED
            and access.can(actor, "acknowledge", observation),
            "ack_form": ack_form or AcknowledgeForm(),
            "events": _history(observation, Status.choices) if is_observer else [],
        },
        status=status,
    )


@actor_required
def observation_detail(request, pk: int):
    return _observation_page(request, selectors.observation_detail(request.actor, pk))


def _sheet_form(request, observation, *, data=None):
    sheet = selectors.sheet(observation)
    return SheetForm(data, sheet=sheet, initial=sheet_initial(observation, sheet))


def _autosave(request, observation, form) -> str:
    """Save what the form sent; '' when saved, else why not (for the page or the fragment)."""
    if not form.is_valid():
        return f"Not saved. {form.errors_text()}"
    data, ratings, marks = form.changes()
    try:
        services.observation_autosave(
            observation=observation, actor=request.user, data=data, ratings=ratings, marks=marks
        )
    except (DomainError, ValidationError) as exc:
        detail = exc.detail if isinstance(exc, DomainError) else " ".join(exc.messages)
        return f"Not saved. {detail}"
    except OperationalError as exc:
        if not _busy(exc):
            raise
        return BUSY
    return ""


BUSY = "Not saved: the server was busy for a moment. What you typed is still here; try again."


def _busy(exc: OperationalError) -> bool:
    """The database refused a write because another one held the lock (SQLite's "database is
    locked", a deadlock or lock timeout elsewhere): worth a retry, not a 500."""
    return "lock" in str(exc).lower()


def _tablet(request, observation, form, *, status: int = 200, error: str = ""):
    return render(
        request,
        "coaching/observation_edit.html",
        {
            "observation": observation,
            "form": form,
            "sheet": form.sheet,
            "error": error,
            "saved_at": "",
        },
        status=status,
    )


@actor_required
def observation_edit(request, pk: int):
    """The tablet form. Every change autosaves through htmx; without JavaScript the Save
    button posts here."""
    actor = request.actor
    observation = selectors.observation_detail(actor, pk)
    access.require(actor, "change", observation)
    if observation.status != Status.DRAFT:
        messages.info(request, "This observation is shared; it no longer changes.")
        return redirect(observation.get_absolute_url())
    if request.method == "POST":
        form = _sheet_form(request, observation, data=request.POST)
        error = _autosave(request, observation, form)
        if error:
            return _tablet(request, observation, form, status=400, error=error)
        messages.success(request, f"Saved at {_saved_at()}.")
        return redirect("observation-edit", observation.pk)
    return _tablet(request, observation, _sheet_form(request, observation))


@require_POST
@actor_required
def observation_autosave(request, pk: int):
    """One change from the tablet form: saves it and answers the status fragment ("Saved at
    10:42"), or a 400/409 fragment saying why not. Nothing typed is replaced."""
    actor = request.actor
    observation = selectors.observation_detail(actor, pk)
    access.require(actor, "change", observation)
    status = 200
    if observation.status != Status.DRAFT:
        error, status = "Not saved. This observation is shared; it no longer changes.", 409
    else:
        form = _sheet_form(request, observation, data=request.POST)
        error = _autosave(request, observation, form)
        if error:
            status = 503 if error == BUSY else 400
    response = render(
        request,
        "coaching/_saved.html",
        {"error": error, "saved_at": "" if error else _saved_at()},
        status=status,
    )
    response["X-Autosave"] = "1"  # the page's script swaps only these answers in
    return response


@require_POST
@actor_required
def observation_share(request, pk: int):
    """Share with the teacher. From the tablet form the button posts every field here, so
    nothing typed since the last autosave is lost."""
    actor = request.actor
    observation = selectors.observation_detail(actor, pk)
    access.require(actor, "share", observation)
    edit = reverse("observation-edit", args=[observation.pk])
    if observation.status == Status.DRAFT and any(k != "csrfmiddlewaretoken" for k in request.POST):
        form = _sheet_form(request, observation, data=request.POST)
        error = _autosave(request, observation, form)
        if error:
            return _tablet(request, observation, form, status=400, error=error)
    try:
        services.observation_share(observation=observation, actor=request.user)
    except DomainError as exc:
        messages.error(request, refused(exc))
        return redirect(
            edit if observation.status == Status.DRAFT else observation.get_absolute_url()
        )
    except OperationalError as exc:
        if not _busy(exc):
            raise
        messages.error(request, "The server was busy for a moment; nothing was shared. Try again.")
        return redirect(edit)
    messages.success(request, f"Shared with {observation.teacher.full_name}.")
    return redirect(observation.get_absolute_url())


@require_POST
@actor_required
def observation_acknowledge(request, pk: int):
    actor = request.actor
    observation = selectors.observation_detail(actor, pk)
    access.require(actor, "acknowledge", observation)
    return act(
        request,
        observation,
        AcknowledgeForm(request.POST),
        lambda data: services.observation_acknowledge(
            observation=observation, actor=request.user, comment=data["comment"]
        ),
        done=f"Acknowledged; {observation.observer.full_name} sees your comment.",
        page=lambda f: _observation_page(request, observation, ack_form=f, status=400),
    )
