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
from cadre.districts.access import Actor
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


def _anyone(actor: Actor, obj=None) -> bool:
    return True


def pair_q(actor: Actor, prefix: str = "") -> Q:
    me = actor.staff.pk
    return Q(**{f"{prefix}coach_id": me}) | Q(**{f"{prefix}teacher_id": me})


def observation_q(actor: Actor, prefix: str = "") -> Q:
    me = actor.staff.pk
    return Q(**{f"{prefix}observer_id": me}) | (
        Q(**{f"{prefix}teacher_id": me}) & ~Q(**{f"{prefix}status": Observation.Status.DRAFT})
    )


def _is_coach_of(actor: Actor, cycle: Cycle) -> bool:
    return cycle.coach_id == actor.staff.pk


def _is_teacher_of(actor: Actor, obj) -> bool:
    return obj.teacher_id == actor.staff.pk


access.register(
    Cycle,
    visible=lambda actor, qs: qs.filter(pair_q(actor)),
    rules={
        "list": _anyone,
        "create": is_coach,
        "change": lambda a, c: _is_coach_of(a, c) and c.stage != Cycle.Stage.CLOSED,
        "advance": lambda a, c: _is_coach_of(a, c) and c.stage != Cycle.Stage.CLOSED,
        "reflect": lambda a, c: _is_teacher_of(a, c) and c.stage != Cycle.Stage.CLOSED,
        "observe": lambda a, c: _is_coach_of(a, c) and c.stage != Cycle.Stage.CLOSED,
    },
)

access.register(
    Observation,
    visible=lambda actor, qs: qs.filter(observation_q(actor)),
    rules={
        "list": _anyone,
        "create": _anyone,
        "change": lambda a, o: o.observer_id == a.staff.pk and o.status == o.Status.DRAFT,
        "share": lambda a, o: o.observer_id == a.staff.pk and o.status == o.Status.DRAFT,
        "acknowledge": lambda a, o: _is_teacher_of(a, o) and o.status == o.Status.SHARED,
    },
)

for model in (Rating, Mark):
    access.register(
        model,
        visible=lambda actor, qs: qs.filter(observation_q(actor, "observation__")),
        rules={"list": _anyone},
    )

access.register(
    Rubric,
    visible=lambda actor, qs: qs,
    rules={"list": _anyone, "create": defines_rubrics, "change": defines_rubrics},
)

for model in (Domain, Component, Level):
    access.register(
        model,
        visible=lambda actor, qs: qs,
        rules={"list": _anyone, "change": defines_rubrics},
    )

access.register(
    LookFor,
    visible=lambda actor, qs: qs,
    rules={"list": _anyone, "create": keeps_look_fors, "change": keeps_look_fors},
)

access.register(
    LookForItem,
    visible=lambda actor, qs: qs,
    rules={"list": _anyone, "change": keeps_look_fors},
)

access.register(
    Visit,
    visible=lambda actor, qs: qs.filter(Q(visitor_id=actor.staff.pk) | Q(host_id=actor.staff.pk)),
    rules={
        "list": _anyone,
        "create": _anyone,
        "respond": lambda a, v: v.host_id == a.staff.pk and v.status == v.Status.REQUESTED,
        "cancel": lambda a, v: (
            v.visitor_id == a.staff.pk and v.status in (v.Status.REQUESTED, v.Status.ACCEPTED)
        ),
        "record": lambda a, v: v.visitor_id == a.staff.pk and v.status == v.Status.ACCEPTED,
    },
)
