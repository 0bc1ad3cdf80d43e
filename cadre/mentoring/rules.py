"""Who sees and does what in the mentor programme.

- The coordinator runs it: a district-wide "mentor coordinator" assignment, or a district
  administrator. They see every new teacher, mentor and match, confirm and end matches,
  grant extended support, name the training offerings and create stipends.
- A school's principal and assistant principals follow their school's new teachers: they
  see their matches, propose mentors for them and keep their onboarding checklists.
- The pair (mentor and new teacher) see their match. Its logs are theirs alone: the
  coordinator, the principal and administrators get 404, and see counts and dates instead
  (ARCHITECTURE rule 3). The mentor writes a log; the new teacher reflects on it.
"""

from django.db.models import Q, QuerySet

from cadre.districts import access
from cadre.districts.access import Actor, anyone
from cadre.districts.models import Role, Staff
from cadre.mentoring.models import (
    ExtendedSupport,
    Log,
    Match,
    Mentor,
    OnboardingChecklist,
    OnboardingItem,
    OnboardingTask,
    Training,
)


def coordinates(actor: Actor, obj=None) -> bool:
    return actor.is_district_admin or Role.MENTOR_COORDINATOR in actor.roles


def follows(actor: Actor, obj=None) -> bool:
    """Coordinates the programme or leads a school (the lists that follow new teachers)."""
    return coordinates(actor) or actor.is_school_leader


def visible_people(actor: Actor, qs: QuerySet | None = None) -> QuerySet:
    """Staff whose programme page this person may open: the coordinator sees everyone in the
    district, others whom the districts rules let them see."""
    qs = Staff.objects.all() if qs is None else qs
    if coordinates(actor):
        return qs.filter(district=actor.district)
    return access.visible(actor, qs)


def _visible_mentors(actor: Actor, qs: QuerySet) -> QuerySet:
    if follows(actor):
        return qs
    return qs.filter(staff=actor.staff)


def pair_q(actor: Actor, prefix: str = "") -> Q:
    me = actor.staff.pk
    return Q(**{f"{prefix}mentor__staff_id": me}) | Q(**{f"{prefix}mentee_id": me})


def followed_q(actor: Actor) -> Q:
    """The matches a person sees: all for the coordinator; their school's for a principal or
    assistant principal; their own for the mentor and the new teacher."""
    if coordinates(actor):
        return Q()
    return Q(school_id__in=actor.led_school_ids) | pair_q(actor)


def _visible_matches(actor: Actor, qs: QuerySet) -> QuerySet:
    return qs.filter(followed_q(actor))


def is_mentor(actor: Actor, match: Match | None) -> bool:
    return match is not None and match.mentor.staff_id == actor.staff.pk


def is_mentee(actor: Actor, match: Match | None) -> bool:
    return match is not None and match.mentee_id == actor.staff.pk


def proposes(actor: Actor, obj: Match | None = None) -> bool:
    """The coordinator, or a leader of the new teacher's school."""
    if obj is None:
        return follows(actor)
    return coordinates(actor) or (bool(obj.school_id) and obj.school_id in actor.led_school_ids)


def _logs_the_match(actor: Actor, obj: Match | None = None) -> bool:
    return obj is None or is_mentor(actor, obj)


access.register(
    Mentor,
    visible=_visible_mentors,
    rules={"list": follows, "view": anyone, "create": coordinates, "change": coordinates},
)
access.register(
    Match,
    visible=_visible_matches,
    rules={
        "list": anyone,
        "view": anyone,
        "follow": follows,  # the lists of new teachers, alerts and cadence
        # Runs the programme: every school's new teachers, the training, the steps, the report.
        "coordinate": coordinates,
        "report": coordinates,
        "create": proposes,
        "confirm": coordinates,
        "end": coordinates,
        "stipend": coordinates,
        "log": _logs_the_match,
        "observe": is_mentor,  # the mentor observes the new teacher
    },
)
access.register(
    Log,
    # The pair only: no role, administrators included, reaches another pair's logs.
    visible=lambda actor, qs: qs.filter(pair_q(actor, "match__")),
    rules={
        "list": anyone,
        "view": anyone,
        "change": lambda actor, obj=None: obj is not None and is_mentor(actor, obj.match),
        "reflect": lambda actor, obj=None: obj is not None and is_mentee(actor, obj.match),
    },
)
access.register(
    Training,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": coordinates, "delete": coordinates},
)
access.register(
    ExtendedSupport,
    visible=lambda actor, qs: qs.filter(staff__in=visible_people(actor)),
    rules={"list": follows, "view": anyone, "create": coordinates, "delete": coordinates},
)
access.register(
    OnboardingItem,
    visible=lambda actor, qs: qs,
    rules={"list": coordinates, "view": anyone, "create": coordinates, "change": coordinates},
)


def keeps_checklist(actor: Actor, obj: OnboardingChecklist | None = None) -> bool:
    """The school's leaders, and the coordinator, keep a new teacher's checklist."""
    if obj is None:
        return follows(actor)
    return coordinates(actor) or (bool(obj.school_id) and obj.school_id in actor.led_school_ids)


def _visible_checklists(actor: Actor, qs: QuerySet, prefix: str = "") -> QuerySet:
    if coordinates(actor):
        return qs
    return qs.filter(
        Q(**{f"{prefix}staff_id": actor.staff.pk})
        | Q(**{f"{prefix}school_id__in": actor.led_school_ids})
    )


access.register(
    OnboardingChecklist,
    visible=_visible_checklists,
    rules={
        "list": follows,
        "view": anyone,
        "create": keeps_checklist,
        "change": keeps_checklist,
    },
)
access.register(
    OnboardingTask,
    visible=lambda actor, qs: _visible_checklists(actor, qs, "checklist__"),
    rules={
        "view": anyone,
        "change": lambda actor, obj=None: obj is not None and keeps_checklist(actor, obj.checklist),
    },
)
