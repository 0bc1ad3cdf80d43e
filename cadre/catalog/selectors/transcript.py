"""Reads for the transcript and external hours.

The transcript is computed, never stored. Its lines come from four places:

- completions in the catalogue, with their clock hours, category and any university credit;
- external hours, once the supervisor has approved them;
- the yearly professional growth plan: when the district credits one
  (`district.growth_plan_hours` > 0), a school year in which the person has an approved goal
  with a year-end reflection earns that many general hours, once, dated by the first
  reflection of that year;
- group meetings (PLCs, lesson study and the like), when the district credits group time
  (`district.group_hours`): each meeting the person was marked present at earns its minutes
  as clock hours by the credit rules, on its own (a meeting shorter than the district's
  minimum earns none). The collaboration app adds these lines through `register_lines`, so
  the catalogue does not import it.

A line counts for its clock hours, or for the clock-hour equivalent of its university credit
(`credit.credit_hours`) when that is more: the same learning is never counted twice.

Who sees a transcript: whoever sees the staff member (`access.visible(actor, Staff)`): the
person, their school's leaders, their program's director, and administrators. It is the
person's record, so it is shown whole, including learning done while at another school.

Progress toward renewal counts the hours dated within the last `district.renewal_years` years,
back from today: the window runs from the same calendar day `renewal_years` years ago (29
February falls back to the 28th), inclusive, to today, inclusive. Learning completed exactly
five years ago today (with the default five years) still counts; the day before does not.
Equity hours are counted against the district's figure for teachers, or for administrators
when the person currently holds a principal, assistant principal, program director or
district administrator assignment.

Every figure takes a fixed number of queries, whatever the number of lines.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cadre.catalog import credit
from cadre.catalog.models import Category, Completion, CreditKind, ExternalHours, Registration
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, District, Role, SchoolYear, Staff
from cadre.growth.models import ProfessionalGoal
from cadre.growth.selectors import decides_q

ZERO = Decimal(0)
ADMINISTRATOR_ROLES = (
    Role.PRINCIPAL,
    Role.ASSISTANT_PRINCIPAL,
    Role.PROGRAM_DIRECTOR,
    Role.DISTRICT_ADMIN,
)
CATEGORIES = list(Category.choices)


class Kind:
    CATALOGUE = "catalogue"
    EXTERNAL = "external"
    GROWTH_PLAN = "growth_plan"
    GROUP = "group"
    LABELS = {
        CATALOGUE: "Catalogue",
        EXTERNAL: "External",
        GROWTH_PLAN: "Growth plan",
        GROUP: "Group meeting",
    }


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the page belongs to another area and is not there (yet)
        return ""


@dataclass(frozen=True)
class Line:
    """One credit line of a transcript."""

    kind: str
    on: date
    school_year: SchoolYear
    title: str
    provider: str
    category: str
    clock_hours: Decimal
    credit_kind: str = ""
    credits: Decimal = ZERO
    credit_hours: Decimal = ZERO
    url: str = ""
    code: str = ""  # a completion's verification code

    @property
    def hours(self) -> Decimal:
        """What the line counts for: its clock hours or its credit's equivalent, the more."""
        return max(self.clock_hours, self.credit_hours)

    @property
    def kind_label(self) -> str:
        return Kind.LABELS[self.kind]

    @property
    def category_label(self) -> str:
        return Category(self.category).label

    @property
    def credit_label(self) -> str:
        if not self.credit_kind or not self.credits:
            return ""
        return f"{self.credits.normalize():f} {CreditKind(self.credit_kind).label.lower()}"


@dataclass
class Totals:
    """Hours by category (general, equity, STEM), and university credits by kind."""

    hours: dict[str, Decimal] = field(default_factory=lambda: {c: ZERO for c, _ in CATEGORIES})
    credits: dict[str, Decimal] = field(default_factory=dict)
    count: int = 0

    def add(self, line: Line) -> None:
        self.hours[line.category] += line.hours
        if line.credit_kind and line.credits:
            self.credits[line.credit_kind] = self.credits.get(line.credit_kind, ZERO) + line.credits
        self.count += 1

    @property
    def total(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def rows(self) -> list[tuple[str, str, Decimal]]:
        """(category, label, hours) in the state's order."""
        return [(c, label, self.hours[c]) for c, label in CATEGORIES]

    @property
    def credit_rows(self) -> list[tuple[str, Decimal]]:
        return [
            (CreditKind(kind).label, self.credits[kind])
            for kind in (CreditKind.QUARTER, CreditKind.SEMESTER)
            if kind in self.credits
        ]


@dataclass
class YearBlock:
    year: SchoolYear
    lines: list[Line] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)


def _percent(have: Decimal, need: Decimal) -> int:
    if need <= 0:
        return 100
    return int(min(Decimal(100), have * 100 / need).to_integral_value(ROUND_DOWN))


@dataclass(frozen=True)
class Renewal:
    """Hours toward certificate renewal within the district's window."""

    since: date
    until: date
    years: int
    required: Decimal
    earned: Decimal
    equity_required: Decimal
    equity_earned: Decimal
    is_administrator: bool

    @property
    def remaining(self) -> Decimal:
        return max(ZERO, self.required - self.earned)

    @property
    def equity_remaining(self) -> Decimal:
        return max(ZERO, self.equity_required - self.equity_earned)

    @property
    def percent(self) -> int:
        return _percent(self.earned, self.required)

    @property
    def equity_percent(self) -> int:
        return _percent(self.equity_earned, self.equity_required)

    @property
    def is_met(self) -> bool:
        return not self.remaining and not self.equity_remaining


@dataclass
class Transcript:
    staff: Staff
    district: District
    year: SchoolYear | None  # None: all years
    lines: list[Line]
    blocks: list[YearBlock]
    totals: Totals
    renewal: Renewal
    generated_on: date

    @property
    def period(self) -> str:
        return str(self.year) if self.year else "All years"


# --- who and which year ----------------------------------------------------------------------


def transcript_staff(actor: Actor, pk: int | None = None) -> Staff:
    """The person whose transcript is asked for: the actor, or a staff member they see (404
    for anyone else)."""
    if pk is None or pk == actor.staff.pk:
        return actor.staff
    return access.get_visible_or_404(actor, Staff, pk=pk)


def school_years(district: District) -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(district=district).order_by("-start_date"))


def pick_year(years: list[SchoolYear], wanted: int | None) -> SchoolYear | None:
    """The year asked for among the district's, else None: all years."""
    return next((y for y in years if y.pk == wanted), None)


# --- the lines -------------------------------------------------------------------------------


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _opens(actor: Actor, staff: Staff, model) -> Callable[[int], bool]:
    """Whether the viewer may open a row's page: the transcript is whole, but a row's page is
    scoped by where the person was (a former school's leader's, say). Oneself and
    administrators open all; anyone else costs one query per kind."""
    if actor.is_district_admin or actor.staff.pk == staff.pk:
        return lambda pk: True
    ids = set(access.visible(actor, model).filter(staff=staff).values_list("pk", flat=True))
    return ids.__contains__


def _completion_lines(actor: Actor, district: District, staff: Staff) -> list[Line]:
    opens = _opens(actor, staff, Registration)
    rows = (
        Completion.objects.filter(district=district, staff=staff)
        .select_related("offering__partner", "school_year")
        .order_by("completed_on", "id")
    )
    return [
        Line(
            kind=Kind.CATALOGUE,
            on=c.completed_on,
            school_year=c.school_year,
            title=c.offering.title,
            provider=c.offering.partner.name if c.offering.partner else district.name,
            category=c.category,
            clock_hours=c.clock_hours,
            credit_kind=c.credit_kind,
            credits=c.credits,
            credit_hours=credit.credit_hours(district, c.credit_kind, c.credits),
            url=_url("registration-detail", c.registration_id) if opens(c.registration_id) else "",
            code=c.code,
        )
        for c in rows
    ]


def _external_lines(actor: Actor, district: District, staff: Staff) -> list[Line]:
    opens = _opens(actor, staff, ExternalHours)
    rows = (
        ExternalHours.objects.filter(
            district=district, staff=staff, status=ExternalHours.Status.APPROVED
        )
        .select_related("school_year")
        .order_by("completed_on", "id")
    )
    return [
        Line(
            kind=Kind.EXTERNAL,
            on=e.completed_on,
            school_year=e.school_year,
            title=e.title,
            provider=e.provider,
            category=e.category,
            clock_hours=e.hours,
            url=_url("external-hours-detail", e.pk) if opens(e.pk) else "",
        )
        for e in rows
    ]


def _growth_plan_lines(actor: Actor, district: District, staff: Staff) -> list[Line]:
    hours = district.growth_plan_hours
    if not hours:
        return []
    opens = _opens(actor, staff, ProfessionalGoal)
    goals = (
        ProfessionalGoal.objects.filter(
            district=district,
            staff=staff,
            status=ProfessionalGoal.Status.APPROVED,
            reflected_at__isnull=False,
        )
        .select_related("school_year")
        .order_by("reflected_at", "id")
    )
    first: dict[int, ProfessionalGoal] = {}
    for goal in goals:  # the first reflection of each year credits it
        first.setdefault(goal.school_year_id, goal)
    return [
        Line(
            kind=Kind.GROWTH_PLAN,
            on=timezone.localtime(goal.reflected_at, district.tz).date(),
            school_year=goal.school_year,
            title=f"Professional growth plan {goal.school_year}",
            provider=district.name,
            category=Category.GENERAL,
            clock_hours=Decimal(hours),
            url=_url("professional-goal-detail", goal.pk) if opens(goal.pk) else "",
        )
        for goal in first.values()
    ]


# Other apps add kinds of line (a function of the viewer, the district and the person, giving
# a list of lines in a fixed number of queries), registered when the app is ready.
LINE_SOURCES: list[Callable[[Actor, District, Staff], list[Line]]] = []


def register_lines(source: Callable[[Actor, District, Staff], list[Line]]) -> None:
    if source not in LINE_SOURCES:
        LINE_SOURCES.append(source)


def is_administrator(staff: Staff, today: date) -> bool:
    return (
        Assignment.objects.filter(staff=staff, role__in=ADMINISTRATOR_ROLES).current(today).exists()
    )


def renewal(district: District, staff: Staff, lines: list[Line], today: date) -> Renewal:
    since = _years_ago(today, district.renewal_years)
    counted = [line for line in lines if since <= line.on <= today]
    admin = is_administrator(staff, today)
    return Renewal(
        since=since,
        until=today,
        years=district.renewal_years,
        required=Decimal(district.renewal_hours),
        earned=sum((line.hours for line in counted), ZERO),
        equity_required=Decimal(credit.renewal_equity_hours(district, is_administrator=admin)),
        equity_earned=sum(
            (line.hours for line in counted if line.category == Category.EQUITY), ZERO
        ),
        is_administrator=admin,
    )


def transcript(actor: Actor, staff: Staff, year: SchoolYear | None = None) -> Transcript:
    """A person's transcript for one school year, or all years (`year` None). The caller has
    found `staff` through `transcript_staff`, so the actor sees them."""
    district = actor.district
    if staff.district_id != district.pk:  # never another district's person
        raise Http404
    today = district.today()
    every = sorted(
        [
            *_completion_lines(actor, district, staff),
            *_external_lines(actor, district, staff),
            *_growth_plan_lines(actor, district, staff),
            *(line for source in LINE_SOURCES for line in source(actor, district, staff)),
        ],
        key=lambda line: (line.on, line.kind, line.title),
    )
    shown = [line for line in every if year is None or line.school_year.pk == year.pk]
    blocks: dict[int, YearBlock] = {}
    totals = Totals()
    for line in shown:
        block = blocks.setdefault(line.school_year.pk, YearBlock(year=line.school_year))
        block.lines.append(line)
        block.totals.add(line)
        totals.add(line)
    ordered = sorted(blocks.values(), key=lambda b: b.year.start_date, reverse=True)
    return Transcript(
        staff=staff,
        district=district,
        year=year,
        lines=[line for block in ordered for line in block.lines],
        blocks=ordered,
        totals=totals,
        renewal=renewal(district, staff, every, today),
        generated_on=today,
    )


# --- external hours --------------------------------------------------------------------------

RELATED = ("staff", "school", "program", "school_year")


def external_hours_list(
    actor: Actor, *, staff: Staff | None = None, status: str = "", year: SchoolYear | None = None
) -> QuerySet:
    qs = access.visible(actor, ExternalHours).select_related(*RELATED)
    if staff is not None:
        qs = qs.filter(staff=staff)
    if status:
        qs = qs.filter(status=status)
    if year is not None:
        qs = qs.filter(school_year=year)
    return qs


def external_hours_queue(actor: Actor) -> QuerySet:
    """Submitted hours waiting for this person's decision (never their own), oldest first."""
    return (
        access.visible(actor, ExternalHours)
        .filter(status=ExternalHours.Status.SUBMITTED)
        .filter(decides_q(actor))
        .select_related(*RELATED)
        .order_by("submitted_at", "id")
    )


def external_hours_detail(actor: Actor, pk: int) -> ExternalHours:
    return access.get_visible_or_404(
        actor,
        ExternalHours.objects.select_related(*RELATED, "decided_by").prefetch_related(
            "decided_by__staff_records"
        ),
        pk=pk,
    )


def waiting_count(actor: Actor) -> int:
    """How many entries wait for this person's decision (0 for those who decide none)."""
    if not access.can(actor, "approve", ExternalHours):
        return 0
    return external_hours_queue(actor).count()
