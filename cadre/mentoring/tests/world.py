"""The world's mentoring part (conftest.py joins the parts; see World there)."""

from datetime import date, timedelta
from decimal import Decimal

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.funding.factories import (
    BudgetFactory,
    FundingSourceFactory,
    StipendScheduleFactory,
)
from cadre.funding.models import FundingSource, StipendRole, Use
from cadre.mentoring import services
from cadre.mentoring.models import Training


def build(district, o: dict) -> None:
    """The teacher is a trained mentor (the world's offering counts as mentor training)
    with an active match and one log for a new teacher at the principal's school; a
    second new teacher there has a proposed match; the other teacher has extended
    support; the new teacher has an onboarding checklist. A general fund pays, with
    mentor and mentee stipend schedules and a district budget."""
    admin = o["admin"].user
    today = district.today()
    fund = FundingSourceFactory(
        district=district,
        name="General fund: induction",
        kind=FundingSource.Kind.GENERAL,
        allowed_uses=[Use.STIPEND, Use.REGISTRATION],
    )
    fund_budget = BudgetFactory(
        district=district, source=fund, fiscal_year=o["fiscal_year"], amount=Decimal("50000")
    )
    mentee_schedule = StipendScheduleFactory(
        district=district,
        school_year=o["year"],
        role=StipendRole.MENTEE,
        name="Mentee stipend",
        amount=Decimal("500.00"),
    )
    mentor_training = services.training_add(
        district=district, actor=admin, offering=o["offering"], kind=Training.Kind.MENTOR
    )
    orientation = services.training_add(
        district=district,
        actor=admin,
        offering=o["approval_offering"],
        kind=Training.Kind.ORIENTATION,
    )
    new_teacher = staff_with_role(
        Role.TEACHER,
        school=o["school"],
        contracted_days=40,
        substitute_days=22,
        hire_date=today - timedelta(days=20),
    )
    second = staff_with_role(
        Role.TEACHER,
        school=o["school"],
        contracted_days=10,
        substitute_days=0,
        hire_date=date(2026, 8, 20),
    )
    mentor = services.mentor_create(
        district=district, actor=admin, staff=o["teacher"], data={"availability": "Tuesdays"}
    )
    match = services.match_propose(
        district=district, actor=admin, mentor=mentor, mentee=new_teacher, source=fund
    )
    match = services.match_confirm(match=match, actor=admin, started_on=today - timedelta(days=14))
    log = services.log_create(
        match=match,
        actor=o["teacher"].user,
        data={
            "met_on": today - timedelta(days=7),
            "minutes": 45,
            "kind": "planning",
            "focus": "First unit plan and the seating chart",
            "next_steps": "Observe period 2 next week",
        },
    )
    proposed = services.match_propose(
        district=district, actor=o["principal"].user, mentor=mentor, mentee=second
    )
    extended = services.extended_support_grant(
        district=district,
        actor=admin,
        staff=o["other_teacher"],
        reason="New to the state's standards",
        source=fund,
    )
    checklist = services.checklist_open(
        district=district, actor=o["principal"].user, staff=new_teacher
    )
    o |= {
        "mentoring_fund": fund,
        "mentoring_budget": fund_budget,
        "mentee_schedule": mentee_schedule,
        "mentor_training": mentor_training,
        "orientation": orientation,
        "new_teacher": new_teacher,
        "second_new_teacher": second,
        "mentor": mentor,
        "match": match,
        "mentor_log": log,
        "proposed_match": proposed,
        "extended_support": extended,
        "checklist": checklist,
        "onboarding_task": checklist.tasks.first(),
        "onboarding_item": checklist.tasks.first().item,
    }
