"""Who sees and edits strategic plans.

- Published district plans: everyone in the district.
- Published school or program plans: that school's or program's staff (ARCHITECTURE: plans
  are shared with those they cover).
- Drafts, and editing: district administrators for every plan; principals and assistant
  principals for their schools' plans; program directors for their programs' plans.
"""

from django.db.models import Q

from cadre.districts import access
from cadre.districts.access import Actor, anyone
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)

Level = StrategicPlan.Level


def plan_scope_q(actor: Actor, prefix: str = "") -> Q:
    if actor.is_district_admin:
        return Q()
    published = Q(**{f"{prefix}status": StrategicPlan.Status.PUBLISHED})
    return (
        (
            published
            & (
                Q(**{f"{prefix}level": Level.DISTRICT})
                | Q(**{f"{prefix}school_id__in": actor.school_ids})
                | Q(**{f"{prefix}program_id__in": actor.program_ids})
            )
        )
        | Q(**{f"{prefix}school_id__in": actor.led_school_ids})
        | Q(**{f"{prefix}program_id__in": actor.directed_program_ids})
    )


def may_edit(actor: Actor, plan: StrategicPlan | None) -> bool:
    if actor.is_district_admin:
        return True
    if plan is None:  # may start a plan of some kind
        return actor.is_school_leader or actor.is_program_director
    if plan.level == Level.SCHOOL:
        return plan.school_id in actor.led_school_ids
    if plan.level == Level.PROGRAM:
        return plan.program_id in actor.directed_program_ids
    return False


access.register(
    StrategicPlan,
    visible=lambda actor, qs: qs.filter(plan_scope_q(actor)),
    rules={
        "list": anyone,
        "view": anyone,
        "create": may_edit,
        "change": may_edit,
        "publish": may_edit,
    },
)
access.register(
    Goal,
    visible=lambda actor, qs: qs.filter(plan_scope_q(actor, "plan__")),
    rules={
        "view": anyone,
        "change": lambda actor, goal: may_edit(actor, goal.plan),
    },
)


# --- needs assessments, stakeholder input and PD plans ----------------------------------------
#
# Leaders of the school or program (and admins) see and edit everything of theirs; the staff
# of the school or program see final needs assessments and approved PD plans.


def _unit_visible(shared_status: str):
    def visible(actor: Actor, qs):
        if actor.is_district_admin:
            return qs
        return qs.filter(actor.unit_q() | (actor.unit_q(led=False) & Q(status=shared_status)))

    return visible


def _leads(actor: Actor, obj=None) -> bool:
    if obj is None:
        return actor.is_district_admin or actor.is_school_leader or actor.is_program_director
    return actor.leads(obj.school_id, obj.program_id)


def _approves(actor: Actor, plan=None) -> bool:
    if plan is None:
        return False
    return actor.approves_for(plan.school_id, plan.program_id)


def _gives_input(actor: Actor, assessment=None) -> bool:
    if assessment is None:
        return False
    works_there = (
        assessment.school_id in actor.school_ids or assessment.program_id in actor.program_ids
    )
    return works_there or _leads(actor, assessment)


access.register(
    NeedsAssessment,
    visible=_unit_visible(NeedsAssessment.Status.FINAL),
    rules={
        "list": anyone,
        "view": anyone,
        "create": _leads,
        "change": _leads,
        "finalize": _leads,
        "moderate": _leads,
        "give_input": _gives_input,
    },
)
access.register(
    Priority,
    visible=lambda actor, qs: qs.filter(
        assessment__in=access.visible(actor, NeedsAssessment).values("pk")
    ),
    rules={"change": lambda actor, p: _leads(actor, p.assessment)},
)
access.register(
    StakeholderInput,
    visible=lambda actor, qs: (
        qs
        if actor.is_district_admin
        else qs.filter(actor.unit_q("assessment__") | Q(staff=actor.staff))
    ),
    rules={"moderate": lambda actor, i: _leads(actor, i.assessment)},
)
access.register(
    PdPlan,
    visible=_unit_visible(PdPlan.Status.APPROVED),
    rules={
        "list": anyone,
        "view": anyone,
        "create": _leads,
        "change": _leads,
        "submit": _leads,
        "approve": _approves,
        "return": _approves,
    },
)
