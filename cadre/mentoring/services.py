"""Writes for the mentor programme, one function per business action. Eligibility is derived
here too, because the services that propose a match and grant support rest on it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog.models import Completion, Offering
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import Action, diff, record_many, snapshot
from cadre.core.workflow import (
    audited_update,
    known_keys,
    lock,
    move,
    validate,
)
from cadre.districts.models import Assignment, District, Role, SchoolYear, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.funding.models import FundingSource, StipendAward, StipendRole, StipendSchedule
from cadre.funding.services import budgets, stipends
from cadre.growth.services import current_year, home_unit
from cadre.mentoring.models import (
    SUPPORT_SOURCE_KINDS,
    ExtendedSupport,
    Log,
    Match,
    Mentor,
    OnboardingChecklist,
    OnboardingItem,
    OnboardingTask,
    Training,
)

MatchStatus = Match.Status
DEFAULT_ONBOARDING = [
    "Welcome to the school",
    "Building orientation: rooms, keys, procedures and safety",
    "Introductions to colleagues, the team and support staff",
    "PLC placement",
]


# --- eligibility ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Why someone is (or is not) in the programme. `kind` is "new", "extended" or ""."""

    kind: str
    reason: str

    @property
    def eligible(self) -> bool:
        return bool(self.kind)

    @property
    def label(self) -> str:
        return {"new": "New teacher", "extended": "Extended support"}.get(self.kind, "")


def eligibility(
    staff: Staff, *, extended: ExtendedSupport | None = None, teaches: bool | None = None
) -> Eligibility:
    """New when teaching now with contracted plus substitute days under the district's
    threshold; else extended support when the district granted it for the year; else not
    eligible. Unknown experience (no HR data yet) is not zero: such a person is not a new
    teacher until their days are known. `teaches` says whether they hold a current teaching
    assignment (asked of the database when not given)."""
    threshold = staff.district.new_teacher_threshold_days
    reason = staff.experience_reason
    under = staff.is_new_teacher
    if under and (teaching(staff) if teaches is None else teaches):
        return Eligibility("new", reason)
    if extended is not None:
        return Eligibility("extended", f"{reason}; {extended.reason}")
    if under:
        return Eligibility("", f"{reason}; no current teaching assignment")
    if not staff.experience_known:
        return Eligibility("", f"{reason}, so not counted as a new teacher")
    return Eligibility("", f"{reason} (the threshold is {threshold})")


def teaching(staff: Staff) -> bool:
    return (
        Assignment.objects.filter(staff=staff, role=Role.TEACHER)
        .current(staff.district.today())
        .exists()
    )


def extended_for(staff: Staff, year: SchoolYear) -> ExtendedSupport | None:
    return ExtendedSupport.objects.filter(staff=staff, school_year=year).first()


def _check_eligible(staff: Staff, year: SchoolYear) -> Eligibility:
    found = eligibility(staff, extended=extended_for(staff, year))
    if found.eligible:
        return found
    if not staff.experience_known:
        raise DomainError(
            "mentoring.experience_unknown",
            f"{staff}'s teaching experience is unknown (no HR data yet), so they are not "
            f"counted as a new teacher, and they have no extended support for {year}. Import "
            "HR data or enter their days first, or extend support to them.",
            field="mentee",
        )
    if staff.is_new_teacher:
        raise DomainError(
            "mentoring.not_teaching",
            f"{staff} has no current teaching assignment; the programme is for teachers, or "
            "for others the district extends it to.",
            field="mentee",
        )
    raise DomainError(
        "mentoring.not_eligible",
        f"{staff} is not a new teacher ({found.reason}) and has no extended support for {year}.",
        field="mentee",
    )


def _check_support_source(source: FundingSource | None, district: District) -> None:
    if source is None:
        return
    _check_same_district(district, source)
    if source.kind not in SUPPORT_SOURCE_KINDS:
        raise DomainError(
            "mentoring.source_kind",
            f"{source} is ISD money; the programme is paid by a district fund or a grant.",
            field="source",
        )
    if not source.is_active:
        raise DomainError("mentoring.source_inactive", f"{source} is closed.", field="source")


def _year(district: District, year: SchoolYear | None) -> SchoolYear:
    if year is None:
        return current_year(district)
    _check_same_district(district, year)
    return year


@transaction.atomic
def extended_support_grant(
    *,
    district: District,
    actor,
    staff: Staff,
    reason: str,
    source: FundingSource,
    school_year: SchoolYear | None = None,
) -> ExtendedSupport:
    year = _year(district, school_year)
    _check_same_district(district, staff)
    if not reason.strip():
        raise DomainError("mentoring.reason_required", "Say why.", field="reason")
    if source is None:
        raise DomainError("mentoring.source_required", "Name the fund.", field="source")
    _check_support_source(source, district)
    if staff.is_new_teacher and teaching(staff):
        raise DomainError(
            "mentoring.already_new",
            f"{staff} is a new teacher ({staff.experience_reason}) and is already eligible.",
            field="staff",
        )
    try:
        with transaction.atomic():
            grant = ExtendedSupport.objects.create(
                district=district,
                staff=staff,
                school_year=year,
                reason=reason.strip(),
                source=source,
                granted_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(
            "mentoring.already_extended", f"{staff} already has extended support for {year}."
        ) from exc
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=grant,
        changes=diff({}, snapshot(grant, ["staff", "school_year", "reason", "source"])),
    )
    return grant


@transaction.atomic
def extended_support_revoke(*, grant: ExtendedSupport, actor, reason: str = "") -> None:
    open_match = Match.objects.filter(
        mentee=grant.staff,
        school_year=grant.school_year,
        status__in=[MatchStatus.PROPOSED, MatchStatus.ACTIVE],
    )
    if not grant.staff.is_new_teacher and open_match.exists():
        raise Conflict(
            "mentoring.match_open", "End the open match first; it rests on this support."
        )
    audit_event(
        district=grant.district,
        actor=actor,
        action=AuditEvent.Action.DELETE,
        obj=grant,
        comment=reason,
    )
    grant.delete()


# --- training ------------------------------------------------------------------------------


def trained_q(kind: str, prefix: str = "") -> Q:
    """Staff (with `prefix` leading to the staff) who completed a training of this kind."""
    offerings = Training.objects.filter(kind=kind).values("offering_id")
    return Q(
        **{
            f"{prefix}pk__in": Completion.objects.filter(offering_id__in=offerings).values(
                "staff_id"
            )
        }
    )


def is_trained(staff: Staff) -> bool:
    return (
        Staff.objects.filter(pk=staff.pk, district=staff.district_id)
        .filter(trained_q(Training.Kind.MENTOR))
        .exists()
    )


@transaction.atomic
def training_add(*, district: District, actor, offering: Offering, kind: str) -> Training:
    _check_same_district(district, offering)
    if kind not in Training.Kind.values:
        raise DomainError("training.kind", "Choose mentor training or orientation.", field="kind")
    if offering.status == Offering.Status.ARCHIVED:
        raise DomainError("training.archived", f"{offering} is archived.", field="offering")
    if Training.objects.filter(offering=offering, kind=kind).exists():
        raise Conflict("training.duplicate", f"{offering} already counts as this training.")
    training = Training.objects.create(district=district, offering=offering, kind=kind)
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=training,
        changes=diff({}, snapshot(training, ["offering", "kind"])),
    )
    return training


@transaction.atomic
def training_remove(*, training: Training, actor) -> None:
    audit_event(
        district=training.district, actor=actor, action=AuditEvent.Action.DELETE, obj=training
    )
    training.delete()


# --- mentors -------------------------------------------------------------------------------

MENTOR_FIELDS = ["caseload_cap", "is_available", "availability", "is_active"]


@transaction.atomic
def mentor_create(*, district: District, actor, staff: Staff, data: dict[str, Any]) -> Mentor:
    _check_same_district(district, staff)
    if not staff.is_active:
        raise DomainError("mentor.inactive_staff", f"{staff} is not active.", field="staff")
    if Mentor.objects.filter(staff=staff).exists():
        raise Conflict("mentor.exists", f"{staff} is already a mentor.")
    if not is_trained(staff):
        raise DomainError(
            "mentor.untrained",
            f"{staff} has not completed a mentor-training offering yet.",
            field="staff",
        )
    given = {k: v for k, v in data.items() if v is not None}  # a blank cap is the default
    data = {"caseload_cap": district.mentor_caseload, **given, "staff": staff}
    return _create(
        Mentor, district=district, actor=actor, fields=["staff", *MENTOR_FIELDS], data=data
    )


@transaction.atomic
def mentor_update(*, mentor: Mentor, actor, data: dict[str, Any]) -> Mentor:
    return audited_update(mentor, actor=actor, fields=MENTOR_FIELDS, data=data)


def caseload(mentor: Mentor) -> int:
    return Match.objects.filter(mentor=mentor, status=MatchStatus.ACTIVE).count()


# --- matches -------------------------------------------------------------------------------


@transaction.atomic
def match_propose(
    *,
    district: District,
    actor,
    mentor: Mentor,
    mentee: Staff,
    note: str = "",
    source: FundingSource | None = None,
    school_year: SchoolYear | None = None,
) -> Match:
    year = _year(district, school_year)
    _check_same_district(district, mentor, mentee)
    if not mentee.is_active:
        raise DomainError("match.inactive", f"{mentee} is not active.", field="mentee")
    _check_eligible(mentee, year)
    if not mentor.is_active or not mentor.staff.is_active:
        raise DomainError("match.mentor_inactive", f"{mentor} is not mentoring.", field="mentor")
    if mentor.staff_id == mentee.pk:
        raise DomainError("match.self", "Nobody mentors themselves.", field="mentor")
    _check_support_source(source, district)
    school, _ = home_unit(mentee, district.today())
    try:
        with transaction.atomic():
            match = Match.objects.create(
                district=district,
                mentor=mentor,
                mentee=mentee,
                school_year=year,
                school=school,
                source=source,
                note=note.strip(),
                proposed_by=actor,
            )
    except IntegrityError as exc:
        raise Conflict(
            "match.open_exists",
            f"{mentee} already has a proposed or active mentor for {year}; end it first.",
        ) from exc
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=match,
        changes=diff({}, snapshot(match, ["mentor", "mentee", "school_year", "source"])),
        to_state=match.status,
    )
    return match


@transaction.atomic
def match_confirm(
    *,
    match: Match,
    actor,
    source: FundingSource | None = None,
    started_on: date | None = None,
) -> Match:
    """Make a proposed match active. The mentor's row is locked while their caseload is
    counted, so parallel confirmations never take a mentor past the cap."""
    locked = lock(
        match,
        MatchStatus.PROPOSED,
        code="match.not_proposed",
        verb="confirm",
        # The pair name the match in the trail; the year bounds the start.
        related=("mentor__staff", "mentee", "school_year"),
    )
    mentor = Mentor.objects.select_for_update(of=("self",)).get(pk=locked.mentor_id)
    source = source or locked.source
    if source is None:
        raise DomainError(
            "match.source_required", "Name the fund that pays the stipends.", field="source"
        )
    _check_support_source(source, locked.district)
    started_on = started_on or locked.district.today()
    year = locked.school_year
    if not year.start_date <= started_on <= year.end_date:
        raise DomainError(
            "match.start_outside_year", f"The start falls outside {year}.", field="started_on"
        )
    if not mentor.is_active:
        raise Conflict("match.mentor_inactive", f"{mentor} is no longer mentoring.")
    active = Match.objects.filter(mentor=mentor, status=MatchStatus.ACTIVE).count()
    if active >= mentor.caseload_cap:
        raise Conflict(
            "match.over_cap",
            f"{mentor} already mentors {active} of a cap of {mentor.caseload_cap}.",
        )
    return move(
        locked,
        actor=actor,
        to=MatchStatus.ACTIVE,
        source=source,
        started_on=started_on,
        confirmed_by=actor,
    )


@transaction.atomic
def match_end(
    *, match: Match, actor, reason: str, note: str = "", ended_on: date | None = None
) -> Match:
    locked = lock(
        match,
        MatchStatus.PROPOSED,
        MatchStatus.ACTIVE,
        code="match.ended",
        verb="end",
        related=("mentor__staff", "mentee"),
    )
    if reason not in Match.EndReason.values:
        raise DomainError("match.end_reason", "Choose why the match ends.", field="reason")
    ended_on = ended_on or locked.district.today()
    if locked.started_on and ended_on < locked.started_on:
        raise DomainError(
            "match.end_before_start",
            f"The match started on {locked.started_on:%-d %B %Y}.",
            field="ended_on",
        )
    return move(
        locked,
        actor=actor,
        to=MatchStatus.ENDED,
        note=note.strip(),
        end_reason=reason,
        end_note=note.strip(),
        ended_on=ended_on,
    )


# --- logs ----------------------------------------------------------------------------------

LOG_FIELDS = ["met_on", "minutes", "kind", "focus", "next_steps"]


def _check_log_date(match: Match, met_on: date | None) -> None:
    if met_on is None:
        return
    today = match.district.today()
    if met_on > today:
        raise DomainError("log.future", "A contact is logged once it has happened.", field="met_on")
    if match.started_on and met_on < match.started_on:
        raise DomainError(
            "log.before_start",
            f"The match started on {match.started_on:%-d %B %Y}.",
            field="met_on",
        )
    if match.ended_on and met_on > match.ended_on:
        raise DomainError(
            "log.after_end", f"The match ended on {match.ended_on:%-d %B %Y}.", field="met_on"
        )


# The audit trail records that a log was written or changed, and its date, minutes and type,
# never what was said: the audit log is read by administrators, and the content is the pair's.
LOG_AUDITED = ["match", "met_on", "minutes", "kind"]


LOG_TEXT = ["focus", "next_steps", "reflection"]


def log_create(*, match: Match, actor, data: dict[str, Any]) -> Log:
    return log_create_many(match=match, actor=actor, rows=[data])[0]


@transaction.atomic
def log_create_many(*, match: Match, actor, rows: list[dict[str, Any]]) -> list[Log]:
    """The pair's contacts, logged together: all of them, or none when one may not be (the
    refusal is the one logging it alone gets). One query reads the match, one writes the
    logs, one their audit events."""
    if not rows:
        return []
    # The pair come with the match: the trail names it ("<mentor> mentoring <mentee>").
    locked = Match.objects.select_related("district", "mentor__staff", "mentee").get(pk=match.pk)
    # A proposal ended before anyone confirmed it never started: there is no pair to log for.
    if locked.status == MatchStatus.PROPOSED or locked.started_on is None:
        raise Conflict("log.not_active", "The coordinator has not confirmed this match yet.")
    logs = []
    for data in rows:
        _check_log_date(locked, data.get("met_on"))
        log = Log(
            district=locked.district,
            match=locked,
            logged_by=actor,
            **{k: v for k, v in data.items() if k in LOG_FIELDS},
        )
        validate(log, ["district"], trusted=known_keys(log))
        logs.append(log)
    Log.objects.bulk_create(logs)
    record_many(
        district=locked.district,
        actor=actor,
        events=[
            {
                "action": Action.CREATE,
                "obj": log,
                "changes": diff({}, snapshot(log, LOG_AUDITED)),
            }
            for log in logs
        ],
    )
    return logs


@transaction.atomic
def log_update(*, log: Log, actor, data: dict[str, Any]) -> Log:
    _check_log_date(log.match, data.get("met_on"))
    return audited_update(
        log, actor=actor, data=data, fields=LOG_FIELDS, audited=LOG_AUDITED, private=LOG_TEXT
    )


@transaction.atomic
def log_reflect(*, log: Log, actor, reflection: str) -> Log:
    text = reflection.strip()
    if not text:
        raise DomainError("log.reflection_empty", "Write your reflection.", field="reflection")
    return audited_update(
        log,
        actor=actor,
        data={"reflection": text, "reflected_at": timezone.now()},
        fields=["reflection", "reflected_at"],
        audited=LOG_AUDITED,
        private=LOG_TEXT,
    )


# --- onboarding ----------------------------------------------------------------------------


def onboarding_items(district: District) -> list[OnboardingItem]:
    """The district's steps in use. A district that never edited its list starts with the
    four the programme names."""
    if not OnboardingItem.objects.filter(district=district).exists():
        OnboardingItem.objects.bulk_create(
            OnboardingItem(district=district, title=title, position=i)
            for i, title in enumerate(DEFAULT_ONBOARDING, start=1)
        )
    return list(OnboardingItem.objects.filter(district=district, is_active=True))


ITEM_FIELDS = ["title", "position", "is_active"]


@transaction.atomic
def onboarding_item_create(*, district: District, actor, data: dict[str, Any]) -> OnboardingItem:
    onboarding_items(district)  # keep the defaults when the first edit adds a step
    return _create(OnboardingItem, district=district, actor=actor, fields=ITEM_FIELDS, data=data)


@transaction.atomic
def onboarding_item_update(*, item: OnboardingItem, actor, data: dict[str, Any]) -> OnboardingItem:
    return audited_update(item, actor=actor, fields=ITEM_FIELDS, data=data)


@transaction.atomic
def checklist_open(
    *, district: District, actor, staff: Staff, school_year: SchoolYear | None = None
) -> OnboardingChecklist:
    year = _year(district, school_year)
    _check_same_district(district, staff)
    _check_eligible(staff, year)
    school, _ = home_unit(staff, district.today())
    try:
        with transaction.atomic():
            checklist = OnboardingChecklist.objects.create(
                district=district, staff=staff, school=school, school_year=year, opened_by=actor
            )
    except IntegrityError as exc:
        raise Conflict(
            "onboarding.exists", f"{staff} already has an onboarding checklist for {year}."
        ) from exc
    OnboardingTask.objects.bulk_create(
        OnboardingTask(
            district=district,
            checklist=checklist,
            item=item,
            title=item.title,
            position=item.position,
        )
        for item in onboarding_items(district)
    )
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=checklist,
        changes=diff({}, snapshot(checklist, ["staff", "school", "school_year"])),
    )
    return checklist


@transaction.atomic
def task_mark(*, task: OnboardingTask, actor, done: bool, note: str = "") -> OnboardingTask:
    # The district comes along: its "today" dates the task, and the trail names it.
    locked = (
        OnboardingTask.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=task.pk)
    )
    data = {
        "done_on": locked.district.today() if done else None,
        "done_by": actor if done else None,
        "note": note.strip()[:500],
    }
    if done and locked.done_on:
        data |= {"done_on": locked.done_on, "done_by": locked.done_by}  # keep who did it first
    return audited_update(locked, actor=actor, fields=["done_on", "done_by", "note"], data=data)


# --- stipends ------------------------------------------------------------------------------

DAYS_A_MONTH = Decimal("30.4375")  # 365.25 / 12


def active_months(match: Match, on: date | None = None) -> int:
    """Months of service, rounded to the nearest whole month, at least one: from the start to
    the end of the match (or `on`, or the end of its school year)."""
    if match.started_on is None:
        return 0
    # Service is paid within the school year its schedules belong to, even when the match
    # was ended with a date past the year's end.
    end = min(match.ended_on or on or match.school_year.end_date, match.school_year.end_date)
    days = Decimal((end - match.started_on).days + 1)
    return max(1, min(12, int((days / DAYS_A_MONTH).to_integral_value())))


def log_totals(match: Match) -> dict[str, Any]:
    return Log.objects.filter(match=match).aggregate(
        count=Count("pk"), minutes=Sum("minutes"), first=Min("met_on"), last=Max("met_on")
    )


def evidence_text(match: Match) -> str:
    totals = log_totals(match)
    hours = Decimal(totals["minutes"] or 0) / 60
    count = totals["count"]
    text = f"{count} contact{'' if count == 1 else 's'} logged, {hours:.1f} hours"
    if totals["first"]:
        text += f", {totals['first']:%-d %b %Y} to {totals['last']:%-d %b %Y}"
    return text


def _schedule(year: SchoolYear, role: str) -> StipendSchedule:
    schedule = StipendSchedule.objects.filter(school_year=year, role=role).order_by("name").first()
    if schedule is None:
        raise DomainError(
            "match.no_stipend_schedule",
            f"{year} has no {StipendRole(role).label.lower()} stipend schedule; set one up "
            "under Funding → Stipends.",
        )
    return schedule


@transaction.atomic
def match_stipends(*, match: Match, actor) -> list[StipendAward]:
    """Propose the mentor's and the new teacher's stipends for an active or ended match:
    each schedule's amount prorated by the match's active months, held on the match's fund
    at the new teacher's school (else the program's, else the district's budget), with the
    log totals as evidence. Approval and payroll then post them through the ledger."""
    locked = lock(
        match,
        MatchStatus.ACTIVE,
        MatchStatus.ENDED,
        code="match.not_started",
        verb="pay stipends on",
        related=("mentor__staff", "school_year", "source", "district"),
    )
    if locked.started_on is None or locked.source is None:
        raise Conflict("match.not_started", "This match never started, so it earns nothing.")
    existing = StipendAward.objects.filter(
        evidence_type__model="match",
        evidence_type__app_label="mentoring",
        evidence_id=locked.pk,
    ).exclude(status=StipendAward.Status.CANCELLED)
    if existing.exists():
        raise Conflict(
            "match.stipends_exist",
            "This match already has its stipends; cancel them to create them again.",
        )
    on = locked.ended_on or min(locked.district.today(), locked.school_year.end_date)
    months = active_months(locked, on)
    budget = budgets.budget_for(source=locked.source, on=on, school=locked.school)
    evidence = evidence_text(locked)
    awards = []
    for role, staff in (
        (StipendRole.MENTOR, locked.mentor.staff),
        (StipendRole.MENTEE, locked.mentee),
    ):
        awards.append(
            stipends.award_create(
                district=locked.district,
                actor=actor,
                schedule=_schedule(locked.school_year, role),
                staff=staff,
                budget=budget,
                months=months,
                evidence=evidence,
                evidence_obj=locked,
            )
        )
    return awards
