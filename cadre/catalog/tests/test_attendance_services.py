"""Attendance and completion services: the roster's marks, check-in's window, module
attestations, the pluggable completion rules at their edges, awarding credit (once), and
closing a session."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.catalog import completion as rules
from cadre.catalog import credit
from cadre.catalog.factories import (
    OfferingFactory,
    RegistrationFactory,
    SessionFactory,
    add_meeting,
)
from cadre.catalog.models import Attendance, Completion, Meeting, Offering, Registration, Session
from cadre.catalog.services import attendance as services
from cadre.core.errors import Conflict, DomainError
from cadre.tests.kit import fresh

pytestmark = pytest.mark.django_db
Status = Registration.Status


def make_session(o, *, minutes=180, start=None, percent=80, **offering_fields):
    district = o["school"].district
    offering = OfferingFactory(district=district, min_attendance_percent=percent, **offering_fields)
    session = SessionFactory(district=district, offering=offering, school_year=o["year"])
    start = start or timezone.now().replace(microsecond=0) - timedelta(days=2)
    meeting = add_meeting(session, start=start, minutes=minutes)
    return session, meeting


def register(o, session, staff=None, status=Status.REGISTERED):
    staff = staff or o["teacher"]
    return RegistrationFactory(
        district=session.district, session=session, staff=staff, school=o["school"], status=status
    )


def add_module(session, title, minutes=60):
    module = Meeting.objects.create(
        district=session.district, session=session, title=title, minutes=minutes
    )
    session.minutes = sum(m.minutes for m in session.meetings.all())
    session.save(update_fields=["minutes"])
    return module


# --- the roster ------------------------------------------------------------------------------


def test_mark_toggles_present_and_absent_with_audit(o):
    session, meeting = make_session(o)
    reg = register(o, session)
    actor = o["admin"].user
    a = services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=actor)
    assert (a.present, a.minutes, a.method) == (True, 180, Attendance.Method.ROSTER)
    a = services.attendance_mark(meeting=meeting, registration=reg, present=False, actor=actor)
    assert (a.present, a.minutes) == (False, 0)
    assert Attendance.objects.filter(meeting=meeting, registration=reg).count() == 1
    events = AuditEvent.objects.filter(object_type="catalog.attendance", object_id=str(a.pk))
    assert [e.action for e in events.order_by("id")] == ["create", "update"]
    assert events.order_by("id").last().changes["present"] == [True, False]


def test_mark_partial_minutes_never_above_the_meeting(o):
    session, meeting = make_session(o, minutes=120)
    reg = register(o, session)
    actor = o["admin"].user
    a = services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=actor, minutes=90
    )
    assert a.minutes == 90
    a = services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=actor, minutes=120
    )
    assert a.minutes == 120
    with pytest.raises(DomainError) as exc:
        services.attendance_mark(
            meeting=meeting, registration=reg, present=True, actor=actor, minutes=121
        )
    assert exc.value.code == "attendance.minutes"
    assert exc.value.field == "minutes"


def test_mark_only_for_the_meetings_session_and_registered_people(o):
    session, meeting = make_session(o)
    other_session, _ = make_session(o)
    actor = o["admin"].user
    elsewhere = register(o, other_session)
    with pytest.raises(DomainError) as exc:
        services.attendance_mark(meeting=meeting, registration=elsewhere, present=True, actor=actor)
    assert exc.value.code == "attendance.wrong_session"
    for status in (Status.WAITLISTED, Status.CANCELLED, Status.REQUESTED):
        reg = register(o, session, staff=o["program_teacher"], status=status)
        with pytest.raises(Conflict) as exc:
            services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=actor)
        assert exc.value.code == "attendance.not_registered"
        reg.status = Status.CANCELLED
        reg.save()
    # An incomplete registration's attendance can be corrected (and evaluated again); a
    # completed one's stands as it was credited.
    reg = register(o, session, staff=o["other_teacher"], status=Status.INCOMPLETE)
    assert services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=actor)
    reg.status = Status.CANCELLED
    reg.save()
    reg = register(o, session, staff=o["other_teacher"], status=Status.COMPLETED)
    with pytest.raises(Conflict) as exc:
        services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=actor)
    assert exc.value.code == "attendance.credited"


def test_a_whole_roster_is_marked_at_once_as_mark_by_mark(o):
    session, meeting = make_session(o, minutes=120)
    second = add_meeting(session, start=meeting.ends_at + timedelta(days=1), minutes=60)
    first = register(o, session)
    other = register(o, session, staff=o["program_teacher"])
    actor = o["admin"].user
    services.attendance_mark(meeting=meeting, registration=other, present=True, actor=actor)
    marked = services.attendance_mark_many(
        session=session,
        marks=[
            (meeting, first, True),
            (second, first, True, 30),
            (meeting, other, False),  # a correction: an update, as a single mark makes it
            (second, other, True),
            (second, other, False),  # the same person twice in one list: the later mark wins
        ],
        actor=actor,
    )
    got = [(a.registration_id, a.meeting_id, a.present, a.minutes) for a in marked]
    assert got[:3] == [
        (first.pk, meeting.pk, True, 120),
        (first.pk, second.pk, True, 30),
        (other.pk, meeting.pk, False, 0),
    ]
    assert marked[3].pk == marked[4].pk and got[4] == (other.pk, second.pk, False, 0)
    assert Attendance.objects.filter(registration__session=session).count() == 4
    events = AuditEvent.objects.filter(object_type="catalog.attendance").order_by("id")
    assert [(e.object_id, e.action) for e in events] == [
        (str(marked[2].pk), "create"),
        (str(marked[0].pk), "create"),
        (str(marked[1].pk), "create"),
        (str(marked[2].pk), "update"),
        (str(marked[3].pk), "create"),
        (str(marked[4].pk), "update"),
    ]
    assert all(e.actor == actor for e in events)
    assert events.last().changes == {"present": [True, False], "minutes": [60, 0]}


def test_a_roster_is_marked_all_or_nothing_with_the_single_refusals(o):
    session, meeting = make_session(o)
    other_session, other_meeting = make_session(o)
    actor = o["admin"].user
    reg = register(o, session)
    done = register(o, session, staff=o["other_teacher"], status=Status.COMPLETED)
    elsewhere = register(o, other_session, staff=o["program_teacher"])
    wrong = "attendance.wrong_session"
    cases = [
        ([(meeting, reg, True), (meeting, done, True)], Conflict, "attendance.credited"),
        ([(meeting, reg, True), (meeting, elsewhere, True)], DomainError, wrong),
        ([(other_meeting, elsewhere, True)], DomainError, wrong),
        ([(meeting, reg, True, 500)], DomainError, "attendance.minutes"),
    ]
    for marks, error, code in cases:
        with pytest.raises(error) as exc:
            services.attendance_mark_many(session=session, marks=marks, actor=actor)
        assert exc.value.code == code
    assert not Attendance.objects.filter(registration__session=session).exists()
    assert services.attendance_mark_many(session=session, marks=[], actor=actor) == []


# --- check-in --------------------------------------------------------------------------------


def test_checkin_window_edges(o):
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    session, meeting = make_session(o, start=start, minutes=90)
    reg = register(o, session)
    staff, user = o["teacher"], o["teacher"].user
    assert timedelta(minutes=15) == services.CHECKIN_GRACE

    with pytest.raises(DomainError) as exc:
        services.checkin(
            code=meeting.checkin_code, staff=staff, actor=user, now=start - timedelta(minutes=16)
        )
    assert exc.value.code == "checkin.too_early"

    after = meeting.ends_at + timedelta(minutes=1)
    with pytest.raises(DomainError) as exc:
        services.checkin(code=meeting.checkin_code, staff=staff, actor=user, now=after)
    assert exc.value.code == "checkin.closed"
    assert not Attendance.objects.filter(registration=reg).exists()

    a, created = services.checkin(
        code=meeting.checkin_code.lower(),
        staff=staff,
        actor=user,
        now=start - timedelta(minutes=14),
    )
    assert created
    assert (a.present, a.minutes, a.method, a.meeting) == (
        True,
        90,
        Attendance.Method.CHECKIN,
        meeting,
    )
    assert AuditEvent.objects.filter(object_type="catalog.attendance", object_id=str(a.pk)).exists()


def test_checkin_at_the_very_end_is_still_open(o):
    session, meeting = make_session(o, minutes=60)
    register(o, session)
    _, created = services.checkin(
        code=meeting.checkin_code, staff=o["teacher"], actor=None, now=meeting.ends_at
    )
    assert created


def test_checkin_refusals_have_their_own_codes(o):
    start = timezone.now().replace(microsecond=0)
    session, meeting = make_session(o, start=start - timedelta(minutes=10))
    register(o, session)
    now = start
    with pytest.raises(DomainError) as exc:
        services.checkin(code="", staff=o["teacher"], actor=None, now=now)
    assert exc.value.code == "checkin.code_missing"
    wrong = "ZZZZZZ" if meeting.checkin_code != "ZZZZZZ" else "YYYYYY"
    with pytest.raises(DomainError) as exc:
        services.checkin(code=wrong, staff=o["teacher"], actor=None, now=now)
    assert exc.value.code == "checkin.code_unknown"
    with pytest.raises(DomainError) as exc:
        services.checkin(code=meeting.checkin_code, staff=o["principal"], actor=None, now=now)
    assert exc.value.code == "checkin.not_registered"
    # Another district's staff never reach this district's meetings.
    with pytest.raises(DomainError) as exc:
        services.checkin(code=meeting.checkin_code, staff=o_b_teacher(meeting), actor=None, now=now)
    assert exc.value.code == "checkin.code_unknown"


def o_b_teacher(meeting):
    from cadre.districts.models import Staff

    return Staff.objects.exclude(district=meeting.district).first()


def test_checkin_keeps_an_attendance_already_marked(o):
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    session, meeting = make_session(o, start=start)
    reg = register(o, session)
    services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=o["admin"].user, minutes=30
    )
    a, created = services.checkin(code=meeting.checkin_code, staff=o["teacher"], actor=None)
    assert not created
    assert (a.minutes, a.method) == (30, Attendance.Method.ROSTER)


# --- the completion rules --------------------------------------------------------------------


def test_attendance_rule_at_the_minimum_share(o):
    session, meeting = make_session(o, minutes=180, percent=80)
    reg = register(o, session)
    actor = o["admin"].user
    services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=actor, minutes=143
    )
    assert rules.unmet(services._for_evaluation(reg)) == [
        "Attended 143 of 180 minutes; 80% (144) needed"
    ]
    services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=actor, minutes=144
    )
    assert rules.unmet(services._for_evaluation(reg)) == []


def test_needed_minutes_round_up():
    assert rules.needed_minutes(180, 80) == 144
    assert rules.needed_minutes(100, 33) == 33
    assert rules.needed_minutes(101, 33) == 34  # 33.33 → 34, never short
    assert rules.needed_minutes(59, 100) == 59


def test_rules_are_pluggable(o):
    session, meeting = make_session(o, minutes=60, percent=50)
    reg = register(o, session)
    session.offering.completion_rules = ["feedback"]
    session.offering.save()
    seen = []

    def feedback(registration):
        seen.append(registration.pk)
        return None if registration.reason == "feedback given" else "Feedback not submitted"

    try:
        rule = rules.register_rule("feedback", feedback, label="Feedback submitted")
        assert ("feedback", "Feedback submitted") in rules.rule_choices()
        assert "attendance" not in dict(rules.rule_choices())
        assert rules.RULES["feedback"] is rule
        services.attendance_mark(
            meeting=meeting, registration=reg, present=True, actor=o["admin"].user
        )
        assert rules.unmet(services._for_evaluation(reg)) == ["Feedback not submitted"]
        assert seen == [reg.pk]
        assert services.completion_evaluate(registration=reg, actor=None) is None
        assert fresh(reg).status == Status.INCOMPLETE
        assert fresh(reg).reason == "Feedback not submitted."
    finally:
        rules.RULES.pop("feedback", None)
    # A rule the offering names that is no longer known is reported, never skipped.
    assert rules.unmet(services._for_evaluation(reg)) == [
        "The completion rule “feedback” is not known."
    ]


def test_rules_for_self_paced_always_include_modules(o):
    offering = OfferingFactory(
        district=o["school"].district,
        format=Offering.Format.SELF_PACED,
        completion_rules=["modules", "attendance"],
    )
    assert rules.rules_for(offering) == ["attendance", "modules"]
    offering.format = Offering.Format.BLENDED
    offering.completion_rules = []
    assert rules.rules_for(offering) == ["attendance"]
    assert {"modules"} <= set(dict(rules.rule_choices()))


# --- awarding credit -------------------------------------------------------------------------


def test_evaluate_awards_credit_once(o):
    session, meeting = make_session(
        o,
        minutes=180,
        category="equity",
        credit_kind="quarter",
        credits=Decimal("1.5"),
    )
    reg = register(o, session)
    services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=o["admin"].user, minutes=150
    )
    awarded = services.completion_evaluate(registration=reg, actor=o["admin"].user)
    assert awarded.minutes == 150
    assert awarded.clock_hours == Decimal("2.50")
    assert awarded.category == "equity"
    assert (awarded.credit_kind, awarded.credits) == ("quarter", Decimal("1.50"))
    assert awarded.school_year == session.school_year
    district = session.district
    assert awarded.completed_on == timezone.localtime(meeting.ends_at, district.tz).date()
    assert len(awarded.code) == 12
    assert fresh(reg).status == Status.COMPLETED
    assert AuditEvent.objects.filter(
        object_type="catalog.registration", object_id=str(reg.pk), to_state="completed"
    ).exists()

    with pytest.raises(Conflict) as exc:
        services.completion_evaluate(registration=reg, actor=None)
    assert exc.value.code == "registration.not_evaluable"
    with pytest.raises(IntegrityError), transaction.atomic():
        Completion.objects.create(
            district=district,
            registration=reg,
            staff=reg.staff,
            offering=session.offering,
            school_year=session.school_year,
            completed_on=awarded.completed_on,
            minutes=1,
            clock_hours=0,
            category="general",
        )
    assert Completion.objects.filter(registration=reg).count() == 1


def test_evaluate_refuses_when_a_completion_exists_whatever_the_status(o):
    reg = o["done_registration"]
    reg.status = Status.INCOMPLETE
    reg.save()
    with pytest.raises(Conflict) as exc:
        services.completion_evaluate(registration=reg, actor=None)
    assert exc.value.code == "completion.exists"


def test_a_59_minute_offering_completes_with_no_clock_hours(o):
    session, meeting = make_session(o, minutes=59)
    reg = register(o, session)
    services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=None)
    awarded = services.completion_evaluate(registration=reg, actor=None)
    assert awarded.minutes == 59
    assert awarded.clock_hours == Decimal("0")
    note = credit.minimum_note(session.district, 59)
    assert "less than the district minimum of 60" in note
    event = AuditEvent.objects.get(object_type="catalog.completion", object_id=str(awarded.pk))
    assert event.comment == note


def test_not_met_is_incomplete_then_a_manager_re_evaluates(o):
    session, meeting = make_session(o, minutes=180)
    reg = register(o, session)
    admin = o["admin"].user
    services.attendance_mark(
        meeting=meeting, registration=reg, present=True, actor=admin, minutes=90
    )
    assert services.completion_evaluate(registration=reg, actor=admin) is None
    reg = fresh(reg)
    assert reg.status == Status.INCOMPLETE
    assert reg.reason == "Attended 90 of 180 minutes; 80% (144) needed."
    assert not Completion.objects.filter(registration=reg).exists()

    # Re-opening a registered one is refused: only an incomplete one is re-evaluated.
    other = register(o, session, staff=o["program_teacher"])
    with pytest.raises(Conflict) as exc:
        services.completion_reevaluate(registration=other, actor=admin)
    assert exc.value.code == "registration.not_incomplete"

    assert services.completion_reevaluate(registration=reg, actor=admin) is None
    services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=admin)
    awarded = services.completion_reevaluate(registration=reg, actor=admin)
    assert awarded.clock_hours == Decimal("3.00")
    assert fresh(reg).status == Status.COMPLETED
    assert fresh(reg).reason == ""


# --- self-paced modules ----------------------------------------------------------------------


def test_module_attestations_complete_a_self_paced_offering(o):
    district = o["school"].district
    offering = OfferingFactory(district=district, format=Offering.Format.SELF_PACED)
    session = SessionFactory(district=district, offering=offering, school_year=o["year"])
    first, second = add_module(session, "Part 1", 45), add_module(session, "Part 2", 45)
    reg = register(o, session)
    user = o["teacher"].user

    with pytest.raises(DomainError) as exc:
        services.module_attest(meeting=first, registration=reg, actor=user, evidence="  ")
    assert (exc.value.code, exc.value.field) == ("attendance.evidence_required", "evidence")

    a = services.module_attest(meeting=first, registration=reg, actor=user, evidence="Read it")
    assert (a.method, a.minutes, a.evidence) == (Attendance.Method.ATTESTATION, 45, "Read it")
    assert fresh(reg).status == Status.REGISTERED
    services.module_attest(meeting=second, registration=reg, actor=user, evidence="Wrote a plan")
    assert fresh(reg).status == Status.COMPLETED
    awarded = Completion.objects.get(registration=reg)
    assert (awarded.minutes, awarded.clock_hours) == (90, Decimal("1.50"))
    assert awarded.completed_on == district.today()

    with pytest.raises(Conflict):
        services.module_attest(meeting=first, registration=reg, actor=user, evidence="Again")


def test_attesting_a_scheduled_meeting_is_refused(o):
    session, meeting = make_session(o)
    reg = register(o, session)
    with pytest.raises(DomainError) as exc:
        services.module_attest(meeting=meeting, registration=reg, actor=None, evidence="x")
    assert exc.value.code == "attendance.not_a_module"


def test_self_paced_unmet_extra_rule_leaves_the_registrant_registered(o):
    district = o["school"].district
    offering = OfferingFactory(
        district=district, format=Offering.Format.SELF_PACED, completion_rules=["never"]
    )
    session = SessionFactory(district=district, offering=offering, school_year=o["year"])
    module = add_module(session, "Only part", 60)
    reg = register(o, session)
    rules.register_rule("never", lambda r: "Not yet")
    try:
        services.module_attest(meeting=module, registration=reg, actor=None, evidence="Done")
    finally:
        rules.RULES.pop("never")
    reg = fresh(reg)
    assert reg.status == Status.REGISTERED
    assert reg.reason == "Not yet."


# --- closing a session -----------------------------------------------------------------------


def test_close_only_after_the_last_meeting(o):
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=30)
    session, meeting = make_session(o, start=start, minutes=60)
    assert not services.closable(session)
    with pytest.raises(Conflict) as exc:
        services.session_close(session=session, actor=None)
    assert exc.value.code == "session.not_ended"
    assert services.closable(session, now=meeting.ends_at)
    closed = services.session_close(session=session, actor=None, now=meeting.ends_at)
    assert closed.status == Session.Status.CLOSED
    with pytest.raises(Conflict) as exc:
        services.session_close(session=session, actor=None, now=meeting.ends_at)
    assert exc.value.code == "session.not_closable"


def test_close_evaluates_everyone_registered_and_settles_held_seats(o, monkeypatch):
    session, meeting = make_session(o, minutes=120)
    second = add_meeting(session, start=meeting.ends_at + timedelta(days=1), minutes=60)
    admin = o["admin"].user
    full = register(o, session)
    partial = register(o, session, staff=o["program_teacher"])
    waiting = register(o, session, staff=o["other_teacher"], status=Status.WAITLISTED)
    for m in (meeting, second):
        services.attendance_mark(meeting=m, registration=full, present=True, actor=admin)
    services.attendance_mark(meeting=meeting, registration=partial, present=True, actor=admin)
    settled = []
    # The close settles every held seat in one ledger step (`settle_many`).
    monkeypatch.setattr(
        services.registration_services,
        "settle_many",
        lambda *, registrations, actor: settled.extend((r.pk, r.status) for r in registrations),
    )

    closed = services.session_close(session=session, actor=admin)

    assert closed.status == Session.Status.CLOSED
    assert fresh(full).status == Status.COMPLETED
    assert Completion.objects.get(registration=full).clock_hours == Decimal("3.00")
    assert Completion.objects.get(registration=full).completed_on == (
        timezone.localtime(second.ends_at, session.district.tz).date()
    )
    assert fresh(partial).status == Status.INCOMPLETE
    assert fresh(partial).reason == "Attended 120 of 180 minutes; 80% (144) needed."
    # The waitlist is let go: nothing is left to wait for on a closed session.
    assert fresh(waiting).status == Status.CANCELLED and fresh(waiting).position is None
    assert sorted(settled) == sorted([(full.pk, Status.COMPLETED), (partial.pk, Status.INCOMPLETE)])
    assert AuditEvent.objects.filter(
        object_type="catalog.session", object_id=str(session.pk), to_state="closed"
    ).exists()
