"""Writes for attendance and completion: the facilitator's roster, self check-in with a
meeting's code, module attestations, the evaluation of completion rules (awarding credit), and
closing a session.

Access is asked by the views (`attend` on the meeting for the roster, the registrant for
attestations, `change` on the session for closing and re-evaluating); the services check what
the records themselves require. `actor` is the user who acts, as in every service.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.catalog import completion, credit
from cadre.catalog.models import Attendance, Completion, Meeting, Registration, Session
from cadre.catalog.services import registration as registration_services
from cadre.core.errors import Conflict, DomainError
from cadre.core.workflow import lock, move
from cadre.districts.models import Staff

Status = Registration.Status
Method = Attendance.Method

# Self check-in opens this long before a meeting starts, and closes when it ends.
CHECKIN_GRACE = timedelta(minutes=15)

# Whose attendance is taken: those holding a seat who were let in.
ATTENDING = (Status.REGISTERED, Status.COMPLETED, Status.INCOMPLETE)

AUDITED = ["present", "minutes", "method", "evidence"]


def _snapshot(a: Attendance | None) -> dict:
    if a is None:
        return {}
    return {"present": a.present, "minutes": a.minutes, "method": a.method, "evidence": a.evidence}


def _audit_attendance(
    attendance: Attendance, *, actor, before: dict, after: dict | None = None, save: bool = True
):
    """The mark's CREATE or UPDATE event, or None when nothing changed. `after` is the
    attendance as marked (default: as it is); `save=False` leaves the event for the caller to
    write with others."""
    after = _snapshot(attendance) if after is None else after
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if not changes:
        return None
    return audit_event(
        district=attendance.district,
        actor=actor,
        action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
        obj=attendance,
        changes=changes,
        save=save,
    )


def _locked_registration(registration: Registration) -> Registration:
    """The registration locked for this transaction: marks, attestations and evaluations of
    one person's place happen one at a time."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("session__offering", "staff")
        .get(pk=registration.pk)
    )


def _check_belongs(meeting: Meeting, registration: Registration) -> None:
    if registration.session_id != meeting.session_id:
        raise DomainError(
            "attendance.wrong_session",
            f"{registration.staff} is not registered in the session of this meeting.",
            field="registration",
        )


# --- the roster ------------------------------------------------------------------------------


@transaction.atomic
def attendance_mark(
    *, meeting: Meeting, registration: Registration, present: bool, actor, minutes=None
) -> Attendance:
    """Mark a participant present (all of the meeting's credited minutes, or `minutes` for a
    partial attendance) or absent, from the facilitator's roster."""
    _check_belongs(meeting, registration)
    locked = _locked_registration(registration)
    existing = (
        Attendance.objects.select_for_update().filter(meeting=meeting, registration=locked).first()
    )
    mark = _mark(meeting, locked, existing, present=present, minutes=minutes, actor=actor)
    _save_marks([mark], actor=actor)
    return mark[0]


@transaction.atomic
def attendance_mark_many(*, session: Session, marks: list[tuple], actor) -> list[Attendance]:
    """A session's roster marked at once: `marks` is a list of (meeting, registration,
    present) or (meeting, registration, present, minutes), each marked as `attendance_mark`
    marks it, in the order given, with the same refusals and audit events. All or nothing.
    The registrations are locked together (in id order), and the attendance already recorded
    is read in one query."""
    marks = [(*m, None) if len(m) == 3 else tuple(m) for m in marks]
    for meeting, registration, *_ in marks:
        if meeting.session_id != session.pk:
            raise DomainError(
                "attendance.wrong_session",
                f"{meeting} is not a meeting of {session}.",
                field="meeting",
            )
        _check_belongs(meeting, registration)
    if not marks:
        return []
    reg_ids = sorted({registration.pk for _, registration, *_ in marks})
    locked = {
        r.pk: r
        for r in Registration.objects.select_for_update(of=("self",))
        .select_related("session__offering", "session__district", "staff")
        .filter(pk__in=reg_ids)
        .order_by("pk")
    }
    existing = {
        (a.meeting_id, a.registration_id): a
        for a in Attendance.objects.select_for_update().filter(
            meeting__in={m.pk for m, *_ in marks}, registration_id__in=reg_ids
        )
    }
    district = next(iter(locked.values())).session.district
    done = []
    for meeting, registration, present, minutes in marks:
        meeting.district = district  # the session's district (same-district rows)
        key = (meeting.pk, registration.pk)
        done.append(
            _mark(
                meeting,
                locked[registration.pk],
                existing.get(key),
                present=present,
                minutes=minutes,
                actor=actor,
            )
        )
        existing[key] = done[-1][0]  # marked twice in one list: the second changes the first
    _save_marks(done, actor=actor)
    return [attendance for attendance, *_ in done]


def _save_marks(marks: list[tuple[Attendance, dict, dict]], *, actor) -> None:
    """Write the marks (each attendance with what it was before, {} for a new one, and as
    marked): the new rows together, the changed ones together, and each mark's audit event."""
    rows = list({id(a): a for a, *_ in marks}.values())  # marked twice: one row
    new = [a for a in rows if a.pk is None]
    changed = [a for a in rows if a.pk is not None]
    Attendance.objects.bulk_create(new)
    now = timezone.now()
    for a in changed:
        a.recorded_at = now  # as saving it one by one would
    Attendance.objects.bulk_update(
        changed, ["present", "minutes", "method", "recorded_by", "recorded_at"]
    )
    events = [
        _audit_attendance(a, actor=actor, before=before, after=after, save=False)
        for a, before, after in marks
    ]
    AuditEvent.objects.bulk_create([e for e in events if e is not None])


def _mark(
    meeting: Meeting, locked: Registration, existing, *, present: bool, minutes, actor
) -> tuple[Attendance, dict, dict]:
    """The roster's rules for one mark, on a locked registration and its attendance at this
    meeting (None if none yet): the attendance, not yet saved, what it was and what it is
    now."""
    if locked.status not in ATTENDING:
        raise Conflict(
            "attendance.not_registered",
            f"{locked.staff} is {locked.get_status_display().lower()} in this session; "
            "attendance is taken only for registered participants.",
        )
    if locked.session.status == Session.Status.CANCELLED:
        raise Conflict("attendance.session_cancelled", "This session was cancelled.")
    if locked.status == Status.COMPLETED:
        # The certificate and transcript stand on the attendance as it was when awarded.
        raise Conflict(
            "attendance.credited",
            f"{locked.staff} has completed and been credited; their attendance stays as it was.",
        )
    if present:
        minutes = meeting.minutes if minutes is None else minutes
        if not 0 <= minutes <= meeting.minutes:
            raise DomainError(
                "attendance.minutes",
                f"Minutes attended must be between 0 and the meeting's {meeting.minutes} "
                "credited minutes.",
                field="minutes",
            )
    else:
        minutes = 0
    before = _snapshot(existing)
    attendance = existing or Attendance(
        district=meeting.district, meeting=meeting, registration=locked
    )
    attendance.present = present
    attendance.minutes = minutes
    attendance.method = Method.ROSTER
    attendance.recorded_by = actor
    return attendance, before, _snapshot(attendance)


# --- self check-in ---------------------------------------------------------------------------


def checkin_window(meeting: Meeting) -> tuple[datetime, datetime]:
    return meeting.starts_at - CHECKIN_GRACE, meeting.ends_at


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


@transaction.atomic
def checkin(*, code: str, staff: Staff, actor, now: datetime | None = None):
    """Check oneself in to a meeting with the code shown in the room. Valid from
    `CHECKIN_GRACE` before the start until the end, for a registered participant of the
    meeting's session. Answers (attendance, created): an attendance already marked is kept."""
    now = now or timezone.now()
    code = normalise_code(code)
    if not code:
        raise DomainError("checkin.code_missing", "Type the code shown in the room.", field="code")
    meetings = list(
        Meeting.objects.filter(
            district=staff.district, checkin_code=code, starts_at__isnull=False
        ).select_related("session__offering")
    )
    if not meetings:
        raise DomainError(
            "checkin.code_unknown",
            f"No meeting has the code {code}. Check the code shown in the room.",
            field="code",
        )
    registrations = {
        r.session_id: r
        for r in Registration.objects.filter(
            session__in={m.session_id for m in meetings}, staff=staff, status=Status.REGISTERED
        )
    }
    mine = [m for m in meetings if m.session_id in registrations]
    if not mine:
        raise DomainError(
            "checkin.not_registered",
            f"You are not registered for {meetings[0].session}, so you cannot check in to it.",
            field="code",
        )
    meeting = next((m for m in mine if _open(m, now)), None)
    if meeting is None:
        meeting = min(mine, key=lambda m: abs(m.starts_at - now))
        opens, closes = checkin_window(meeting)
        local = timezone.localtime(opens, staff.district.tz)
        if now < opens:
            raise DomainError(
                "checkin.too_early",
                f"Check-in for {meeting.session} opens at {local:%-d %B %Y, %H:%M}, "
                f"{CHECKIN_GRACE.seconds // 60} minutes before the meeting starts.",
                field="code",
            )
        raise DomainError(
            "checkin.closed",
            f"The meeting of {meeting.session} has ended; check-in is closed. Ask the "
            "facilitator to mark your attendance.",
            field="code",
        )
    locked = _locked_registration(registrations[meeting.session_id])
    if locked.status != Status.REGISTERED:
        raise DomainError(
            "checkin.not_registered", "You are no longer registered for this session."
        )
    existing = Attendance.objects.filter(meeting=meeting, registration=locked).first()
    if existing is not None:
        return existing, False
    attendance = Attendance.objects.create(
        district=meeting.district,
        meeting=meeting,
        registration=locked,
        present=True,
        minutes=meeting.minutes,
        method=Method.CHECKIN,
        recorded_by=actor,
    )
    _audit_attendance(attendance, actor=actor, before={})
    return attendance, True


def _open(meeting: Meeting, now: datetime) -> bool:
    opens, closes = checkin_window(meeting)
    return opens <= now <= closes


# --- self-paced modules ----------------------------------------------------------------------


@transaction.atomic
def module_attest(*, meeting: Meeting, registration: Registration, actor, evidence: str):
    """The registrant attests that they completed a module, saying what they did. When every
    module is attested, completion is evaluated (a self-paced offering completes then)."""
    if not meeting.is_module:
        raise DomainError(
            "attendance.not_a_module",
            "This is a scheduled meeting; attendance is taken there, not attested.",
        )
    _check_belongs(meeting, registration)
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(
            "attendance.evidence_required",
            "Say what you did to complete the module: the evidence is required.",
            field="evidence",
        )
    locked = _locked_registration(registration)
    if locked.status != Status.REGISTERED:
        raise Conflict(
            "attendance.not_registered",
            f"Your registration is {locked.get_status_display().lower()}; modules are attested "
            "while registered.",
        )
    existing = (
        Attendance.objects.select_for_update().filter(meeting=meeting, registration=locked).first()
    )
    before = _snapshot(existing)
    attendance = existing or Attendance(
        district=meeting.district, meeting=meeting, registration=locked
    )
    attendance.present = True
    attendance.minutes = meeting.minutes
    attendance.method = Method.ATTESTATION
    attendance.evidence = evidence
    attendance.recorded_by = actor
    attendance.save()
    _audit_attendance(attendance, actor=actor, before=before)
    self_paced = locked.session.offering.is_self_paced
    if self_paced and completion.RULES["modules"](_for_evaluation(locked)) is None:
        completion_evaluate(registration=locked, actor=actor, final=False)
    return attendance


# --- completion ------------------------------------------------------------------------------


def _for_evaluation(registration: Registration) -> Registration:
    return _for_evaluation_of([registration.pk])[registration.pk]


def _for_evaluation_of(pks: list[int]) -> dict[int, Registration]:
    """The registrations with what the completion rules read (by pk), in three queries."""
    return {
        reg.pk: reg
        for reg in Registration.objects.select_related(
            "session__offering", "session__school_year", "district", "staff"
        )
        .prefetch_related(
            Prefetch("attendance", Attendance.objects.order_by()),
            Prefetch("session__meetings", Meeting.objects.order_by("starts_at", "id")),
        )
        .filter(pk__in=pks)
    }


def completed_on(registration: Registration) -> date:
    """The date of the session's last meeting; today for a self-paced session (or one with
    modules only)."""
    district = registration.district
    ends = [m.ends_at for m in registration.session.meetings.all() if m.ends_at]
    if registration.session.offering.is_self_paced or not ends:
        return district.today()
    return timezone.localtime(max(ends), district.tz).date()


@transaction.atomic
def completion_evaluate(*, registration: Registration, actor, final: bool = True):
    """Apply the offering's completion rules. Met: award the credit (a Completion) and move the
    registration to completed. Not met: move it to incomplete with the reason, or, when not
    `final` (a self-paced registrant still working), leave it registered. An incomplete one
    is evaluated again after its attendance is corrected. Answers the Completion, or None."""
    locked = lock(
        registration,
        Status.REGISTERED,
        Status.INCOMPLETE,
        code="registration.not_evaluable",
        verb="evaluate",
    )
    return _evaluate([locked], actor=actor, final=final)[0]


def _evaluate(locked: list[Registration], *, actor, final: bool) -> list:
    """`completion_evaluate` for registrations the caller has locked in an evaluable state,
    in order; their attendance and meetings are read at once, and the credit awarded, the
    moves and their audit events are written together. Answers a Completion or None for
    each."""
    if Completion.objects.filter(registration__in=[r.pk for r in locked]).exists():
        raise Conflict("completion.exists", "Credit was already awarded for this registration.")
    evaluated = _for_evaluation_of([r.pk for r in locked])
    results = []
    moves = []  # (row, to, note, reason, (the credit awarded, its note) or None)
    for row in locked:
        reg = evaluated[row.pk]
        # The locked row names its district, person and session in its audit events: the
        # ones just read, not a query each.
        row.district, row.staff, row.session = reg.district, reg.staff, reg.session
        reasons = completion.unmet(reg)
        if not reasons:
            awarded, note = _award(reg, row, actor=actor)
            hours = f"{awarded.clock_hours} clock hours awarded."
            moves.append(
                (row, Status.COMPLETED, hours + (f" {note}" if note else ""), "", (awarded, note))
            )
            results.append(awarded)
            continue
        reason = "; ".join(reasons) + "."
        if final:
            moves.append((row, Status.INCOMPLETE, reason, reason, None))
        elif row.reason != reason:
            row.reason = reason
            row.save(update_fields=["reason", "updated_at"])
        results.append(None)
    _write_moves(moves, actor=actor)
    return results


def _award(reg: Registration, locked: Registration, *, actor) -> tuple[Completion, str]:
    """The credit the registration earned, not yet saved, and the note on its minimum."""
    session, offering, district = reg.session, reg.session.offering, reg.district
    minutes = completion.attended_minutes(reg)
    hours = credit.clock_hours(district, minutes, offering_minutes=session.minutes)
    awarded = Completion(
        district=district,
        registration=locked,
        staff=reg.staff,
        offering=offering,
        school_year=session.school_year,
        completed_on=completed_on(reg),
        minutes=minutes,
        clock_hours=hours,
        category=offering.category,
        credit_kind=offering.credit_kind,
        credits=offering.credits,
        awarded_by=actor,
    )
    return awarded, credit.minimum_note(district, session.minutes)


def _write_moves(moves: list[tuple], *, actor) -> None:
    """Save the credit awarded and move each registration (as `move` would, one UPDATE for
    all), with each award's CREATE event before its registration's TRANSITION."""
    if not moves:
        return
    Completion.objects.bulk_create([award[0] for *_, award in moves if award is not None])
    now = timezone.now()
    events = []
    for row, to, note, reason, award in moves:
        if award is not None:
            awarded, minimum = award
            events.append(
                audit_event(
                    district=awarded.district,
                    actor=actor,
                    action=AuditEvent.Action.CREATE,
                    obj=awarded,
                    changes={
                        "minutes": [None, awarded.minutes],
                        "clock_hours": [None, str(awarded.clock_hours)],
                        "category": [None, awarded.category],
                    },
                    comment=minimum,
                    save=False,
                )
            )
        before = row.status
        row.status, row.reason, row.updated_at = to, reason, now
        events.append(
            audit_event(
                district=row.district,
                actor=actor,
                action=AuditEvent.Action.TRANSITION,
                obj=row,
                from_state=before,
                to_state=to,
                comment=note,
                save=False,
            )
        )
    Registration.objects.bulk_update([m[0] for m in moves], ["status", "reason", "updated_at"])
    AuditEvent.objects.bulk_create(events)


@transaction.atomic
def completion_reevaluate(*, registration: Registration, actor):
    """A manager re-opens an incomplete registration's evaluation, after correcting its
    attendance: the rules are applied again. Answers the Completion, or None."""
    locked = lock(
        registration,
        Status.INCOMPLETE,
        code="registration.not_incomplete",
        verb="evaluate again",
    )
    return completion_evaluate(registration=locked, actor=actor)


def last_meeting_end(session: Session) -> datetime | None:
    return session.meetings.filter(ends_at__isnull=False).aggregate(end=Max("ends_at"))["end"]


def closable(session: Session, now: datetime | None = None) -> bool:
    """A scheduled session whose last meeting has ended (or that has no scheduled meetings)."""
    if session.status != Session.Status.SCHEDULED:
        return False
    end = last_meeting_end(session)
    return end is None or end <= (now or timezone.now())


@transaction.atomic
def session_close(*, session: Session, actor, now: datetime | None = None) -> Session:
    """After its last meeting: evaluate every registered participant (awarding credit or
    marking them incomplete), settle every held seat's fee and substitute days, and close the
    session."""
    locked = lock(session, Session.Status.SCHEDULED, code="session.not_closable", verb="close")
    end = last_meeting_end(locked)
    if end is not None and end > (now or timezone.now()):
        local = timezone.localtime(end, locked.district.tz)
        raise Conflict(
            "session.not_ended",
            f"The last meeting ends at {local:%-d %B %Y, %H:%M}; close the session after it.",
        )
    # Every registered participant, locked (in id order) and evaluated at once.
    registered = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(session=locked, status=Status.REGISTERED)
        .order_by("id")
    )
    _evaluate(registered, actor=actor, final=True)
    holding = list(locked.registrations.filter(status__in=Registration.HOLDS_SEAT).order_by("id"))
    for reg in holding:
        reg.session = locked  # the settlement's memo names it
    registration_services.settle_many(registrations=holding, actor=actor)
    registration_services.session_closing(session=locked, actor=actor)
    awarded = locked.registrations.filter(status=Status.COMPLETED).count()
    return move(
        locked,
        actor=actor,
        to=Session.Status.CLOSED,
        note=f"Closed; {awarded} completed.",
    )
