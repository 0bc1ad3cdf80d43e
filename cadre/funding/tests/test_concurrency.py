"""Limits hold under parallel requests (ARCHITECTURE rule 7). These need PostgreSQL's row
locks; CI runs the whole suite on PostgreSQL as well as SQLite."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django_scopes import scopes_disabled

from cadre.core.errors import Conflict
from cadre.districts.factories import DistrictFactory, SchoolFactory, UserFactory
from cadre.funding.factories import BudgetFactory
from cadre.funding.models import Budget, LedgerEntry, Use
from cadre.funding.reconcile import reconcile
from cadre.funding.services import ledger, stipends, transfers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel row locks need PostgreSQL"
    ),
]


def _parallel(n: int, work) -> list[str]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            with scopes_disabled():
                barrier.wait()
                try:
                    work(i)
                    result = "ok"
                except Conflict as exc:
                    result = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes


def test_thirty_parallel_postings_at_room_for_ten():
    district = DistrictFactory()
    budget = BudgetFactory(district=district, amount=Decimal("100.00"))
    user = UserFactory()

    def post(i: int) -> None:
        ledger.budget_encumber(
            budget=Budget.objects.get(pk=budget.pk),
            use=Use.MATERIALS,
            amount=Decimal("10"),
            actor=user,
            memo=f"request {i}",
        )

    outcomes = _parallel(30, post)
    assert outcomes.count("ok") == 10
    assert outcomes.count("budget.overdrawn") == 20
    budget.refresh_from_db()
    assert budget.committed_amount == Decimal("100.00") and budget.remaining_amount == 0
    assert LedgerEntry.objects.filter(budget=budget).count() == 10
    assert reconcile(district) == []


def test_parallel_transfer_approvals_cannot_overdraw():
    district = DistrictFactory()
    a = BudgetFactory(district=district, amount=Decimal("100.00"))
    b = BudgetFactory(
        district=district,
        amount=Decimal("0"),
        fiscal_year=a.fiscal_year,
        source=a.source,
        school=SchoolFactory(district=district),
    )
    requester, approver = UserFactory(), UserFactory()
    requested = [
        transfers.transfer_request(
            district=district,
            actor=requester,
            from_budget=a,
            to_budget=b,
            amount=Decimal("30"),
            reason=f"Move {i}",
        )
        for i in range(8)
    ]

    def approve(i: int) -> None:
        transfers.transfer_approve(transfer=requested[i], actor=approver)

    outcomes = _parallel(8, approve)
    assert outcomes.count("ok") == 3
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.amount, b.amount) == (Decimal("10.00"), Decimal("90.00"))


def test_parallel_payroll_batches_over_the_same_budgets_do_not_deadlock():
    from cadre.districts.factories import SchoolYearFactory, StaffFactory
    from cadre.funding.factories import StipendScheduleFactory

    district = DistrictFactory()
    a = BudgetFactory(district=district, amount=Decimal("100000.00"))
    b = BudgetFactory(district=district, amount=Decimal("100000.00"), fiscal_year=a.fiscal_year)
    schedule = StipendScheduleFactory(
        district=district, school_year=SchoolYearFactory(district=district)
    )
    user = UserFactory()
    pairs = []
    for _ in range(10):
        awards = []
        for budget in (a, b, b, a):
            award = stipends.award_create(
                district=district,
                actor=user,
                schedule=schedule,
                staff=StaffFactory(district=district),
                budget=budget,
                months=10,
            )
            awards.append(stipends.award_approve(award=award, actor=user))
        pairs.append(([awards[0], awards[1]], [awards[2], awards[3]]))

    for first, second in pairs:
        batches = (first, second)
        outcomes = _parallel(
            2,
            lambda i, batches=batches: stipends.payroll_batch_create(
                district=district, actor=user, awards=batches[i]
            ),
        )
        assert outcomes == ["ok", "ok"]
    assert reconcile(district) == []
