"""Reads for focus areas, partners, offerings, sessions and meetings: the catalogue and its
filters, and "Recommended for you". Every read starts from `access.visible`."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from cadre.catalog import credit
from cadre.catalog.models import (
    Category,
    FocusArea,
    Meeting,
    Offering,
    Partner,
    PartnerAgreement,
    Registration,
    Session,
)
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Role, SchoolYear, Staff
from cadre.funding.models import FundingSource, Use
from cadre.planning.models import Goal, StrategicPlan

PROVIDER_DISTRICT = "district"
CREDIT_CHOICES = [
    ("clock", "Earns clock hours"),
    ("university", "University credit"),
    ("equity", "Equity hours"),
]


# --- focus areas and partners ----------------------------------------------------------------


def focus_area_list(actor: Actor, *, active: bool | None = None) -> QuerySet:
    qs = (
        access.visible(actor, FocusArea)
        .annotate(offering_count=Count("offerings"))
        .order_by("name", "id")
    )
    return qs if active is None else qs.filter(is_active=active)


def partner_list(actor: Actor, *, q: str = "", kind: str = "", active: bool | None = None):
    qs = access.visible(actor, Partner).annotate(
        offering_count=Count(
            "offerings",
            filter=Q(offerings__in=access.visible(actor, Offering).values("pk")),
        )
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.order_by("name", "id")


def partner_detail(actor: Actor, pk) -> Partner:
    return access.get_visible_or_404(
        actor, access.visible(actor, Partner).prefetch_related("contacts"), pk=pk
    )


def partner_agreements(actor: Actor, partner: Partner) -> QuerySet | None:
    """The partner's agreements, or None for those who may not see agreements at all."""
    if not access.can(actor, "list", PartnerAgreement):
        return None
    return access.visible(actor, PartnerAgreement).filter(partner=partner)


# --- offerings -------------------------------------------------------------------------------


def upcoming_q(now: datetime, prefix: str = "") -> Q:
    """Scheduled sessions not over yet (self-paced ones have no end)."""
    return Q(**{f"{prefix}status": Session.Status.SCHEDULED}) & (
        Q(**{f"{prefix}ends_at__gte": now}) | Q(**{f"{prefix}ends_at__isnull": True})
    )


def with_upcoming(qs: QuerySet, now: datetime | None = None) -> QuerySet:
    """Annotate each offering with its upcoming sessions' count and next start."""
    now = now or timezone.now()
    return qs.annotate(
        upcoming_count=Count("sessions", filter=upcoming_q(now, "sessions__"), distinct=True),
        next_start=Min(
            "sessions__starts_at",
            filter=Q(sessions__status=Session.Status.SCHEDULED, sessions__starts_at__gte=now),
        ),
    )


def _json_has(field_name: str, value: str) -> Q:
    """A JSON list field holding `value` (case-insensitive), or empty (meaning everyone).
    Works on SQLite and PostgreSQL alike: the list's JSON text holds the quoted value."""
    return Q(**{field_name: []}) | Q(**{f"{field_name}__icontains": json.dumps(value)})


def _local_start(actor: Actor, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=actor.district.tz)


@dataclass
class CatalogFilters:
    q: str = ""
    format: str = ""
    focus: int | None = None
    role: str = ""
    subject: str = ""
    grade_band: str = ""
    school: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    credit: str = ""
    provider: str = ""  # a partner's id, or "district"
    extra: dict = field(default_factory=dict)


def offering_queryset(actor: Actor) -> QuerySet:
    """Visible offerings shaped for lists: provider, owner and focus areas in one go."""
    return (
        access.visible(actor, Offering)
        .select_related("district", "partner", "school", "program")
        .prefetch_related(Prefetch("focus_areas", FocusArea.objects.order_by("name")))
    )


def filter_offerings(actor: Actor, qs: QuerySet, f: CatalogFilters) -> QuerySet:
    """The catalogue's filters, shared by the page and the API."""
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(description__icontains=f.q))
    if f.format:
        qs = qs.filter(format=f.format)
    if f.focus:
        qs = qs.filter(focus_areas=f.focus)
    if f.role:
        qs = qs.filter(_json_has("roles", f.role))
    if f.subject:
        qs = qs.filter(_json_has("subjects", f.subject))
    if f.grade_band:
        qs = qs.filter(_json_has("grade_bands", f.grade_band))
    if f.school:
        qs = qs.filter(
            Q(schools=f.school)
            | ~Exists(Offering.schools.through.objects.filter(offering_id=OuterRef("pk")))
        )
    if f.date_from or f.date_to:
        sessions = Session.objects.filter(
            offering_id=OuterRef("pk"), status=Session.Status.SCHEDULED
        )
        if f.date_from:
            sessions = sessions.filter(ends_at__gte=_local_start(actor, f.date_from))
        if f.date_to:
            sessions = sessions.filter(
                starts_at__lt=_local_start(actor, f.date_to + timedelta(days=1))
            )
        qs = qs.filter(Exists(sessions))
    if f.credit == "clock":
        least = max(actor.district.clock_hour_min_minutes, 1)
        # Uncorrelated, so it runs once: correlated, with the district's scope added, SQLite
        # walked every scheduled session of the district for each offering.
        qs = qs.filter(
            pk__in=Session.objects.filter(
                status=Session.Status.SCHEDULED, minutes__gte=least
            ).values("offering_id")
        )
    elif f.credit == "university":
        qs = qs.exclude(credit_kind="").filter(credits__gt=0)
    elif f.credit == "equity":
        qs = qs.filter(category=Category.EQUITY)
    if f.provider == PROVIDER_DISTRICT:
        qs = qs.filter(partner__isnull=True)
    elif f.provider:
        qs = qs.filter(partner_id=f.provider)
    return qs.distinct() if f.focus or f.school else qs


def catalog(actor: Actor, filters: CatalogFilters) -> QuerySet:
    """Published offerings the actor sees, filtered, with their upcoming sessions counted."""
    qs = offering_queryset(actor).filter(status=Offering.Status.PUBLISHED)
    return with_upcoming(filter_offerings(actor, qs, filters)).order_by("title", "id")


def managed_offerings(actor: Actor, *, status: str = "", q: str = "") -> QuerySet:
    """Every offering this person manages, drafts and archived ones included."""
    from cadre.catalog.rules import managed_q

    qs = offering_queryset(actor).filter(managed_q(actor))
    if not actor.is_district_admin:
        qs = qs.exclude(school__isnull=True, program__isnull=True)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return with_upcoming(qs).order_by("title", "id")


def offering_detail(actor: Actor, pk) -> Offering:
    qs = (
        access.visible(actor, Offering)
        .select_related("partner", "school", "program", "source")
        .prefetch_related(
            Prefetch("focus_areas", FocusArea.objects.order_by("name")),
            "schools",
            "programs",
            Prefetch("goals", Goal.objects.select_related("plan__school", "plan__program")),
            Prefetch("facilitators", Staff.objects.order_by("last_name", "first_name")),
        )
    )
    return access.get_visible_or_404(actor, qs, pk=pk)


def seats_held() -> Count:
    return Count(
        "registrations",
        filter=Q(registrations__status__in=Registration.HOLDS_SEAT),
        distinct=True,
    )


def session_queryset(actor: Actor) -> QuerySet:
    return (
        access.visible(actor, Session)
        .select_related("offering", "school_year")
        .prefetch_related(
            Prefetch("facilitators", Staff.objects.order_by("last_name", "first_name")),
            Prefetch("meetings", Meeting.objects.order_by("starts_at", "id")),
        )
        .annotate(seats_taken=seats_held())
    )


def offering_sessions(actor: Actor, offering: Offering) -> list[Session]:
    """The offering's sessions with their clock hours for full attendance."""
    sessions = list(session_queryset(actor).filter(offering=offering).order_by("starts_at", "id"))
    for s in sessions:
        describe_credit(actor.district, s)
    return sessions


def describe_credit(district, session: Session) -> Session:
    """Set `clock_hours` (for full attendance) and `minimum_note` on a session."""
    session.clock_hours = credit.clock_hours(
        district, session.minutes, offering_minutes=session.minutes
    )
    session.minimum_note = credit.minimum_note(district, session.minutes)
    return session


def offering_credit(district, offering: Offering, sessions: list[Session]) -> dict:
    """What the offering earns: clock hours for full attendance of a typical (the longest
    current) session, the note when too short, and university credit as hours."""
    live = [s for s in sessions if s.status != Session.Status.CANCELLED] or sessions
    minutes = max((s.minutes for s in live), default=0)
    return {
        "minutes": minutes,
        "has_sessions": bool(live),
        "clock_hours": credit.clock_hours(district, minutes, offering_minutes=minutes),
        "minimum_note": credit.minimum_note(district, minutes) if live else "",
        "minimum_minutes": district.clock_hour_min_minutes,
        "hour_minutes": district.clock_hour_minutes,
        "university_hours": credit.credit_hours(district, offering.credit_kind, offering.credits),
    }


def session_detail(actor: Actor, pk) -> Session:
    qs = (
        session_queryset(actor)
        .select_related("offering__partner", "offering__school", "offering__program")
        .prefetch_related(
            Prefetch("offering__facilitators", Staff.objects.order_by("last_name", "first_name"))
        )
    )
    return describe_credit(actor.district, access.get_visible_or_404(actor, qs, pk=pk))


def session_list(
    actor: Actor,
    *,
    offering: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str = "",
) -> QuerySet:
    qs = session_queryset(actor)
    if offering:
        qs = qs.filter(offering_id=offering)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(ends_at__gte=_local_start(actor, date_from))
    if date_to:
        qs = qs.filter(starts_at__lt=_local_start(actor, date_to + timedelta(days=1)))
    return qs


def meeting_detail(actor: Actor, pk) -> Meeting:
    qs = access.visible(actor, Meeting).select_related("session__offering", "district")
    return access.get_visible_or_404(actor, qs, pk=pk)


# --- choices on the forms --------------------------------------------------------------------


def owner_choices(actor: Actor) -> list[tuple[str, str]]:
    """Whose offering it can be: the district (admins), or a school or program one leads."""
    choices = []
    if actor.is_district_admin:
        choices.append(("district", f"The district ({actor.district})"))
    led = access.units(actor)
    choices += [(f"school:{s.pk}", s.name) for s in led.schools]
    choices += [(f"program:{p.pk}", p.name) for p in led.programs]
    return choices


def goal_choices(actor: Actor, *, school_id=None, program_id=None) -> QuerySet:
    """Published goals of the district and of the offering's owner (for a new offering,
    of any unit the actor may make it for)."""
    owners = Q(plan__level=StrategicPlan.Level.DISTRICT)
    if school_id or program_id:
        owners |= Q(plan__school_id=school_id) if school_id else Q(plan__program_id=program_id)
    else:
        owners |= Q(plan__school_id__in=actor.led_school_ids) | Q(
            plan__program_id__in=actor.directed_program_ids
        )
    return (
        access.visible(actor, Goal)
        .filter(owners, plan__status=StrategicPlan.Status.PUBLISHED)
        .select_related("plan__school", "plan__program")
        .order_by("plan__level", "code", "id")
    )


def source_choices(actor: Actor) -> QuerySet:
    """Active sources the actor sees that pay registration fees."""
    try:
        qs = access.visible(actor, FundingSource)
    except LookupError:
        return FundingSource.objects.none()
    ids = [s.pk for s in qs.filter(is_active=True) if Use.REGISTRATION in (s.allowed_uses or [])]
    return FundingSource.objects.filter(pk__in=ids).order_by("name")


def staff_choices(actor: Actor, keep=()) -> QuerySet:
    """Facilitators one may name: the active staff one sees, plus those already named."""
    seen = access.visible(actor, Staff).filter(is_active=True).values("pk")
    return Staff.objects.filter(
        Q(pk__in=seen) | Q(pk__in=[s.pk for s in keep]), district=actor.district
    ).order_by("last_name", "first_name")


def school_year_choices(actor: Actor) -> QuerySet:
    return SchoolYear.objects.filter(district=actor.district).order_by("-start_date")


# --- recommended for you ---------------------------------------------------------------------


@dataclass
class Recommendation:
    offering: Offering
    score: int
    reasons: list[str]


def _plural(role: str) -> str:
    label = Role(role).label.lower() if role in Role.values else role
    return "staff" if label == "other" else (label + "s")


def recommended(actor: Actor, limit: int = 6) -> list[Recommendation]:
    """Published offerings with an upcoming session still taking registrations, scored for
    this person: a goal their professional goals serve (+3), their role (+2), a subject they
    teach (+2), a grade band (+1), their school or program (+2). Offerings they are already
    registered for are left out, and so are those nothing points to."""
    from cadre.growth.models import ProfessionalGoal

    now = timezone.now()
    staff = actor.staff
    # Plain (uncorrelated) subqueries: run once, not once per offering. Correlated, with the
    # district's scope added, SQLite scanned every registration of the district per offering.
    open_sessions = Session.objects.filter(upcoming_q(now)).filter(
        Q(starts_at__gte=now) | Q(starts_at__isnull=True),
        Q(registration_closes__isnull=True) | Q(registration_closes__gte=now),
    )
    mine = Registration.objects.filter(staff=staff, status__in=Registration.ACTIVE)
    candidates = list(
        with_upcoming(
            access.visible(actor, Offering)
            .filter(status=Offering.Status.PUBLISHED)
            .filter(pk__in=open_sessions.values("offering_id"))
            .exclude(pk__in=mine.values("session__offering_id"))
            .select_related("district", "partner"),
            now,
        )
    )
    # Only the links that can score, as plain rows grouped in memory: prefetching every
    # candidate's goals, schools and programs built three querysets per offering (most of a
    # second for a thousand offerings).
    ids = {o.pk for o in candidates}
    Through = Offering.goals.through
    goal_ids: dict[int, list[int]] = {}
    units: dict[int, list[str]] = {}
    # The planning goals this person's goals of the current year serve, directly or one up.
    year = SchoolYear.objects.filter(district=actor.district, is_current=True).first()
    served: dict[int, str] = {}
    if year is not None:
        goals = ProfessionalGoal.objects.filter(staff=staff, school_year=year).prefetch_related(
            Prefetch(
                "aligns_to",
                Goal.objects.prefetch_related(Prefetch("aligns_to", Goal.objects.only("pk"))),
            )
        )
        for pg in goals:
            for g in pg.aligns_to.all():
                served.setdefault(g.pk, pg.title)
                for up in g.aligns_to.all():
                    served.setdefault(up.pk, pg.title)
    if served:
        for offering_id, goal_id in (
            Through.objects.filter(goal_id__in=list(served))
            .order_by("goal__plan_id", "goal__code", "goal_id")
            .values_list("offering_id", "goal_id")
        ):
            if offering_id in ids:
                goal_ids.setdefault(offering_id, []).append(goal_id)
    # The person's own school first, then their program, each by name (as the units' order).
    for through, key, mine_ids in (
        (Offering.schools.through, "school", actor.school_ids),
        (Offering.programs.through, "program", actor.program_ids),
    ):
        if not mine_ids:
            continue
        for offering_id, name in (
            through.objects.filter(**{f"{key}_id__in": list(mine_ids)})
            .order_by(f"{key}__name", f"{key}_id")
            .values_list("offering_id", f"{key}__name")
        ):
            if offering_id in ids:
                units.setdefault(offering_id, []).append(name)
    subjects = {s.strip().lower(): s.strip() for s in staff.subjects or [] if s.strip()}
    bands = {b.strip().lower() for b in staff.grade_bands or [] if b.strip()}
    roles = set(actor.roles)
    picks = []
    for offering in candidates:
        score, reasons = 0, []
        goal_titles = [served[pk] for pk in goal_ids.get(offering.pk, ())]
        if goal_titles:
            score += 3
            reasons.append(f"Serves your goal “{goal_titles[0]}”")
        role = next((r for r in offering.roles if r in roles), None)
        if role:
            score += 2
            reasons.append(f"For {_plural(role)}")
        subject = next((s for s in offering.subjects if s.strip().lower() in subjects), None)
        if subject:
            score += 2
            reasons.append(f"For teachers of {subject.strip().lower()}")
        band = next((b for b in offering.grade_bands if b.strip().lower() in bands), None)
        if band:
            score += 1
            reasons.append(f"For grades {band}")
        unit = next(iter(units.get(offering.pk, ())), None)
        if unit is not None:
            score += 2
            reasons.append(f"For {unit}")
        if score:
            picks.append(Recommendation(offering, score, reasons))
    far = datetime.max.replace(tzinfo=UTC)
    picks.sort(
        key=lambda r: (
            -r.score,
            r.offering.next_start or far,
            r.offering.title,
            r.offering.pk,
        )
    )
    return picks[:limit]
