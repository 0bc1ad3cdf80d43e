"""Research lesson pages: planning a lesson, its page with its stepper, editing it, and moving
its stage."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cadre.collaboration import selectors
from cadre.collaboration.forms import LessonForm, LessonStageForm
from cadre.collaboration.models import Group, ResearchLesson
from cadre.collaboration.services import lessons as services
from cadre.collaboration.views.common import _closed, _members
from cadre.core.views import act, actor_required, save_form
from cadre.districts import access
from cadre.growth.selectors import history


def _lesson_form(group: Group, data=None, initial=None):
    members = _members(group)
    schools = (
        [group.school_id]
        if group.school_id
        else list(
            group.memberships.exclude(school=None).values_list("school_id", flat=True).distinct()
        )
    )
    observers = selectors.people(group.district, schools=schools) | members
    return LessonForm(
        data,
        initial=initial,
        members=members,
        observers=observers.distinct().order_by("last_name", "first_name", "id"),
    )


@actor_required
def lesson_create(request, pk: int):
    actor = request.actor
    group = selectors.group_for(actor, pk)
    access.require(actor, "add_lesson", group)
    if group.is_closed:
        return _closed(request, group)
    if group.kind != Group.Kind.LESSON_STUDY:
        messages.error(request, f"{group} is not a lesson-study group: it has no research lessons.")
        return redirect(group.get_absolute_url())
    form = _lesson_form(group, request.POST or None)

    def save(data):
        observers = list(data.pop("observers"))
        return services.research_lesson_create(
            group=group, actor=request.user, data=data, observers=observers
        )

    return save_form(
        request,
        form,
        save,
        title=f"Plan a research lesson for {group}",
        cancel=group.get_absolute_url(),
        template="growth/form.html",
    )


def _lesson_page(request, lesson: ResearchLesson, *, form=None, status: int = 200):
    actor = request.actor
    group = lesson.group
    order = list(ResearchLesson.Stage.values)
    at = order.index(lesson.stage)
    can_change = not group.is_closed and access.can(actor, "change", lesson)
    return render(
        request,
        "collaboration/lesson_detail.html",
        {
            "lesson": lesson,
            "group": group,
            "stepper": [
                {"label": label, "done": i < at, "current": i == at}
                for i, (_, label) in enumerate(ResearchLesson.Stage.choices)
            ],
            "can_change": can_change,
            "stage_form": form
            or LessonStageForm(
                initial={"stage": order[min(at + 1, len(order) - 1)]}, auto_id="stage_%s"
            ),
            "events": history(lesson),
        },
        status=status,
    )


@actor_required
def lesson_detail(request, pk: int):
    return _lesson_page(request, selectors.research_lesson_detail(request.actor, pk))


@actor_required
def lesson_edit(request, pk: int):
    actor = request.actor
    lesson = selectors.research_lesson_detail(actor, pk)
    access.require(actor, "change", lesson)
    group = lesson.group
    if group.is_closed:
        return _closed(request, group)
    initial = {name: getattr(lesson, name) for name in services.LESSON_FIELDS}
    initial["teacher"] = lesson.teacher_id
    initial["observers"] = [s.pk for s in lesson.observer_list]
    form = _lesson_form(group, request.POST or None, initial=initial)

    def save(data):
        observers = list(data.pop("observers"))
        return services.research_lesson_update(
            lesson=lesson, actor=request.user, data=data, observers=observers
        )

    return save_form(
        request,
        form,
        save,
        title=f"Edit “{lesson}”",
        cancel=lesson.get_absolute_url(),
        template="growth/form.html",
    )


@require_POST
@actor_required
def lesson_stage(request, pk: int):
    actor = request.actor
    lesson = selectors.research_lesson_detail(actor, pk)
    access.require(actor, "change", lesson)
    return act(
        request,
        lesson,
        LessonStageForm(request.POST, auto_id="stage_%s"),
        lambda data: services.research_lesson_stage(
            lesson=lesson, actor=request.user, to=data["stage"], note=data["note"]
        ),
        done="The research lesson moved on.",
        page=lambda f: _lesson_page(request, lesson, form=f, status=400),
    )
