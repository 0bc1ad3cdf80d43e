"""Who sees and does what with money and time.

- District administrators see and manage everything.
- The business office (a district-wide grant) sees every budget and posts payments.
- Principals see their schools' budgets; program directors see their programs' budgets and
  budgets of sources their programs own.
- Everyone sees the stipend schedules, their own awards, and the published plans that
  cover them.
"""

from django.db.models import Q

from cadre.districts import access
from cadre.districts.access import Actor, admin, anyone
from cadre.districts.models import Assignment
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanAcknowledgement,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
)


def sees_all_money(actor: Actor) -> bool:
    return actor.is_district_admin or actor.is_business_office


def _money_people(actor: Actor, obj=None) -> bool:
    return sees_all_money(actor) or actor.is_school_leader or actor.is_program_director


def _poster(actor: Actor, obj=None) -> bool:
    return sees_all_money(actor)


def budget_scope_q(actor: Actor, prefix: str = "") -> Q:
    """The budgets a principal or director holds; admins and the business office see all."""
    if sees_all_money(actor):
        return Q()
    q = Q(pk__in=[])
    if actor.led_school_ids:
        q |= Q(**{f"{prefix}school_id__in": actor.led_school_ids})
    if actor.directed_program_ids:
        q |= Q(**{f"{prefix}program_id__in": actor.directed_program_ids})
        q |= Q(**{f"{prefix}source__program_id__in": actor.directed_program_ids})
    return q


def _visible_sources(actor: Actor, qs):
    if sees_all_money(actor):
        return qs
    if not (actor.is_school_leader or actor.is_program_director):
        return qs.none()
    held = Budget.objects.filter(district=actor.district).filter(budget_scope_q(actor))
    return qs.filter(
        Q(pk__in=held.values("source_id"))
        | Q(school_id__in=actor.led_school_ids)
        | Q(program_id__in=actor.directed_program_ids)
    )


def _visible_budgets(actor: Actor, qs):
    if sees_all_money(actor):
        return qs
    return qs.filter(budget_scope_q(actor))


def _transfer_party(actor: Actor, transfer: BudgetTransfer) -> bool:
    if sees_all_money(actor):
        return True
    held = Budget.objects.filter(district=actor.district).filter(budget_scope_q(actor))
    return held.filter(pk__in=[transfer.from_budget_id, transfer.to_budget_id]).exists()


def _holds_budget(actor: Actor, budget: Budget | None) -> bool:
    if budget is None:
        return _money_people(actor)
    return _visible_budgets(actor, Budget.objects.filter(pk=budget.pk)).exists()


def _visible_transfers(actor: Actor, qs):
    if sees_all_money(actor):
        return qs
    held = Budget.objects.filter(district=actor.district).filter(budget_scope_q(actor))
    return qs.filter(Q(from_budget__in=held) | Q(to_budget__in=held))


def _led_staff_ids(actor: Actor):
    return (
        Assignment.objects.filter(district=actor.district)
        .current(actor.today)
        .filter(
            Q(school_id__in=actor.led_school_ids) | Q(program_id__in=actor.directed_program_ids)
        )
        .values("staff_id")
    )


def _visible_awards(actor: Actor, qs):
    if sees_all_money(actor):
        return qs
    q = Q(staff=actor.staff)
    if actor.is_school_leader or actor.is_program_director:
        q |= Q(staff_id__in=_led_staff_ids(actor)) | Q(
            budget__in=_visible_budgets(actor, Budget.objects.filter(district=actor.district))
        )
    return qs.filter(q)


def covered_plans_q(actor: Actor) -> Q:
    """Published plans of the programs that cover the actor: their program, or their school."""
    return Q(status=ProgramPlan.Status.PUBLISHED) & (
        Q(program_id__in=actor.program_ids) | Q(program__schools__in=actor.school_ids)
    )


def _visible_plans(actor: Actor, qs):
    if actor.is_district_admin or actor.is_business_office:
        return qs
    q = covered_plans_q(actor) | Q(program_id__in=actor.directed_program_ids)
    if actor.led_school_ids:
        q |= Q(status=ProgramPlan.Status.PUBLISHED, program__schools__in=actor.led_school_ids)
    return qs.filter(pk__in=qs.model.objects.filter(q).values("pk"))


def _directs(actor: Actor, plan: ProgramPlan | None) -> bool:
    if plan is None:
        return actor.is_district_admin or actor.is_program_director
    return actor.is_district_admin or plan.program_id in actor.directed_program_ids


def _may_acknowledge(actor: Actor, plan: ProgramPlan) -> bool:
    return (
        plan.status == ProgramPlan.Status.PUBLISHED
        and ProgramPlan.objects.filter(pk=plan.pk).filter(covered_plans_q(actor)).exists()
    )


access.register(
    FundingSource,
    visible=_visible_sources,
    rules={"list": _money_people, "view": _money_people, "create": admin, "change": admin},
)
access.register(
    FiscalYear,
    visible=lambda actor, qs: qs,
    rules={"list": _money_people, "view": _money_people, "close": admin},
)
access.register(
    Budget,
    visible=_visible_budgets,
    rules={
        "list": _money_people,
        "view": _money_people,
        "create": admin,
        "change": admin,
        "post": _poster,
        "export": _money_people,
        # Holders ask to move money out of their own budgets; the district decides.
        "transfer": _holds_budget,
    },
)
access.register(
    LedgerEntry,
    visible=lambda actor, qs: qs.filter(budget__in=_visible_budgets(actor, Budget.objects.all())),
    rules={"list": _money_people, "view": _money_people, "create": _poster},
)
access.register(
    BudgetTransfer,
    visible=_visible_transfers,
    rules={
        "list": _money_people,
        "view": lambda actor, t: _transfer_party(actor, t),
        "create": _money_people,
        "decide": admin,
    },
)
access.register(
    StipendSchedule,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
access.register(
    StipendAward,
    visible=_visible_awards,
    rules={
        "list": anyone,
        "view": anyone,
        "create": admin,
        "change": admin,
        "approve": admin,
        "cancel": admin,
        "pay": _poster,
    },
)
access.register(
    PayrollBatch,
    visible=lambda actor, qs: qs if sees_all_money(actor) else qs.none(),
    rules={"list": _poster, "view": _poster, "create": _poster},
)
access.register(
    ProgramPlan,
    visible=_visible_plans,
    rules={
        "list": anyone,
        "view": anyone,
        "create": _directs,
        "change": _directs,
        "publish": _directs,
        "acknowledge": _may_acknowledge,
        "acknowledgements": _directs,
    },
)
access.register(
    PlanAcknowledgement,
    visible=lambda actor, qs: (
        qs
        if actor.is_district_admin
        else qs.filter(Q(plan__program_id__in=actor.directed_program_ids) | Q(staff=actor.staff))
    ),
    rules={"list": anyone, "view": anyone},
)
