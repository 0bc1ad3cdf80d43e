"""Reads for the mentor programme, each scoped to the district and the person asking.

The cadence figures (counts, minutes, dates) are what the coordinator and the principal see
of a pair's work; the logs themselves are read only through `access.visible`, which keeps
them to the pair.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from cadre.catalog.models import Completion
from cadre.districts import access
from cadre.districts import selectors as staff_selectors
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, Role, School, SchoolYear, Staff
from cadre.funding.models import StipendAward
from cadre.mentoring import rules
from cadre.mentoring.models import (
    ExtendedSupport,
    Log,
    Match,
    Mentor,
    OnboardingChecklist,
    Training,
)
from cadre.mentoring.services import Eligibility, eligibility, trained_q

MatchStatus = Match.Status
OPEN = (MatchStatus.PROPOSED, MatchStatus.ACTIVE)
GRACE_DAYS = 14  # a pair's first fortnight is too short to judge its weekly average


def school_years(actor: Actor) -> list[SchoolYear]:
    return list(SchoolYear.objects.filter(district=actor.district))


def pick_year(actor: Actor, years: list[SchoolYear], pk: int | None) -> SchoolYear | None:
    for year in years:
        if year.pk == pk:
            return year
    today = actor.today
    return next((y for y in years if y.is_current), None) or next(
        (y for y in years if y.start_date <= today <= y.end_date), years[0] if years else None
    )


# --- who is in the programme ---------------------------------------------------------------


def people_in_reach(actor: Actor) -> QuerySet[Staff]:
    """The staff whom this person may name in the programme: the coordinator anyone in the
    district, others whom the districts rules let them see."""
    return rules.visible_people(actor)


def eligible(actor: Actor, year: SchoolYear) -> QuerySet[Staff]:
    """Active staff in the programme this year, as far as this person may see: teachers under
    the threshold, and those given extended support for the year."""
    district = actor.district
    extended = ExtendedSupport.objects.filter(school_year=year).values("staff_id")
    qs = Staff.objects.filter(district=district, is_active=True).filter(
        (staff_selectors.new_teacher_q(district) & Q(pk__in=staff_selectors.teaching_now(actor)))
        | Q(pk__in=extended)
    )
    return rules.visible_people(actor, qs)


def unknown_experience(actor: Actor) -> int | None:
    """How many staff teach now with unknown experience (no HR data yet), among the people
    this person follows in the programme: none of them is counted as a new teacher, and any
    of them may be one. For the coordinator (and district administrators) only; None for
    anyone else. The one figure the programme's pages and the API show."""
    if not rules.coordinates(actor):
        return None
    return staff_selectors.unknown_experience(actor, rules.visible_people(actor)).count()


@dataclass
class Person:
    staff: Staff
    eligibility: Eligibility
    school: School | None = None
    match: Match | None = None
    training_done: int = 0
    training_required: int = 0
    checklist: OnboardingChecklist | None = None
    overdue: bool = False  # no active mentor by the district's deadline

    @property
    def match_state(self) -> str:
        if self.match is None or self.match.status == MatchStatus.ENDED:
            return "unmatched"
        return self.match.status


def clock_start(staff: Staff, year: SchoolYear) -> date:
    """When the days to a mentor start counting: the hire date, or the year's start for
    someone hired before it."""
    return max(staff.hire_date or year.start_date, year.start_date)


def people(
    actor: Actor,
    year: SchoolYear,
    *,
    school: int | None = None,
    state: str = "",
    q: str = "",
) -> QuerySet[Staff]:
    qs = eligible(actor, year)
    if school:
        current = Assignment.objects.filter(district=actor.district).current(actor.today)
        qs = qs.filter(pk__in=current.filter(school_id=school).values("staff_id"))
    for word in q.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    year_matches = Match.objects.filter(mentee=OuterRef("pk"), school_year=year)
    if state == "unmatched":
        qs = qs.exclude(Exists(year_matches.filter(status__in=OPEN)))
    elif state in OPEN:
        qs = qs.filter(Exists(year_matches.filter(status=state)))
    elif state == "overdue":
        # Overdue once more than mentor_match_days have passed since `clock_start` (the hire
        # date, or the year's start for someone hired before it), exactly as `describe` says.
        deadline = actor.today - timedelta(days=actor.district.mentor_match_days)
        qs = qs.exclude(Exists(year_matches.filter(status=MatchStatus.ACTIVE))).filter(
            Q(hire_date__lt=deadline) | Q(hire_date__isnull=True)
        )
        if year.start_date >= deadline:
            qs = qs.none()
    return qs.select_related("district").order_by("last_name", "first_name", "id")


def describe(actor: Actor, year: SchoolYear, staff: list[Staff]) -> list[Person]:
    """The programme facts for a page of people, in a fixed number of queries."""
    ids = [s.pk for s in staff]
    extended = {
        e.staff_id: e for e in ExtendedSupport.objects.filter(school_year=year, staff_id__in=ids)
    }
    schools: dict[int, School] = {}
    teachers: set[int] = set()
    for a in (
        Assignment.objects.filter(staff_id__in=ids)
        .current(actor.today)
        .select_related("school")
        .order_by("start_date", "id")
    ):
        if a.school_id:
            schools.setdefault(a.staff_id, a.school)
        if a.role == Role.TEACHER:
            teachers.add(a.staff_id)
    matches: dict[int, Match] = {}
    for m in (
        Match.objects.filter(school_year=year, mentee_id__in=ids)
        .select_related("mentor__staff")
        .order_by("-created_at", "-id")
    ):
        best = matches.get(m.mentee_id)
        if best is None or (best.status == MatchStatus.ENDED and m.status in OPEN):
            matches[m.mentee_id] = m
    required = set(
        Training.objects.filter(kind=Training.Kind.ORIENTATION).values_list(
            "offering_id", flat=True
        )
    )
    done: dict[int, set[int]] = {}
    for staff_id, offering_id in Completion.objects.filter(
        staff_id__in=ids, offering_id__in=required
    ).values_list("staff_id", "offering_id"):
        done.setdefault(staff_id, set()).add(offering_id)
    checklists = {
        c.staff_id: c
        for c in OnboardingChecklist.objects.filter(school_year=year, staff_id__in=ids).annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__done_on__isnull=False)),
        )
    }
    deadline_days = actor.district.mentor_match_days
    rows = []
    for s in staff:
        match = matches.get(s.pk)
        active = match is not None and match.status == MatchStatus.ACTIVE
        rows.append(
            Person(
                staff=s,
                eligibility=eligibility(s, extended=extended.get(s.pk), teaches=s.pk in teachers),
                school=schools.get(s.pk),
                match=match,
                training_done=len(done.get(s.pk, ())),
                training_required=len(required),
                checklist=checklists.get(s.pk),
                overdue=not active and (actor.today - clock_start(s, year)).days > deadline_days,
            )
        )
    return rows


def person(actor: Actor, pk: int) -> Staff:
    """Someone's programme page: 404 unless this person may see them."""
    try:
        return rules.visible_people(actor).select_related("district", "user").get(pk=pk)
    except (Staff.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


# --- training ------------------------------------------------------------------------------


def trainings(actor: Actor) -> QuerySet[Training]:
    return access.visible(actor, Training).select_related("offering")


def training_progress(staff: Staff) -> list[dict[str, Any]]:
    """Each required orientation offering, and whether this person completed it."""
    required = list(
        Training.objects.filter(district=staff.district_id, kind=Training.Kind.ORIENTATION)
        .select_related("offering")
        .order_by("offering__title")
    )
    done = set(
        Completion.objects.filter(
            staff=staff, offering_id__in=[t.offering_id for t in required]
        ).values_list("offering_id", flat=True)
    )
    return [{"offering": t.offering, "done": t.offering_id in done} for t in required]


# --- mentors -------------------------------------------------------------------------------


def mentors(actor: Actor, *, available: bool | None = None, q: str = "") -> QuerySet[Mentor]:
    qs = (
        access.visible(actor, Mentor)
        .select_related("staff")
        .annotate(active=Count("matches", filter=Q(matches__status=MatchStatus.ACTIVE)))
    )
    if available is not None:
        qs = qs.filter(is_available=available, is_active=True)
    for word in q.split():
        qs = qs.filter(Q(staff__first_name__icontains=word) | Q(staff__last_name__icontains=word))
    return qs.order_by("staff__last_name", "staff__first_name", "id")


def trained_staff(actor: Actor) -> QuerySet[Staff]:
    """Active staff who completed a mentor-training offering."""
    return Staff.objects.filter(district=actor.district, is_active=True).filter(
        trained_q(Training.Kind.MENTOR)
    )


def mentor_candidates(actor: Actor) -> QuerySet[Staff]:
    """Trained, active staff who are not mentors yet."""
    return (
        Staff.objects.filter(district=actor.district, is_active=True, mentor__isnull=True)
        .filter(trained_q(Training.Kind.MENTOR))
        .order_by("last_name", "first_name", "id")
    )


def over_cap(actor: Actor) -> list[Mentor]:
    return list(mentors(actor).filter(active__gt=F("caseload_cap")))


@dataclass
class Suggestion:
    mentor: Mentor
    spare: int
    reasons: list[str]
    key: tuple


def suggestions(actor: Actor, mentee: Staff, *, limit: int = 10) -> list[Suggestion]:
    """Mentors with room, ranked by same school, then subject, then grade band, then the
    most spare caseload."""
    candidates = list(
        Mentor.objects.filter(
            district=actor.district, is_active=True, is_available=True, staff__is_active=True
        )
        .exclude(staff=mentee)
        .select_related("staff")
        .annotate(active=Count("matches", filter=Q(matches__status=MatchStatus.ACTIVE)))
        .filter(active__lt=F("caseload_cap"))
    )
    ids = [m.staff_id for m in candidates] + [mentee.pk]
    schools: dict[int, set[int]] = {}
    for staff_id, school_id in (
        Assignment.objects.filter(staff_id__in=ids, school__isnull=False)
        .current(actor.today)
        .values_list("staff_id", "school_id")
    ):
        schools.setdefault(staff_id, set()).add(school_id)
    mine = schools.get(mentee.pk, set())
    subjects = {s.lower() for s in mentee.subjects}
    bands = set(mentee.grade_bands)
    ranked = []
    for m in candidates:
        same_school = bool(mine & schools.get(m.staff_id, set()))
        shared_subjects = sorted({s for s in m.staff.subjects if s.lower() in subjects})
        shared_bands = sorted(bands & set(m.staff.grade_bands))
        spare = m.caseload_cap - m.active
        reasons = []
        if same_school:
            reasons.append("same school")
        if shared_subjects:
            reasons.append("same subject: " + ", ".join(shared_subjects))
        if shared_bands:
            reasons.append("same grade band: " + ", ".join(shared_bands))
        reasons.append(f"{spare} of {m.caseload_cap} places free")
        key = (same_school, bool(shared_subjects), bool(shared_bands), spare)
        ranked.append(Suggestion(m, spare, reasons, key))
    ranked.sort(key=lambda s: (s.key, -s.mentor.pk), reverse=True)
    return ranked[:limit]


# --- matches and cadence -------------------------------------------------------------------


def matches(
    actor: Actor,
    *,
    year: SchoolYear | None = None,
    status: str = "",
    school: int | None = None,
    mentor: int | None = None,
) -> QuerySet[Match]:
    qs = access.visible(actor, Match).select_related(
        "mentor__staff", "mentee", "school", "school_year", "source"
    )
    if year is not None:
        qs = qs.filter(school_year=year)
    if status:
        qs = qs.filter(status=status)
    if school:
        qs = qs.filter(school_id=school)
    if mentor:
        qs = qs.filter(mentor_id=mentor)
    return qs


def match_detail(actor: Actor, pk: int) -> Match:
    return access.get_visible_or_404(
        actor,
        Match.objects.select_related(
            "mentor__staff", "mentee", "school", "school_year", "source", "district"
        ),
        pk=pk,
    )


@dataclass
class Cadence:
    """What anyone following a pair sees of its work: counts, minutes and dates only."""

    count: int
    minutes: int
    last_met_on: date | None
    weeks: Decimal
    target: int
    judged: bool

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def weekly_minutes(self) -> int:
        return int(Decimal(self.minutes) / self.weeks) if self.weeks else 0

    @property
    def behind(self) -> bool:
        return self.judged and self.weekly_minutes < self.target


def cadence(district, match_list: list[Match], today: date) -> dict[int, Cadence]:
    """Each match's logged contacts against the district's weekly target, in one query."""
    ids = [m.pk for m in match_list]
    totals = {
        row["match_id"]: row
        for row in Log.objects.filter(match_id__in=ids)
        .values("match_id")
        .annotate(count=Count("pk"), minutes=Sum("minutes"), last=Max("met_on"))
    }
    result = {}
    for m in match_list:
        row = totals.get(m.pk, {})
        if m.started_on:
            end = min(m.ended_on or today, today, m.school_year.end_date)
            days = max((end - m.started_on).days + 1, 1)
        else:
            days = 0
        result[m.pk] = Cadence(
            count=row.get("count", 0),
            minutes=row.get("minutes") or 0,
            last_met_on=row.get("last"),
            weeks=max(Decimal(days) / 7, Decimal(1)),
            target=district.mentor_weekly_minutes,
            judged=m.status == MatchStatus.ACTIVE and days >= GRACE_DAYS,
        )
    return result


def with_cadence(actor: Actor, match_list: list[Match]) -> list[tuple[Match, Cadence]]:
    figures = cadence(actor.district, match_list, actor.today)
    return [(m, figures[m.pk]) for m in match_list]


def logs(actor: Actor, match: Match) -> QuerySet[Log]:
    """The pair's logs; for anyone else, nothing (they see `cadence`)."""
    return (
        access.visible(actor, Log)
        .filter(match=match)
        .select_related("logged_by")
        .prefetch_related("logged_by__staff_records")
    )


def log_detail(actor: Actor, pk: int) -> Log:
    return access.get_visible_or_404(
        actor,
        Log.objects.select_related("match__mentor__staff", "match__mentee", "match__district"),
        pk=pk,
    )


def stipends(match: Match) -> QuerySet[StipendAward]:
    return StipendAward.objects.filter(
        evidence_type__app_label="mentoring", evidence_type__model="match", evidence_id=match.pk
    ).select_related("schedule", "staff", "budget__source")


# --- alerts --------------------------------------------------------------------------------


@dataclass
class Alerts:
    overdue: int
    over_cap: list[Mentor]
    behind: list[tuple[Match, Cadence]]

    @property
    def any(self) -> bool:
        return bool(self.overdue or self.over_cap or self.behind)


def alerts(actor: Actor, year: SchoolYear) -> Alerts:
    """New teachers without an active mentor past the deadline, mentors over their cap, and
    active pairs behind the weekly target: for the coordinator, or a principal's school."""
    active = list(matches(actor, year=year, status=MatchStatus.ACTIVE))
    if not rules.coordinates(actor):
        active = [m for m in active if m.school_id in actor.led_school_ids]
    behind = [(m, c) for m, c in with_cadence(actor, active) if c.behind]
    return Alerts(
        overdue=people(actor, year, state="overdue").count(),
        over_cap=over_cap(actor) if rules.coordinates(actor) else [],
        behind=behind,
    )


# --- onboarding ----------------------------------------------------------------------------


def checklist_detail(actor: Actor, pk: int) -> OnboardingChecklist:
    return access.get_visible_or_404(
        actor,
        OnboardingChecklist.objects.select_related(
            "staff", "school", "school_year"
        ).prefetch_related(Prefetch("tasks", to_attr="task_list")),
        pk=pk,
    )


def checklists(actor: Actor, *, year: SchoolYear | None = None) -> QuerySet[OnboardingChecklist]:
    qs = (
        access.visible(actor, OnboardingChecklist)
        .select_related("staff", "school", "school_year")
        .annotate(
            tasks_total=Count("tasks"),
            tasks_done=Count("tasks", filter=Q(tasks__done_on__isnull=False)),
        )
    )
    return qs.filter(school_year=year) if year is not None else qs


# --- the staff API's eligibility (plugged into cadre.districts.serializers) -------------------


def current_support_q(today: date) -> Q:
    """Extended support for the district's current school year (or, with none marked current,
    the year that covers today), as one filter: the staff list prefetches it in one query."""
    marked = SchoolYear.objects.filter(district=OuterRef("district"), is_current=True)
    return Q(school_year__is_current=True) | (
        Q(school_year__start_date__lte=today, school_year__end_date__gte=today) & ~Exists(marked)
    )


def with_current_support(qs: QuerySet, today: date) -> QuerySet:
    support = ExtendedSupport.objects.filter(current_support_q(today))
    return qs.prefetch_related(
        Prefetch("extended_support", support, to_attr="current_extended_support")
    )


def staff_eligibility(staff: Staff) -> dict:
    extended = getattr(staff, "current_extended_support", None)
    if extended is None:  # not prefetched (see with_current_support): ask for this one
        current = current_support_q(staff.district.today())
        extended = list(ExtendedSupport.objects.filter(current, staff=staff)[:1])
    assignments = getattr(staff, "current_assignments", None)
    found = eligibility(
        staff,
        extended=extended[0] if extended else None,
        teaches=None if assignments is None else any(a.role == Role.TEACHER for a in assignments),
    )
    return {"kind": found.kind, "label": found.label, "reason": found.reason}
