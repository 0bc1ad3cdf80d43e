"""Writes for observations of every kind (coaching, peer, mentor, implementation
walkthrough): start a draft, autosave it from the tablet form with its rubric ratings and
look-for marks, share it with the teacher, and the teacher's acknowledgement.

Confidentiality (ARCHITECTURE rule 3): the audit trail records that an observation was created,
changed or moved, with ids, kinds, statuses and dates, and the names of the fields that changed.
It never records what was written (focus, notes, ratings, marks, comments): the audit log is
read by administrators, and the content is the pair's.
"""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog.models import Offering
from cadre.coaching.models import (
    LEVELS,
    Component,
    Cycle,
    LookFor,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.coaching.services.common import (
    TEXT_LIMIT,
    VISIT_AUDITED,
    _check_may,
    _check_offering,
    _check_open,
    _roles,
    _text,
    _year_for,
)
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import (
    audited_create,
    audited_update,
    column_values,
    known_keys,
    lock,
    move,
    validate,
)
from cadre.districts.access import LEADER_ROLES
from cadre.districts.models import District, Role, Staff
from cadre.districts.services import _check_same_district
from cadre.growth.services import home_unit

Kind = Observation.Kind
Status = Observation.Status
VisitStatus = Visit.Status

# What the audit trail keeps of an observation: ids, kinds, statuses, dates; never the content.
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


def _changed(names: Sequence[str]) -> str:
    return f"Changed: {', '.join(names)}" if names else ""


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


_UNKNOWN = object()


def leads_school_of(observer: Staff, teacher: Staff, on: date, *, school=_UNKNOWN) -> bool:
    """The observer may walk through this teacher's classroom: a leader of the teacher's
    school, an instructional coach, a program director or a district administrator. `school`,
    the teacher's home school on `on` (None for none), when the caller has it already."""
    if school is _UNKNOWN:
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
    data: Mapping[str, Any] | None = None,
    ratings: Mapping[int, Mapping[str, Any]] | None = None,
    marks: Mapping[int, bool | None] | None = None,
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

    `data`, `ratings` and `marks`, when given, are the draft's first autosave
    (`observation_autosave`, by the actor, with its rules), taken in the same step: the trail
    records the creation, then the change, as when the form saves right after.
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
        home = home_unit(teacher, district.today())  # read once: the rule's and the row's
        if not leads_school_of(observer, teacher, district.today(), school=home[0]):
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
    school, _ = home if kind == Kind.WALKTHROUGH else home_unit(teacher, district.today())
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
    if data or ratings or marks:
        _check_changer(actor, observation)
        _autosave(observation, actor, data, ratings, marks, new=True)
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


def _check_changer(actor, observation: Observation) -> None:
    _check_may(
        actor, "change", observation, "observation.not_observer", "Only the observer changes it."
    )


def _lock_draft(observation: Observation, actor) -> Observation:
    locked = (
        Observation.objects.select_for_update(of=("self",))
        .select_related("district", "observer")
        .get(pk=observation.pk)
    )
    _check_changer(actor, locked)
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
    return _autosave(_lock_draft(observation, actor), actor, data, ratings, marks)


def _autosave(locked: Observation, actor, data, ratings, marks, *, new=False) -> Observation:
    """The autosave of a draft, locked (or `new`: just created, with nothing stored beside
    it and no change recorded yet, so nothing to read back)."""
    district = locked.district
    stored = column_values(locked)  # the keys as read: they name rows that exist
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
    if "rubric" in data and not new:
        stale = Rating.objects.filter(observation=locked)
        if locked.rubric_id:
            stale = stale.exclude(component__domain__rubric_id=locked.rubric_id)
        if stale.delete()[0]:
            content.append("ratings")
    if "look_for" in data and not new:
        stale = Mark.objects.filter(observation=locked)
        if locked.look_for_id:
            stale = stale.exclude(item__look_for_id=locked.look_for_id)
        if stale.delete()[0]:
            content.append("marks")
    if ratings and _save_ratings(locked, ratings, new=new):
        content.append("ratings")
    if marks and _save_marks(locked, marks, new=new):
        content.append("marks")
    changes = diff(before, snapshot(locked, OBSERVATION_AUDITED))
    if changes or content:
        validate(locked, ["district"], trusted=known_keys(locked, stored))
        locked.save()
        if not changes and not new and _edited_lately(locked, actor):
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


def _save_ratings(
    observation: Observation, ratings: Mapping[int, Mapping[str, Any]], *, new: bool = False
) -> bool:
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
    existing = (
        {} if new else {r.component_id: r for r in Rating.objects.filter(observation=observation)}
    )
    changed = False
    added: list[Rating] = []
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
            added.append(
                Rating(
                    district=observation.district,
                    observation=observation,
                    component_id=pk,
                    level=level,
                    evidence=evidence,
                )
            )
            changed = True
        elif (rating.level, rating.evidence) != (level, evidence):
            rating.level, rating.evidence = level, evidence
            rating.save(update_fields=["level", "evidence"])
            changed = True
    Rating.objects.bulk_create(added)  # the new ones in one write
    return changed


def _save_marks(
    observation: Observation, marks: Mapping[int, bool | None], *, new: bool = False
) -> bool:
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
    existing = {} if new else {m.item_id: m for m in Mark.objects.filter(observation=observation)}
    changed = False
    added: list[Mark] = []
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
            added.append(
                Mark(
                    district=observation.district,
                    observation=observation,
                    item_id=pk,
                    seen=bool(seen),
                )
            )
            changed = True
        elif mark.seen != bool(seen):
            mark.seen = bool(seen)
            mark.save(update_fields=["seen"])
            changed = True
    Mark.objects.bulk_create(added)  # the new ones in one write
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
    if shared.kind != Kind.PEER:
        return shared  # only a peer observation has a visit (observation_create links it)
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
