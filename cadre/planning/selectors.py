"""Reads for planning pages, always through `access.visible`."""

from django.db.models import Count, Prefetch, Q, QuerySet

from cadre.districts import access
from cadre.districts.access import Actor
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)

Level = StrategicPlan.Level
UNIT = ("school", "program", "school_year")


# --- strategic plans and goals ---------------------------------------------------------------


def plan_list(
    actor: Actor,
    *,
    level: str = "",
    school: int | None = None,
    program: int | None = None,
    status: str = "",
) -> QuerySet:
    qs = access.visible(actor, StrategicPlan).select_related(
        "school", "program", "first_year", "last_year"
    )
    if level:
        qs = qs.filter(level=level)
    if school:
        qs = qs.filter(school_id=school)
    if program:
        qs = qs.filter(program_id=program)
    if status:
        qs = qs.filter(status=status)
    # A GROUP BY drops the model's default ordering, so pages would shuffle without this.
    return qs.annotate(goal_count=Count("goals")).order_by(*StrategicPlan._meta.ordering)


def plan_detail(actor: Actor, pk: int) -> StrategicPlan:
    return access.get_visible_or_404(
        actor,
        StrategicPlan.objects.select_related(
            "school", "program", "first_year", "last_year", "published_by"
        ).prefetch_related("published_by__staff_records"),
        pk=pk,
    )


def plan_goals(actor: Actor, plan: StrategicPlan) -> QuerySet:
    """The plan's goals, each with the district goals it serves and, for a district goal, the
    school and program goals supporting it that this person may see."""
    seen = access.visible(actor, Goal).select_related(
        "plan__school", "plan__program", "plan__first_year"
    )
    return plan.goals.order_by("code", "id").prefetch_related(
        Prefetch("aligns_to", queryset=seen.order_by("code", "id")),
        Prefetch(
            "supported_by",
            queryset=seen.order_by("plan__school__name", "plan__program__name", "code", "id"),
        ),
    )


def goal_detail(actor: Actor, pk: int) -> Goal:
    return access.get_visible_or_404(
        actor,
        Goal.objects.select_related("plan__first_year", "plan__last_year", "plan__school"),
        pk=pk,
    )


def district_goals_for(actor: Actor, plan: StrategicPlan) -> QuerySet:
    """The district goals a goal of `plan` may align to: those of district plans whose years
    overlap the plan's, that this person can see."""
    return (
        access.visible(actor, Goal)
        .filter(
            plan__level=Level.DISTRICT,
            plan__first_year__start_date__lte=plan.last_year.start_date,
            plan__last_year__start_date__gte=plan.first_year.start_date,
        )
        .select_related("plan")
        .order_by("plan__title", "code", "id")
    )


# --- needs assessments and stakeholder input -------------------------------------------------


def _unit_filters(qs: QuerySet, *, school, program, school_year, status) -> QuerySet:
    if school:
        qs = qs.filter(school_id=school)
    if program:
        qs = qs.filter(program_id=program)
    if school_year:
        qs = qs.filter(school_year_id=school_year)
    if status:
        qs = qs.filter(status=status)
    return qs


def assessment_list(
    actor: Actor,
    *,
    school: int | None = None,
    program: int | None = None,
    school_year: int | None = None,
    status: str = "",
) -> QuerySet:
    qs = access.visible(actor, NeedsAssessment).select_related("school", "program", "school_year")
    qs = _unit_filters(qs, school=school, program=program, school_year=school_year, status=status)
    return qs.annotate(
        priority_count=Count("priorities", distinct=True),
        pending_count=Count(
            "inputs", filter=Q(inputs__status=StakeholderInput.Status.PENDING), distinct=True
        ),
    ).order_by(*NeedsAssessment._meta.ordering)


def assessment_detail(actor: Actor, pk: int) -> NeedsAssessment:
    return access.get_visible_or_404(
        actor,
        NeedsAssessment.objects.select_related(
            "school", "program", "school_year", "finalized_by"
        ).prefetch_related("finalized_by__staff_records"),
        pk=pk,
    )


def priorities(actor: Actor, assessment: NeedsAssessment) -> QuerySet:
    """Ranked priorities, each with the accepted input attached to it that this person sees."""
    accepted = access.visible(actor, StakeholderInput).filter(
        status=StakeholderInput.Status.ACCEPTED
    )
    return assessment.priorities.order_by("rank", "id").prefetch_related(
        Prefetch("inputs", queryset=accepted.order_by("-submitted_at", "-id"))
    )


def input_counts(assessment: NeedsAssessment) -> dict[str, int]:
    return assessment.inputs.aggregate(
        **{s: Count("pk", filter=Q(status=s)) for s in StakeholderInput.Status.values}
    )


def input_list(
    actor: Actor, assessment: NeedsAssessment, *, status: str = "", source: str = ""
) -> QuerySet:
    qs = (
        access.visible(actor, StakeholderInput)
        .filter(assessment=assessment)
        .select_related("priority", "moderated_by")
        .prefetch_related("moderated_by__staff_records")
    )
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    return qs


def assessment_for_input(actor: Actor, pk: int) -> NeedsAssessment | None:
    """A needs assessment this person may give input to (staff see a draft one only here)."""
    found = (
        NeedsAssessment.objects.filter(district=actor.district, pk=pk)
        .select_related("school", "program", "school_year")
        .first()
    )
    if found is None or not access.can(actor, "give_input", found):
        return None
    return found


def assessments_taking_input(actor: Actor) -> QuerySet:
    """Draft needs assessments of the schools and programs this person works in."""
    return (
        NeedsAssessment.objects.filter(district=actor.district, status=NeedsAssessment.Status.DRAFT)
        .filter(actor.unit_q(led=False))
        .select_related("school", "program", "school_year")
    )


def assessment_by_token(token: str) -> NeedsAssessment | None:
    """The assessment behind a public input link, open or not. Call without a scope."""
    if not token or len(token) > 64:
        return None
    return (
        NeedsAssessment.objects.filter(input_token=token)
        .select_related("district", "school", "program", "school_year")
        .first()
    )


# --- PD plans --------------------------------------------------------------------------------


def pd_plan_list(
    actor: Actor,
    *,
    school: int | None = None,
    program: int | None = None,
    school_year: int | None = None,
    status: str = "",
) -> QuerySet:
    qs = access.visible(actor, PdPlan).select_related("school", "program", "school_year")
    return _unit_filters(qs, school=school, program=program, school_year=school_year, status=status)


def pd_plan_detail(actor: Actor, pk: int) -> PdPlan:
    goals = access.visible(actor, Goal).select_related("plan__school", "plan__program")
    return access.get_visible_or_404(
        actor,
        PdPlan.objects.select_related("school", "program", "school_year", "decided_by")
        .prefetch_related("decided_by__staff_records")
        .prefetch_related(
            Prefetch("priorities", queryset=Priority.objects.order_by("rank", "id")),
            Prefetch("goals", queryset=goals.order_by("plan__level", "code", "id")),
        ),
        pk=pk,
    )


def pd_choices(
    actor: Actor, *, school=None, program=None, school_year=None
) -> tuple[QuerySet, QuerySet]:
    """The priorities a PD plan may address and the goals it may serve: those of one school or
    program (and year) when known, else those of the units this person leads, in current or
    later years. District goals are always offered."""
    priorities = access.visible(actor, Priority).select_related(
        "assessment__school", "assessment__program", "assessment__school_year"
    )
    goals = access.visible(actor, Goal).select_related("plan__school", "plan__program")
    if school or program:
        unit = Q(school=school) if school else Q(program=program)
        priorities = priorities.filter(
            assessment__in=NeedsAssessment.objects.filter(unit).values("pk")
        )
        goals = goals.filter(
            Q(plan__level=Level.DISTRICT)
            | Q(plan__in=StrategicPlan.objects.filter(unit).values("pk"))
        )
    elif not actor.is_district_admin:
        priorities = priorities.filter(actor.unit_q("assessment__"))
        goals = goals.filter(Q(plan__level=Level.DISTRICT) | actor.unit_q("plan__"))
    if school_year is not None:
        priorities = priorities.filter(assessment__school_year=school_year)
        goals = goals.filter(
            plan__first_year__start_date__lte=school_year.start_date,
            plan__last_year__start_date__gte=school_year.start_date,
        )
    else:
        priorities = priorities.filter(assessment__school_year__end_date__gte=actor.today)
        goals = goals.filter(plan__last_year__end_date__gte=actor.today)
    return (
        priorities.order_by("-assessment__school_year__start_date", "assessment_id", "rank"),
        goals.order_by("plan__level", "plan__school__name", "plan__program__name", "code", "id"),
    )


def pd_plans_to_approve(actor: Actor) -> QuerySet:
    return (
        access.visible(actor, PdPlan)
        .filter(status=PdPlan.Status.SUBMITTED)
        .select_related("school", "program", "school_year")
    )
