"""The ISD balance and the ISD budget hold under parallel approvals (ARCHITECTURE rule 7).
PostgreSQL only: SQLite serialises writers anyway."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.factories import BudgetFactory, FundingSourceFactory
from cadre.funding.models import FundingSource, LedgerEntry, Use
from cadre.funding.reconcile import reconcile
from cadre.funding.services import fiscal_years
from cadre.funding.tests.test_concurrency import _parallel
from cadre.growth import services
from cadre.growth.models import IsdRequest

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel row locks need PostgreSQL"
    ),
]
D = Decimal


def _setup(budget_amount: str, allotment: str, people: int):
    principal = staff_with_role(Role.PRINCIPAL)
    school, district = principal.assignments.get().school, principal.district
    year = SchoolYearFactory(district=district)
    source = FundingSourceFactory(
        district=district, kind=FundingSource.Kind.ISD, allowed_uses=[Use.REGISTRATION]
    )
    budget = BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=date(2026, 10, 1)),
        amount=D(budget_amount),
        hours=D(1000),
    )
    services.allotment_create(
        district=district,
        actor=None,
        data={"school_year": year, "source": source, "amount": D(allotment)},
    )
    staff = [staff_with_role(Role.TEACHER, school=school) for _ in range(people)]
    return principal, budget, staff


def _ask(staff, cost: str) -> IsdRequest:
    return services.isd_request_create(
        staff=staff,
        actor=staff.user,
        data={
            "kind": "course",
            "title": "Course",
            "start_date": date(2026, 10, 1),
            "end_date": date(2026, 10, 2),
            "cost": D(cost),
            "rationale": "why",
        },
    )


def test_twenty_parallel_approvals_never_take_a_balance_below_zero():
    principal, budget, (teacher,) = _setup("100000", "1500", 1)
    requests = [_ask(teacher, "100") for _ in range(20)]  # $2,000 asked of $1,500

    outcomes = _parallel(
        20,
        lambda i: services.isd_approve(
            request=IsdRequest.objects.get(pk=requests[i].pk), actor=principal.user
        ),
    )
    assert outcomes.count("ok") == 15 and outcomes.count("isd.balance") == 5
    have = services.balance(teacher, requests[0].school_year)
    assert have.committed_amount == D(1500) and have.remaining_amount == 0
    assert LedgerEntry.objects.filter(budget=budget, kind="encumbrance").count() == 15
    assert reconcile(budget.district) == []


def test_twenty_parallel_approvals_never_overdraw_the_isd_budget():
    principal, budget, staff = _setup("1000", "1500", 20)
    requests = [_ask(person, "100") for person in staff]  # 20 people, room for 10

    outcomes = _parallel(
        20,
        lambda i: services.isd_approve(
            request=IsdRequest.objects.get(pk=requests[i].pk), actor=principal.user
        ),
    )
    assert outcomes.count("ok") == 10 and outcomes.count("budget.overdrawn") == 10
    budget.refresh_from_db()
    assert budget.committed_amount == D(1000) and budget.remaining_amount == 0
    assert IsdRequest.objects.filter(district=budget.district, status="approved").count() == 10
    assert reconcile(budget.district) == []
