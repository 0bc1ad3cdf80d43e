"""Reads for coaching and observation, each scoped to the district and the person asking.

Content (cycles, observations, ratings, marks, visits) is read only through `access.visible`,
which keeps it to the pair. Leaders read `overview` (counts and dates) and `implementation`
(rates aggregated from walkthroughs, suppressed below three teachers) instead.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth

from cadre.catalog.models import Offering
from cadre.coaching import rules
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
from cadre.districts.models import Assignment, Role, School, SchoolYear, Staff
from cadre.mentoring.models import Match

Stage = Cycle.Stage
Kind = Observation.Kind
Status = Observation.Status
SEEN_BY_TEACHER = (Status.SHARED, Status.ACKNOWLEDGED)
MIN_TEACHERS = 3  # an aggregate of fewer teachers describes those teachers


def school_years(actor: Actor) -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(district=actor.district))


def pick_year(actor: Actor, years: list[SchoolYear], pk: int | None) -> SchoolYear | None:
    """The year asked for, else the current one, else the one covering today."""
    for year in years:
        if year.pk == pk:
            return year
    today = actor.today
    return next((y for y in years if y.is_current), None) or next(
        (y for y in years if y.start_date <= today <= y.end_date), years[0] if years else None
    )


# --- cycles --------------------------------------------------------------------------------

CYCLE_RELATED = ("coach", "teacher", "school", "school_year", "professional_goal", "offering")


def cycles(
    actor: Actor,
    *,
    year: SchoolYear | None = None,
    role: str = "",
    stage: str = "",
    open_only: bool = False,
) -> QuerySet[Cycle]:
    """My cycles, as coach or teacher (`role` "coach" or "teacher" for one side)."""
    qs = access.visible(actor, Cycle).select_related(*CYCLE_RELATED)
    if role == "coach":
        qs = qs.filter(coach=actor.staff)
    elif role == "teacher":
        qs = qs.filter(teacher=actor.staff)
    if year is not None:
        qs = qs.filter(school_year=year)
    if stage:
        qs = qs.filter(stage=stage)
    if open_only:
        qs = qs.exclude(stage=Stage.CLOSED)
    return qs.annotate(observation_count=Count("observations")).order_by("-started_on", "-id")


def cycle_detail(actor: Actor, pk) -> Cycle:
    return access.get_visible_or_404(
        actor, Cycle.objects.select_related(*CYCLE_RELATED, "district"), pk=pk
    )


def cycle_observations(actor: Actor, cycle: Cycle) -> list[Observation]:
    """The cycle's observations this person sees: all for the coach, the shared ones for the
    teacher."""
    return list(
        access.visible(actor, Observation).filter(cycle=cycle).select_related("observer", "rubric")
    )


# --- observations --------------------------------------------------------------------------

OBSERVATION_RELATED = (
    "observer",
    "teacher",
    "school",
    "school_year",
    "cycle",
    "rubric",
    "look_for",
    "offering",
)


def observations(
    actor: Actor,
    *,
    side: str = "",
    kind: str = "",
    status: str = "",
    year: SchoolYear | None = None,
) -> QuerySet[Observation]:
    """Observations I made (`side` "made") or of me ("of_me"; shared ones only), or both.
    Those waiting for my acknowledgement come first, then the newest."""
    me = actor.staff.pk
    qs = access.visible(actor, Observation).select_related(*OBSERVATION_RELATED)
    if side == "made":
        qs = qs.filter(observer_id=me)
    elif side == "of_me":
        qs = qs.filter(teacher_id=me)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(school_year=year)
    return qs.annotate(
        waiting=Case(
            When(teacher_id=me, status=Status.SHARED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("waiting", "-observed_on", "-id")


def awaiting_acknowledgement(actor: Actor) -> QuerySet[Observation]:
    return observations(actor, side="of_me", status=Status.SHARED)


def observation_detail(actor: Actor, pk) -> Observation:
    return access.get_visible_or_404(
        actor,
        Observation.objects.select_related(
            *OBSERVATION_RELATED, "district", "cycle__coach", "visit"
        ),
        pk=pk,
    )


@dataclass
class SheetComponent:
    component: Component
    levels: list[Level]
    rating: Rating | None

    @property
    def level(self) -> int | None:
        return self.rating.level if self.rating else None

    @property
    def chosen(self) -> Level | None:
        return next((lv for lv in self.levels if lv.level == self.level), None)


@dataclass
class SheetDomain:
    domain: Domain
    components: list[SheetComponent]


@dataclass
class SheetItem:
    item: LookForItem
    mark: Mark | None

    @property
    def seen(self) -> bool | None:
        return self.mark.seen if self.mark else None


@dataclass
class Sheet:
    """An observation's rubric and look-for, with what it rated and marked: the tablet form
    and the read page draw from it."""

    domains: list[SheetDomain]
    items: list[SheetItem]

    @property
    def marked(self) -> int:
        return sum(1 for i in self.items if i.mark is not None and i.item.is_active)

    @property
    def to_mark(self) -> int:
        return sum(1 for i in self.items if i.item.is_active)

    @property
    def seen(self) -> int:
        return sum(1 for i in self.items if i.seen)

    @property
    def components(self) -> list[SheetComponent]:
        return [c for d in self.domains for c in d.components]


def sheet(observation: Observation) -> Sheet:
    """The rubric (domains → components → levels) and the look-for items of an observation,
    with its ratings and marks, in four queries at most."""
    ratings = {r.component_id: r for r in Rating.objects.filter(observation=observation)}
    marks = {m.item_id: m for m in Mark.objects.filter(observation=observation)}
    domains = []
    if observation.rubric_id:
        found = Domain.objects.filter(rubric_id=observation.rubric_id).prefetch_related(
            Prefetch(
                "components",
                queryset=Component.objects.order_by("code", "id").prefetch_related("levels"),
            )
        )
        domains = [
            SheetDomain(
                d,
                [
                    SheetComponent(c, list(c.levels.all()), ratings.get(c.pk))
                    for c in d.components.all()
                ],
            )
            for d in found
        ]
    items = []
    if observation.look_for_id:
        items = [
            SheetItem(i, marks.get(i.pk))
            for i in LookForItem.objects.filter(look_for_id=observation.look_for_id)
            if i.is_active or i.pk in marks
        ]
    return Sheet(domains, items)


# --- peer visits ---------------------------------------------------------------------------


def visits(actor: Actor, *, side: str = "", status: str = "") -> QuerySet[Visit]:
    """Visits I asked for (`side` "asked") or host ("hosted"), or both."""
    qs = access.visible(actor, Visit).select_related("visitor", "host", "observation")
    if side == "asked":
        qs = qs.filter(visitor=actor.staff)
    elif side == "hosted":
        qs = qs.filter(host=actor.staff)
    if status:
        qs = qs.filter(status=status)
    return qs


def visit_detail(actor: Actor, pk) -> Visit:
    return access.get_visible_or_404(
        actor, Visit.objects.select_related("visitor", "host", "observation", "district"), pk=pk
    )


def colleagues(actor: Actor) -> QuerySet[Staff]:
    """Whom one may ask to visit: the district's active staff, colleagues at my schools first."""
    mine = Assignment.objects.filter(district=actor.district, school_id__in=actor.school_ids)
    return (
        Staff.objects.filter(district=actor.district, is_active=True)
        .exclude(pk=actor.staff.pk)
        .annotate(
            near=Case(
                When(pk__in=mine.current(actor.today).values("staff_id"), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("near", "last_name", "first_name", "id")
    )


# --- rubrics and look-fors -----------------------------------------------------------------


def _rubric_tree() -> Prefetch:
    return Prefetch(
        "domains",
        queryset=Domain.objects.order_by("number", "id").prefetch_related(
            Prefetch(
                "components",
                queryset=Component.objects.order_by("code", "id").prefetch_related("levels"),
            )
        ),
    )


def rubrics(actor: Actor, *, active: bool | None = None, tree: bool = False) -> QuerySet[Rubric]:
    """The district's rubrics; with `tree`, their domains, components and levels prefetched
    (four queries in all)."""
    qs = access.visible(actor, Rubric).annotate(
        component_count=Count("domains__components", distinct=True)
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    qs = qs.order_by("name", "id")
    return qs.prefetch_related(_rubric_tree()) if tree else qs


def rubric_detail(actor: Actor, pk) -> Rubric:
    return access.get_visible_or_404(
        actor, Rubric.objects.select_related("district").prefetch_related(_rubric_tree()), pk=pk
    )


def look_fors(
    actor: Actor, *, active: bool | None = None, offering: int | None = None, q: str = ""
) -> QuerySet[LookFor]:
    qs = (
        access.visible(actor, LookFor)
        .select_related("offering")
        .prefetch_related(Prefetch("items", queryset=LookForItem.objects.filter(is_active=True)))
    )
    if active is not None:
        qs = qs.filter(is_active=active)
    if offering:
        qs = qs.filter(offering_id=offering)
    for word in q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(strategy__icontains=word))
    return qs


def look_for_detail(actor: Actor, pk) -> LookFor:
    return access.get_visible_or_404(
        actor,
        LookFor.objects.select_related("offering", "district").prefetch_related(
            Prefetch(
                "items",
                queryset=LookForItem.objects.annotate(mark_count=Count("marks")),
                to_attr="item_list",
            )
        ),
        pk=pk,
    )


# --- where an observation can start ---------------------------------------------------------


@dataclass
class Starts:
    """The places an observation starts from, for this person."""

    cycles: list[Cycle]
    visits: list[Visit]
    matches: list[Match]
    walkthrough: bool


def starts(actor: Actor) -> Starts:
    me = actor.staff
    return Starts(
        cycles=list(
            cycles(actor, role="coach", open_only=True).order_by("teacher__last_name", "id")
        ),
        visits=list(visits(actor, side="asked", status=Visit.Status.ACCEPTED)),
        matches=list(
            Match.objects.filter(
                district=actor.district, mentor__staff=me, status=Match.Status.ACTIVE
            ).select_related("mentee")
        ),
        walkthrough=access.can(actor, "walkthrough", Observation),
    )


def walkthrough_teachers(actor: Actor, school: int | None = None) -> QuerySet[Staff]:
    """Whom this person may walk through: current staff of the schools they lead; for
    coaches, program directors and administrators, the district's (optionally one school's)."""
    current = Assignment.objects.filter(district=actor.district, school__isnull=False).current(
        actor.today
    )
    wide = (
        actor.is_district_admin
        or actor.is_program_director
        or Role.INSTRUCTIONAL_COACH in actor.roles
    )
    if not wide:
        current = current.filter(school_id__in=actor.led_school_ids)
    if school:
        current = current.filter(school_id=school)
    return (
        Staff.objects.filter(district=actor.district, is_active=True)
        .filter(pk__in=current.values("staff_id"))
        .exclude(pk=actor.staff.pk)
        .order_by("last_name", "first_name", "id")
    )


# --- the overview: counts and dates ---------------------------------------------------------

KINDS = list(Kind.choices)


@dataclass
class OverviewRow:
    """What a leader sees of coaching at a school or by a coach: counts and dates only."""

    key: int | None
    label: str
    open_cycles: int = 0
    closed_cycles: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    last_activity: date | None = None

    @property
    def by_kind(self) -> list[int]:
        return [self.kinds.get(k, 0) for k, _ in KINDS]

    @property
    def observations(self) -> int:
        return sum(self.kinds.values())

    def seen(self, on: date | None) -> None:
        if on and (self.last_activity is None or on > self.last_activity):
            self.last_activity = on


@dataclass
class Overview:
    year: SchoolYear
    schools: list[OverviewRow]
    coaches: list[OverviewRow]
    total: OverviewRow
    kinds: list[tuple[str, str]] = field(default_factory=lambda: KINDS)


def _scopes(actor: Actor) -> tuple[Q, Q]:
    """The cycles and observations whose counts this person follows: the district's for
    administrators and program directors; their schools' for school leaders; their own for
    coaches."""
    if actor.is_district_admin or actor.is_program_director:
        return Q(), Q()
    cycles_q, observations_q = Q(pk__in=[]), Q(pk__in=[])
    if actor.led_school_ids:
        cycles_q |= Q(school_id__in=actor.led_school_ids)
        observations_q |= Q(school_id__in=actor.led_school_ids)
    if rules.is_coach(actor):
        cycles_q |= Q(coach_id=actor.staff.pk)
        observations_q |= Q(observer_id=actor.staff.pk)
    return cycles_q, observations_q


def overview(actor: Actor, year: SchoolYear, school: int | None = None) -> Overview:
    """Open and closed cycles, shared observations by kind and the last activity date, per
    school and per coach, in six queries. No goals, notes, stages beyond open or closed, or
    anything else that was said."""
    cycles_q, observations_q = _scopes(actor)
    cycle_qs = Cycle.objects.filter(district=actor.district, school_year=year).filter(cycles_q)
    obs_qs = Observation.objects.filter(
        district=actor.district, school_year=year, status__in=SEEN_BY_TEACHER
    ).filter(observations_q)
    if school:
        cycle_qs = cycle_qs.filter(school_id=school)
        obs_qs = obs_qs.filter(school_id=school)
    counts = {
        "open_cycles": Count("pk", filter=~Q(stage=Stage.CLOSED)),
        "closed_cycles": Count("pk", filter=Q(stage=Stage.CLOSED)),
        "last_start": Max("started_on"),
        "last_close": Max("closed_on"),
    }
    schools: dict[int | None, OverviewRow] = {}
    coaches: dict[int, OverviewRow] = {}
    total = OverviewRow(None, "All")

    def add_cycles(row: OverviewRow, found: dict) -> None:
        row.open_cycles += found["open_cycles"]
        row.closed_cycles += found["closed_cycles"]
        row.seen(found["last_start"])
        row.seen(found["last_close"])

    def add_observations(row: OverviewRow, found: dict) -> None:
        row.kinds[found["kind"]] = row.kinds.get(found["kind"], 0) + found["n"]
        row.seen(found["last"])

    for found in cycle_qs.order_by().values("school_id").annotate(**counts):
        key = found["school_id"]
        add_cycles(schools.setdefault(key, OverviewRow(key, "")), found)
        add_cycles(total, found)
    for found in (
        obs_qs.order_by()
        .values("school_id", "kind")
        .annotate(n=Count("pk"), last=Max("observed_on"))
    ):
        key = found["school_id"]
        add_observations(schools.setdefault(key, OverviewRow(key, "")), found)
        add_observations(total, found)
    for found in cycle_qs.order_by().values("coach_id").annotate(**counts):
        key = found["coach_id"]
        add_cycles(coaches.setdefault(key, OverviewRow(key, "")), found)
    coach_staff = Assignment.objects.filter(
        district=actor.district, role=Role.INSTRUCTIONAL_COACH
    ).current(actor.today)
    for found in (
        obs_qs.filter(
            Q(observer_id__in=coach_staff.values("staff_id"))
            | Q(observer_id__in=cycle_qs.values("coach_id"))
        )
        .order_by()
        .values("observer_id", "kind")
        .annotate(n=Count("pk"), last=Max("observed_on"))
    ):
        key = found["observer_id"]
        add_observations(coaches.setdefault(key, OverviewRow(key, "")), found)
    names = dict(School.objects.filter(pk__in=[k for k in schools if k]).values_list("pk", "name"))
    for key, row in schools.items():
        row.label = names.get(key, "No school") if key else "No school"
    for person in Staff.objects.filter(pk__in=list(coaches)).only("first_name", "last_name"):
        coaches[person.pk].label = person.full_name
    return Overview(
        year=year,
        schools=sorted(schools.values(), key=lambda r: (r.key is None, r.label)),
        coaches=sorted(coaches.values(), key=lambda r: r.label),
        total=total,
    )


def overview_schools(actor: Actor) -> QuerySet[School]:
    """The schools a follower may filter the overview by."""
    return access.units(actor, every=actor.is_district_admin or actor.is_program_director).schools


# --- implementation rates (Guskey level 4) --------------------------------------------------

BY = [("offering", "Offering"), ("school", "School"), ("strategy", "Strategy")]
_BY_KEY = {
    "offering": "observation__offering_id",
    "school": "observation__school_id",
    "strategy": "observation__look_for__strategy",
}


@dataclass
class Cell:
    """Look-for items seen of those marked, over shared walkthroughs."""

    seen: int = 0
    marked: int = 0
    walkthroughs: int = 0
    teachers: int = 0

    @property
    def empty(self) -> bool:
        return self.walkthroughs == 0

    @property
    def suppressed(self) -> bool:
        return not self.empty and self.teachers < MIN_TEACHERS

    @property
    def rate(self) -> Decimal | None:
        """The percentage seen, to one decimal; None when empty or suppressed."""
        if self.empty or self.suppressed or not self.marked:
            return None
        return (Decimal(100 * self.seen) / self.marked).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


@dataclass
class ImplementationRow:
    key: object
    label: str
    months: list[Cell]
    total: Cell


@dataclass
class Implementation:
    year: SchoolYear
    by: str
    months: list[date]
    rows: list[ImplementationRow]
    total: Cell
    min_teachers: int = MIN_TEACHERS

    @property
    def by_label(self) -> str:
        return dict(BY)[self.by]


def _months(year: SchoolYear) -> list[date]:
    months, on = [], year.start_date.replace(day=1)
    while on <= year.end_date:
        months.append(on)
        on = (
            on.replace(year=on.year + 1, month=1)
            if on.month == 12
            else on.replace(month=on.month + 1)
        )
    return months


def _cell(found: dict) -> Cell:
    return Cell(found["seen"], found["marked"], found["walkthroughs"], found["teachers"])


def walkthrough_marks(actor: Actor, year: SchoolYear, school: int | None = None) -> QuerySet[Mark]:
    """Marks of shared or acknowledged walkthroughs in the year that this person may count:
    the district's for administrators and program directors, their schools' for school
    leaders, none for anyone else."""
    qs = Mark.objects.filter(
        district=actor.district,
        observation__kind=Kind.WALKTHROUGH,
        observation__status__in=SEEN_BY_TEACHER,
        observation__school_year=year,
    )
    if not (actor.is_district_admin or actor.is_program_director):
        qs = qs.filter(observation__school_id__in=actor.led_school_ids)
    if school:
        qs = qs.filter(observation__school_id=school)
    return qs


def implementation(
    actor: Actor, year: SchoolYear, by: str = "offering", school: int | None = None
) -> Implementation:
    """The implementation rate (items seen / items marked) per offering, school or strategy
    and per month of the school year, with walkthrough and distinct-teacher counts, in four
    queries. Cells of fewer than three distinct teachers are suppressed by the pages."""
    if by not in _BY_KEY:
        by = "offering"
    key = _BY_KEY[by]
    figures = {
        "seen": Count("pk", filter=Q(seen=True)),
        "marked": Count("pk"),
        "walkthroughs": Count("observation_id", distinct=True),
        "teachers": Count("observation__teacher_id", distinct=True),
    }
    marks = walkthrough_marks(actor, year, school).order_by()
    months = _months(year)
    index = {m: i for i, m in enumerate(months)}
    rows: dict[object, ImplementationRow] = {}
    for found in marks.values(key).annotate(**figures):
        rows[found[key]] = ImplementationRow(found[key], "", [Cell() for _ in months], _cell(found))
    for found in (
        marks.annotate(month=TruncMonth("observation__observed_on"))
        .values(key, "month")
        .annotate(**figures)
    ):
        month = found["month"]
        month = month.date() if hasattr(month, "date") else month
        if month in index and found[key] in rows:
            rows[found[key]].months[index[month]] = _cell(found)
    total = marks.aggregate(**figures)
    if by == "offering":
        names = dict(
            Offering.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "title")
        )
        missing = "No offering"
    elif by == "school":
        names = dict(School.objects.filter(pk__in=[k for k in rows if k]).values_list("pk", "name"))
        missing = "No school"
    else:
        names, missing = {k: k for k in rows}, "No strategy"
    for k, row in rows.items():
        row.label = names.get(k) or missing
    return Implementation(
        year=year,
        by=by,
        months=months,
        rows=sorted(rows.values(), key=lambda r: (r.key is None, str(r.label).lower())),
        total=Cell(
            total["seen"] or 0,
            total["marked"] or 0,
            total["walkthroughs"] or 0,
            total["teachers"] or 0,
        ),
    )


# --- what a person must act on ----------------------------------------------------------------


@dataclass
class ToDo:
    cycles: list[Cycle]
    to_acknowledge: list[Observation]
    drafts: list[Observation]
    to_answer: list[Visit]
    upcoming: list[Visit]
    to_reflect: list[Cycle] = field(default_factory=list)  # mine, at reflection, unwritten

    @property
    def any(self) -> bool:
        return bool(
            self.cycles or self.to_acknowledge or self.drafts or self.to_answer or self.upcoming
        )


def to_do(actor: Actor, *, limit: int = 20) -> ToDo:
    """Open cycles as coach or teacher (and those of mine waiting for my reflection),
    observations waiting for my acknowledgement, my drafts, visit requests to answer and
    accepted visits to make: three queries."""
    me = actor.staff.pk
    found = list(
        access.visible(actor, Observation)
        .filter(Q(observer_id=me, status=Status.DRAFT) | Q(teacher_id=me, status=Status.SHARED))
        .select_related("observer", "teacher")
        .order_by("-observed_on", "-id")[: limit * 2]
    )
    visit_list = list(
        access.visible(actor, Visit)
        .filter(
            Q(host_id=me, status=Visit.Status.REQUESTED)
            | Q(visitor_id=me, status=Visit.Status.ACCEPTED)
        )
        .select_related("visitor", "host")
        .order_by("on", "id")[: limit * 2]
    )
    cycles = list(
        access.visible(actor, Cycle)
        .exclude(stage=Stage.CLOSED)
        .select_related("coach", "teacher")[:limit]
    )
    return ToDo(
        cycles=cycles,
        to_reflect=[
            c
            for c in cycles
            if c.teacher_id == me and c.stage == Stage.REFLECTION and not c.reflection.strip()
        ],
        to_acknowledge=[o for o in found if o.teacher_id == me][:limit],
        drafts=[o for o in found if o.observer_id == me][:limit],
        to_answer=[v for v in visit_list if v.host_id == me][:limit],
        upcoming=[v for v in visit_list if v.visitor_id == me][:limit],
    )
