"""The funding API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world` a Title I source (`source`) owned by the program pays budgets
at both schools and the program (`budget`, with an encumbrance `entry` and a transfer request
`transfer`); a proposed stipend award (`award`) on `schedule`, a paid one in `batch`, and the
program's published plan (`plan`). The administrator asks.
"""

from datetime import date
from decimal import Decimal

from cadre.districts.factories import AssignmentFactory, ProgramFactory, SchoolFactory, StaffFactory
from cadre.funding.factories import (
    BudgetFactory,
    FiscalYearFactory,
    FundingSourceFactory,
    ProgramPlanFactory,
    StipendScheduleFactory,
)
from cadre.funding.models import PlanAcknowledgement, Use
from cadre.funding.services import ledger, plans, stipends, transfers
from cadre.tests.api_checks import Actions, Malformed, Queries, Resource

D = Decimal


def staff_at(school):
    staff = StaffFactory(district=school.district)
    AssignmentFactory(staff=staff, school=school)
    return staff


def open_budget(world, amount="1000000"):
    source = FundingSourceFactory(district=world.a)
    return BudgetFactory(
        district=world.a,
        source=source,
        fiscal_year=world.obj("a.fiscal_year"),
        amount=D(amount),
        school=SchoolFactory(district=world.a),
    )


def more_sources(world, n):
    for _ in range(n):
        FundingSourceFactory(district=world.a, school=SchoolFactory(district=world.a))


def more_budgets(world, n):
    for _ in range(n):
        open_budget(world)


def more_entries(world, n):
    budget = open_budget(world)
    admin = world.obj("a.admin").user
    for _ in range(n):
        entry = ledger.budget_encumber(
            budget=budget,
            use=Use.MATERIALS,
            amount=D("10"),
            staff=staff_at(budget.school),
            actor=admin,
        )
        ledger.budget_spend(encumbrance=entry, amount=D("9"), actor=admin)


def more_transfers(world, n):
    a = open_budget(world)
    b = BudgetFactory(
        district=world.a,
        source=a.source,
        fiscal_year=a.fiscal_year,
        amount=D("1000000"),
        school=SchoolFactory(district=world.a),
    )
    for i in range(n):
        transfers.transfer_request(
            district=world.a,
            actor=world.obj("a.principal").user,
            from_budget=a if i % 2 else b,
            to_budget=b if i % 2 else a,
            amount=D("1"),
            reason="Rebalance",
        )


def more_years(world, n):
    for i in range(n):
        FiscalYearFactory(
            district=world.a,
            name=f"FY {1990 + i}",
            start_date=date(1990 + i, 7, 1),
            end_date=date(1991 + i, 6, 30),
        )


def more_schedules(world, n):
    for _ in range(n):
        StipendScheduleFactory(district=world.a, school_year=world.obj("a.year"))


def more_awards(world, n):
    budget = open_budget(world)
    schedule = world.obj("a.schedule")
    for _ in range(n):
        stipends.award_create(
            district=world.a,
            actor=world.obj("a.admin").user,
            schedule=schedule,
            staff=staff_at(budget.school),
            budget=budget,
            months=3,
        )


def more_batches(world, n):
    budget = open_budget(world)
    admin = world.obj("a.admin").user
    for _ in range(n):
        awards = [
            stipends.award_create(
                district=world.a,
                actor=admin,
                schedule=world.obj("a.schedule"),
                staff=staff_at(budget.school),
                budget=budget,
                months=1,
            )
            for _ in range(2)
        ]
        for award in awards:
            stipends.award_approve(award=award, actor=admin)
        stipends.payroll_batch_create(district=world.a, actor=admin, awards=awards)


def more_plans(world, n):
    admin = world.obj("a.admin").user
    source = world.obj("a.source")
    for _ in range(n):
        plan = ProgramPlanFactory(
            district=world.a,
            program=ProgramFactory(district=world.a),
            school_year=world.obj("a.year"),
        )
        for title in ("Institute", "Coaching"):
            plans.activity_add(plan=plan, actor=admin, data={"title": title})
        plans.allocation_add(
            plan=plan, actor=admin, data={"use": Use.REGISTRATION, "source": source, "amount": 5}
        )
        PlanAcknowledgement.objects.create(
            district=world.a, plan=plan, staff=world.obj("a.teacher")
        )


RESOURCES = {
    "funding-sources": Resource(
        obj="source",
        bad_params=(
            ("funding-sources/", {"kind": "lottery"}, "kind"),
            ("funding-sources/", {"active": "maybe"}, "active"),
            ("funding-sources/", {"q": "x" * 201}, "q"),
        ),
        queries=Queries(more_sources, 10, 5),
    ),
    "budgets": Resource(
        obj="budget",
        bad_params=(
            ("budgets/", {"fiscal_year": "abc"}, "fiscal_year"),
            ("budgets/", {"school": "99999999999999999999999"}, "school"),
            ("budgets/", {"owner": "school"}, "owner"),
            ("budgets/", {"ordering": "password"}, "ordering"),
        ),
        queries=Queries(more_budgets, 10, 5),
    ),
    "ledger-entries": Resource(
        obj="entry",
        bad_params=(
            ("ledger-entries/", {"budget": "-1"}, "budget"),
            ("ledger-entries/", {"kind": "gift"}, "kind"),
        ),
        queries=Queries(more_entries, 11, 6),  # who posted
    ),
    "budget-transfers": Resource(
        obj="transfer",
        bad_params=(("budget-transfers/", {"status": "pending"}, "status"),),
        queries=Queries(more_transfers, 11, 6),  # who requested
    ),
    "fiscal-years": Resource(
        obj="fiscal_year",
        bad_params=(("fiscal-years/", {"ordering": "name"}, "ordering"),),
        queries=Queries(more_years, 10, 5),
    ),
    "stipend-schedules": Resource(
        obj="schedule",
        bad_params=(("stipend-schedules/", {"school_year": "this"}, "school_year"),),
        queries=Queries(more_schedules, 10, 5),
    ),
    "stipend-awards": Resource(
        obj="award",
        bad_params=(
            ("stipend-awards/", {"status": "nope"}, "status"),
            ("stipend-awards/", {"schedule": "1.5"}, "schedule"),
        ),
        queries=Queries(more_awards, 10, 5),
    ),
    "payroll-batches": Resource(
        obj="batch",
        bad_params=(("payroll-batches/", {"ordering": "total"}, "ordering"),),
        # the batches' award ids, who made them
        queries=Queries(more_batches, 12, 7),
    ),
    "program-plans": Resource(
        obj="plan",
        bad_params=(
            ("program-plans/", {"program": "0"}, "program"),
            ("program-plans/{plan}/acknowledgements/", {"acknowledged": "maybe"}, "acknowledged"),
        ),
        # activities, allocations with their sources
        queries=Queries(more_plans, 13, 8),
    ),
}
ACTIONS = Actions(
    paths=(
        "budgets/{budget}/post/",
        "budgets/{budget}/transfer/",
        "budget-transfers/{transfer}/approve/",
        "budget-transfers/{transfer}/reject/",
        "fiscal-years/{fiscal_year}/close/",
        "stipend-awards/{award}/approve/",
        "stipend-awards/{award}/cancel/",
        "program-plans/{plan}/publish/",
        "program-plans/{plan}/activities/",
        "program-plans/{plan}/allocations/",
    ),
)
MALFORMED = Malformed("a.admin", "budgets/{budget}/post/")
