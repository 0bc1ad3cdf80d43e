"""Who sees and does what in coaching and observation.

- A coaching cycle is the coach's and the teacher's alone (ARCHITECTURE rule 3): everyone
  else, administrators included, gets 404 and sees counts and dates through the overview
  selectors instead. Instructional coaches open cycles; the coach moves the stages and writes
  the conference notes; the teacher writes the reflection.
- An observation is the observer's, and the observed teacher's once it is shared. The
  teacher comments and acknowledges it. Walkthroughs feed implementation rates, which PD
  leaders see aggregated, never one by one.
- Rubrics and look-fors describe practice, so everyone in the district sees them.
  Administrators define rubrics; administrators, program directors and coaches keep
  look-fors.
- A peer visit is the visitor's and the host's: the visitor asks, the host accepts or
  declines, the visitor cancels or records what they saw.

Rules say who; the services say when. A step the record's state forbids (a closed cycle, a
shared observation, an answered visit) is refused by the service with a Conflict (409 in the
API, a message on the page), not hidden behind a 403.
"""

from django.db.models import Q

from cadre.coaching.models import (
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
from cadre.districts import access
from cadre.districts.access import Actor, anyone
from cadre.districts.models import Role


def is_coach(actor: Actor, obj=None) -> bool:
    return Role.INSTRUCTIONAL_COACH in actor.roles


def defines_rubrics(actor: Actor, obj=None) -> bool:
    return actor.is_district_admin


def keeps_look_fors(actor: Actor, obj=None) -> bool:
    return actor.is_district_admin or actor.is_program_director or is_coach(actor)


def follows(actor: Actor, obj=None) -> bool:
    """Sees the counts and dates: school leaders (their schools), program directors and
    administrators (the district), and coaches (their own work)."""
    return (
        actor.is_district_admin
        or actor.is_school_leader
        or actor.is_program_director
        or is_coach(actor)
    )


def walks_through(actor: Actor, obj=None) -> bool:
    """May record implementation walkthroughs: school leaders (of the teacher's school, which
    the service checks), coaches, program directors and administrators."""
    return (
        actor.is_district_admin
        or actor.is_school_leader
        or actor.is_program_director
        or is_coach(actor)
    )


def reads_implementation(actor: Actor, obj=None) -> bool:
    """PD leaders read implementation rates: administrators and program directors for the
    district, school leaders for their schools."""
    return actor.is_district_admin or actor.is_program_director or actor.is_school_leader


def pair_q(actor: Actor, prefix: str = "") -> Q:
    me = actor.staff.pk
    return Q(**{f"{prefix}coach_id": me}) | Q(**{f"{prefix}teacher_id": me})


def observation_q(actor: Actor, prefix: str = "") -> Q:
    me = actor.staff.pk
    return Q(**{f"{prefix}observer_id": me}) | (
        Q(**{f"{prefix}teacher_id": me}) & ~Q(**{f"{prefix}status": Observation.Status.DRAFT})
    )


def _is_coach_of(actor: Actor, cycle: Cycle | None) -> bool:
    return cycle is not None and cycle.coach_id == actor.staff.pk


def _is_teacher_of(actor: Actor, obj) -> bool:
    return obj is not None and obj.teacher_id == actor.staff.pk


def _is_observer(actor: Actor, obj) -> bool:
    return obj is not None and obj.observer_id == actor.staff.pk


access.register(
    Cycle,
    visible=lambda actor, qs: qs.filter(pair_q(actor)),
    rules={
        "list": anyone,
        "create": is_coach,
        "follow": follows,  # the overview's counts and dates
        "change": _is_coach_of,
        "advance": _is_coach_of,
        "reflect": _is_teacher_of,
        "observe": _is_coach_of,
    },
)

access.register(
    Observation,
    visible=lambda actor, qs: qs.filter(observation_q(actor)),
    rules={
        "list": anyone,
        "create": anyone,
        "walkthrough": walks_through,
        "implementation": reads_implementation,
        "change": _is_observer,
        "share": _is_observer,
        "acknowledge": _is_teacher_of,
    },
)

for model in (Rating, Mark):
    access.register(
        model,
        visible=lambda actor, qs: qs.filter(observation_q(actor, "observation__")),
        rules={"list": anyone},
    )

access.register(
    Rubric,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "create": defines_rubrics, "change": defines_rubrics},
)

for model in (Domain, Component, Level):
    access.register(
        model,
        visible=lambda actor, qs: qs,
        rules={"list": anyone, "change": defines_rubrics, "delete": defines_rubrics},
    )

access.register(
    LookFor,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "create": keeps_look_fors, "change": keeps_look_fors},
)

access.register(
    LookForItem,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "change": keeps_look_fors, "delete": keeps_look_fors},
)

access.register(
    Visit,
    visible=lambda actor, qs: qs.filter(Q(visitor_id=actor.staff.pk) | Q(host_id=actor.staff.pk)),
    rules={
        "list": anyone,
        "create": anyone,
        "respond": lambda a, v: v is not None and v.host_id == a.staff.pk,
        "cancel": lambda a, v: v is not None and v.visitor_id == a.staff.pk,
        "record": lambda a, v: v is not None and v.visitor_id == a.staff.pk,
    },
)
