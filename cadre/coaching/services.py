"""Writes for coaching and observation, one function per business action.

Every function takes keyword-only arguments; `actor` is the signed-in user (or None for the
system). Refusals raise `DomainError` (400) or `Conflict` (409, the record's state forbids the
step) with a short code.

Confidentiality (ARCHITECTURE rule 3): the audit trail records that a cycle or an observation
was created, changed or moved, with ids, kinds, stages, statuses and dates, and the names of
the fields that changed. It never records what was written (goals, notes, reflections,
ratings, marks, comments): the audit log is read by administrators, and the content is the
pair's.
"""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog.models import Offering
from cadre.coaching.models import (
    LEVELS,
    Component,
    Cycle,
    Domain,
    Level,
    LookFor,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import audited_create, audited_update, lock, move
from cadre.districts import access
from cadre.districts.access import LEADER_ROLES, Actor, actor_for
from cadre.districts.models import Assignment, District, Role, SchoolYear, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.growth.models import ProfessionalGoal
from cadre.growth.services import current_year, home_unit

Stage = Cycle.Stage
Kind = Observation.Kind
Status = Observation.Status
VisitStatus = Visit.Status

STAGES: list[str] = [s.value for s in Stage]
TEXT_LIMIT = 20_000


# --- helpers -------------------------------------------------------------------------------


def _check_may(actor, action: str, obj, code: str, message: str) -> None:
    """The access rules say who takes this step (the system, actor None, acts for anyone); the
    refusal stays this step's own error, as pages and the API have always shown it."""
    if actor is None:
        return
    who = actor if isinstance(actor, Actor) else actor_for(actor, district_id=obj.district_id)
    if who is None or not access.can(who, action, obj):
        raise DomainError(code, message)


def _roles(staff: Staff, on: date) -> list[tuple[str, int | None, int | None]]:
    return list(
        Assignment.objects.filter(staff=staff)
        .current(on)
        .values_list("role", "school_id", "program_id")
    )


def is_coach(staff: Staff, on: date | None = None) -> bool:
    """Holds a current instructional-coach assignment."""
    on = on or staff.district.today()
    return any(role == Role.INSTRUCTIONAL_COACH for role, _, _ in _roles(staff, on))


def _year_for(district: District, on: date) -> SchoolYear:
    year = SchoolYear.objects.filter(
        district=district, start_date__lte=on, end_date__gte=on
    ).first()
    return year or current_year(district)


def _text(value: Any, *, field: str, limit: int = TEXT_LIMIT) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise DomainError(
            "text.too_long", f"Keep it under {limit:,} characters ({len(text):,}).", field=field
        )
    return text


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


def _changed(names: Sequence[str]) -> str:
    return f"Changed: {', '.join(names)}" if names else ""


# What the audit trail keeps of a cycle and an observation: ids, kinds, stages, dates.
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
OBSERVATION_AUDITED = [
    "kind",
    "observer_id",
    "teacher_id",
    "cycle_id",
    "school_id",
    "school_year_id",
    "rubric_id",
    "look_for_id",
    "offering_id",
    "observed_on",
    "status",
]
OBSERVATION_CONTENT = ["focus", "notes", "strengths", "next_steps"]
VISIT_AUDITED = ["visitor_id", "host_id", "on", "status", "observation_id"]


# --- rubrics -------------------------------------------------------------------------------

RUBRIC_FIELDS = ["name", "description", "is_active"]
DOMAIN_FIELDS = ["number", "name"]
COMPONENT_FIELDS = ["code", "name"]
LEVEL_FIELDS = ["label", "descriptor"]


def rubric_in_use(rubric: Rubric) -> bool:
    """Observations have used it: its components and domains stay."""
    return Observation.objects.filter(rubric=rubric).exists()


def _check_rubric_name(district: District, name: str, rubric: Rubric | None = None) -> None:
    taken = Rubric.objects.filter(district=district, name__iexact=(name or "").strip())
    if rubric is not None:
        taken = taken.exclude(pk=rubric.pk)
    if taken.exists():
        raise Conflict("rubric.name_taken", f"The district already has a rubric named “{name}”.")


@transaction.atomic
def rubric_create(*, district: District, actor, data: Mapping[str, Any]) -> Rubric:
    """A new observation framework. `data`: name, description, is_active."""
    _check_rubric_name(district, data.get("name", ""))
    return _create(Rubric, district=district, actor=actor, fields=RUBRIC_FIELDS, data=dict(data))


@transaction.atomic
def rubric_update(*, rubric: Rubric, actor, data: Mapping[str, Any]) -> Rubric:
    """Rename, describe, retire (is_active False) or bring back a rubric."""
    if "name" in data:
        _check_rubric_name(rubric.district, data["name"], rubric)
    return audited_update(rubric, actor=actor, fields=RUBRIC_FIELDS, data=dict(data))


@transaction.atomic
def domain_create(*, rubric: Rubric, actor, data: Mapping[str, Any]) -> Domain:
    """A domain of the rubric. `data`: name, and number (the next one when blank)."""
    data = dict(data)
    if not data.get("number"):
        top = Domain.objects.filter(rubric=rubric).aggregate(top=Max("number"))["top"]
        data["number"] = (top or 0) + 1
    if Domain.objects.filter(rubric=rubric, number=data["number"]).exists():
        raise DomainError(
            "domain.number_taken", f"Domain {data['number']} already exists.", field="number"
        )
    return _create(
        Domain,
        district=rubric.district,
        actor=actor,
        fields=["rubric", *DOMAIN_FIELDS],
        data={**data, "rubric": rubric},
    )


@transaction.atomic
def domain_update(*, domain: Domain, actor, data: Mapping[str, Any]) -> Domain:
    number = data.get("number")
    if (
        number
        and Domain.objects.filter(rubric_id=domain.rubric_id, number=number)
        .exclude(pk=domain.pk)
        .exists()
    ):
        raise DomainError("domain.number_taken", f"Domain {number} already exists.", field="number")
    return audited_update(domain, actor=actor, fields=DOMAIN_FIELDS, data=dict(data))


@transaction.atomic
def domain_delete(*, domain: Domain, actor) -> None:
    """Remove a domain with its components, unless observations used the rubric."""
    if Component.objects.filter(domain=domain).exists() and rubric_in_use(domain.rubric):
        raise Conflict(
            "rubric.in_use",
            "Observations have used this rubric, so its components stay. Retire the rubric "
            "and make a new one instead.",
        )
    audit_event(district=domain.district, actor=actor, action=AuditEvent.Action.DELETE, obj=domain)
    domain.delete()


def _clean_levels(levels: Sequence[Mapping[str, Any]], *, complete: bool) -> dict[int, dict]:
    """Levels as {1: {"label", "descriptor"}, …}. Each item may name its `level` (1–4); an
    item without one takes its position. `complete`: all four must be given."""
    cleaned: dict[int, dict] = {}
    for position, item in enumerate(levels, start=1):
        try:
            number = int(item.get("level") or position)
        except (TypeError, ValueError):
            number = 0
        if number not in LEVELS:
            raise DomainError("component.level", "Levels run from 1 to 4.", field="levels")
        if number in cleaned:
            raise DomainError("component.level_twice", f"Level {number} is given twice.")
        label = _text(item.get("label"), field=f"level_{number}_label", limit=50)
        descriptor = _text(item.get("descriptor"), field=f"level_{number}_descriptor")
        if not label or not descriptor:
            raise DomainError(
                "component.level_blank",
                f"Level {number} needs a label and a descriptor.",
                field=f"level_{number}_{'label' if not label else 'descriptor'}",
            )
        cleaned[number] = {"label": label, "descriptor": descriptor}
    if complete and sorted(cleaned) != list(LEVELS):
        raise DomainError(
            "component.four_levels",
            "A component describes all four performance levels, 1 to 4.",
            field="levels",
        )
    return cleaned


def _check_code(domain: Domain, code: str, component: Component | None = None) -> None:
    taken = Component.objects.filter(domain=domain, code__iexact=(code or "").strip())
    if component is not None:
        taken = taken.exclude(pk=component.pk)
    if taken.exists():
        raise DomainError(
            "component.code_taken", f"This domain already has a component {code}.", field="code"
        )


@transaction.atomic
def component_create(
    *, domain: Domain, actor, data: Mapping[str, Any], levels: Sequence[Mapping[str, Any]]
) -> Component:
    """A component (`data`: code, name) with its four performance levels, each a mapping of
    label and descriptor (and optionally level 1–4; else their order)."""
    cleaned = _clean_levels(levels, complete=True)
    _check_code(domain, data.get("code", ""))
    component = _create(
        Component,
        district=domain.district,
        actor=actor,
        fields=["domain", *COMPONENT_FIELDS],
        data={**data, "domain": domain},
    )
    Level.objects.bulk_create(
        Level(district=domain.district, component=component, level=n, **cleaned[n]) for n in LEVELS
    )
    return component


@transaction.atomic
def component_update(
    *,
    component: Component,
    actor,
    data: Mapping[str, Any] | None = None,
    levels: Sequence[Mapping[str, Any]] | None = None,
) -> Component:
    """Change the code and name (`data`) and any of the levels' labels and descriptors
    (`levels`, as for `component_create`; levels not given stay as they are)."""
    data = dict(data or {})
    if "code" in data:
        _check_code(component.domain, data["code"], component)
    component = audited_update(component, actor=actor, fields=COMPONENT_FIELDS, data=data)
    cleaned = _clean_levels(levels or [], complete=False)
    existing = {lv.level: lv for lv in Level.objects.filter(component=component)}
    for number, values in cleaned.items():
        if number in existing:
            audited_update(existing[number], actor=actor, fields=LEVEL_FIELDS, data=values)
        else:
            _create(
                Level,
                district=component.district,
                actor=actor,
                fields=["component", "level", *LEVEL_FIELDS],
                data={"component": component, "level": number, **values},
            )
    if Level.objects.filter(component=component).count() != len(LEVELS):
        raise DomainError(
            "component.four_levels",
            "A component describes all four performance levels, 1 to 4.",
            field="levels",
        )
    return component


@transaction.atomic
def component_delete(*, component: Component, actor) -> None:
    """Remove a component and its levels, unless observations used the rubric."""
    if rubric_in_use(component.domain.rubric):
        raise Conflict(
            "rubric.in_use",
            "Observations have used this rubric, so its components stay. Retire the rubric "
            "and make a new one instead.",
        )
    audit_event(
        district=component.district, actor=actor, action=AuditEvent.Action.DELETE, obj=component
    )
    component.delete()


# --- look-fors -----------------------------------------------------------------------------

LOOK_FOR_FIELDS = ["title", "strategy", "offering", "is_active"]


def _check_offering(district: District, offering: Offering | None) -> None:
    if offering is None:
        return
    _check_same_district(district, offering)
    if offering.status == Offering.Status.ARCHIVED:
        raise DomainError(
            "coaching.offering_archived", f"{offering} is archived.", field="offering"
        )


@transaction.atomic
def look_for_create(
    *, district: District, actor, data: Mapping[str, Any], items: Sequence[str] = ()
) -> LookFor:
    """A look-for checklist (`data`: title, strategy, offering or None, is_active) with its
    items in order (blank lines are skipped)."""
    _check_offering(district, data.get("offering"))
    look_for = _create(
        LookFor, district=district, actor=actor, fields=LOOK_FOR_FIELDS, data=dict(data)
    )
    for text in items:
        if (text or "").strip():
            look_for_item_add(look_for=look_for, actor=actor, text=text)
    return look_for


@transaction.atomic
def look_for_update(*, look_for: LookFor, actor, data: Mapping[str, Any]) -> LookFor:
    if "offering" in data:
        _check_offering(look_for.district, data["offering"])
    return audited_update(look_for, actor=actor, fields=LOOK_FOR_FIELDS, data=dict(data))


def _item_text(text: str) -> str:
    clean = _text(text, field="text", limit=300)
    if not clean:
        raise DomainError("look_for.item_blank", "Say what to look for.", field="text")
    return clean


@transaction.atomic
def look_for_item_add(
    *, look_for: LookFor, actor, text: str, position: int | None = None
) -> LookForItem:
    """An item at the end of the list, or at `position` (the others make room)."""
    items = list(LookForItem.objects.filter(look_for=look_for).select_for_update())
    top = max((i.position for i in items), default=-1)
    if position is None or position > top:
        position = top + 1
    else:
        position = max(position, 0)
        for item in items:
            if item.position >= position:
                item.position += 1
        LookForItem.objects.bulk_update(items, ["position"])
    return _create(
        LookForItem,
        district=look_for.district,
        actor=actor,
        fields=["look_for", "position", "text"],
        data={"look_for": look_for, "position": position, "text": _item_text(text)},
    )


@transaction.atomic
def look_for_item_update(
    *, item: LookForItem, actor, text: str | None = None, is_active: bool | None = None
) -> LookForItem:
    """Reword an item (marks already made keep pointing at it), or retire / bring it back."""
    data: dict[str, Any] = {}
    if text is not None:
        data["text"] = _item_text(text)
    if is_active is not None:
        data["is_active"] = is_active
    return audited_update(item, actor=actor, fields=["text", "is_active"], data=data)


@transaction.atomic
def look_for_item_remove(*, item: LookForItem, actor) -> LookForItem | None:
    """Delete an item never marked (returns None). An item already marked in observations is
    kept for their record and retired instead (returned, is_active False)."""
    if Mark.objects.filter(item=item).exists():
        return audited_update(item, actor=actor, fields=["is_active"], data={"is_active": False})
    audit_event(district=item.district, actor=actor, action=AuditEvent.Action.DELETE, obj=item)
    item.delete()
    return None


@transaction.atomic
def look_for_items_reorder(*, look_for: LookFor, actor, order: Sequence[int]) -> list[LookForItem]:
    """Put the items in the order of `order` (item ids of this look-for, each once); items not
    named follow in their present order."""
    items = list(LookForItem.objects.filter(look_for=look_for).select_for_update())
    by_id = {i.pk: i for i in items}
    ids = [int(pk) for pk in order]
    if len(set(ids)) != len(ids) or not set(ids) <= set(by_id):
        raise DomainError(
            "look_for.order", "Name each item of this look-for once to reorder it.", field="order"
        )
    before = [i.pk for i in items]
    after = ids + [pk for pk in before if pk not in set(ids)]
    for position, pk in enumerate(after):
        by_id[pk].position = position
    LookForItem.objects.bulk_update(items, ["position"])
    if before != after:
        audit_event(
            district=look_for.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=look_for,
            changes={"item_order": [before, after]},
        )
    return sorted(items, key=lambda i: i.position)


def look_for_item_move(*, item: LookForItem, actor, up: bool) -> list[LookForItem]:
    """Swap an item with the one before (up) or after it."""
    ids = list(
        LookForItem.objects.filter(look_for_id=item.look_for_id).values_list("pk", flat=True)
    )
    at = ids.index(item.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
    return look_for_items_reorder(look_for=item.look_for, actor=actor, order=ids)


# --- coaching cycles -----------------------------------------------------------------------

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


def _check_open(cycle: Cycle) -> None:
    if cycle.stage == Stage.CLOSED:
        raise Conflict("cycle.closed", "This coaching cycle is closed.")


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


# --- observations --------------------------------------------------------------------------


def _check_rubric(district: District, rubric: Rubric | None) -> None:
    if rubric is None:
        return
    _check_same_district(district, rubric)
    if not rubric.is_active:
        raise DomainError("rubric.inactive", f"{rubric} is retired.", field="rubric")


def _check_look_for(district: District, look_for: LookFor | None) -> None:
    if look_for is None:
        return
    _check_same_district(district, look_for)
    if not look_for.is_active:
        raise DomainError("look_for.inactive", f"{look_for} is retired.", field="look_for")
    if not LookForItem.objects.filter(look_for=look_for, is_active=True).exists():
        raise DomainError(
            "look_for.empty", f"{look_for} has nothing to look for yet.", field="look_for"
        )


def _check_observed_on(district: District, on: date) -> None:
    if on > district.today():
        raise DomainError(
            "observation.future", "Record an observation once it has happened.", field="observed_on"
        )


def leads_school_of(observer: Staff, teacher: Staff, on: date) -> bool:
    """The observer may walk through this teacher's classroom: a leader of the teacher's
    school, an instructional coach, a program director or a district administrator."""
    school, _ = home_unit(teacher, on)
    for role, school_id, _ in _roles(observer, on):
        if role in (Role.DISTRICT_ADMIN, Role.PROGRAM_DIRECTOR, Role.INSTRUCTIONAL_COACH):
            return True
        if role in LEADER_ROLES and school is not None and school_id == school.pk:
            return True
    return False


def has_active_match(mentor: Staff, mentee: Staff) -> bool:
    from cadre.mentoring.models import Match

    return Match.objects.filter(
        mentor__staff=mentor, mentee=mentee, status=Match.Status.ACTIVE
    ).exists()


@transaction.atomic
def observation_create(
    *,
    district: District,
    actor,
    kind: str,
    observer: Staff,
    teacher: Staff | None = None,
    cycle: Cycle | None = None,
    visit: Visit | None = None,
    rubric: Rubric | None = None,
    look_for: LookFor | None = None,
    offering: Offering | None = None,
    observed_on: date | None = None,
    focus: str = "",
) -> Observation:
    """A draft observation, by kind:

    - coaching: from `cycle`; the observer is its coach and the cycle is open; the teacher
      is the cycle's.
    - peer: from an accepted `visit`; the observer is the visitor, the teacher the host.
    - mentor: the observer mentors `teacher` in an active mentoring match.
    - walkthrough: of `teacher`, by a leader of their school, a coach, a program director or
      an administrator, with a `look_for` (the offering defaults to the look-for's).

    The school is the teacher's current school; the school year the one covering the date
    (default today). A rubric and a look-for are optional except as said.
    """
    if kind not in Kind.values:
        raise DomainError("observation.kind", "Choose the kind of observation.", field="kind")
    _check_same_district(district, observer, teacher, cycle, visit, rubric, look_for, offering)
    observed_on = observed_on or district.today()
    _check_observed_on(district, observed_on)
    if kind == Kind.COACHING:
        if cycle is None:
            raise DomainError(
                "observation.cycle_required", "A coaching observation belongs to a cycle."
            )
        if cycle.coach_id != observer.pk:
            raise DomainError(
                "observation.not_coach", "Only the cycle's coach observes for it.", field="cycle"
            )
        _check_open(cycle)
        teacher = cycle.teacher
        offering = offering or cycle.offering
    elif kind == Kind.PEER:
        if visit is None:
            raise DomainError("observation.visit_required", "A peer observation follows a visit.")
        visit = Visit.objects.select_for_update().select_related("host").get(pk=visit.pk)
        if visit.visitor_id != observer.pk:
            raise DomainError(
                "observation.not_visitor", "The visitor records the peer observation."
            )
        if visit.status != VisitStatus.ACCEPTED:
            raise Conflict(
                "visit.not_accepted",
                f"This visit is {visit.get_status_display().lower()}; the host accepts it first.",
            )
        if visit.observation_id:
            raise Conflict("visit.observed", "This visit already has its observation.")
        teacher = visit.host
    elif kind == Kind.MENTOR:
        if teacher is None or not has_active_match(observer, teacher):
            raise DomainError(
                "observation.not_mentor",
                "A mentor observation is by the mentor of an active match, of their mentee.",
                field="teacher",
            )
    else:
        if teacher is None:
            raise DomainError(
                "observation.teacher_required", "Choose the teacher.", field="teacher"
            )
        if not leads_school_of(observer, teacher, district.today()):
            raise DomainError(
                "observation.not_leader",
                "Walkthroughs are made by a leader of the teacher's school, a coach, a program "
                "director or an administrator.",
                field="teacher",
            )
        if look_for is None:
            raise DomainError(
                "observation.look_for_required",
                "A walkthrough checks a look-for; choose one.",
                field="look_for",
            )
        offering = offering or look_for.offering
    if teacher.pk == observer.pk:
        raise DomainError("observation.self", "Nobody observes themselves.", field="teacher")
    if not teacher.is_active:
        raise DomainError("observation.inactive", f"{teacher} is not active.", field="teacher")
    _check_rubric(district, rubric)
    _check_look_for(district, look_for)
    _check_offering(district, offering)
    school, _ = home_unit(teacher, district.today())
    observation = Observation(
        district=district,
        school_year=_year_for(district, observed_on),
        school=school,
        kind=kind,
        observer=observer,
        teacher=teacher,
        cycle=cycle if kind == Kind.COACHING else None,
        rubric=rubric,
        look_for=look_for,
        offering=offering,
        observed_on=observed_on,
        focus=_text(focus, field="focus", limit=300),
    )
    audited_create(observation, actor=actor, audited=OBSERVATION_AUDITED)
    if kind == Kind.PEER:
        audited_update(
            visit,
            actor=actor,
            data={"observation": observation},
            fields=["observation"],
            audited=VISIT_AUDITED,
        )
    return observation


AUTOSAVED = ["observed_on", "focus", "notes", "strengths", "next_steps", "rubric", "look_for"]


# The tablet form saves on every change: the trail records a draft's edits by the same person
# at most once per this many minutes (changes to audited fields, e.g. the date, always).
AUTOSAVE_AUDIT_MINUTES = 10


def _edited_lately(observation: Observation, actor) -> bool:
    """`actor` already has a "changed" event on this observation within the window. Audit
    events are never edited, so later edits in the window are simply not recorded again."""
    return AuditEvent.objects.filter(
        district_id=observation.district_id,
        object_type=observation._meta.label_lower,
        object_id=str(observation.pk),
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        at__gte=timezone.now() - timedelta(minutes=AUTOSAVE_AUDIT_MINUTES),
    ).exists()


def _lock_draft(observation: Observation, actor) -> Observation:
    locked = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("district", "observer")
        .get(pk=observation.pk)
    )
    _check_may(actor, "change", locked, "observation.not_observer", "Only the observer changes it.")
    if locked.status != Status.DRAFT:
        raise Conflict(
            "observation.not_draft",
            f"This observation is {locked.get_status_display().lower()}; it no longer changes.",
        )
    return locked


@transaction.atomic
def observation_autosave(
    *,
    observation: Observation,
    actor,
    data: Mapping[str, Any] | None = None,
    ratings: Mapping[int, Mapping[str, Any]] | None = None,
    marks: Mapping[int, bool | None] | None = None,
) -> Observation:
    """Save whatever changed in a draft, as the tablet form sends it on every change. Partial
    and idempotent: what is not given stays; the same values twice change nothing.

    - `data`: any of observed_on, focus, notes, strengths, next_steps, rubric, look_for
      (a new rubric drops ratings of other rubrics' components; a new look-for drops marks
      of other items; a walkthrough keeps a look-for).
    - `ratings`: {component_id: {"level": 1–4 or None, "evidence": text}}, each key optional;
      a rating with neither level nor evidence is removed.
    - `marks`: {item_id: True (seen), False (not seen) or None (unmarked)}.

    Refused when the observation is not a draft (Conflict) or the actor is not its observer.
    Audited as "changed" (with the names of the fields, never their content) at most once per
    AUTOSAVE_AUDIT_MINUTES per observer, unless an audited field (date, rubric…) changed.
    """
    locked = _lock_draft(observation, actor)
    district = locked.district
    data = dict(data or {})
    before = snapshot(locked, OBSERVATION_AUDITED)
    content: list[str] = []
    for name in AUTOSAVED:
        if name not in data:
            continue
        value = data[name]
        if name in OBSERVATION_CONTENT:
            value = _text(value, field=name, limit=300 if name == "focus" else TEXT_LIMIT)
        elif name == "observed_on":
            if value is None:
                raise DomainError(
                    "observation.date_required", "Give the date.", field="observed_on"
                )
            _check_observed_on(district, value)
        elif name == "rubric":
            if value is not None and value.pk != locked.rubric_id:
                _check_rubric(district, value)
        elif name == "look_for":
            if value is None and locked.kind == Kind.WALKTHROUGH:
                raise DomainError(
                    "observation.look_for_required",
                    "A walkthrough checks a look-for.",
                    field="look_for",
                )
            if value is not None and value.pk != locked.look_for_id:
                _check_look_for(district, value)
        if getattr(locked, name) != value:
            if name in OBSERVATION_CONTENT:
                content.append(name.replace("_", " "))
            setattr(locked, name, value)
    if "observed_on" in data:
        locked.school_year = _year_for(district, locked.observed_on)
    if "rubric" in data:
        stale = Rating.objects.filter(observation=locked)
        if locked.rubric_id:
            stale = stale.exclude(component__domain__rubric_id=locked.rubric_id)
        if stale.delete()[0]:
            content.append("ratings")
    if "look_for" in data:
        stale = Mark.objects.filter(observation=locked)
        if locked.look_for_id:
            stale = stale.exclude(item__look_for_id=locked.look_for_id)
        if stale.delete()[0]:
            content.append("marks")
    if ratings and _save_ratings(locked, ratings):
        content.append("ratings")
    if marks and _save_marks(locked, marks):
        content.append("marks")
    changes = diff(before, snapshot(locked, OBSERVATION_AUDITED))
    if changes or content:
        locked.full_clean(exclude=["district"])
        locked.save()
        if not changes and _edited_lately(locked, actor):
            return locked  # the trail already says the draft is being written
        audit_event(
            district=district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=locked,
            changes=changes,
            comment=_changed(sorted(set(content), key=content.index)),
        )
    return locked


def _save_ratings(observation: Observation, ratings: Mapping[int, Mapping[str, Any]]) -> bool:
    if observation.rubric_id is None:
        raise DomainError("observation.no_rubric", "Choose a rubric before rating.")
    ids = {int(pk) for pk in ratings}
    components = set(
        Component.objects.filter(domain__rubric_id=observation.rubric_id, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    if ids - components:
        raise DomainError(
            "observation.component_not_in_rubric", "Rate only the components of this rubric."
        )
    existing = {r.component_id: r for r in Rating.objects.filter(observation=observation)}
    changed = False
    for pk, values in ratings.items():
        pk = int(pk)
        rating = existing.get(pk)
        level = rating.level if rating else None
        evidence = rating.evidence if rating else ""
        if "level" in values:
            level = values["level"]
            if level is not None:
                try:
                    level = int(level)
                except (TypeError, ValueError):
                    level = 0
                if level not in LEVELS:
                    raise DomainError("rating.level", "A level is 1, 2, 3 or 4.")
        if "evidence" in values:
            evidence = _text(values["evidence"], field=f"evidence_{pk}")
        if level is None and not evidence:
            if rating is not None:
                rating.delete()
                changed = True
            continue
        if rating is None:
            Rating.objects.create(
                district=observation.district,
                observation=observation,
                component_id=pk,
                level=level,
                evidence=evidence,
            )
            changed = True
        elif (rating.level, rating.evidence) != (level, evidence):
            rating.level, rating.evidence = level, evidence
            rating.save(update_fields=["level", "evidence"])
            changed = True
    return changed


def _save_marks(observation: Observation, marks: Mapping[int, bool | None]) -> bool:
    if observation.look_for_id is None:
        raise DomainError("observation.no_look_for", "Choose a look-for before marking.")
    ids = {int(pk) for pk in marks}
    items = {
        i.pk: i for i in LookForItem.objects.filter(look_for_id=observation.look_for_id, pk__in=ids)
    }
    if ids - set(items):
        raise DomainError(
            "observation.item_not_in_look_for", "Mark only the items of this look-for."
        )
    existing = {m.item_id: m for m in Mark.objects.filter(observation=observation)}
    changed = False
    for pk, seen in marks.items():
        pk = int(pk)
        mark = existing.get(pk)
        if seen is None:
            if mark is not None:
                mark.delete()
                changed = True
            continue
        if not items[pk].is_active and (mark is None or mark.seen != bool(seen)):
            raise DomainError("look_for.item_retired", f"“{items[pk]}” is no longer in use.")
        if mark is None:
            Mark.objects.create(
                district=observation.district, observation=observation, item_id=pk, seen=bool(seen)
            )
            changed = True
        elif mark.seen != bool(seen):
            mark.seen = bool(seen)
            mark.save(update_fields=["seen"])
            changed = True
    return changed


def unmarked_items(observation: Observation) -> list[LookForItem]:
    """The look-for's items in use that this observation has not marked yet."""
    if observation.look_for_id is None:
        return []
    marked = Mark.objects.filter(observation=observation).values("item_id")
    return list(
        LookForItem.objects.filter(look_for_id=observation.look_for_id, is_active=True).exclude(
            pk__in=marked
        )
    )


@transaction.atomic
def observation_share(*, observation: Observation, actor) -> Observation:
    """Share a draft with the teacher (draft → shared), who may then read, comment and
    acknowledge it. A walkthrough first marks every item of its look-for; a peer observation
    marks its visit done."""
    locked = lock(observation, Status.DRAFT, code="observation.not_draft", verb="share")
    _check_may(actor, "share", locked, "observation.not_observer", "Only the observer shares it.")
    if locked.kind == Kind.WALKTHROUGH:
        missing = unmarked_items(locked)
        if missing:
            raise DomainError(
                "observation.unmarked",
                f"Mark every look-for as seen or not seen first ({len(missing)} left).",
            )
    written = any(getattr(locked, f).strip() for f in ("notes", "strengths", "next_steps"))
    if not (
        written
        or Rating.objects.filter(observation=locked).exists()
        or Mark.objects.filter(observation=locked).exists()
    ):
        raise DomainError(
            "observation.empty", "Write what you saw, or rate or mark something, before sharing."
        )
    shared = move(locked, actor=actor, to=Status.SHARED, shared_at=timezone.now())
    visit = Visit.objects.select_for_update().filter(observation=shared).first()
    if visit is not None and visit.status == VisitStatus.ACCEPTED:
        move(visit, actor=actor, to=VisitStatus.DONE)
    return shared


@transaction.atomic
def observation_acknowledge(*, observation: Observation, actor, comment: str = "") -> Observation:
    """The observed teacher acknowledges a shared observation (shared → acknowledged), with
    an optional comment. Acknowledging says it was read, not that it is agreed with."""
    locked = lock(
        observation,
        Status.SHARED,
        code="observation.not_shared",
        verb="acknowledge",
        related=("teacher",),
    )
    _check_may(
        actor,
        "acknowledge",
        locked,
        "observation.not_teacher",
        "The observed teacher acknowledges it.",
    )
    return move(
        locked,
        actor=actor,
        to=Status.ACKNOWLEDGED,
        teacher_comment=_text(comment, field="comment"),
        acknowledged_at=timezone.now(),
    )


# --- peer visits ---------------------------------------------------------------------------


@transaction.atomic
def visit_request(
    *,
    district: District,
    actor,
    visitor: Staff,
    host: Staff,
    on: date,
    focus: str,
    period: str = "",
) -> Visit:
    """Ask to visit a colleague's classroom (a learning walk) on a day, in a period, with a
    focus. The host accepts or declines."""
    _check_same_district(district, visitor, host)
    if host.pk == visitor.pk:
        raise DomainError("visit.self", "Choose a colleague's classroom.", field="host")
    if not host.is_active:
        raise DomainError("visit.inactive", f"{host} is not active.", field="host")
    if on is None or on < district.today():
        raise DomainError("visit.past", "Propose today or a later day.", field="on")
    focus = _text(focus, field="focus", limit=300)
    if not focus:
        raise DomainError("visit.focus_required", "Say what you hope to see.", field="focus")
    visit = Visit(
        district=district,
        visitor=visitor,
        host=host,
        on=on,
        period=_text(period, field="period", limit=100),
        focus=focus,
    )
    visit.full_clean(exclude=["district"])
    visit.save()
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=visit,
        changes=diff({}, snapshot(visit, VISIT_AUDITED)),
        to_state=visit.status,
    )
    return visit


@transaction.atomic
def visit_respond(*, visit: Visit, actor, accept: bool, response: str = "") -> Visit:
    """The host accepts or declines a requested visit, with an optional response."""
    locked = lock(
        visit, VisitStatus.REQUESTED, code="visit.answered", verb="answer", related=("host",)
    )
    _check_may(actor, "respond", locked, "visit.not_host", "The host answers the request.")
    return move(
        locked,
        actor=actor,
        to=VisitStatus.ACCEPTED if accept else VisitStatus.DECLINED,
        response=_text(response, field="response", limit=2000),
    )


@transaction.atomic
def visit_cancel(*, visit: Visit, actor) -> Visit:
    """The visitor withdraws a requested or accepted visit before its observation is shared."""
    locked = lock(
        visit,
        VisitStatus.REQUESTED,
        VisitStatus.ACCEPTED,
        code="visit.not_open",
        verb="cancel",
        related=("visitor",),
    )
    _check_may(actor, "cancel", locked, "visit.not_visitor", "The visitor cancels the visit.")
    if locked.observation_id and locked.observation.status != Status.DRAFT:
        raise Conflict("visit.observed", "The observation of this visit is already shared.")
    return move(locked, actor=actor, to=VisitStatus.CANCELLED)
