"""Writes for registration: self-registration with approval and a waitlist, cancellation with
waitlist promotion, whole-group assignment, and the ledger postings that go with a seat.

Seats hold under concurrency (ARCHITECTURE rule 7): every step that takes or frees a seat first
locks the session's row, then counts the seat-holding registrations and assigns waitlist
positions inside the same transaction. Locks are always taken session → registration →
budget, so two steps never wait on each other in opposite orders.

The ledger: when a registration becomes REGISTERED and the offering names a funding source, its
fee (use "registration") and its substitute days (use "substitute") are encumbered on the
budget that pays for the registrant's school or program. Cancelling releases them; `settle`
(called when the session closes) spends them. A refusal of the ledger (no budget, overdrawn,
a use the source does not pay for, a restricted source) refuses the step with its own code.

Waitlist promotion rule: the lowest position goes first. A person whose promotion the ledger
refuses stays waitlisted at their place, the refusal is written to their history, and the seat
goes to the next in line.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog.models import (
    CalendarFeed,
    Offering,
    Registration,
    Session,
    SessionAssignment,
    new_feed_token,
)
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import lock, move, move_many
from cadre.districts.access import actor_for
from cadre.districts.models import Assignment, Program, School, Staff
from cadre.funding.models import LedgerEntry, Use
from cadre.funding.services import budgets, fiscal_years, ledger
from cadre.growth.services import home_units

Status = Registration.Status
HOLDS_SEAT = Registration.HOLDS_SEAT
ACTIVE = Registration.ACTIVE
# What a cancellation can end: a finished registration (completed or not) stays on record.
CANCELLABLE = (Status.REQUESTED, Status.REGISTERED, Status.WAITLISTED)
# `registrations_create`'s actor when each person registers themselves.
SELF = object()


# --- helpers ---------------------------------------------------------------------------------


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("offering", "offering__source", "district")
        .get(pk=session.pk)
    )


def seats_taken(session: Session) -> int:
    return Registration.objects.filter(session=session, status__in=HOLDS_SEAT).count()


def _notify(registration: Registration, kind: str) -> None:
    """Email the registrant once the transaction commits (a background task)."""
    from cadre.catalog.notices import is_muted
    from cadre.catalog.tasks import registration_notice

    if is_muted():
        return
    pk, kind = registration.pk, str(kind)  # plain JSON for the task queue
    transaction.on_commit(lambda: registration_notice.enqueue(pk, kind))


def _audit_create(reg: Registration, actor, comment: str = "", *, save: bool = True) -> AuditEvent:
    """The registration's CREATE event; `save=False` leaves it for the caller to write with
    others."""
    changes = {
        "status": [None, reg.status],
        "session": [None, str(reg.session)],
        "staff": [None, str(reg.staff)],
    }
    if reg.position:
        changes["position"] = [None, reg.position]
    if reg.assigned:
        changes["assigned"] = [None, True]
    return audit_event(
        district=reg.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=reg,
        changes=changes,
        comment=comment,
        save=save,
    )


def _check_open(session: Session, now: datetime, *, window: bool = True) -> None:
    """The session takes registrations: scheduled, of a published offering, not over, and (for
    self-registration) inside its registration window."""
    offering = session.offering
    if session.status == Session.Status.CANCELLED:
        raise Conflict("registration.session_cancelled", "This session was cancelled.")
    if session.status != Session.Status.SCHEDULED:
        raise Conflict("registration.session_closed", "This session is closed.")
    if offering.status != Offering.Status.PUBLISHED:
        raise Conflict(
            "registration.offering_unavailable",
            f"{offering} is {offering.get_status_display().lower()}; it takes no registrations.",
        )
    if session.ends_at and session.ends_at <= now:
        raise Conflict("registration.session_over", "This session is over.")
    if not window:
        return
    tz = session.district.tz
    if session.registration_opens and now < session.registration_opens:
        raise Conflict(
            "registration.not_open",
            "Registration opens on "
            f"{session.registration_opens.astimezone(tz):%A %-d %B %Y at %H:%M}.",
        )
    if session.registration_closes and now >= session.registration_closes:
        raise Conflict(
            "registration.closed",
            "Registration closed on "
            f"{session.registration_closes.astimezone(tz):%A %-d %B %Y at %H:%M}.",
        )


def _ledger_date(session: Session):
    if session.starts_at:
        return session.starts_at.astimezone(session.district.tz).date()
    return session.district.today()


def _encumbering(
    reg: Registration, session: Session, actor, paying: dict | None = None
) -> list[tuple[str, ledger.Posting]]:
    """The postings that hold the fee and the substitute days on the budget that pays for this
    registrant, with the registration's field each entry goes in. `paying` caches the fiscal
    year and which budget pays for a school or program within one step (the posting locks
    and checks the budget itself)."""
    offering = session.offering
    if offering.source_id is None or not (offering.cost or offering.substitute_days):
        return []
    paying = {} if paying is None else paying
    key = (reg.school_id, reg.program_id)
    budget = paying.get(key)
    if budget is None:
        on = _ledger_date(session)
        if "year" not in paying:
            paying["year"] = fiscal_years.fiscal_year_for(district=session.district, on=on)
        budget = paying[key] = budgets.budget_for(
            source=offering.source,
            on=on,
            school=reg.school,
            program=reg.program,
            year=paying["year"],
        )
    postings = []
    if offering.cost:
        postings.append(
            (
                "fee_entry",
                ledger.encumbering(
                    budget=budget,
                    use=Use.REGISTRATION,
                    amount=offering.cost,
                    staff=reg.staff,
                    cause=reg,
                    actor=actor,
                    memo=f"Registration: {session}",
                ),
            )
        )
    if offering.substitute_days:
        postings.append(
            (
                "days_entry",
                ledger.encumbering(
                    budget=budget,
                    use=Use.SUBSTITUTE,
                    days=offering.substitute_days,
                    staff=reg.staff,
                    cause=reg,
                    actor=actor,
                    memo=f"Substitute days: {session}",
                ),
            )
        )
    return postings


def _encumber(reg: Registration, session: Session, actor, paying: dict | None = None) -> None:
    """Hold the fee and the substitute days of one registration (see `_encumbering`)."""
    _encumber_many([(reg, _encumbering(reg, session, actor, paying))])


def _encumber_many(held: list[tuple[Registration, list[tuple[str, ledger.Posting]]]]) -> None:
    """Post every registration's encumbrances in one ledger step, in order, and keep the
    entries on the registrations."""
    held = [(reg, postings) for reg, postings in held if postings]
    if not held:
        return
    entries = iter(ledger.post_many([p for _, postings in held for _, p in postings]))
    now = timezone.now()
    for reg, postings in held:
        for field, _ in postings:
            setattr(reg, field, next(entries))
        reg.updated_at = now
    if len(held) == 1:
        reg, postings = held[0]
        reg.save(update_fields=[*(f for f, _ in postings), "updated_at"])
        return
    Registration.objects.bulk_update(
        [reg for reg, _ in held], ["fee_entry", "days_entry", "updated_at"]
    )


def _open_entries(reg: Registration) -> list[LedgerEntry]:
    """The registration's encumbrances not yet paid or released."""
    return _open_entries_of([reg])[reg.pk]


def _open_entries_of(regs: list[Registration]) -> dict[int, list[LedgerEntry]]:
    """Each registration's encumbrances not yet paid or released (by pk), in two queries."""
    held = {reg.pk: [pk for pk in (reg.fee_entry_id, reg.days_entry_id) if pk] for reg in regs}
    ids = [pk for pks in held.values() for pk in pks]
    if not ids:
        return {pk: [] for pk in held}
    closed = set(
        LedgerEntry.objects.filter(encumbrance_id__in=ids).values_list("encumbrance_id", flat=True)
    )
    entries = {
        e.pk: e
        for e in LedgerEntry.objects.select_related("budget", "staff").filter(
            pk__in=[pk for pk in ids if pk not in closed]
        )
    }
    return {reg: [entries[pk] for pk in sorted(pks) if pk in entries] for reg, pks in held.items()}


def _release(reg: Registration, actor, memo: str) -> None:
    ledger.post_many(
        [
            ledger.releasing(encumbrance=entry, actor=actor, memo=memo, cause=reg)
            for entry in _open_entries(reg)
        ]
    )


def _close_gap(session: Session, position: int | None) -> None:
    """Move everyone behind a place that left the waitlist one step forward."""
    if position:
        Registration.objects.filter(
            session=session, status=Status.WAITLISTED, position__gt=position
        ).update(position=F("position") - 1)


def _seat_status(session: Session) -> str:
    return (
        Status.REQUESTED
        if session.offering.approval != Offering.Approval.NONE
        else Status.REGISTERED
    )


# --- self-registration -----------------------------------------------------------------------


class _Roll:
    """The session's active registrations, read once under the session's lock: who holds a
    place, how many seats are taken and the waitlist's last position. Kept up to date as a
    step adds people, so a batch decides each person as the single path would."""

    def __init__(self, session: Session):
        rows = (
            Registration.objects.filter(session=session, status__in=ACTIVE)
            .order_by()
            .values_list("staff_id", "status", "position")
        )
        self.staff_ids: set[int] = set()
        self.taken = 0
        self.last = 0
        for staff_id, status, position in rows:
            self.staff_ids.add(staff_id)
            if status in HOLDS_SEAT:
                self.taken += 1
            elif status == Status.WAITLISTED and position:
                self.last = max(self.last, position)


def _check_person(session: Session, staff: Staff) -> None:
    if staff.district_id != session.district_id:
        raise DomainError("registration.other_district", f"{staff} belongs to another district.")
    if not staff.is_active:
        raise DomainError("registration.staff_inactive", f"{staff} is not active.")


def registration_create(*, session: Session, staff: Staff, actor) -> Registration:
    """Register `staff` for `session`: a seat (registered, or requested when the offering needs
    approval) while one is free, else the end of the waitlist."""
    return registrations_create(session=session, people=[staff], actor=actor)[0]


@transaction.atomic
def registrations_create(
    *, session: Session, people: Iterable[Staff], actor=SELF
) -> list[Registration]:
    """Register several people for one session in one step, in the order given, each exactly
    as `registration_create` would (a seat while one is free, else the end of the waitlist;
    the same refusals, audit events, ledger postings and emails). All or nothing: one refusal
    refuses the whole list. `actor` is who enrols them (a coordinator); `SELF` records each
    person as registering themselves, as when a list of sign-ups is taken in at once."""
    people = list(people)
    for staff in people:
        _check_person(session, staff)
    # The lock: registrations for this session queue here, each seeing the seats and the
    # waitlist the ones before it left.
    locked = _lock_session(session)
    _check_open(locked, timezone.now())
    roll = _Roll(locked)
    today = locked.district.today()
    units = home_units(people, today)
    paying: dict = {}
    made: list[tuple[Registration, object]] = []  # each with who its events name
    written = 0

    def write() -> None:
        """Save the registrations made since the last write, audit them and post what their
        seats hold, in one step each."""
        nonlocal written
        batch = made[written:]
        written = len(made)
        Registration.objects.bulk_create([reg for reg, _ in batch])
        AuditEvent.objects.bulk_create([_audit_create(reg, who, save=False) for reg, who in batch])
        _encumber_many(
            [
                (reg, _encumbering(reg, locked, who, paying=paying))
                for reg, who in batch
                if reg.status == Status.REGISTERED
            ]
        )

    for staff in people:
        if staff.pk in roll.staff_ids:
            # Those before the twin are written first: a refusal of theirs comes first, as it
            # would one by one.
            write()
            raise Conflict(
                "registration.exists",
                f"{staff} is already registered or waitlisted for this session.",
            )
        school, program = units[staff.pk]
        reg = Registration(
            district=locked.district,
            session=locked,
            staff=staff,
            school=school,
            program=program,
        )
        if roll.taken < locked.capacity:
            reg.status = _seat_status(locked)
            roll.taken += 1
        else:
            roll.last += 1
            reg.status = Status.WAITLISTED
            reg.position = roll.last
        roll.staff_ids.add(staff.pk)
        made.append((reg, staff.user if actor is SELF else actor))
    write()
    for reg, _ in made:
        _notify(reg, reg.status)
    return [reg for reg, _ in made]


# --- approval --------------------------------------------------------------------------------


@transaction.atomic
def registration_approve(*, registration: Registration, actor) -> Registration:
    # The session's lock orders this after a close in progress, which ends open requests.
    session = _lock_session(registration.session)
    _check_open(session, timezone.now(), window=False)
    locked = lock(
        registration,
        Status.REQUESTED,
        code="registration.not_requested",
        verb="approve",
        related=("session__offering__source", "session__district", "staff"),
    )
    if getattr(actor, "pk", None) is not None and actor.pk == locked.staff.user_id:
        raise DomainError("registration.own", "Someone else approves your own registration.")
    _encumber(locked, locked.session, actor)
    locked = move(
        locked, actor=actor, to=Status.REGISTERED, decided_at=timezone.now(), decided_by=actor
    )
    _notify(locked, "approved")
    return locked


@transaction.atomic
def registration_deny(*, registration: Registration, actor, reason: str) -> Registration:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("registration.reason", "Give the reason for the denial.", field="reason")
    session = _lock_session(registration.session)
    locked = lock(registration, Status.REQUESTED, code="registration.not_requested", verb="deny")
    locked = move(
        locked,
        actor=actor,
        to=Status.DENIED,
        note=reason,
        reason=reason,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    _notify(locked, "denied")
    _promote(session, actor)
    return locked


def session_closing(*, session: Session, actor) -> None:
    """When a session closes, requests still waiting are denied and the waitlist is let go:
    neither holds a seat any more, and nothing is left to approve on a closed session. Each
    group moves in one UPDATE, with each registration's TRANSITION event."""
    waiting = list(
        Registration.objects.select_for_update(of=("self",))
        .select_related("district", "staff")
        .filter(session=session, status__in=(Status.REQUESTED, Status.WAITLISTED))
        .order_by("pk")
    )
    for reg in waiting:
        reg.session = session  # its events name it
    now = timezone.now()
    note, reason = "The session closed.", "The session closed before a seat was confirmed."
    denied = [r for r in waiting if r.status == Status.REQUESTED]
    move_many(
        denied, actor=actor, to=Status.DENIED, note=note, reason=reason, position=None,
        cancelled_at=None,
    )  # fmt: skip
    let_go = [r for r in waiting if r.status == Status.WAITLISTED]
    move_many(
        let_go, actor=actor, to=Status.CANCELLED, note=note, reason=reason, position=None,
        cancelled_at=now,
    )  # fmt: skip
    for reg in waiting:
        # Either email gives the reason: the session closed before a seat was confirmed.
        _notify(reg, "cancelled" if reg.status == Status.CANCELLED else "denied")


# --- cancellation and the waitlist ---------------------------------------------------------


@transaction.atomic
def registration_cancel(*, registration: Registration, actor, reason: str = "") -> Registration:
    """The registrant cancels until the session's `cancel_by` (a waitlisted person any time);
    the offering's managers and the registrant's leaders (the view checks who may) any time
    before the session ends. What it held is released and the waitlist moves up."""
    reason = (reason or "").strip()
    session = _lock_session(registration.session)
    locked = lock(registration, *CANCELLABLE, code="registration.not_cancellable", verb="cancel")
    now = timezone.now()
    waitlisted = locked.status == Status.WAITLISTED
    if not waitlisted and session.ends_at and session.ends_at <= now:
        raise Conflict("registration.session_over", "This session is over; it cannot be cancelled.")
    is_self = actor is not None and Staff.objects.filter(pk=locked.staff_id, user=actor).exists()
    if is_self and not waitlisted and session.cancel_by and now > session.cancel_by:
        raise Conflict(
            "registration.cancel_deadline",
            "Cancellations closed on "
            f"{session.cancel_by.astimezone(session.district.tz):%A %-d %B %Y at %H:%M}; "
            "ask the organiser or your principal or program director.",
        )
    held_seat = locked.status in HOLDS_SEAT
    _release(locked, actor, reason or "Registration cancelled")
    position = locked.position
    locked = move(
        locked,
        actor=actor,
        to=Status.CANCELLED,
        note=reason,
        reason=reason,
        cancelled_at=now,
        position=None,
    )
    _close_gap(session, position)
    if not is_self:
        _notify(locked, "cancelled")
    if held_seat:
        _promote(session, actor)
    return locked


def _promote(session: Session, actor) -> list[Registration]:
    """Fill every free seat from the waitlist, lowest position first. `session` is locked."""
    if session.status != Session.Status.SCHEDULED:
        return []
    if session.ends_at and session.ends_at <= timezone.now():
        return []
    free = session.capacity - seats_taken(session)
    promoted: list[Registration] = []
    if free <= 0:
        return promoted
    line = list(
        Registration.objects.filter(session=session, status=Status.WAITLISTED)
        .select_related("staff", "district")
        .order_by("position", "created_at", "id")
    )
    for reg in line:
        if len(promoted) >= free:
            break
        to = _seat_status(session)
        try:
            with transaction.atomic():  # a savepoint: a refused encumbrance undoes only this one
                if to == Status.REGISTERED:
                    _encumber(reg, session, actor)
        except DomainError as exc:
            reg.refresh_from_db()
            audit_event(
                district=reg.district,
                actor=None,
                action=AuditEvent.Action.UPDATE,
                obj=reg,
                comment=f"Not promoted from the waitlist: {exc.detail} ({exc.code})",
            )
            continue
        position = reg.position
        # Recorded as the system's step: whoever freed the seat is no business of the person
        # promoted, and their history would otherwise name them.
        reg = move(reg, actor=None, to=to, note="Promoted from the waitlist", position=None)
        _close_gap(session, position)
        _notify(reg, "promoted")
        promoted.append(reg)
    return promoted


@transaction.atomic
def waitlist_promote(*, session: Session, actor) -> list[Registration]:
    """Fill free seats from the waitlist, e.g. after the capacity grew."""
    return _promote(_lock_session(session), actor)


@transaction.atomic
def session_cancelled(*, session: Session, actor) -> int:
    """Cancel every active registration of a cancelled session, releasing what each held.
    Returns how many were cancelled."""
    locked = _lock_session(session)
    regs = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(session=locked, status__in=CANCELLABLE)
        .order_by("pk")
    )
    now = timezone.now()
    reason = "The session was cancelled."
    for reg in regs:
        _release(reg, actor, reason)
        move(
            reg,
            actor=actor,
            to=Status.CANCELLED,
            note=reason,
            reason=reason,
            cancelled_at=now,
            position=None,
        )
        _notify(reg, "session_cancelled")
    return len(regs)


def settle(*, registration: Registration, actor) -> None:
    """Turn a registration's fee and substitute-day encumbrances into expenditures when its
    session closes (the contract with `session_close`). Paid entries are left alone, so
    settling twice posts nothing new."""
    settle_many(registrations=[registration], actor=actor)


def settle_many(*, registrations: list[Registration], actor) -> None:
    """`settle` for several registrations at once: their open entries read together and paid
    in one ledger step, in the registrations' order."""
    held = [r for r in registrations if r.fee_entry_id or r.days_entry_id]
    if not held:
        return  # none ever held anything: no transaction to open
    open_entries = _open_entries_of(held)
    ledger.post_many(
        [
            ledger.spending(
                encumbrance=entry,
                amount=entry.amount,
                hours=entry.hours,
                days=entry.days,
                cause=reg,  # the registration the entry was posted for
                actor=actor,
                memo=f"Settled at close: {reg.session}",
            )
            for reg in held
            for entry in open_entries[reg.pk]
        ]
    )


def roster_exported(*, session: Session, actor) -> None:
    """Record that a session's registrations were downloaded; exports are audited."""
    audit_event(
        district=session.district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=session,
        comment="Registrations exported as CSV",
    )


# --- whole-group assignment ------------------------------------------------------------------


def _seats(n: int) -> str:
    return f"{n} seat is" if n == 1 else f"{n} seats are"


def _overlaps(values: Iterable[str], wanted: set[str]) -> bool:
    return bool({v.strip().lower() for v in values or []} & wanted)


def assignable_staff(
    *,
    session: Session,
    school: School | None = None,
    program: Program | None = None,
    roles: Iterable[str] = (),
    subjects: Iterable[str] = (),
    grade_bands: Iterable[str] = (),
) -> list[Staff]:
    """The active staff with a current assignment at the school or in the program, narrowed by
    role (of that assignment), subject and grade band (any of each)."""
    district = session.district
    current = Assignment.objects.filter(district=district).current(district.today())
    current = (
        current.filter(school=school) if school is not None else current.filter(program=program)
    )
    roles = [r for r in roles if r]
    if roles:
        current = current.filter(role__in=roles)
    people = list(
        Staff.objects.filter(
            district=district, is_active=True, pk__in=current.values("staff_id")
        ).order_by("last_name", "first_name", "pk")
    )
    wanted_subjects = {s.strip().lower() for s in subjects if s and s.strip()}
    wanted_bands = {g.strip().lower() for g in grade_bands if g and g.strip()}
    if wanted_subjects:
        people = [p for p in people if _overlaps(p.subjects, wanted_subjects)]
    if wanted_bands:
        people = [p for p in people if _overlaps(p.grade_bands, wanted_bands)]
    return people


def assignment_plan(session: Session, people: list[Staff]) -> dict[str, Any]:
    """Who an assignment would register: new people, waitlisted people who get a seat, and
    those it leaves alone because they already hold one; with the seats it needs and has."""
    active = {
        staff_id: (status, pk)
        for staff_id, status, pk in Registration.objects.filter(
            session=session, status__in=ACTIVE, staff__in=[p.pk for p in people]
        ).values_list("staff_id", "status", "pk")
    }
    new = [p for p in people if p.pk not in active]
    waitlisted = [
        active[p.pk][1] for p in people if active.get(p.pk, ("",))[0] == Status.WAITLISTED
    ]
    holding = len(people) - len(new) - len(waitlisted)
    free = max(session.capacity - seats_taken(session), 0)
    return {
        "new": new,
        "waitlisted": waitlisted,
        "already": holding,
        "needed": len(new) + len(waitlisted),
        "free": free,
    }


@transaction.atomic
def session_assign(
    *,
    session: Session,
    actor,
    school: School | None = None,
    program: Program | None = None,
    roles: Iterable[str] = (),
    subjects: Iterable[str] = (),
    grade_bands: Iterable[str] = (),
) -> SessionAssignment:
    """A principal (for their school), a program director (for their program) or an
    administrator assigns the session to the unit's current staff, or a filtered part of them.
    Each gets a required, registered seat; waitlisted members are moved into a seat; those who
    already hold one are left alone. Refused if it needs more seats than are free."""
    if (school is None) == (program is None):
        raise DomainError(
            "session_assignment.unit", "Choose a school or a program, not both.", field="school"
        )
    unit = school or program
    if unit.district_id != session.district_id:
        raise DomainError(
            "session_assignment.other_district", f"{unit} belongs to another district."
        )
    who = actor_for(actor)
    if (
        who is None
        or who.district.pk != session.district_id
        or not who.leads(getattr(school, "pk", None), getattr(program, "pk", None))
    ):
        raise DomainError(
            "session_assignment.not_leader",
            f"Only the leaders of {unit} assign sessions to its staff.",
        )
    locked = _lock_session(session)
    _check_open(locked, timezone.now(), window=False)
    roles, subjects, grade_bands = (
        [str(v).strip() for v in values if str(v).strip()]
        for values in (roles, subjects, grade_bands)
    )
    people = assignable_staff(
        session=locked,
        school=school,
        program=program,
        roles=roles,
        subjects=subjects,
        grade_bands=grade_bands,
    )
    plan = assignment_plan(locked, people)
    if not plan["needed"]:
        raise Conflict(
            "session_assignment.nobody",
            "Nobody to assign: everyone in this group already holds a seat, or the group is empty.",
        )
    if plan["needed"] > plan["free"]:
        raise Conflict(
            "session_assignment.no_seats",
            f"This assigns {plan['needed']} people but only {_seats(plan['free'])} free; "
            f"raise the capacity by {plan['needed'] - plan['free']} or narrow the group.",
        )
    now = timezone.now()
    registrations = []
    for staff in plan["new"]:
        reg = Registration.objects.create(
            district=locked.district,
            session=locked,
            staff=staff,
            school=school,
            program=program,
            status=Status.REGISTERED,
            assigned=True,
            assigned_by=actor,
            decided_at=now,
            decided_by=actor,
        )
        _audit_create(reg, actor, comment=f"Assigned to the staff of {unit}")
        _encumber(reg, locked, actor)
        registrations.append(reg)
    for pk in plan["waitlisted"]:
        reg = Registration.objects.select_for_update(of=("self",)).get(pk=pk)
        position = reg.position
        reg = move(
            reg,
            actor=actor,
            to=Status.REGISTERED,
            note=f"Assigned to the staff of {unit}",
            position=None,
            assigned=True,
            assigned_by=actor,
            decided_at=now,
            decided_by=actor,
        )
        _close_gap(locked, position)
        _encumber(reg, locked, actor)
        registrations.append(reg)
    record = SessionAssignment.objects.create(
        district=locked.district,
        session=locked,
        school=school,
        program=program,
        roles=roles,
        subjects=subjects,
        grade_bands=grade_bands,
        assigned_count=len(registrations),
        assigned_by=actor,
    )
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=record,
        changes={
            "unit": [None, str(unit)],
            "roles": [None, roles],
            "subjects": [None, subjects],
            "grade_bands": [None, grade_bands],
            "assigned_count": [None, len(registrations)],
        },
    )
    for reg in registrations:
        _notify(reg, "assigned")
    return record


# --- calendar feeds --------------------------------------------------------------------------


@transaction.atomic
def feed_get_or_create(*, staff: Staff, actor) -> CalendarFeed:
    """The person's calendar feed, made on first asking."""
    Staff.objects.select_for_update().filter(pk=staff.pk).first()  # one feed, even when asked twice
    feed = CalendarFeed.objects.filter(staff=staff).first()
    if feed is None:
        feed = CalendarFeed.objects.create(district=staff.district, staff=staff)
        audit_event(district=staff.district, actor=actor, action=AuditEvent.Action.CREATE, obj=feed)
    return feed


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, actor) -> CalendarFeed:
    """A new secret address: the old one stops working at once."""
    locked = CalendarFeed.objects.select_for_update().get(pk=feed.pk)
    locked.token = new_feed_token()
    locked.save(update_fields=["token"])
    audit_event(
        district=locked.district,
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=locked,
        changes={"token": ["(revoked)", "(new)"]},
        comment="Calendar link revoked; a new one was made.",
    )
    return locked
