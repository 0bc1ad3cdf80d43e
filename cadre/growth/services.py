"""Writes for professional goals and ISD: the workflows, the balance, and the ledger postings
that approval, reimbursement and cancellation make."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.core import attachments, trail
from cadre.core.errors import Conflict, DomainError
from cadre.core.trail import diff, snapshot
from cadre.core.workflow import (
    audited_links,
    audited_update,
    known_keys,
    lock,
    lock_many,
    move,
    move_many,
    validate,
)
from cadre.districts.models import Assignment, District, Role, SchoolYear, Staff
from cadre.districts.services import _check_same_district, _create
from cadre.funding.models import Budget, FundingSource, Use
from cadre.funding.services import budgets, ledger
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.planning.models import Goal, StrategicPlan

ZERO = Decimal(0)
GoalStatus = ProfessionalGoal.Status
IsdStatus = IsdRequest.Status


# --- whose supervisor ------------------------------------------------------------------------


def home_unit(staff: Staff, on: date) -> tuple[Any, Any]:
    """The school (or, for program staff, the program) whose leader decides for this person:
    their first current school assignment, else their first program assignment."""
    return home_units([staff], on)[staff.pk]


def home_units(people: Iterable[Staff], on: date) -> dict[int, tuple[Any, Any]]:
    """`home_unit` for several people in one query: (school, program) by staff id."""
    return {pk: _home(assignments) for pk, assignments in _current(people, on).items()}


def _current(people: Iterable[Staff], on: date) -> dict[int, list[Assignment]]:
    """Each person's assignments current on `on`, with their school and program, in one
    query: by staff id, the earliest first."""
    current: dict[int, list[Assignment]] = {p.pk: [] for p in people}
    if not current:
        return {}
    for a in (
        Assignment.objects.filter(staff_id__in=list(current))
        .current(on)
        .select_related("school", "program")
        .order_by("start_date", "id")
    ):
        current[a.staff_id].append(a)
    return current


def _home(current: list[Assignment]) -> tuple[Any, Any]:
    for a in current:
        if a.school_id:
            return a.school, None
    for a in current:
        if a.program_id:
            return None, a.program
    return None, None


def _year_of(district: District, on: date, field: str) -> SchoolYear:
    year = SchoolYear.objects.filter(
        district=district, start_date__lte=on, end_date__gte=on
    ).first()
    if year is None:
        raise DomainError(
            "growth.no_school_year", f"No school year covers {on:%-d %B %Y}.", field=field
        )
    return year


def current_year(district: District) -> SchoolYear:
    year = SchoolYear.objects.filter(district=district, is_current=True).first()
    return year or _year_of(district, district.today(), "school_year")


# --- professional goals ----------------------------------------------------------------------

GOAL_FIELDS = ["title", "statement", "activities", "evidence"]


def _targets(aligns_to: Iterable[Goal]) -> dict[int, Goal]:
    """The goals named, read afresh with their plans (one query), in the goals' order."""
    fresh = Goal.objects.select_related("plan__first_year", "plan__last_year").filter(
        pk__in={t.pk for t in aligns_to}
    )
    return {target.pk: target for target in fresh}


def _check_alignment(
    goal: ProfessionalGoal, aligns_to: list[Goal], found: dict[int, Goal] | None = None
) -> None:
    """A personal goal serves published goals of the district, or of its own school or
    program, whose plans cover its year. `found`: the targets already read (`_targets`)."""
    year = goal.school_year
    for target in aligns_to:
        _check_same_district(goal.district, target)
    if found is None:
        found = _targets(aligns_to)
    wanted = {t.pk for t in aligns_to}
    for target in (t for pk, t in found.items() if pk in wanted):
        plan = target.plan
        ours = (
            plan.level == StrategicPlan.Level.DISTRICT
            or (plan.school_id and plan.school_id == goal.school_id)
            or (plan.program_id and plan.program_id == goal.program_id)
        )
        covers = plan.first_year.start_date <= year.start_date <= plan.last_year.start_date
        if plan.status != StrategicPlan.Status.PUBLISHED or not ours or not covers:
            raise DomainError(
                "goal.alignment_invalid",
                f"{target} is not a published goal of your school, program or district for {year}.",
                field="aligns_to",
            )


def _save_alignment(goal: ProfessionalGoal, actor, aligns_to, created: bool) -> None:
    audited_links(
        goal, actor=actor, links={"aligns_to": aligns_to}, created=created, label=lambda g: g.code
    )


def goal_create(
    *, staff: Staff, actor, data: dict[str, Any], aligns_to: list[Goal] | None = None
) -> ProfessionalGoal:
    row = {"staff": staff, "actor": actor, "data": data, "aligns_to": aligns_to}
    return goals_create(rows=[row])[0]


@transaction.atomic
def goals_create(*, rows: Iterable[Mapping[str, Any]]) -> list[ProfessionalGoal]:
    """`goal_create` for many goals, each row a dict of its arguments (`staff`, `actor`,
    `data`, `aligns_to`), in the order given: the same goals, links and audit events, all or
    none (the refusal is the first one a goal created alone would get). One query finds the
    people's home units, one the goals they serve, one inserts the goals, one their links,
    and one per author writes the audit events."""
    rows = list(rows)
    if not rows:
        return []
    # Each district's today, and its current year when a row names none, read once.
    today: dict[int, date] = {}
    years: dict[int, SchoolYear] = {}
    by_day: dict[date, list[Staff]] = {}
    for row in rows:
        district = row["staff"].district
        on = today.setdefault(district.pk, district.today())
        by_day.setdefault(on, []).append(row["staff"])
    homes = {}
    for on, people in by_day.items():
        homes.update(home_units(people, on))
    found = _targets(t for row in rows for t in row.get("aligns_to") or [])
    made = []
    for row in rows:
        staff, data = row["staff"], row["data"]
        district = staff.district
        year = data.get("school_year")
        if not year:
            if district.pk not in years:
                years[district.pk] = current_year(district)
            year = years[district.pk]
        _check_same_district(district, year)
        school, program = homes[staff.pk]
        goal = ProfessionalGoal(
            district=district,
            staff=staff,
            school=school,
            program=program,
            school_year=year,
            **{k: (data.get(k) or "").strip() for k in GOAL_FIELDS},
        )
        if not goal.title:
            raise DomainError("goal.title", "Give the goal a title.", field="title")
        aligns_to = list(row.get("aligns_to") or [])
        _check_alignment(goal, aligns_to, found)
        validate(goal, ["district", "staff", "school_year"], trusted=known_keys(goal))
        made.append((goal, row["actor"], aligns_to))
    goals = ProfessionalGoal._base_manager.bulk_create([goal for goal, _, _ in made])
    Through = ProfessionalGoal.aligns_to.through
    Through._base_manager.bulk_create(
        Through(professionalgoal_id=goal.pk, goal_id=pk)
        for goal, _, aligns_to in made
        for pk in dict.fromkeys(t.pk for t in aligns_to)
    )
    # The events of the shared write path (audited_create, then audited_links on a new row):
    # the creation, then the links as sorted codes, when there are any.
    events: dict[tuple, tuple[District, Any, list]] = {}
    for goal, actor, aligns_to in made:
        batch = events.setdefault(
            (goal.district_id, getattr(actor, "pk", None)), (goal.district, actor, [])
        )[2]
        audited = snapshot(goal, ["school_year", *GOAL_FIELDS])
        batch.append(
            {"action": AuditEvent.Action.CREATE, "obj": goal, "changes": diff({}, audited)}
        )
        codes = sorted(t.code for t in aligns_to)
        if codes:
            batch.append(
                {
                    "action": AuditEvent.Action.UPDATE,
                    "obj": goal,
                    "changes": {"aligns_to": [None, codes]},
                }
            )
    for district, actor, batch in events.values():
        trail.record_many(district=district, actor=actor, events=batch)
    return goals


def _editable(goal: ProfessionalGoal, verb: str = "change") -> ProfessionalGoal:
    return lock(
        goal,
        GoalStatus.DRAFT,
        GoalStatus.RETURNED,
        code="goal.not_editable",
        verb=verb,
        related=("school_year",),
    )


@transaction.atomic
def goal_update(
    *, goal: ProfessionalGoal, actor, data: dict[str, Any], aligns_to: list[Goal] | None = None
) -> ProfessionalGoal:
    locked = _editable(goal)
    if "title" in data and not (data.get("title") or "").strip():
        raise DomainError("goal.title", "Give the goal a title.", field="title")
    if aligns_to is not None:
        aligns_to = list(aligns_to)
        _check_alignment(locked, aligns_to)
    clean = {k: (data[k] or "").strip() for k in GOAL_FIELDS if k in data}
    locked = audited_update(locked, actor=actor, fields=GOAL_FIELDS, data=clean)
    _save_alignment(locked, actor, aligns_to, created=False)
    return locked


def goal_submit(*, goal: ProfessionalGoal, actor) -> ProfessionalGoal:
    return goals_submit(rows=[(goal, actor)])[0]


def goal_submit_many(*, goals: list[ProfessionalGoal], actor) -> list[ProfessionalGoal]:
    """Submit a person's goals together (see `goals_submit`)."""
    return goals_submit(rows=[(goal, actor) for goal in goals])


@transaction.atomic
def goals_submit(*, rows: Iterable[tuple[ProfessionalGoal, Any]]) -> list[ProfessionalGoal]:
    """Submit goals together, each (goal, actor) row by its actor, as when the submissions of
    several people are taken in at once: all of them, or none when one may not be submitted
    (the refusal is the one submitting it alone gets). A goal named twice is submitted once,
    by its first actor. One query locks them, one finds their alignments, and for each actor
    one submits theirs and one writes the audit events."""
    rows = list(rows)
    actors: dict[int, Any] = {}
    for goal, actor in rows:
        actors.setdefault(goal.pk, actor)
    locked = lock_many(
        [goal for goal, _ in rows],
        GoalStatus.DRAFT,
        GoalStatus.RETURNED,
        code="goal.not_editable",
        verb="submit",
        related=("school_year",),
    )
    if not locked:
        return locked
    aligned = set(
        ProfessionalGoal.aligns_to.through.objects.filter(
            professionalgoal_id__in=[g.pk for g in locked]
        ).values_list("professionalgoal_id", flat=True)
    )
    for goal in locked:
        missing = [
            ProfessionalGoal._meta.get_field(f).verbose_name
            for f in ("statement", "activities", "evidence")
            if not getattr(goal, f)
        ]
        if missing:
            raise DomainError("goal.incomplete", f"Before submitting, add: {', '.join(missing)}.")
        if goal.pk not in aligned:
            raise DomainError(
                "goal.alignment_required",
                "Choose at least one school or district goal this goal serves.",
                field="aligns_to",
            )
        if goal.school_id is None and goal.program_id is None:
            raise DomainError(
                "goal.no_supervisor",
                "You have no current school or program assignment, so nobody can approve this "
                "goal. Ask your district administrator.",
            )
    now = timezone.now()
    by_actor: dict[Any, tuple[Any, list[ProfessionalGoal]]] = {}
    for goal in locked:
        actor = actors[goal.pk]
        by_actor.setdefault(getattr(actor, "pk", None), (actor, []))[1].append(goal)
    for actor, theirs in by_actor.values():
        move_many(theirs, actor=actor, to=GoalStatus.SUBMITTED, submitted_at=now)
    return locked


@transaction.atomic
def goal_withdraw(*, goal: ProfessionalGoal, actor) -> ProfessionalGoal:
    locked = lock(goal, GoalStatus.SUBMITTED, code="goal.not_submitted", verb="withdraw")
    return move(locked, actor=actor, to=GoalStatus.DRAFT, submitted_at=None)


def goal_approve(*, goal: ProfessionalGoal, actor) -> ProfessionalGoal:
    return goal_approve_many(goals=[goal], actor=actor)[0]


@transaction.atomic
def goal_approve_many(*, goals: list[ProfessionalGoal], actor) -> list[ProfessionalGoal]:
    """Approve submitted goals together, as a principal does with those waiting: all of them,
    or none when one is not submitted (the refusal is the one approving it alone gets). One
    query locks them, one approves them, one writes their audit events."""
    locked = lock_many(goals, GoalStatus.SUBMITTED, code="goal.not_submitted", verb="approve")
    return move_many(
        locked,
        actor=actor,
        to=GoalStatus.APPROVED,
        decided_at=timezone.now(),
        decided_by=actor,
        comment="",
    )


@transaction.atomic
def goal_return(*, goal: ProfessionalGoal, actor, comment: str) -> ProfessionalGoal:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("goal.comment", "Say what to change.", field="comment")
    locked = lock(goal, GoalStatus.SUBMITTED, code="goal.not_submitted", verb="return")
    return move(
        locked,
        actor=actor,
        to=GoalStatus.RETURNED,
        note=comment,
        comment=comment,
        decided_at=timezone.now(),
        decided_by=actor,
    )


def goal_reflect(*, goal: ProfessionalGoal, actor, data: dict[str, Any]) -> ProfessionalGoal:
    """The year-end reflection on an approved goal, with its outcome. It can be revised."""
    return goals_reflect(rows=[(goal, actor, data)])[0]


@transaction.atomic
def goals_reflect(
    *, rows: Iterable[tuple[ProfessionalGoal, Any, dict[str, Any]]]
) -> list[ProfessionalGoal]:
    """Reflections on approved goals together, each (goal, actor, data) row by its actor, as
    when several are taken in at once: all of them, or none when one is refused (the refusal
    is the one reflecting on that goal alone gets; every goal's state is checked before any
    reflection's text). One query locks the goals; each reflection is then its save and its
    audit event."""
    rows = list(rows)
    locked = {
        goal.pk: goal
        for goal in lock_many(
            [goal for goal, _, _ in rows],
            GoalStatus.APPROVED,
            code="goal.not_approved",
            verb="reflect on",
        )
    }
    done = []
    for goal, actor, data in rows:
        reflection = (data.get("reflection") or "").strip()
        outcome = data.get("outcome")
        if not reflection:
            raise DomainError("goal.reflection", "Write your reflection.", field="reflection")
        if outcome not in ProfessionalGoal.Outcome.values:
            raise DomainError(
                "goal.outcome",
                "Say whether the goal was met, partly met or not met.",
                field="outcome",
            )
        # The date of the reflection moves with each revision, in the same save; the trail
        # keeps the reflection and the outcome.
        done.append(
            audited_update(
                locked[goal.pk],
                actor=actor,
                fields=["reflection", "outcome", "reflected_at"],
                audited=["reflection", "outcome"],
                data={"reflection": reflection, "outcome": outcome, "reflected_at": timezone.now()},
            )
        )
    return done


# --- ISD allotments and balances -------------------------------------------------------------

ALLOTMENT_FIELDS = ["school_year", "bargaining_unit", "role", "source", "amount", "hours"]


def _check_allotment(district: District, data: dict[str, Any]) -> None:
    _check_same_district(district, data.get("school_year"), data.get("source"))
    source = data.get("source")
    if source is not None and source.kind != FundingSource.Kind.ISD:
        raise DomainError(
            "allotment.source", f"{source} is not an ISD funding source.", field="source"
        )
    role = data.get("role") or ""
    if role and role not in Role.values:
        raise DomainError("allotment.role", f"Unknown role {role!r}.", field="role")


def _save_allotment(save, district: District, data: dict[str, Any], exclude=None):
    key = {k: data[k] for k in ("school_year", "bargaining_unit", "role")}
    if IsdAllotment.objects.filter(district=district, **key).exclude(pk=exclude).exists():
        raise Conflict(
            "allotment.exists",
            "There is already an allotment for that unit and role this year.",
        )
    try:
        with transaction.atomic():
            return save()
    except IntegrityError as exc:
        raise Conflict(
            "allotment.exists",
            "There is already an allotment for that unit and role this year.",
        ) from exc


@transaction.atomic
def allotment_create(*, district: District, actor, data: dict[str, Any]) -> IsdAllotment:
    data = {k: data.get(k) for k in ALLOTMENT_FIELDS}
    data["bargaining_unit"] = (data["bargaining_unit"] or "").strip()
    data["role"] = data["role"] or ""
    for name in ("amount", "hours"):
        data[name] = ZERO if data[name] is None else data[name]
    _check_allotment(district, data)
    return _save_allotment(
        lambda: _create(
            IsdAllotment, district=district, actor=actor, fields=ALLOTMENT_FIELDS, data=data
        ),
        district,
        data,
    )


@transaction.atomic
def allotment_update(*, allotment: IsdAllotment, actor, data: dict[str, Any]) -> IsdAllotment:
    data = {k: v for k, v in data.items() if k in ALLOTMENT_FIELDS}
    if "bargaining_unit" in data:
        data["bargaining_unit"] = (data["bargaining_unit"] or "").strip()
    if "role" in data:
        data["role"] = data["role"] or ""
    _check_allotment(allotment.district, data)
    key = {
        k: data.get(k, getattr(allotment, k)) for k in ("school_year", "bargaining_unit", "role")
    }
    return _save_allotment(
        lambda: audited_update(allotment, actor=actor, fields=ALLOTMENT_FIELDS, data=data),
        allotment.district,
        key,
        exclude=allotment.pk,
    )


def _roles(staff: Staff, on: date) -> set[str]:
    return set(Assignment.objects.filter(staff=staff).current(on).values_list("role", flat=True))


def _roles_day(staff: Staff, school_year: SchoolYear) -> date:
    """The day whose roles choose the allotment: today, within the year."""
    return min(max(staff.district.today(), school_year.start_date), school_year.end_date)


def allotment_for(
    staff: Staff, school_year: SchoolYear, roles: set[str] | None = None
) -> IsdAllotment | None:
    """The most specific allotment row: unit and role, unit, role, then the default.
    `roles`: the person's roles on `_roles_day`, when the caller has read them."""
    if roles is None:
        roles = _roles(staff, _roles_day(staff, school_year))
    unit = staff.bargaining_unit or ""
    rows = IsdAllotment.objects.filter(
        district=staff.district,
        school_year=school_year,
        bargaining_unit__in={unit, ""},
        role__in=roles | {""},
    ).select_related("source__district", "school_year")  # the source's budget needs its district

    def specificity(row: IsdAllotment) -> tuple[int, int, int]:
        return (bool(row.bargaining_unit), bool(row.role), -row.pk)

    return max(rows, key=specificity, default=None)


@dataclass(frozen=True)
class Balance:
    allotment: IsdAllotment | None
    allotted_amount: Decimal = ZERO
    allotted_hours: Decimal = ZERO
    committed_amount: Decimal = ZERO
    committed_hours: Decimal = ZERO
    spent_amount: Decimal = ZERO
    spent_hours: Decimal = ZERO

    @property
    def remaining_amount(self) -> Decimal:
        return self.allotted_amount - self.committed_amount - self.spent_amount

    @property
    def remaining_hours(self) -> Decimal:
        return self.allotted_hours - self.committed_hours - self.spent_hours


HOLDING = (IsdStatus.APPROVED, IsdStatus.COMPLETED)


def balance(staff: Staff, school_year: SchoolYear, roles: set[str] | None = None) -> Balance:
    allotment = allotment_for(staff, school_year, roles)
    requests = IsdRequest.objects.filter(staff=staff, school_year=school_year)
    figures = requests.aggregate(
        committed_amount=Sum("cost", filter=Q(status__in=HOLDING)),
        committed_hours=Sum("hours", filter=Q(status__in=HOLDING)),
        spent_amount=Sum("paid_amount", filter=Q(status=IsdStatus.REIMBURSED)),
        spent_hours=Sum("hours", filter=Q(status=IsdStatus.REIMBURSED)),
    )
    return Balance(
        allotment=allotment,
        allotted_amount=allotment.amount if allotment else ZERO,
        allotted_hours=allotment.hours if allotment else ZERO,
        **{k: v or ZERO for k, v in figures.items()},
    )


def _check_fits(request: IsdRequest, have: Balance) -> None:
    if have.allotment is None:
        raise DomainError(
            "isd.no_allotment",
            f"There is no ISD allotment for you in {request.school_year}.",
        )
    over = []
    if request.cost > have.remaining_amount:
        over.append(f"${have.remaining_amount:,.2f} remain, ${request.cost:,.2f} asked")
    if request.hours > have.remaining_hours:
        over.append(f"{have.remaining_hours} hours remain, {request.hours} asked")
    if over:
        raise Conflict("isd.balance", f"This exceeds the ISD balance: {'; '.join(over)}.")


# --- ISD requests --------------------------------------------------------------------------

REQUEST_FIELDS = [
    "kind",
    "offering",
    "title",
    "provider",
    "start_date",
    "end_date",
    "cost",
    "hours",
    "goal",
    "rationale",
]


def _fill_from_offering(district: District, data: dict[str, Any]) -> None:
    """A request for a catalogue offering names it: its title, provider and fee fill in what
    the person left blank."""
    offering = data.get("offering")
    if offering is None:
        if data.get("kind") == IsdRequest.Kind.OFFERING:
            raise DomainError("isd.offering", "Choose the catalogue offering.", field="offering")
        return
    _check_same_district(district, offering)
    if offering.status != offering.Status.PUBLISHED:
        raise DomainError(
            "isd.offering", f"{offering} is not open in the catalogue.", field="offering"
        )
    data["kind"] = IsdRequest.Kind.OFFERING
    data["title"] = data["title"] or offering.title
    data["provider"] = data["provider"] or offering.provider
    if data.get("cost") in (None, ""):
        data["cost"] = offering.cost


@transaction.atomic
def isd_request_create(*, staff: Staff, actor, data: dict[str, Any]) -> IsdRequest:
    district = staff.district
    data = {k: data.get(k) for k in REQUEST_FIELDS}
    for name in ("title", "provider", "rationale"):
        data[name] = (data[name] or "").strip()
    _fill_from_offering(district, data)
    for name in ("cost", "hours"):
        data[name] = Decimal(data[name] or 0)
    start, end = data["start_date"], data["end_date"]
    if start is None or end is None:
        raise DomainError("isd.dates", "Give the start and end dates.", field="start_date")
    if end < start:
        raise DomainError("isd.dates", "The end date comes after the start.", field="end_date")
    if data["cost"] < 0 or data["hours"] < 0:
        raise DomainError("isd.negative", "Cost and hours are not negative.", field="cost")
    if not data["cost"] and not data["hours"]:
        raise DomainError("isd.empty", "Give the cost, the hours, or both.", field="cost")
    goal = data["goal"]
    if goal is not None and (goal.staff_id != staff.pk or goal.district_id != district.pk):
        raise DomainError("isd.goal", "Choose one of your own goals.", field="goal")
    # Today's assignments give the supervisor and, when the year covers today, the roles
    # that choose the allotment: one read for both.
    today = district.today()
    current = _current([staff], today)[staff.pk]
    school, program = _home(current)
    request = IsdRequest(
        district=district,
        staff=staff,
        school=school,
        program=program,
        school_year=_year_of(district, start, "start_date"),
        submitted_at=timezone.now(),
        **data,
    )
    # The school, program, goal and offering were read above: their keys need no look-up.
    validate(
        request, ["district", "staff", "school_year", "encumbrance"], trusted=known_keys(request)
    )
    year = request.school_year
    roles = {a.role for a in current} if _roles_day(staff, year) == today else None
    _check_fits(request, balance(staff, year, roles))
    request.save()
    audit_event(
        district=district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=request,
        changes=diff({}, snapshot(request, REQUEST_FIELDS)),
    )
    return request


def _isd_budget(request: IsdRequest, source: FundingSource) -> Budget:
    budget = budgets.budget_for(
        source=source, on=request.start_date, school=request.school, program=request.program
    )
    if budget.district_id == request.district_id:
        budget.district = request.district  # the posting's district, already read
    return budget


def _locked_request(
    request: IsdRequest, *allowed: str, verb: str, related: tuple[str, ...] = ()
) -> IsdRequest:
    return lock(
        request,
        *allowed,
        code=f"isd.not_{'_or_'.join(allowed)}",
        verb=verb,
        related=("school_year", "encumbrance", *related),
    )


@transaction.atomic
def isd_approve(*, request: IsdRequest, actor) -> IsdRequest:
    # The person's row is the lock for their balance: approvals of their requests queue here,
    # each seeing what the ones before it committed.
    # The locked row, with its district, serves the balance and the posting below.
    staff = (
        Staff.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=request.staff_id)
    )
    locked = _locked_request(
        request, IsdStatus.SUBMITTED, verb="approve", related=("school", "program")
    )
    locked.staff = staff
    have = balance(locked.staff, locked.school_year)
    _check_fits(locked, have)
    use = Use.MATERIALS if locked.kind == IsdRequest.Kind.MATERIALS else Use.REGISTRATION
    entry = ledger.budget_encumber(
        budget=_isd_budget(locked, have.allotment.source),
        use=use,
        amount=locked.cost,
        hours=locked.hours,
        staff=locked.staff,
        cause=locked,
        actor=actor,
        memo=f"ISD: {locked.title}",
    )
    return move(
        locked,
        actor=actor,
        to=IsdStatus.APPROVED,
        encumbrance=entry,
        decided_at=timezone.now(),
        decided_by=actor,
    )


@transaction.atomic
def isd_deny(*, request: IsdRequest, actor, reason: str) -> IsdRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("isd.reason", "Give the reason for the denial.", field="reason")
    locked = _locked_request(request, IsdStatus.SUBMITTED, verb="deny")
    return move(
        locked,
        actor=actor,
        to=IsdStatus.DENIED,
        note=reason,
        reason=reason,
        decided_at=timezone.now(),
        decided_by=actor,
    )


@transaction.atomic
def isd_complete(*, request: IsdRequest, actor, note: str) -> IsdRequest:
    note = (note or "").strip()
    if not note:
        raise DomainError(
            "isd.evidence", "Describe what you completed; attach receipts.", field="note"
        )
    locked = _locked_request(request, IsdStatus.APPROVED, verb="complete")
    if locked.district.today() < locked.start_date:
        raise DomainError(
            "isd.not_started",
            f"It starts on {locked.start_date:%-d %B %Y}; record it as completed after that.",
        )
    return move(
        locked,
        actor=actor,
        to=IsdStatus.COMPLETED,
        completion_note=note,
        completed_at=timezone.now(),
    )


@transaction.atomic
def isd_reimburse(*, request: IsdRequest, actor, paid_amount) -> IsdRequest:
    try:
        paid = Decimal(paid_amount)
    except (TypeError, ArithmeticError, ValueError) as exc:
        raise DomainError("isd.paid", "Give the amount paid.", field="paid_amount") from exc
    locked = _locked_request(request, IsdStatus.COMPLETED, verb="reimburse")
    if not paid.is_finite() or paid < 0 or paid != paid.quantize(Decimal("0.01")):
        raise DomainError(
            "isd.paid", "Give the amount paid in dollars and cents.", field="paid_amount"
        )
    if paid > locked.cost:
        raise DomainError(
            "isd.overpaid",
            f"${paid:,.2f} is more than the ${locked.cost:,.2f} approved; ask for a new request.",
            field="paid_amount",
        )
    if paid or locked.hours:
        ledger.budget_spend(
            encumbrance=locked.encumbrance,
            amount=paid,
            hours=locked.hours,
            actor=actor,
            memo=f"ISD reimbursement: {locked.title}",
        )
    else:
        ledger.budget_release(encumbrance=locked.encumbrance, actor=actor, memo="Nothing paid")
    return move(
        locked,
        actor=actor,
        to=IsdStatus.REIMBURSED,
        note=f"Paid ${paid:,.2f}",
        paid_amount=paid,
        reimbursed_at=timezone.now(),
    )


@transaction.atomic
def isd_cancel(*, request: IsdRequest, actor, reason: str) -> IsdRequest:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("isd.reason", "Say why it is cancelled.", field="reason")
    locked = _locked_request(
        request, IsdStatus.SUBMITTED, IsdStatus.APPROVED, IsdStatus.COMPLETED, verb="cancel"
    )
    if locked.encumbrance_id:
        ledger.budget_release(encumbrance=locked.encumbrance, actor=actor, memo=reason)
    return move(locked, actor=actor, to=IsdStatus.CANCELLED, note=reason, reason=reason)


@transaction.atomic
def isd_attach(*, request: IsdRequest, actor, upload) -> IsdAttachment:
    kind = attachments.sniff(upload)
    locked = _locked_request(
        request, IsdStatus.SUBMITTED, IsdStatus.APPROVED, IsdStatus.COMPLETED, verb="attach to"
    )
    attachments.check_room(locked.attachments.count(), holder="request")
    item = IsdAttachment(district=locked.district, request=locked, uploaded_by=actor)
    item.keep(upload, kind, fallback="attachment")
    item.save()
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=item,
        changes={"name": [None, item.name], "size": [None, item.size]},
    )
    return item
