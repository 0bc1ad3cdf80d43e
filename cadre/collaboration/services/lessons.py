"""Writes for the research lessons of lesson-study groups.

A research lesson moves planning → taught (its date, teacher and observers named) →
debriefed (the debrief written) → revised (the revision written), one step forward at a
time, or back to any earlier step.
"""

from typing import Any

from django.db import transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.collaboration.models import Group, ResearchLesson
from cadre.collaboration.services.common import _locked, _not_future, _stripped
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import audited_create, audited_update, move
from cadre.districts.models import Staff
from cadre.districts.services import _check_same_district

LessonStage = ResearchLesson.Stage

LESSON_FIELDS = ["title", "goal", "plan", "teacher", "taught_on", "debrief", "revision"]
LESSON_AUDITED = ["group", "title", "teacher", "taught_on"]
LESSON_TEXT = ["goal", "plan", "debrief", "revision"]
LESSON_ORDER = list(LessonStage.values)
NULLABLE = {"teacher", "taught_on"}


def _check_lesson_stage(lesson: ResearchLesson, stage: str, observers: list[Staff]) -> None:
    """What a research lesson needs to stand at `stage` (and every step before it)."""
    at = LESSON_ORDER.index(stage)
    if at >= LESSON_ORDER.index(LessonStage.TAUGHT):
        if lesson.taught_on is None or lesson.teacher_id is None or not observers:
            raise DomainError(
                "lesson.taught_incomplete",
                "A public lesson taught has its date, its teacher and at least one observer.",
                field="taught_on" if lesson.taught_on is None else "observers",
            )
        _not_future(
            lesson.district, lesson.taught_on, "lesson.future", "A public lesson", "taught_on"
        )
    if at >= LESSON_ORDER.index(LessonStage.DEBRIEFED) and not lesson.debrief.strip():
        raise DomainError(
            "lesson.debrief_required", "Write what the debrief found first.", field="debrief"
        )
    if at >= LESSON_ORDER.index(LessonStage.REVISED) and not lesson.revision.strip():
        raise DomainError(
            "lesson.revision_required", "Write the revision of the lesson first.", field="revision"
        )


def _check_lesson_people(group: Group, teacher: Staff | None, observers: list[Staff]) -> None:
    _check_same_district(group.district, teacher, *observers)
    if teacher is not None and not group.memberships.filter(staff=teacher).exists():
        raise DomainError(
            "lesson.teacher_not_member",
            f"{teacher} is not a member of {group}; the public lesson is taught by a member.",
            field="teacher",
        )


def _save_observers(lesson: ResearchLesson, actor, before: list[Staff], after: list[Staff]):
    old, new = sorted(str(s) for s in before), sorted(str(s) for s in after)
    if old != new:
        lesson.observers.set(after)
        audit_event(
            district=lesson.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=lesson,
            changes={"observers": [old, new]},
        )


@transaction.atomic
def research_lesson_create(
    *, group: Group, actor, data: dict[str, Any], observers: list[Staff] | None = None
) -> ResearchLesson:
    """A research lesson of a lesson-study group, at the planning stage."""
    locked = _locked(group)
    if locked.kind != Group.Kind.LESSON_STUDY:
        raise DomainError("lesson.not_lesson_study", f"{locked} is not a lesson-study group.")
    data = _stripped(data, ["title", *LESSON_TEXT])
    observers = list(observers or [])
    _check_lesson_people(locked, data.get("teacher"), observers)
    _not_future(
        locked.district, data.get("taught_on"), "lesson.future", "A public lesson", "taught_on"
    )
    lesson = ResearchLesson(
        district=locked.district,
        group=locked,
        **{k: v for k, v in data.items() if k in LESSON_FIELDS},
    )
    audited_create(lesson, actor=actor, audited=LESSON_AUDITED)
    _save_observers(lesson, actor, [], observers)
    return lesson


@transaction.atomic
def research_lesson_update(
    *,
    lesson: ResearchLesson,
    actor,
    data: dict[str, Any],
    observers: list[Staff] | None = None,
) -> ResearchLesson:
    """Change a research lesson; what its stage needs must still be there."""
    locked_group = _locked(lesson.group)
    lesson = ResearchLesson.objects.select_for_update(of=("self",)).get(pk=lesson.pk)
    data = _stripped(data, ["title", *LESSON_TEXT])
    current = list(lesson.observers.all())
    after = current if observers is None else list(observers)
    teacher = data.get("teacher", lesson.teacher)
    _check_lesson_people(locked_group, teacher, after)

    def check(lesson: ResearchLesson) -> None:
        _not_future(
            lesson.district, lesson.taught_on, "lesson.future", "A public lesson", "taught_on"
        )
        _check_lesson_stage(lesson, lesson.stage, after)

    audited_update(
        lesson,
        actor=actor,
        data={k: "" if v is None and k not in NULLABLE else v for k, v in data.items()},
        fields=LESSON_FIELDS,
        audited=LESSON_AUDITED,
        private=LESSON_TEXT,
        check=check,
    )
    _save_observers(lesson, actor, current, after)
    return lesson


@transaction.atomic
def research_lesson_stage(
    *, lesson: ResearchLesson, actor, to: str, note: str = ""
) -> ResearchLesson:
    """One step forward (with what that step needs), or back to any earlier step."""
    _locked(lesson.group)
    locked = (
        ResearchLesson.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=lesson.pk)
    )
    if to not in LESSON_ORDER:
        raise DomainError("lesson.stage_invalid", "Choose a stage.", field="stage")
    here, there = LESSON_ORDER.index(locked.stage), LESSON_ORDER.index(to)
    if there == here:
        raise DomainError(
            "lesson.stage_same",
            f"The lesson is already {LessonStage(to).label.lower()}.",
            field="stage",
        )
    if there > here + 1:
        raise Conflict(
            "lesson.stage_skip",
            f"The lesson is {locked.get_stage_display().lower()}; it moves to "
            f"{LessonStage(LESSON_ORDER[here + 1]).label.lower()} next.",
        )
    if there > here:
        _check_lesson_stage(locked, to, list(locked.observers.all()))
    return move(locked, actor=actor, to=to, field="stage", note=note.strip())
