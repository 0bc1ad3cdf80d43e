"""Reads for professional goals and ISD, always through `access.visible`."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from cadre.audit.models import AuditEvent
from cadre.core.errors import DomainError
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, SchoolYear, Staff
from cadre.funding.models import LedgerEntry
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.growth.rules import author_leads_school
from cadre.planning.models import Goal, StrategicPlan

GoalStatus = ProfessionalGoal.Status
IsdStatus = IsdRequest.Status
NO_GOAL = "none"  # the goal-status filter for people who have not written one yet


def school_years(actor: Actor) -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(district=actor.district).order_by("-start_date"))


def pick_year(actor: Actor, years: list[SchoolYear], wanted: int | None) -> SchoolYear | None:
    """The year asked for, else the current one, else None when the district has no year."""
    from cadre.growth.services import current_year

    found = next((y for y in years if y.pk == wanted), None) or next(
        (y for y in years if y.is_current), None
    )
    if found is not None:
        return found
    try:
        return current_year(actor.district)
    except DomainError:
        return None


def decides_q(actor: Actor, prefix: str = "") -> Q:
    """The goals or requests this person decides (`rules.decides`), never their own."""
    if actor.is_district_admin:
        q = Q()
    else:
        schools = Q(**{f"{prefix}school_id__in": actor.approving_school_ids}) & (
            Q(**{f"{prefix}school_id__in": actor.principal_school_ids})
            | ~author_leads_school(actor.today, prefix)
        )
        q = schools | Q(
            **{
                f"{prefix}school_id__isnull": True,
                f"{prefix}program_id__in": actor.directed_program_ids,
            }
        )
    return q & ~Q(**{f"{prefix}staff_id": actor.staff.pk})


# --- professional goals ----------------------------------------------------------------------


def goal_list(
    actor: Actor,
    *,
    staff: Staff | None = None,
    school_year: SchoolYear | None = None,
    status: str = "",
) -> QuerySet:
    qs = (
        access.visible(actor, ProfessionalGoal)
        .select_related("staff", "school_year", "school", "program")
        .prefetch_related(Prefetch("aligns_to", queryset=Goal.objects.order_by("code")))
    )
    if staff is not None:
        qs = qs.filter(staff=staff)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if status:
        qs = qs.filter(status=status)
    return qs


def goal_detail(actor: Actor, pk: int) -> ProfessionalGoal:
    return access.get_visible_or_404(
        actor,
        ProfessionalGoal.objects.select_related(
            "staff", "school_year", "school", "program", "decided_by"
        )
        .prefetch_related("decided_by__staff_records")
        .prefetch_related(
            Prefetch(
                "aligns_to",
                queryset=Goal.objects.select_related("plan__school", "plan__program").order_by(
                    "plan__level", "code"
                ),
            )
        ),
        pk=pk,
    )


def alignment_choices(actor: Actor, goal: ProfessionalGoal) -> QuerySet:
    """What a personal goal may align to: the published goals of its author's school or program
    and of the district, whose plans cover the goal's year (the service checks the same)."""
    year = goal.school_year
    unit = Q(plan__level=StrategicPlan.Level.DISTRICT)
    if goal.school_id:
        unit |= Q(plan__school_id=goal.school_id)
    if goal.program_id:
        unit |= Q(plan__program_id=goal.program_id)
    return (
        Goal.objects.filter(district=actor.district, plan__status=StrategicPlan.Status.PUBLISHED)
        .filter(plan__first_year__start_date__lte=year.start_date)
        .filter(plan__last_year__start_date__gte=year.start_date)
        .filter(unit)
        .select_related("plan__school", "plan__program")
        .order_by("plan__level", "plan__school__name", "plan__program__name", "code", "id")
    )


def new_goal(actor: Actor) -> ProfessionalGoal:
    """An unsaved goal of the signed-in person for the current year, placed as the service
    will place it: the frame for the alignment choices on the create page."""
    from cadre.growth.services import current_year, home_unit

    school, program = home_unit(actor.staff, actor.today)
    return ProfessionalGoal(
        district=actor.district,
        staff=actor.staff,
        school=school,
        program=program,
        school_year=current_year(actor.district),
    )


def history(obj) -> QuerySet:
    """The audit trail of one record, oldest first. Callers have already checked that the
    viewer sees the record: its history is part of it."""
    return AuditEvent.objects.filter(
        district_id=obj.district_id,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
    ).order_by("at", "id")


@dataclass
class StatusRow:
    staff: Staff
    goals: list = field(default_factory=list)


def supervised_staff(
    actor: Actor, *, school: int | None = None, program: int | None = None
) -> QuerySet:
    """The people whose goals this person oversees: current staff of the schools they lead and
    the programs they direct; for administrators everyone. Never themselves."""
    current = Assignment.objects.filter(district=actor.district).current(actor.today)
    if not actor.is_district_admin:
        current = current.filter(actor.unit_q())
    if school:
        current = current.filter(school_id=school)
    if program:
        current = current.filter(program_id=program)
    return (
        Staff.objects.filter(district=actor.district, is_active=True)
        .filter(pk__in=current.values("staff_id"))
        .exclude(pk=actor.staff.pk)
        .order_by("last_name", "first_name", "id")
    )


def goal_status(
    actor: Actor,
    year: SchoolYear,
    *,
    school: int | None = None,
    program: int | None = None,
    status: str = "",
    needs_action: bool = False,
) -> tuple[QuerySet, dict[str, int]]:
    """The people shown, filtered, and the counts of their goals per status (with how many have
    none yet). Rows for a page of people come from `status_rows`."""
    people = supervised_staff(actor, school=school, program=program)
    goals = access.visible(actor, ProfessionalGoal).filter(school_year=year, staff__in=people)
    counts = Counter(goals.values_list("status", flat=True))
    summary = {s: counts.get(s, 0) for s in GoalStatus.values}
    summary[NO_GOAL] = people.exclude(pk__in=goals.values("staff_id")).count()
    if status == NO_GOAL:
        people = people.exclude(pk__in=goals.values("staff_id"))
    elif status:
        people = people.filter(pk__in=goals.filter(status=status).values("staff_id"))
    if needs_action:
        waiting = goals.filter(decides_q(actor), status=GoalStatus.SUBMITTED)
        people = people.filter(pk__in=waiting.values("staff_id"))
    return people, summary


def status_rows(actor: Actor, people, year: SchoolYear) -> list[StatusRow]:
    """One row per person on this page, each with their goals this year. One query."""
    rows = {s.pk: StatusRow(s) for s in people}
    goals = (
        access.visible(actor, ProfessionalGoal)
        .filter(school_year=year, staff_id__in=list(rows))
        .order_by("staff_id", "created_at", "id")
    )
    grouped = defaultdict(list)
    for g in goals:
        grouped[g.staff_id].append(g)
    for pk, row in rows.items():
        row.goals = grouped[pk]
    return list(rows.values())


def goals_to_decide(actor: Actor) -> QuerySet:
    return access.visible(actor, ProfessionalGoal).filter(
        decides_q(actor), status=GoalStatus.SUBMITTED
    )


# --- ISD ---------------------------------------------------------------------------------------

SHOW = ("mine", "decide", "reimburse", "all")


def isd_request_list(
    actor: Actor,
    *,
    show: str = "mine",
    status: str = "",
    school_year: SchoolYear | None = None,
    goal: ProfessionalGoal | None = None,
) -> QuerySet:
    qs = access.visible(actor, IsdRequest).select_related(
        "staff", "school_year", "school", "program", "goal"
    )
    if show == "mine":
        qs = qs.filter(staff=actor.staff)
    elif show == "decide":
        qs = qs.filter(decides_q(actor), status=IsdStatus.SUBMITTED)
    elif show == "reimburse":
        qs = qs.filter(status=IsdStatus.COMPLETED).exclude(staff=actor.staff)
    if status:
        qs = qs.filter(status=status)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    if goal is not None:
        qs = qs.filter(goal=goal)
    return qs


def isd_request_detail(actor: Actor, pk: int) -> IsdRequest:
    return access.get_visible_or_404(
        actor,
        IsdRequest.objects.select_related(
            "staff__district",
            "school_year",
            "school",
            "program",
            "goal",
            "offering",
            "decided_by",
            "encumbrance",
        )
        .prefetch_related("decided_by__staff_records")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=IsdAttachment.objects.select_related("uploaded_by").prefetch_related(
                    "uploaded_by__staff_records"
                ),
            )
        ),
        pk=pk,
    )


def ledger_entries(request: IsdRequest) -> QuerySet:
    """The encumbrance approval made and what paid or released it."""
    if not request.encumbrance_id:
        return LedgerEntry.objects.none()
    return (
        LedgerEntry.objects.filter(
            Q(pk=request.encumbrance_id) | Q(encumbrance_id=request.encumbrance_id)
        )
        .select_related("budget__source")
        .order_by("posted_at", "id")
    )


def attachment(actor: Actor, pk: int) -> IsdAttachment:
    return access.get_visible_or_404(actor, IsdAttachment.objects.select_related("request"), pk=pk)


def own_goals(actor: Actor) -> QuerySet:
    """The goals an ISD request of the signed-in person may serve: their own."""
    return (
        ProfessionalGoal.objects.filter(district=actor.district, staff=actor.staff)
        .select_related("school_year")
        .order_by("-school_year__start_date", "title", "id")
    )


def allotment_list(actor: Actor, *, school_year: SchoolYear | None = None) -> QuerySet:
    qs = access.visible(actor, IsdAllotment).select_related("school_year", "source")
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return qs


def requestable_offerings(actor: Actor) -> QuerySet:
    """Published catalogue offerings, for an ISD request that names one."""
    from cadre.catalog.models import Offering

    return (
        access.visible(actor, Offering)
        .filter(status=Offering.Status.PUBLISHED)
        .select_related("partner")
        .order_by("title")
    )
