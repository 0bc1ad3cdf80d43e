"""No overbooking (ARCHITECTURE rule 7): 50 parallel registrations at 10 seats, then parallel
cancellations, and the ledger reconciles. PostgreSQL only: SQLite serialises writers anyway."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from cadre.catalog.factories import OfferingFactory, SessionFactory, add_meeting
from cadre.catalog.models import Registration, Session
from cadre.catalog.services import registration as services
from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.factories import BudgetFactory, FundingSourceFactory
from cadre.funding.models import Budget, LedgerEntry, Use
from cadre.funding.reconcile import reconcile
from cadre.funding.services import fiscal_years
from cadre.funding.tests.test_concurrency import _parallel

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel row locks need PostgreSQL"
    ),
]
S = Registration.Status
FEE = Decimal("125.00")
SEATS, PEOPLE = 10, 50


def _setup():
    principal = staff_with_role(Role.PRINCIPAL)
    school, district = principal.assignments.get().school, principal.district
    year = SchoolYearFactory(district=district)
    source = FundingSourceFactory(
        district=district, allowed_uses=[Use.REGISTRATION, Use.SUBSTITUTE]
    )
    offering = OfferingFactory(
        district=district, source=source, cost=FEE, substitute_days=Decimal("0.5")
    )
    session = SessionFactory(district=district, offering=offering, school_year=year, capacity=SEATS)
    meeting = add_meeting(session, start=timezone.now() + timedelta(days=10))
    budget = BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(
            district=district, on=meeting.starts_at.astimezone(district.tz).date()
        ),
        amount=FEE * SEATS,  # room for exactly the seats: an extra encumbrance would fail
        days=Decimal(SEATS) / 2,
    )
    people = [staff_with_role(Role.TEACHER, school=school) for _ in range(PEOPLE)]
    return principal, Session.objects.get(pk=session.pk), budget, people


def _check_waitlist(session: Session, expected: int) -> list[Registration]:
    waiting = list(
        Registration.objects.filter(session=session, status=S.WAITLISTED).order_by("position")
    )
    assert [r.position for r in waiting] == list(range(1, expected + 1))  # no gaps, no twins
    # In order: positions follow the order the lock was granted, which is the order the rows
    # were written.
    assert [r.pk for r in waiting] == sorted(r.pk for r in waiting)
    assert [r.created_at for r in waiting] == sorted(r.created_at for r in waiting)
    return waiting


def test_fifty_parallel_registrations_at_ten_seats():
    principal, session, budget, people = _setup()

    outcomes = _parallel(
        PEOPLE,
        lambda i: services.registration_create(
            session=Session.objects.get(pk=session.pk), staff=people[i], actor=people[i].user
        ),
    )
    assert outcomes == ["ok"] * PEOPLE
    seats = list(Registration.objects.filter(session=session, status=S.REGISTERED))
    assert len(seats) == SEATS
    waiting = _check_waitlist(session, PEOPLE - SEATS)
    # The seats went to the first ten through the lock.
    assert max(r.pk for r in seats) < min(r.pk for r in waiting)
    budget.refresh_from_db()
    assert budget.committed_amount == FEE * SEATS and budget.committed_days == SEATS / 2
    assert LedgerEntry.objects.filter(budget=budget, kind="encumbrance").count() == 2 * SEATS
    assert reconcile(budget.district) == []

    # Five people with seats and the last five in line cancel at once: the first five in line
    # move into the freed seats, and the rest of the line closes up in its order.
    leaving = seats[:5] + waiting[-5:]
    first_in_line = [r.pk for r in waiting[:5]]
    rest = [r.pk for r in waiting[5:-5]]
    outcomes = _parallel(
        len(leaving),
        lambda i: services.registration_cancel(
            registration=Registration.objects.get(pk=leaving[i].pk), actor=principal.user
        ),
    )
    assert outcomes == ["ok"] * len(leaving)
    registered = set(
        Registration.objects.filter(session=session, status=S.REGISTERED).values_list(
            "pk", flat=True
        )
    )
    assert len(registered) == SEATS and set(first_in_line) <= registered
    assert [r.pk for r in _check_waitlist(session, len(rest))] == rest
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.committed_amount == FEE * SEATS and budget.committed_days == SEATS / 2
    assert LedgerEntry.objects.filter(budget=budget, kind="release").count() == 10
    assert reconcile(budget.district) == []

    # The session closes: every seat's encumbrances are spent, once.
    for reg in Registration.objects.filter(session=session, status=S.REGISTERED):
        services.settle(registration=reg, actor=principal.user)
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.committed_amount == 0 and budget.spent_amount == FEE * SEATS
    assert reconcile(budget.district) == []


def test_parallel_lists_share_the_seats_and_one_waitlist():
    """Five coordinators enrol lists of ten at once: the lists queue at the session's lock,
    so ten seats are taken, the forty others wait in one line, and the ledger reconciles."""
    principal, session, budget, people = _setup()
    lists = [people[i * 10 : (i + 1) * 10] for i in range(5)]

    outcomes = _parallel(
        len(lists),
        lambda i: services.registrations_create(
            session=Session.objects.get(pk=session.pk), people=lists[i], actor=principal.user
        ),
    )
    assert outcomes == ["ok"] * len(lists)
    seats = list(Registration.objects.filter(session=session, status=S.REGISTERED))
    assert len(seats) == SEATS
    _check_waitlist(session, PEOPLE - SEATS)
    budget.refresh_from_db()
    assert budget.committed_amount == FEE * SEATS and budget.committed_days == SEATS / 2
    assert reconcile(budget.district) == []
