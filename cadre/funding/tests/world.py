"""The world's funding part (conftest.py joins the parts; see World there)."""

from decimal import Decimal

from cadre.funding.factories import (
    BudgetFactory,
    FundingSourceFactory,
    ProgramPlanFactory,
    StipendScheduleFactory,
)
from cadre.funding.models import FundingSource, Use
from cadre.funding.services import fiscal_years, ledger, plans, stipends, transfers


def build(district, o: dict) -> None:
    """A Title I source owned by the program, budgets at both schools and the program,
    an encumbrance, a transfer request, a proposed stipend award, a paid one in a payroll batch,
    and a published program plan."""
    admin = o["admin"].user
    source = FundingSourceFactory(
        district=district,
        name="Title I, Part A",
        kind=FundingSource.Kind.TITLE_I,
        program=o["program"],
        staff_restricted=True,
        allowed_uses=[Use.REGISTRATION, Use.STIPEND, Use.SUBSTITUTE],
    )
    fy = fiscal_years.fiscal_year_for(district=district, on=district.today())
    budget = BudgetFactory(district=district, source=source, fiscal_year=fy, school=o["school"])
    other = BudgetFactory(
        district=district, source=source, fiscal_year=fy, school=o["other_school"]
    )
    program_budget = BudgetFactory(
        district=district, source=source, fiscal_year=fy, program=o["program"]
    )
    entry = ledger.budget_encumber(
        budget=budget,
        use=Use.REGISTRATION,
        amount=Decimal("100"),
        staff=o["teacher"],
        actor=admin,
    )
    transfer = transfers.transfer_request(
        district=district,
        actor=o["principal"].user,
        from_budget=budget,
        to_budget=program_budget,
        amount=Decimal("50"),
        reason="Move to the program pool",
    )
    schedule = StipendScheduleFactory(district=district, school_year=o["year"])
    award = stipends.award_create(
        district=district,
        actor=admin,
        schedule=schedule,
        staff=o["teacher"],
        budget=budget,
        months=10,
    )
    paid = stipends.award_create(
        district=district,
        actor=admin,
        schedule=schedule,
        staff=o["program_teacher"],
        budget=program_budget,
        months=2,
    )
    stipends.award_approve(award=paid, actor=admin)
    batch = stipends.payroll_batch_create(district=district, actor=admin, awards=[paid])
    plan = ProgramPlanFactory(district=district, program=o["program"], school_year=o["year"])
    plans.activity_add(plan=plan, actor=admin, data={"title": "Reading institute"})
    plans.allocation_add(
        plan=plan,
        actor=admin,
        data={"use": Use.REGISTRATION, "source": source, "amount": Decimal("5000")},
    )
    plan = plans.plan_publish(plan=plan, actor=o["director"].user)
    o |= {
        "source": source,
        "fiscal_year": fy,
        "budget": budget,
        "other_budget": other,
        "program_budget": program_budget,
        "entry": entry,
        "transfer": transfer,
        "schedule": schedule,
        "award": award,
        "paid_award": paid,
        "batch": batch,
        "plan": plan,
        "activity": plan.activities.get(),
        "allocation": plan.allocations.get(),
    }
