"""Coaching and observation pages. Views parse, ask access, call a service or selector, and
render. A refusal shows inline on its form (400), or, when the record's state forbids the
step, as a message on the record's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadre.catalog.models import Offering
from cadre.coaching import selectors
from cadre.coaching.forms import (
    DEFAULT_LABELS,
    AcknowledgeForm,
    ComponentForm,
    CycleEditForm,
    CycleForm,
    DomainForm,
    ItemForm,
    LookForForm,
    ObservationStartForm,
    ReflectForm,
    RespondForm,
    RubricForm,
    SheetForm,
    VisitForm,
    look_for_choices,
    rubric_choices,
    sheet_initial,
)
from cadre.coaching.models import (
    Component,
    Cycle,
    Domain,
    Level,
    LookFor,
    LookForItem,
    Observation,
    Rubric,
    Visit,
)
from cadre.coaching.services import cycles, lookfors, observations, peer_visits, rubrics
from cadre.core.charts import stacked_bars
from cadre.core.errors import DomainError
from cadre.core.views import (
    act,
    actor_required,
    form_error,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    parse_text,
    refused,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.growth.models import ProfessionalGoal
from cadre.growth.selectors import history
from cadre.mentoring.models import Match

Stage = Cycle.Stage
Kind = Observation.Kind
Status = Observation.Status
SIDES = [("made", "Made by me"), ("of_me", "Of me")]
VISIT_SIDES = [("asked", "I asked to visit"), ("hosted", "Visits to my classroom")]
ROLES = [("coach", "As coach"), ("teacher", "As teacher")]


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


def _saved_at() -> str:
    return timezone.localtime().strftime("%H:%M")


# --- home ----------------------------------------------------------------------------------


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


# --- cycles --------------------------------------------------------------------------------


@actor_required
def cycle_list(request):
    actor = request.actor
    access.require(actor, "list", Cycle)
    years, year = _year(request)
    role = parse_choice(request.GET.get("role"), ROLES)
    stage = parse_choice(request.GET.get("stage"), Stage.choices)
    page = paginate(request, selectors.cycles(actor, year=year, role=role, stage=stage))
    return render(
        request,
        "coaching/cycle_list.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "role": role,
            "roles": ROLES,
            "stage": stage,
            "stages": Stage.choices,
            "can_create": access.can(actor, "create", Cycle),
        },
    )


def _teacher_goals(teacher):
    return (
        ProfessionalGoal.objects.filter(staff=teacher)
        .select_related("school_year")
        .order_by("-school_year__start_date", "title")
    )


@actor_required
def cycle_create(request):
    actor = request.actor
    access.require(actor, "create", Cycle)
    chosen = parse_int(request.GET.get("teacher"))
    teachers = selectors.colleagues(actor)
    teacher = teachers.filter(pk=chosen).first() if chosen else None
    form = CycleForm(
        request.POST or None,
        teachers=None if teacher else teachers,
        goals=_teacher_goals(teacher) if teacher else None,
        offerings=_offerings(actor),
    )

    def save(data):
        return cycles.cycle_create(
            district=actor.district,
            actor=request.user,
            coach=actor.staff,
            teacher=teacher or data["teacher"],
            goal=data["goal"],
            professional_goal=data.get("professional_goal"),
            offering=data["offering"],
            is_virtual=data["is_virtual"],
            video_link=data["video_link"],
        )

    return save_form(
        request,
        form,
        save,
        title=f"Start a coaching cycle with {teacher.full_name}"
        if teacher
        else "Start a coaching cycle",
        cancel=reverse("coaching-home"),
        template="coaching/form.html",
        extra={
            "intro": "The cycle's goal, notes and reflection are yours and the teacher's alone. "
            "Leaders see only that the cycle happens: counts and dates."
            + (
                ""
                if teacher
                else " To link one of the teacher's professional goals now, choose the "
                "teacher first below; you can also link it later."
            ),
            "teacher_picker": None if teacher else teachers,
        },
    )


STAGE_NOTES = {
    Stage.GOAL_SETTING: "Agree the goal and, if it serves one, the teacher's professional goal.",
    Stage.PRE_CONFERENCE: "Plan the lesson to observe and what to look for.",
    Stage.OBSERVATION: "Observe the lesson, in the room or by video.",
    Stage.DEBRIEF: "Talk through what you both saw and the next steps.",
    Stage.REFLECTION: "The teacher reflects on the cycle.",
    Stage.CLOSED: "The cycle is complete.",
}


def _stepper(cycle: Cycle) -> list[dict]:
    at = cycles.STAGES.index(cycle.stage)
    return [
        {
            "value": value,
            "label": label,
            "state": "done" if i < at else ("current" if i == at else "upcoming"),
            "note": STAGE_NOTES[value],
        }
        for i, (value, label) in enumerate(Stage.choices)
    ]


def _cycle_page(request, cycle: Cycle, *, reflect_form=None, status: int = 200):
    actor = request.actor
    is_coach = cycle.coach_id == actor.staff.pk
    is_open = cycle.stage != Stage.CLOSED
    at = cycles.STAGES.index(cycle.stage)
    return render(
        request,
        "coaching/cycle_detail.html",
        {
            "cycle": cycle,
            "steps": _stepper(cycle),
            "is_coach": is_coach,
            "is_teacher": cycle.teacher_id == actor.staff.pk,
            "is_open": is_open,
            "next_stage": Stage(cycles.STAGES[at + 1]).label if is_open else "",
            "previous_stage": Stage(cycles.STAGES[at - 1]).label if is_open and at else "",
            "can_change": is_open and access.can(actor, "change", cycle),
            "can_advance": is_open and access.can(actor, "advance", cycle),
            "can_observe": is_open and access.can(actor, "observe", cycle),
            "can_reflect": is_open and access.can(actor, "reflect", cycle),
            "observations": selectors.cycle_observations(actor, cycle),
            "reflect_form": reflect_form or ReflectForm(initial={"reflection": cycle.reflection}),
            "events": _history(cycle, Stage.choices),
        },
        status=status,
    )


@actor_required
def cycle_detail(request, pk: int):
    return _cycle_page(request, selectors.cycle_detail(request.actor, pk))


@actor_required
def cycle_edit(request, pk: int):
    actor = request.actor
    cycle = selectors.cycle_detail(actor, pk)
    access.require(actor, "change", cycle)
    if cycle.stage == Stage.CLOSED:
        messages.error(request, "This coaching cycle is closed; it no longer changes.")
        return redirect(cycle.get_absolute_url())
    fields = cycles.CYCLE_EDITABLE
    form = CycleEditForm(
        request.POST or None,
        initial={name: getattr(cycle, name) for name in fields},
        goals=_teacher_goals(cycle.teacher),
        offerings=_offerings(actor),
    )
    return save_form(
        request,
        form,
        lambda data: cycles.cycle_update(
            cycle=cycle, actor=request.user, data={k: data[k] for k in fields}
        ),
        title=f"Edit the coaching cycle with {cycle.teacher.full_name}",
        cancel=cycle.get_absolute_url(),
        template="coaching/form.html",
        extra={"intro": "Only you and the teacher read these notes."},
    )


@require_POST
@actor_required
def cycle_advance(request, pk: int):
    actor = request.actor
    cycle = selectors.cycle_detail(actor, pk)
    access.require(actor, "advance", cycle)
    back = bool(parse_bool(request.POST.get("back")))
    return transition(
        request,
        lambda: cycles.cycle_advance(cycle=cycle, actor=request.user, back=back),
        cycle,
        done=lambda moved: (
            "The cycle is closed."
            if moved.stage == Stage.CLOSED
            else f"The cycle is at {moved.get_stage_display().lower()}."
        ),
    )


@require_POST
@actor_required
def cycle_reflect(request, pk: int):
    actor = request.actor
    cycle = selectors.cycle_detail(actor, pk)
    access.require(actor, "reflect", cycle)
    return act(
        request,
        cycle,
        ReflectForm(request.POST),
        lambda data: cycles.cycle_reflect(
            cycle=cycle, actor=request.user, reflection=data["reflection"]
        ),
        done="Your reflection is saved; your coach reads it.",
        page=lambda f: _cycle_page(request, cycle, reflect_form=f, status=400),
    )


# --- observations --------------------------------------------------------------------------


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
            observation = observations.observation_create(
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
        observations.observation_autosave(
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
        observations.observation_share(observation=observation, actor=request.user)
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
        lambda data: observations.observation_acknowledge(
            observation=observation, actor=request.user, comment=data["comment"]
        ),
        done=f"Acknowledged; {observation.observer.full_name} sees your comment.",
        page=lambda f: _observation_page(request, observation, ack_form=f, status=400),
    )


# --- rubrics -------------------------------------------------------------------------------


@actor_required
def rubric_list(request):
    actor = request.actor
    access.require(actor, "list", Rubric)
    active = parse_bool(request.GET.get("active"))
    return render(
        request,
        "coaching/rubric_list.html",
        {
            "page": paginate(request, selectors.rubrics(actor, active=active)),
            "active": active,
            "can_create": access.can(actor, "create", Rubric),
        },
    )


@actor_required
def rubric_create(request):
    actor = request.actor
    access.require(actor, "create", Rubric)
    form = RubricForm(request.POST or None)
    return save_form(
        request,
        form,
        lambda data: _to_edit(
            rubrics.rubric_create(district=actor.district, actor=request.user, data=data)
        ),
        title="Add a rubric",
        cancel=reverse("rubric-list"),
        template="coaching/form.html",
        extra={"intro": "Next you add its domains and components, each with four levels."},
    )


def _to_edit(rubric: Rubric) -> Rubric:
    rubric.get_absolute_url = lambda: reverse("rubric-edit", args=[rubric.pk])
    return rubric


@actor_required
def rubric_detail(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    return render(
        request,
        "coaching/rubric_detail.html",
        {
            "rubric": rubric,
            "in_use": rubrics.rubric_in_use(rubric),
            "can_change": access.can(actor, "change", rubric),
        },
    )


@actor_required
def rubric_edit(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    access.require(actor, "change", rubric)
    form = RubricForm(
        request.POST or None,
        initial={name: getattr(rubric, name) for name in rubrics.RUBRIC_FIELDS},
    )
    return save_form(
        request,
        form,
        lambda data: rubrics.rubric_update(rubric=rubric, actor=request.user, data=data),
        title=f"Edit {rubric.name}",
        cancel=rubric.get_absolute_url(),
        template="coaching/rubric_edit.html",
        extra={"rubric": rubric, "in_use": rubrics.rubric_in_use(rubric)},
    )


def _domain(actor, pk):
    return access.get_visible_or_404(actor, Domain.objects.select_related("rubric"), pk=pk)


def _component(actor, pk):
    return access.get_visible_or_404(
        actor, Component.objects.select_related("domain__rubric"), pk=pk
    )


@actor_required
def domain_create(request, pk: int):
    actor = request.actor
    rubric = selectors.rubric_detail(actor, pk)
    access.require(actor, "change", rubric)
    return save_form(
        request,
        DomainForm(request.POST or None),
        lambda data: rubrics.domain_create(rubric=rubric, actor=request.user, data=data),
        title=f"Add a domain to {rubric.name}",
        cancel=reverse("rubric-edit", args=[rubric.pk]),
        template="coaching/form.html",
    )


@actor_required
def domain_edit(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "change", domain)
    form = DomainForm(request.POST or None, initial={"number": domain.number, "name": domain.name})
    return save_form(
        request,
        form,
        lambda data: rubrics.domain_update(
            domain=domain,
            actor=request.user,
            data={k: v for k, v in data.items() if v is not None},
        ),
        title=f"Edit domain {domain}",
        cancel=reverse("rubric-edit", args=[domain.rubric_id]),
        template="coaching/form.html",
    )


@require_POST
@actor_required
def domain_delete(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "delete", domain)
    return transition(
        request,
        lambda: rubrics.domain_delete(domain=domain, actor=request.user),
        done=f"Domain {domain} removed.",
        to=reverse("rubric-edit", args=[domain.rubric_id]),
    )


def _labels(rubric: Rubric) -> dict:
    found = dict(
        Level.objects.filter(component__domain__rubric=rubric)
        .order_by("component_id", "level")
        .values_list("level", "label")[:4]
    )
    return {f"level_{n}_label": found.get(n, DEFAULT_LABELS[n - 1]) for n in (1, 2, 3, 4)}


@actor_required
def component_create(request, pk: int):
    actor = request.actor
    domain = _domain(actor, pk)
    access.require(actor, "change", domain)
    form = ComponentForm(request.POST or None, initial=_labels(domain.rubric))
    return save_form(
        request,
        form,
        lambda data: rubrics.component_create(
            domain=domain, actor=request.user, data=form.data_fields(), levels=form.levels()
        ),
        title=f"Add a component to {domain}",
        cancel=reverse("rubric-edit", args=[domain.rubric_id]),
        template="coaching/component_form.html",
    )


@actor_required
def component_edit(request, pk: int):
    actor = request.actor
    component = _component(actor, pk)
    access.require(actor, "change", component)
    initial = {"code": component.code, "name": component.name}
    for lv in component.levels.all():
        initial[f"level_{lv.level}_label"] = lv.label
        initial[f"level_{lv.level}_descriptor"] = lv.descriptor
    form = ComponentForm(request.POST or None, initial=initial)
    return save_form(
        request,
        form,
        lambda data: rubrics.component_update(
            component=component, actor=request.user, data=form.data_fields(), levels=form.levels()
        ),
        title=f"Edit component {component}",
        cancel=reverse("rubric-edit", args=[component.domain.rubric_id]),
        template="coaching/component_form.html",
    )


@require_POST
@actor_required
def component_delete(request, pk: int):
    actor = request.actor
    component = _component(actor, pk)
    access.require(actor, "delete", component)
    return transition(
        request,
        lambda: rubrics.component_delete(component=component, actor=request.user),
        done=f"Component {component} removed.",
        to=reverse("rubric-edit", args=[component.domain.rubric_id]),
    )


# --- look-fors -----------------------------------------------------------------------------


@actor_required
def look_for_list(request):
    actor = request.actor
    access.require(actor, "list", LookFor)
    active = parse_bool(request.GET.get("active"))
    q = parse_text(request.GET.get("q"), 100)
    return render(
        request,
        "coaching/look_for_list.html",
        {
            "page": paginate(request, selectors.look_fors(actor, active=active, q=q)),
            "active": active,
            "q": q,
            "can_create": access.can(actor, "create", LookFor),
        },
    )


@actor_required
def look_for_create(request):
    actor = request.actor
    access.require(actor, "create", LookFor)
    form = LookForForm(
        request.POST or None,
        offerings=_offerings(actor),
        initial={"offering": parse_int(request.GET.get("offering"))},
    )
    return save_form(
        request,
        form,
        lambda data: lookfors.look_for_create(
            district=actor.district,
            actor=request.user,
            data=form.data_fields(),
            items=form.item_lines(),
        ),
        title="Add a look-for checklist",
        cancel=reverse("look-for-list"),
        template="coaching/form.html",
        extra={
            "intro": "Say what implementation of a strategy looks like in a classroom: "
            "each item is marked seen or not seen in a walkthrough."
        },
    )


@actor_required
def look_for_detail(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    return render(
        request,
        "coaching/look_for_detail.html",
        {
            "look_for": look_for,
            "can_change": access.can(actor, "change", look_for),
            "walks_through": look_for.is_active and access.can(actor, "walkthrough", Observation),
        },
    )


def _look_for_edit_page(request, look_for, form, *, add_form=None, status: int = 200):
    return render(
        request,
        "coaching/look_for_edit.html",
        {
            "look_for": look_for,
            "form": form,
            "add_form": add_form or ItemForm(auto_id="add_%s"),
            "title": f"Edit {look_for.title}",
            "cancel": look_for.get_absolute_url(),
        },
        status=status,
    )


@actor_required
def look_for_edit(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    access.require(actor, "change", look_for)
    form = LookForForm(
        request.POST or None,
        offerings=_offerings(actor),
        with_items=False,
        initial={name: getattr(look_for, name) for name in lookfors.LOOK_FOR_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            lookfors.look_for_update(look_for=look_for, actor=request.user, data=form.data_fields())
        except (DomainError, ValidationError) as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Saved {look_for.title}.")
            return redirect(look_for.get_absolute_url())
    return _look_for_edit_page(
        request, look_for, form, status=400 if request.method == "POST" else 200
    )


def _item(actor, pk):
    return access.get_visible_or_404(
        actor, LookForItem.objects.select_related("look_for", "district"), pk=pk
    )


@require_POST
@actor_required
def look_for_item_add(request, pk: int):
    actor = request.actor
    look_for = selectors.look_for_detail(actor, pk)
    access.require(actor, "change", look_for)
    form = ItemForm(request.POST, auto_id="add_%s")
    if form.is_valid():
        try:
            lookfors.look_for_item_add(
                look_for=look_for,
                actor=request.user,
                text=form.cleaned_data["text"],
            )
        except DomainError as exc:
            form.add_error("text", refused(exc))
        else:
            messages.success(request, "Item added.")
            return redirect("look-for-edit", look_for.pk)
    edit_form = LookForForm(
        offerings=_offerings(actor),
        with_items=False,
        initial={name: getattr(look_for, name) for name in lookfors.LOOK_FOR_FIELDS},
    )
    return _look_for_edit_page(request, look_for, edit_form, add_form=form, status=400)


@require_POST
@actor_required
def look_for_item_edit(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "change", item)
    restore = parse_bool(request.POST.get("restore"))
    form = ItemForm(request.POST)
    try:
        if restore:
            lookfors.look_for_item_update(item=item, actor=request.user, is_active=True)
            messages.success(request, f"“{item.text}” is back in use.")
        elif form.is_valid():
            lookfors.look_for_item_update(
                item=item, actor=request.user, text=form.cleaned_data["text"]
            )
            messages.success(request, "Item saved.")
        else:
            messages.error(request, "Write the item (300 characters at most).")
    except DomainError as exc:
        messages.error(request, refused(exc))
    return redirect("look-for-edit", item.look_for_id)


@require_POST
@actor_required
def look_for_item_move(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "change", item)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Move the item up or down.")
    else:
        lookfors.look_for_item_move(item=item, actor=request.user, up=direction == "up")
    return redirect(f"{reverse('look-for-edit', args=[item.look_for_id])}#item-{item.pk}")


@require_POST
@actor_required
def look_for_item_remove(request, pk: int):
    actor = request.actor
    item = _item(actor, pk)
    access.require(actor, "delete", item)
    kept = lookfors.look_for_item_remove(item=item, actor=request.user)
    messages.success(
        request,
        f"“{item.text}” was marked in observations, so it is kept for them and retired."
        if kept
        else f"“{item.text}” removed.",
    )
    return redirect("look-for-edit", item.look_for_id)


# --- peer visits ---------------------------------------------------------------------------


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
        lambda data: peer_visits.visit_request(
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
        lambda data: peer_visits.visit_respond(
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
        lambda: peer_visits.visit_cancel(visit=visit, actor=request.user),
        visit,
        done="The visit is cancelled.",
    )


# --- leaders: counts, dates and rates ---------------------------------------------------------

KIND_COLOURS = ["#1f4e8c", "#1b6b3a", "#8a5300", "#6b3fa0"]


@actor_required
def overview(request):
    actor = request.actor
    access.require(actor, "follow", Cycle)
    years, year = _year(request)
    schools = selectors.overview_schools(actor)
    school = parse_int(request.GET.get("school"))
    found = selectors.overview(actor, year, school=school) if year else None
    chart = None
    if found and found.schools:
        chart = stacked_bars(
            [(r.label, [r.kinds.get(k, 0) for k, _ in selectors.KINDS]) for r in found.schools],
            [
                (label, colour)
                for (_, label), colour in zip(selectors.KINDS, KIND_COLOURS, strict=True)
            ],
        )
    return render(
        request,
        "coaching/overview.html",
        {
            "year": year,
            "years": years,
            "schools": schools,
            "school": school,
            "overview": found,
            "chart": chart,
        },
    )


@actor_required
def implementation(request):
    actor = request.actor
    access.require(actor, "implementation", Observation)
    years, year = _year(request)
    by = parse_choice(request.GET.get("by"), selectors.BY) or "offering"
    school = parse_int(request.GET.get("school"))
    found = selectors.implementation(actor, year, by=by, school=school) if year else None
    chart = None
    if found:
        shown = [r for r in found.rows if r.total.rate is not None]
        if shown:
            chart = stacked_bars(
                [(r.label, [r.total.rate, 100 - r.total.rate]) for r in shown],
                [("Seen", "#1b6b3a"), ("Not seen", "#c9cfd9")],
            )
    return render(
        request,
        "coaching/implementation.html",
        {
            "year": year,
            "years": years,
            "by": by,
            "bys": selectors.BY,
            "schools": selectors.overview_schools(actor),
            "school": school,
            "report": found,
            "chart": chart,
            "chart_title": f"Implementation rate by {found.by_label.lower()}, the year so far "
            "(percent of marked items seen)"
            if found
            else "",
        },
    )
