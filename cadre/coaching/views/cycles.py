"""Coaching cycle pages, the coach's and the teacher's alone: the list, starting a cycle, its
stages as a stepper, the coach's edits and moves, and the teacher's reflection."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cadre.coaching import selectors
from cadre.coaching.forms import CycleEditForm, CycleForm, ReflectForm
from cadre.coaching.models import Cycle
from cadre.coaching.services import cycles as services
from cadre.coaching.views.common import _history, _offerings, _year
from cadre.core.views import (
    act,
    actor_required,
    paginate,
    parse_bool,
    parse_choice,
    parse_int,
    save_form,
    transition,
)
from cadre.districts import access
from cadre.growth.models import ProfessionalGoal

Stage = Cycle.Stage
ROLES = [("coach", "As coach"), ("teacher", "As teacher")]


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
        return services.cycle_create(
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
    at = services.STAGES.index(cycle.stage)
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
    at = services.STAGES.index(cycle.stage)
    return render(
        request,
        "coaching/cycle_detail.html",
        {
            "cycle": cycle,
            "steps": _stepper(cycle),
            "is_coach": is_coach,
            "is_teacher": cycle.teacher_id == actor.staff.pk,
            "is_open": is_open,
            "next_stage": Stage(services.STAGES[at + 1]).label if is_open else "",
            "previous_stage": Stage(services.STAGES[at - 1]).label if is_open and at else "",
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
    fields = services.CYCLE_EDITABLE
    form = CycleEditForm(
        request.POST or None,
        initial={name: getattr(cycle, name) for name in fields},
        goals=_teacher_goals(cycle.teacher),
        offerings=_offerings(actor),
    )
    return save_form(
        request,
        form,
        lambda data: services.cycle_update(
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
        lambda: services.cycle_advance(cycle=cycle, actor=request.user, back=back),
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
        lambda data: services.cycle_reflect(
            cycle=cycle, actor=request.user, reflection=data["reflection"]
        ),
        done="Your reflection is saved; your coach reads it.",
        page=lambda f: _cycle_page(request, cycle, reflect_form=f, status=400),
    )
