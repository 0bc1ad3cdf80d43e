"""Reads for small groups, each scoped to the district and the person asking, each in a fixed
number of queries whatever the number of rows.

- `groups` lists the groups a person sees (`rules.group_q`), theirs first, with their member
  count, last meeting and last check-in.
- `check_in_status` is the school view: every group a leader follows (administrators: all),
  its last check-in, the days since, and whether it is overdue: active, and more than
  `district.check_in_days` days since its last check-in, or since it was created when it has
  none. Exactly the interval is not overdue; a day more is. A closed group is never overdue.
- `member_hours` gives each member's clock hours in a group when the district credits group
  time (`district.group_hours`): per meeting attended, by the catalogue's credit rules.
- `effectiveness` summarises a year's groups by kind and judgement, with their evidence;
  evidence figures for fewer students than `district.min_group_size` are withheld. The yearly
  evaluation reads it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cadre.catalog.credit import clock_hours
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
    ResearchLesson,
    WorkSample,
)
from cadre.collaboration.services.groups import goal_choices  # noqa: F401  (forms and the API use it)
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff

ZERO = Decimal(0)
Status = Group.Status
Effectiveness = Group.Effectiveness


# --- years -----------------------------------------------------------------------------------


def school_years(actor: Actor) -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(district=actor.district).order_by("-start_date"))


def pick_year(actor: Actor, years: list[SchoolYear], pk: int | None) -> SchoolYear | None:
    """The year asked for, else the current one (or the one today falls in), else the latest."""
    for year in years:
        if year.pk == pk:
            return year
    today = actor.today
    return next((y for y in years if y.is_current), None) or next(
        (y for y in years if y.start_date <= today <= y.end_date), years[0] if years else None
    )


# --- groups ----------------------------------------------------------------------------------


def followed_q(actor: Actor, prefix: str = "") -> Q:
    """The groups a person follows as a school leader (administrators: all): those of the
    schools they lead, and cross-school groups with members from them."""
    if actor.is_district_admin:
        return Q()
    led = actor.led_school_ids
    if not led:
        return Q(**{f"{prefix}pk__in": []})
    served = Membership.objects.filter(school_id__in=led).values("group_id")
    return Q(**{f"{prefix}school_id__in": led}) | Q(
        **{f"{prefix}school__isnull": True, f"{prefix}pk__in": served}
    )


def _school_q(school: int) -> Q:
    """Groups of a school: its own, and cross-school groups with members from it."""
    served = Membership.objects.filter(school_id=school).values("group_id")
    return Q(school_id=school) | Q(school__isnull=True, pk__in=served)


def _mine(actor: Actor) -> Case:
    mine = Membership.objects.filter(staff_id=actor.staff.pk).values("group_id")
    return Case(
        When(Q(facilitator_id=actor.staff.pk) | Q(pk__in=mine), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def with_figures(qs: QuerySet[Group]) -> QuerySet[Group]:
    """Each group's member count, last meeting and last check-in, as subqueries (no joins that
    multiply rows)."""
    members = (
        Membership.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_meeting = (
        Meeting.objects.filter(group=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    last_check_in = (
        CheckIn.objects.filter(group=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    return qs.annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), 0),
        last_meeting=Subquery(last_meeting),
        last_check_in=Subquery(last_check_in),
    )


def groups(
    actor: Actor,
    *,
    year: SchoolYear | None = None,
    school: int | None = None,
    kind: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Group]:
    """The groups this person sees, theirs (facilitated or joined) first, then by name."""
    qs = access.visible(actor, Group)
    if year is not None:
        qs = qs.filter(school_year=year)
    if school:
        qs = qs.filter(_school_q(school))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    for word in q.split():
        qs = qs.filter(Q(name__icontains=word) | Q(focus__icontains=word))
    return (
        with_figures(qs)
        .annotate(is_mine=_mine(actor))
        .select_related("school", "school_year", "facilitator")
        .order_by("-is_mine", "name", "id")
    )


def my_groups(actor: Actor, year: SchoolYear | None = None) -> QuerySet[Group]:
    """The groups this person facilitates or belongs to."""
    mine = Membership.objects.filter(staff_id=actor.staff.pk).values("group_id")
    qs = Group.objects.filter(district=actor.district).filter(
        Q(facilitator_id=actor.staff.pk) | Q(pk__in=mine)
    )
    if year is not None:
        qs = qs.filter(school_year=year)
    return qs.select_related("school", "facilitator").order_by("name", "id")


def _meetings() -> QuerySet[Meeting]:
    return Meeting.objects.annotate(
        present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        register_count=Count("attendance", distinct=True),
        reflection_count=Count("reflections", distinct=True),
    ).order_by("-held_on", "-id")


def group_detail(actor: Actor, pk: int) -> Group:
    """One group with its members, goals, meetings, lessons, check-ins and evidence; 404 for
    anyone who does not see it."""
    qs = Group.objects.select_related(
        "district", "school", "school_year", "facilitator", "judged_by"
    ).prefetch_related(
        Prefetch(
            "memberships",
            Membership.objects.select_related("staff", "school"),
            to_attr="member_list",
        ),
        Prefetch("goals", to_attr="goal_list"),
        Prefetch("meetings", _meetings(), to_attr="meeting_list"),
        Prefetch(
            "research_lessons",
            ResearchLesson.objects.select_related("teacher"),
            to_attr="lesson_list",
        ),
        Prefetch("check_ins", CheckIn.objects.select_related("by"), to_attr="check_in_list"),
        Prefetch("evidence", to_attr="evidence_list"),
    )
    return access.get_visible_or_404(actor, qs, pk=pk)


def group_for(actor: Actor, pk: int) -> Group:
    """The group alone (for a form or a step); 404 for anyone who does not see it."""
    return access.get_visible_or_404(
        actor, Group.objects.select_related("district", "school", "school_year"), pk=pk
    )


def member_hours(group: Group) -> dict[int, Decimal] | None:
    """Each member's clock hours from the group's meetings they were present at, when the
    district credits group time (None when it does not). Each meeting is credited on its own,
    so a meeting shorter than the district's minimum earns nothing."""
    district = group.district
    if not district.group_hours:
        return None
    hours: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for staff_id, minutes in Attendance.objects.filter(
        meeting__group=group, present=True
    ).values_list("staff_id", "meeting__minutes"):
        hours[staff_id] += clock_hours(district, minutes, offering_minutes=minutes)
    return dict(hours)


# --- meetings --------------------------------------------------------------------------------


def meeting_detail(actor: Actor, pk: int) -> Meeting:
    """One meeting with its register, reflections and files; 404 for anyone who does not see
    its group."""
    qs = Meeting.objects.select_related(
        "district", "group__school", "group__school_year", "group__district", "recorded_by"
    ).prefetch_related(
        Prefetch(
            "attendance",
            Attendance.objects.select_related("staff"),
            to_attr="register",
        ),
        Prefetch(
            "reflections",
            Reflection.objects.select_related("staff"),
            to_attr="reflection_list",
        ),
        Prefetch("samples", to_attr="sample_list"),
    )
    return access.get_visible_or_404(actor, qs, pk=pk)


def work_sample(actor: Actor, pk: int) -> WorkSample:
    return access.get_visible_or_404(
        actor, WorkSample.objects.select_related("meeting__group"), pk=pk
    )


def awaiting_reflection(actor: Actor, year: SchoolYear | None = None) -> QuerySet[Meeting]:
    """Meetings of this person's open groups they were present at and have not reflected on."""
    qs = Meeting.objects.filter(
        district=actor.district,
        group__status=Status.ACTIVE,
        group__memberships__staff_id=actor.staff.pk,
        attendance__staff_id=actor.staff.pk,
        attendance__present=True,
    ).exclude(Exists(Reflection.objects.filter(meeting=OuterRef("pk"), staff_id=actor.staff.pk)))
    if year is not None:
        qs = qs.filter(group__school_year=year)
    return qs.select_related("group").order_by("-held_on", "-id")


# --- research lessons and check-ins ----------------------------------------------------------


def research_lesson_detail(actor: Actor, pk: int) -> ResearchLesson:
    qs = ResearchLesson.objects.select_related(
        "district", "group__school", "group__district", "teacher"
    ).prefetch_related(Prefetch("observers", to_attr="observer_list"))
    return access.get_visible_or_404(actor, qs, pk=pk)


def check_in_detail(actor: Actor, pk: int) -> CheckIn:
    qs = CheckIn.objects.select_related("district", "group__school", "group__district", "by")
    return access.get_visible_or_404(actor, qs, pk=pk)


@dataclass
class CheckInRow:
    group: Group
    last_check_in: date | None
    since: date  # the last check-in, else the group's creation
    days_since: int
    overdue: bool
    leads: bool = False  # the viewer leads a school the group serves: they may check in


def created_on(group: Group, district: District) -> date:
    return timezone.localtime(group.created_at, district.tz).date()


def status_of(group: Group, last: date | None, district: District, today: date) -> CheckInRow:
    since = last or created_on(group, district)
    days = (today - since).days
    overdue = group.status == Status.ACTIVE and days > district.check_in_days
    return CheckInRow(group, last, since, days, overdue)


def followed(actor: Actor, year: SchoolYear | None, school: int | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(district=actor.district).filter(followed_q(actor))
    if year is not None:
        qs = qs.filter(school_year=year)
    if school:
        qs = qs.filter(_school_q(school))
    return qs


def check_in_status(
    actor: Actor, year: SchoolYear | None, school: int | None = None
) -> list[CheckInRow]:
    """The school view: each group this person follows (overdue first, then by name), its last
    check-in, the days since, and whether it is overdue."""
    district, today = actor.district, actor.today
    qs = (
        followed(actor, year, school)
        .annotate(last=Max("check_ins__held_on"))
        .select_related("school", "facilitator")
        .order_by("name", "id")
    )
    rows = [status_of(g, g.last, district, today) for g in qs]
    led = actor.led_school_ids
    cross = [r.group.pk for r in rows if r.group.school_id is None]
    served = (
        set(
            Membership.objects.filter(group_id__in=cross, school_id__in=led).values_list(
                "group_id", flat=True
            )
        )
        if cross and led
        else set()
    )
    for row in rows:
        g = row.group
        row.leads = g.school_id in led if g.school_id else g.pk in served
    return sorted(rows, key=lambda r: (not r.overdue, r.group.name.lower(), r.group.pk))


def overdue_count(actor: Actor, year: SchoolYear | None) -> int:
    """How many followed groups are overdue a check-in, in one query."""
    district, today = actor.district, actor.today
    qs = (
        followed(actor, year)
        .filter(status=Status.ACTIVE)
        .annotate(last=Max("check_ins__held_on"))
        .values_list("created_at", "last")
    )
    limit = district.check_in_days
    return sum(
        1
        for created_at, last in qs
        if (today - (last or timezone.localtime(created_at, district.tz).date())).days > limit
    )


def people(district: District, *, schools: list[int] | None = None) -> QuerySet[Staff]:
    """Active staff, by name; with `schools`, those working at one of them now, or
    district-wide or in a program (an assignment without a school)."""
    qs = Staff.objects.filter(district=district, is_active=True)
    if schools is not None:
        current = Assignment.objects.filter(district=district).current(district.today())
        qs = qs.filter(
            pk__in=current.filter(Q(school_id__in=schools) | Q(school__isnull=True)).values(
                "staff_id"
            )
        )
    return qs.order_by("last_name", "first_name", "id")


def creatable_schools(actor: Actor) -> QuerySet[School]:
    """The schools a person may create groups at (besides cross-school groups): those they
    lead, and for a coach those they work in."""
    return access.units(actor, worked=Role.INSTRUCTIONAL_COACH in actor.roles).schools


def school_choices(actor: Actor) -> QuerySet[School]:
    """The schools a person may filter the school view by."""
    return access.units(actor).schools


# --- effectiveness ---------------------------------------------------------------------------


@dataclass
class EvidenceFigures:
    """One evidence record; its figures only when enough students were measured."""

    evidence: Evidence
    shown: bool

    @property
    def before(self) -> Decimal | None:
        return self.evidence.before if self.shown else None

    @property
    def after(self) -> Decimal | None:
        return self.evidence.after if self.shown else None

    @property
    def change(self) -> Decimal | None:
        return self.evidence.change if self.shown else None


@dataclass
class GroupOutcome:
    group: Group
    evidence: list[EvidenceFigures]


@dataclass
class KindRow:
    kind: str
    label: str
    counts: dict[str, int]  # by judgement ("" for not judged)
    groups: int = 0
    closed: int = 0


@dataclass
class EffectivenessSummary:
    year: SchoolYear
    min_group_size: int
    kinds: list[KindRow] = field(default_factory=list)
    outcomes: list[GroupOutcome] = field(default_factory=list)

    @property
    def judgements(self) -> list[tuple[str, str]]:
        return [(v, label) for v, label in Effectiveness.choices]

    @property
    def totals(self) -> dict[str, int]:
        return {v: sum(k.counts[v] for k in self.kinds) for v, _ in Effectiveness.choices}


def effectiveness(
    district: District, year: SchoolYear, *, groups: QuerySet[Group] | None = None
) -> EffectivenessSummary:
    """A year's groups by kind and effectiveness judgement, and each group's evidence (figures
    withheld below the district's minimum group size), in two queries. `groups` narrows it
    (a leader's report); by default it is the whole district's."""
    qs = groups if groups is not None else Group.objects.filter(district=district)
    qs = (
        qs.filter(district=district, school_year=year)
        .select_related("school", "judged_by")
        .prefetch_related(Prefetch("evidence", to_attr="evidence_list"))
        .order_by("kind", "name", "id")
    )
    summary = EffectivenessSummary(year=year, min_group_size=district.min_group_size)
    rows = {
        kind: KindRow(kind, label, {v: 0 for v, _ in Effectiveness.choices})
        for kind, label in Group.Kind.choices
    }
    for group in qs:
        row = rows[group.kind]
        row.groups += 1
        row.closed += group.status == Status.CLOSED
        row.counts[group.effectiveness] += 1
        if group.evidence_list:
            summary.outcomes.append(
                GroupOutcome(
                    group,
                    [
                        EvidenceFigures(e, e.students >= district.min_group_size)
                        for e in group.evidence_list
                    ],
                )
            )
    summary.kinds = [r for r in rows.values() if r.groups]
    return summary


def evidence_figures(group: Group, evidence: list[Evidence]) -> list[EvidenceFigures]:
    minimum = group.district.min_group_size
    return [EvidenceFigures(e, e.students >= minimum) for e in evidence]


# --- the report ------------------------------------------------------------------------------


@dataclass
class StageRow:
    kind: str
    label: str
    stages: dict[str, int]
    closed: int
    meetings: int
    minutes: int

    @property
    def total(self) -> int:
        return sum(self.stages.values()) + self.closed


def stage_rows(actor: Actor, year: SchoolYear) -> list[StageRow]:
    """The year's groups (those this person follows) by kind and stage of the cycle, closed
    ones apart, with the meetings they held, in two queries."""
    qs = followed(actor, year)
    rows = {
        kind: StageRow(kind, label, {s: 0 for s in Group.Stage.values}, 0, 0, 0)
        for kind, label in Group.Kind.choices
    }
    for kind, stage, status, n in (
        qs.order_by().values_list("kind", "stage", "status").annotate(n=Count("pk"))
    ):
        if status == Status.CLOSED:
            rows[kind].closed += n
        else:
            rows[kind].stages[stage] += n
    for kind, n, minutes in (
        Meeting.objects.filter(group__in=qs)
        .order_by()
        .values_list("group__kind")
        .annotate(n=Count("pk"), m=Coalesce(Sum("minutes"), 0))
    ):
        rows[kind].meetings, rows[kind].minutes = n, minutes
    return [r for r in rows.values() if r.total or r.meetings]
