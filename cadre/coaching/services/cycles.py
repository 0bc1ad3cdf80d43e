"""Writes for coaching cycles, coach × teacher: open one at goal-setting, the coach's changes,
moving it stage by stage to closed (or back), and the teacher's reflection.

Confidentiality (ARCHITECTURE rule 3): the audit trail records that a cycle was created, changed
or moved, with ids, stages and dates, and the names of the fields that changed. It never records
what was written (the goal, the conference notes, the reflection): the audit log is read by
administrators, and the content is the pair's.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlparse

from django.db import transaction

from cadre.catalog.models import Offering
from cadre.coaching.models import Cycle
from cadre.coaching.services.common import (
    _check_may,
    _check_offering,
    _check_open,
    _roles,
    _text,
    _year_for,
)
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import audited_create, audited_update, lock, move
from cadre.districts.models import District, Role, Staff
from cadre.districts.services import _check_same_district
from cadre.growth.models import ProfessionalGoal
from cadre.growth.services import home_unit

Stage = Cycle.Stage

STAGES: list[str] = [s.value for s in Stage]

# What the audit trail keeps of a cycle: ids, stages, dates; never the content.
CYCLE_AUDITED = [
    "coach_id",
    "teacher_id",
    "school_id",
    "school_year_id",
    "professional_goal_id",
    "offering_id",
    "is_virtual",
    "stage",
    "started_on",
    "closed_on",
]
CYCLE_CONTENT = ["goal", "video_link", "pre_conference_notes", "debrief_notes", "reflection"]


def is_coach(staff: Staff, on: date | None = None) -> bool:
    """Holds a current instructional-coach assignment."""
    on = on or staff.district.today()
    return any(role == Role.INSTRUCTIONAL_COACH for role, _, _ in _roles(staff, on))


def _check_video_link(is_virtual: bool, link: str) -> str:
    link = (link or "").strip()
    if link:
        parsed = urlparse(link)
        if parsed.scheme != "https" or not parsed.netloc or len(link) > 500:
            raise DomainError(
                "cycle.video_link",
                "The video link must be a secure web address starting with https://.",
                field="video_link",
            )
    if is_virtual and not link:
        raise DomainError(
            "cycle.video_link_required",
            "Virtual coaching needs the video link you meet on.",
            field="video_link",
        )
    return link


CYCLE_EDITABLE = [
    "goal",
    "professional_goal",
    "offering",
    "is_virtual",
    "video_link",
    "pre_conference_notes",
    "debrief_notes",
]


def _check_goal(teacher: Staff, goal: ProfessionalGoal | None) -> None:
    if goal is not None and (
        goal.staff_id != teacher.pk or goal.district_id != teacher.district_id
    ):
        raise DomainError(
            "cycle.goal_not_teachers",
            "Link one of the teacher's own professional goals.",
            field="professional_goal",
        )


@transaction.atomic
def cycle_create(
    *,
    district: District,
    actor,
    coach: Staff,
    teacher: Staff,
    goal: str,
    professional_goal: ProfessionalGoal | None = None,
    offering: Offering | None = None,
    is_virtual: bool = False,
    video_link: str = "",
    started_on: date | None = None,
) -> Cycle:
    """Open a coaching cycle at goal-setting. The coach holds a current instructional-coach
    assignment; the teacher is another active member of the district's staff; the optional
    professional goal is the teacher's own; a virtual cycle has an https video link."""
    _check_same_district(district, coach, teacher, professional_goal, offering)
    today = district.today()
    if not is_coach(coach, today):
        raise DomainError(
            "cycle.not_coach", "Only an instructional coach opens a coaching cycle.", field="coach"
        )
    if teacher.pk == coach.pk:
        raise DomainError("cycle.self", "A coach does not coach themselves.", field="teacher")
    if not teacher.is_active:
        raise DomainError("cycle.inactive", f"{teacher} is not active.", field="teacher")
    goal = _text(goal, field="goal")
    if not goal:
        raise DomainError("cycle.goal_required", "Write the coaching goal.", field="goal")
    _check_goal(teacher, professional_goal)
    _check_offering(district, offering)
    started_on = started_on or today
    if started_on > today:
        raise DomainError(
            "cycle.future", "A cycle starts today or has started.", field="started_on"
        )
    school, _ = home_unit(teacher, today)
    cycle = Cycle(
        district=district,
        school_year=_year_for(district, started_on),
        school=school,
        coach=coach,
        teacher=teacher,
        goal=goal,
        professional_goal=professional_goal,
        offering=offering,
        is_virtual=is_virtual,
        video_link=_check_video_link(is_virtual, video_link),
        started_on=started_on,
    )
    return audited_create(cycle, actor=actor, audited=CYCLE_AUDITED)


@transaction.atomic
def cycle_update(*, cycle: Cycle, actor, data: Mapping[str, Any]) -> Cycle:
    """The coach's changes, partial: goal, professional_goal, offering, is_virtual,
    video_link, pre_conference_notes, debrief_notes."""
    locked = (
        Cycle.objects.select_for_update(of=("self",)).select_related("district").get(pk=cycle.pk)
    )
    _check_may(actor, "change", locked, "cycle.not_coach", "Only the cycle's coach changes it.")
    _check_open(locked)
    clean = {name: data[name] for name in CYCLE_EDITABLE if name in data}
    for name in ("goal", "pre_conference_notes", "debrief_notes"):
        if name in clean:
            clean[name] = _text(clean[name], field=name)
    if "goal" in clean and not clean["goal"]:
        raise DomainError("cycle.goal_required", "Write the coaching goal.", field="goal")
    if "professional_goal" in clean:
        _check_goal(locked.teacher, clean["professional_goal"])
    if "offering" in clean:
        _check_offering(locked.district, clean["offering"])

    def check(cycle: Cycle) -> None:
        cycle.video_link = _check_video_link(cycle.is_virtual, cycle.video_link)

    return audited_update(
        locked,
        actor=actor,
        data=clean,
        fields=CYCLE_EDITABLE,
        audited=CYCLE_AUDITED,
        private=CYCLE_CONTENT,
        check=check,
    )


@transaction.atomic
def cycle_advance(*, cycle: Cycle, actor, back: bool = False) -> Cycle:
    """The coach moves the cycle one stage on (goal-setting → pre-conference → observation →
    debrief → reflection → closed), or with `back` one stage back, e.g. for another
    observation. Closing sets closed_on; a closed cycle stays closed."""
    # Who may move it does not change with the stage: asked before the row is locked.
    _check_may(actor, "advance", cycle, "cycle.not_coach", "Only the cycle's coach moves it.")
    locked = lock(
        cycle,
        *[s for s in STAGES if s != Stage.CLOSED],
        code="cycle.closed",
        verb="move",
        related=("district",),
        field="stage",
        message="This coaching cycle is closed.",
    )
    at = STAGES.index(locked.stage)
    if back and at == 0:
        raise Conflict("cycle.first_stage", "The cycle is at its first stage, goal-setting.")
    to = STAGES[at - 1 if back else at + 1]
    closing = {"closed_on": locked.district.today()} if to == Stage.CLOSED else {}
    return move(locked, actor=actor, to=to, field="stage", audited=["closed_on"], **closing)


@transaction.atomic
def cycle_reflect(*, cycle: Cycle, actor, reflection: str) -> Cycle:
    """The teacher's reflection on the cycle, while it is open."""
    locked = (
        Cycle.objects.select_for_update(of=("self",)).select_related("district").get(pk=cycle.pk)
    )
    _check_may(actor, "reflect", locked, "cycle.not_teacher", "The reflection is the teacher's.")
    _check_open(locked)
    text = _text(reflection, field="reflection")
    if not text:
        raise DomainError("cycle.reflection_empty", "Write your reflection.", field="reflection")
    return audited_update(
        locked,
        actor=actor,
        data={"reflection": text},
        fields=["reflection"],
        audited=CYCLE_AUDITED,
        private=["reflection"],
    )
