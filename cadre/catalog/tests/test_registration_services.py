"""Registration services: seats, the waitlist, approval, cancellation, whole-group assignment
and the ledger postings that go with a seat."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.catalog.factories import OfferingFactory, SessionFactory, add_meeting
from cadre.catalog.models import Offering, Registration, Session, SessionAssignment
from cadre.catalog.services import registration as services
from cadre.core.errors import Conflict, DomainError
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role, Staff
from cadre.funding.factories import BudgetFactory, FundingSourceFactory
from cadre.funding.models import LedgerEntry, Use
from cadre.funding.reconcile import reconcile
from cadre.funding.services import fiscal_years
from cadre.tests.kit import fresh

pytestmark = pytest.mark.django_db
D = Decimal
S = Registration.Status


def make_session(o, *, capacity=2, approval=Offering.Approval.NONE, start=None, **offering):
    district = o["school"].district
    offering = OfferingFactory(district=district, approval=approval, **offering)
    session = SessionFactory(
        district=district, offering=offering, school_year=o["year"], capacity=capacity
    )
    add_meeting(session, start=start)
    return Session.objects.get(pk=session.pk)


def teachers(o, n, school=None):
    return [staff_with_role(Role.TEACHER, school=school or o["school"]) for _ in range(n)]


def register(session, staff):
    return services.registration_create(session=session, staff=staff, actor=staff.user)


def paid_session(o, *, capacity=2, amount="1000", days="10", cost="150", sub_days="1", **kw):
    district = o["school"].district
    source = FundingSourceFactory(
        district=district, allowed_uses=[Use.REGISTRATION, Use.SUBSTITUTE], **kw
    )
    session = make_session(
        o, capacity=capacity, source=source, cost=D(cost), substitute_days=D(sub_days)
    )
    budget = BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=session.starts_at.date()),
        amount=D(amount),
        days=D(days),
    )
    return session, budget


# --- registering -----------------------------------------------------------------------------


def test_seats_then_the_waitlist_in_order(o):
    session = make_session(o, capacity=2)
    people = teachers(o, 4)
    regs = [register(session, p) for p in people]
    assert [r.status for r in regs] == [S.REGISTERED, S.REGISTERED, S.WAITLISTED, S.WAITLISTED]
    assert [r.position for r in regs] == [None, None, 1, 2]
    assert regs[0].school == o["school"] and regs[0].program is None
    assert AuditEvent.objects.filter(
        object_type="catalog.registration", object_id=str(regs[2].pk), action="create"
    ).exists()


def test_a_list_is_registered_as_one_by_one_in_one_step(o):
    session, budget = paid_session(o, capacity=2)
    people = teachers(o, 4)
    regs = services.registrations_create(session=session, people=people, actor=services.SELF)
    assert [r.status for r in regs] == [S.REGISTERED, S.REGISTERED, S.WAITLISTED, S.WAITLISTED]
    assert [r.position for r in regs] == [None, None, 1, 2]
    assert [r.staff for r in regs] == people and regs[0].school == o["school"]
    # Each registers themselves: their own account is the actor of their registration.
    for reg, person in zip(regs, people, strict=True):
        event = AuditEvent.objects.get(
            object_type="catalog.registration", object_id=str(reg.pk), action="create"
        )
        assert event.actor == person.user and event.changes["status"] == [None, reg.status]
    # The seats hold the fee and the days, the waitlist nothing.
    assert [bool(fresh(r).fee_entry_id) for r in regs] == [True, True, False, False]
    budget.refresh_from_db()
    assert budget.committed_amount == D("300") and budget.committed_days == D("2")
    assert reconcile(budget.district) == []

    # A coordinator's list: they are the actor; the list joins the end of the waitlist.
    coordinator = o["admin"].user
    more = services.registrations_create(session=session, people=teachers(o, 2), actor=coordinator)
    assert [r.position for r in more] == [3, 4]
    assert {
        e.actor
        for e in AuditEvent.objects.filter(
            object_type="catalog.registration", object_id__in=[str(r.pk) for r in more]
        )
    } == {coordinator}


def test_a_list_is_refused_whole_with_the_single_refusals(o):
    session = make_session(o, capacity=5)
    held = teachers(o, 1)[0]
    register(session, held)
    fresh_people = teachers(o, 2)
    outsider = Staff.objects.exclude(district=o["school"].district).first()
    for people, code in (
        ([*fresh_people, held], "registration.exists"),
        ([fresh_people[0], fresh_people[0]], "registration.exists"),
        ([*fresh_people, outsider], "registration.other_district"),
    ):
        with pytest.raises(DomainError) as exc:
            services.registrations_create(session=session, people=people, actor=services.SELF)
        assert exc.value.code == code
    assert Registration.objects.filter(session=session).count() == 1
    assert services.registrations_create(session=session, people=[], actor=services.SELF) == []


def test_approval_holds_a_seat_as_requested(o):
    session = make_session(o, capacity=1, approval=Offering.Approval.SUPERVISOR)
    first, second = teachers(o, 2)
    assert register(session, first).status == S.REQUESTED
    assert register(session, second).status == S.WAITLISTED


def test_refusals(o):
    session = make_session(o)
    teacher = o["teacher"]
    register(session, teacher)
    with pytest.raises(Conflict) as exc:
        register(session, teacher)
    assert exc.value.code == "registration.exists"

    now = timezone.now()
    later = make_session(o)
    Session.objects.filter(pk=later.pk).update(registration_opens=now + timedelta(days=1))
    with pytest.raises(Conflict) as exc:
        register(fresh(later), teacher)
    assert exc.value.code == "registration.not_open"
    Session.objects.filter(pk=later.pk).update(
        registration_opens=now - timedelta(days=2), registration_closes=now - timedelta(days=1)
    )
    with pytest.raises(Conflict) as exc:
        register(fresh(later), teacher)
    assert exc.value.code == "registration.closed"

    for status, code in (
        (Session.Status.CANCELLED, "registration.session_cancelled"),
        (Session.Status.CLOSED, "registration.session_closed"),
    ):
        s = make_session(o)
        Session.objects.filter(pk=s.pk).update(status=status)
        with pytest.raises(Conflict) as exc:
            register(fresh(s), teacher)
        assert exc.value.code == code
    for status in (Offering.Status.DRAFT, Offering.Status.ARCHIVED):
        s = make_session(o, status=status)
        with pytest.raises(Conflict) as exc:
            register(s, teacher)
        assert exc.value.code == "registration.offering_unavailable"
    outsider = Staff.objects.exclude(district=o["school"].district).first()
    with pytest.raises(DomainError) as exc:
        register(session, outsider)
    assert exc.value.code == "registration.other_district"


# --- the ledger ------------------------------------------------------------------------------


def test_a_seat_encumbers_the_fee_and_days_and_cancelling_releases_them(o):
    session, budget = paid_session(o)
    reg = register(session, o["teacher"])
    assert reg.fee_entry.amount == D("150") and reg.fee_entry.use == Use.REGISTRATION
    assert reg.days_entry.days == D("1") and reg.days_entry.use == Use.SUBSTITUTE
    assert reg.fee_entry.cause == reg and reg.fee_entry.staff == o["teacher"]
    budget.refresh_from_db()
    assert budget.committed_amount == D("150") and budget.committed_days == D("1")

    services.registration_cancel(registration=reg, actor=o["teacher"].user, reason="Sick")
    budget.refresh_from_db()
    assert budget.committed_amount == 0 and budget.committed_days == 0
    assert LedgerEntry.objects.filter(encumbrance=reg.fee_entry, kind="release").exists()
    assert reconcile(budget.district) == []


def test_settle_spends_what_a_seat_holds_once(o):
    session, budget = paid_session(o)
    reg = register(session, o["teacher"])
    services.settle(registration=reg, actor=o["admin"].user)
    services.settle(registration=fresh(reg), actor=o["admin"].user)  # nothing new
    budget.refresh_from_db()
    assert budget.committed_amount == 0 and budget.spent_amount == D("150")
    assert budget.spent_days == D("1")
    assert LedgerEntry.objects.filter(budget=budget, kind="expenditure").count() == 2
    assert reconcile(budget.district) == []


def test_a_refusal_of_the_ledger_refuses_the_registration(o):
    session, budget = paid_session(o, amount="100")  # a $150 fee
    with pytest.raises(Conflict) as exc:
        register(session, o["teacher"])
    assert exc.value.code == "budget.overdrawn"
    assert not Registration.objects.filter(session=session).exists()

    district = o["school"].district
    source = FundingSourceFactory(district=district, allowed_uses=[Use.STIPEND])
    other = make_session(o, source=source, cost=D("10"))
    BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=other.starts_at.date()),
    )
    with pytest.raises(DomainError) as exc:
        register(other, o["teacher"])
    assert exc.value.code == "ledger.use_not_allowed"


def test_approval_encumbers_and_denial_frees_the_seat(o):
    session, budget = paid_session(o, capacity=1)
    Offering.objects.filter(pk=session.offering_id).update(approval=Offering.Approval.SUPERVISOR)
    session = fresh(session)
    first, second = teachers(o, 2)
    asked = register(session, first)
    waiting = register(session, second)
    assert asked.status == S.REQUESTED and asked.fee_entry is None
    with pytest.raises(DomainError) as exc:
        services.registration_deny(registration=asked, actor=o["principal"].user, reason=" ")
    assert exc.value.code == "registration.reason"
    services.registration_deny(registration=asked, actor=o["principal"].user, reason="Not now")
    assert fresh(asked).status == S.DENIED
    promoted = fresh(waiting)
    assert promoted.status == S.REQUESTED and promoted.position is None  # needs approval too
    approved = services.registration_approve(registration=promoted, actor=o["principal"].user)
    assert approved.status == S.REGISTERED and approved.decided_by == o["principal"].user
    assert approved.fee_entry.amount == D("150")
    with pytest.raises(Conflict) as exc:
        services.registration_approve(registration=approved, actor=o["principal"].user)
    assert exc.value.code == "registration.not_requested"
    assert reconcile(budget.district) == []


# --- cancelling and the waitlist -----------------------------------------------------------


def test_cancelling_promotes_the_waitlist_in_order(o):
    session = make_session(o, capacity=2)
    a, b, c, d, e = teachers(o, 5)
    ra, rb, rc, rd, re = (register(session, p) for p in (a, b, c, d, e))
    assert (rc.position, rd.position, re.position) == (1, 2, 3)
    # The second in line leaves: the third moves up to 2.
    services.registration_cancel(registration=rd, actor=d.user)
    assert fresh(re).position == 2 and fresh(rd).position is None
    services.registration_cancel(registration=ra, actor=a.user)
    assert fresh(rc).status == S.REGISTERED and fresh(rc).position is None
    assert fresh(re).position == 1
    services.registration_cancel(registration=rb, actor=b.user)
    assert fresh(re).status == S.REGISTERED
    assert services.seats_taken(session) == 2


def test_the_cancellation_deadline_binds_the_registrant_not_the_leaders(o):
    session = make_session(o, capacity=1)
    Session.objects.filter(pk=session.pk).update(cancel_by=timezone.now() - timedelta(hours=1))
    session = fresh(session)
    seat, waiting = teachers(o, 2)
    reg = register(session, seat)
    queued = register(session, waiting)
    with pytest.raises(Conflict) as exc:
        services.registration_cancel(registration=reg, actor=seat.user)
    assert exc.value.code == "registration.cancel_deadline"
    # Waitlisted people leave any time.
    services.registration_cancel(registration=queued, actor=waiting.user)
    assert fresh(queued).status == S.CANCELLED
    services.registration_cancel(registration=reg, actor=o["principal"].user, reason="Moved")
    assert fresh(reg).status == S.CANCELLED and fresh(reg).reason == "Moved"


def test_nothing_is_cancelled_after_the_session_ends(o):
    session = make_session(o, capacity=1)
    reg = register(session, o["teacher"])
    Session.objects.filter(pk=session.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict) as exc:
        services.registration_cancel(registration=reg, actor=o["admin"].user)
    assert exc.value.code == "registration.session_over"


def test_a_promotion_the_ledger_refuses_leaves_that_person_waiting(o):
    # Room in the budget for two $150 fees.
    session, budget = paid_session(o, capacity=2, amount="300", sub_days="0")
    a, b, c, d = teachers(o, 4)
    ra, _rb = register(session, a), register(session, b)
    rc, rd = register(session, c), register(session, d)
    # Cancelling releases $150 first, which pays for the next in line.
    services.registration_cancel(registration=ra, actor=a.user)
    assert fresh(rc).status == S.REGISTERED and fresh(rd).position == 1
    # A third seat, but no money for it: d stays first in line, and the history says why.
    Session.objects.filter(pk=session.pk).update(capacity=3)
    assert services.waitlist_promote(session=session, actor=o["admin"].user) == []
    assert fresh(rd).status == S.WAITLISTED and fresh(rd).position == 1
    assert AuditEvent.objects.filter(
        object_type="catalog.registration",
        object_id=str(rd.pk),
        comment__startswith="Not promoted from the waitlist",
    ).exists()
    budget.refresh_from_db()
    assert budget.committed_amount == D("300")
    assert reconcile(budget.district) == []


def test_a_refused_promotion_passes_the_seat_to_the_next_in_line(o):
    """The first in line belongs to a school the restricted source does not pay for; the
    second does, and gets the seat."""
    district = o["school"].district
    source = FundingSourceFactory(
        district=district,
        allowed_uses=[Use.REGISTRATION],
        school=o["school"],
        staff_restricted=True,
    )
    session = make_session(o, capacity=1, source=source, cost=D("10"))
    BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=session.starts_at.date()),
    )
    seat = register(session, o["teacher"])
    # An outsider to the source's school can only join the waitlist (no encumbrance yet).
    outsider = staff_with_role(Role.TEACHER, school=o["other_school"])
    insider = teachers(o, 1)[0]
    out_reg = register(session, outsider)
    in_reg = register(session, insider)
    assert (out_reg.position, in_reg.position) == (1, 2)
    services.registration_cancel(registration=seat, actor=o["teacher"].user)
    assert fresh(out_reg).status == S.WAITLISTED and fresh(out_reg).position == 1
    assert fresh(in_reg).status == S.REGISTERED and fresh(in_reg).fee_entry is not None


def test_a_bigger_session_promotes_its_waitlist(o):
    session = make_session(o, capacity=1)
    a, b, c = teachers(o, 3)
    register(session, a)
    rb, rc = register(session, b), register(session, c)
    Session.objects.filter(pk=session.pk).update(capacity=3)
    promoted = services.waitlist_promote(session=session, actor=o["admin"].user)
    assert [r.pk for r in promoted] == [rb.pk, rc.pk]
    assert services.waitlist_promote(session=session, actor=o["admin"].user) == []


def test_cancelling_a_session_cancels_and_releases_everyone(o):
    session, budget = paid_session(o, capacity=1)
    a, b = teachers(o, 2)
    register(session, a)
    register(session, b)
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)
    assert services.session_cancelled(session=session, actor=o["admin"].user) == 2
    assert set(Registration.objects.filter(session=session).values_list("status", flat=True)) == {
        S.CANCELLED
    }
    budget.refresh_from_db()
    assert budget.committed_amount == 0
    assert reconcile(budget.district) == []


# --- whole-group assignment ------------------------------------------------------------------


def test_a_principal_assigns_a_session_to_the_school(o):
    session = make_session(o, capacity=10)
    extra = teachers(o, 2)
    register(session, o["teacher"])  # already holds a seat: left alone
    record = services.session_assign(session=session, actor=o["principal"].user, school=o["school"])
    assert isinstance(record, SessionAssignment)
    assigned = Registration.objects.filter(session=session, assigned=True)
    # The school's other staff: the principal, the world's two new teachers, its instructional
    # coach and the two here.
    world = (o["new_teacher"].pk, o["second_new_teacher"].pk, o["coach"].pk)
    assert {r.staff_id for r in assigned} == {o["principal"].pk, *world, *(p.pk for p in extra)}
    assert record.assigned_count == 6
    assert all(r.status == S.REGISTERED and r.assigned_by == o["principal"].user for r in assigned)
    assert not Registration.objects.get(session=session, staff=o["teacher"]).assigned


def test_assignment_filters_and_refuses_overbooking(o):
    session = make_session(o, capacity=2)
    math = teachers(o, 3)
    for person in math:
        person.subjects = ["Math"]
        person.save()
    with pytest.raises(Conflict) as exc:
        services.session_assign(
            session=session, actor=o["principal"].user, school=o["school"], subjects=["math"]
        )
    assert exc.value.code == "session_assignment.no_seats"
    assert "3 people but only 2 seats" in exc.value.detail
    assert not Registration.objects.filter(session=session).exists()
    record = services.session_assign(
        session=session, actor=o["principal"].user, school=o["school"], roles=[Role.PRINCIPAL]
    )
    assert record.assigned_count == 1 and record.roles == [Role.PRINCIPAL]


def test_assignment_moves_waitlisted_members_into_seats(o):
    session = make_session(o, capacity=1)
    outsider = staff_with_role(Role.TEACHER, school=o["other_school"])
    register(session, outsider)
    queued = register(session, o["program_teacher"])
    assert queued.status == S.WAITLISTED
    Session.objects.filter(pk=session.pk).update(capacity=3)  # the program teacher and director
    services.session_assign(session=session, actor=o["director"].user, program=o["program"])
    queued = fresh(queued)
    assert queued.status == S.REGISTERED and queued.assigned and queued.position is None


def test_only_the_units_leaders_assign(o):
    session = make_session(o)
    for actor, unit in (
        (o["teacher"], {"school": o["school"]}),
        (o["principal"], {"school": o["other_school"]}),
        (o["director"], {"school": o["school"]}),
    ):
        with pytest.raises(DomainError) as exc:
            services.session_assign(session=session, actor=actor.user, **unit)
        assert exc.value.code == "session_assignment.not_leader"
    with pytest.raises(DomainError) as exc:
        services.session_assign(session=session, actor=o["admin"].user)
    assert exc.value.code == "session_assignment.unit"
    record = services.session_assign(
        session=session, actor=o["admin"].user, school=o["other_school"]
    )
    assert record.assigned_count == 1  # the other teacher


def test_a_request_is_not_approved_once_its_session_is_over_and_closing_ends_it(world):
    from django.utils import timezone

    from cadre.catalog.models import Registration
    from cadre.catalog.services import attendance as attending
    from cadre.catalog.services import registration as registering
    from cadre.core.errors import Conflict

    o = world.a_objects
    requested = o["requested_registration"]
    meeting = requested.session.meetings.get()
    past = timezone.now() - timezone.timedelta(days=2)
    meeting.starts_at, meeting.ends_at = past, past + timezone.timedelta(hours=2)
    meeting.save()
    session = requested.session
    session.starts_at, session.ends_at = meeting.starts_at, meeting.ends_at
    session.save()
    with pytest.raises(Conflict) as refused:
        registering.registration_approve(registration=requested, actor=o["principal"].user)
    assert refused.value.code == "registration.session_over"
    attending.session_close(session=session, actor=o["admin"].user)
    requested.refresh_from_db()
    assert requested.status == Registration.Status.DENIED
    with pytest.raises(Conflict):
        registering.registration_approve(registration=requested, actor=o["principal"].user)


def test_nobody_approves_their_own_request_even_past_the_rules(world):
    from cadre.catalog.services import registration as registering
    from cadre.core.errors import DomainError

    o = world.a_objects
    with pytest.raises(DomainError) as refused:
        registering.registration_approve(
            registration=o["requested_registration"], actor=o["teacher"].user
        )
    assert refused.value.code == "registration.own"


@pytest.mark.parametrize("n", [2, 6])
def test_a_list_takes_a_fixed_number_of_queries(o, n, django_assert_num_queries):
    """The seats, the audit events and the ledger postings of a whole list are written
    together: as many queries for six people as for two."""
    session, budget = paid_session(o, capacity=n + 1, amount="5000", days="50")
    people = teachers(o, n)
    coordinator = o["admin"].user
    services.registrations_create(session=session, people=teachers(o, 1), actor=coordinator)
    with django_assert_num_queries(17):
        regs = services.registrations_create(session=session, people=people, actor=coordinator)
    assert all(fresh(r).fee_entry_id and fresh(r).days_entry_id for r in regs)
    budget.refresh_from_db()
    assert budget.committed_amount == D(150 * (n + 1)) and budget.committed_days == D(n + 1)
    assert reconcile(budget.district) == []
