"""The world's growth part (conftest.py joins the parts; see World there)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.funding.factories import BudgetFactory, FundingSourceFactory
from cadre.funding.models import FundingSource, Use
from cadre.growth import services


def build(district, o: dict) -> None:
    """Goals for the teacher (submitted, draft) and the program teacher (submitted), an ISD
    source and budget, a default allotment, and ISD requests: the teacher's submitted one
    with a PDF receipt and an approved one, and the program teacher's submitted one."""
    admin = o["admin"].user

    def personal(staff, title, submit=True):
        goal = services.goal_create(
            staff=staff,
            actor=staff.user,
            data={
                "title": title,
                "statement": "Raise reading",
                "activities": "Reading institute",
                "evidence": "Screener growth",
                "school_year": o["year"],
            },
            aligns_to=[o["school_goal"] if staff.pk == o["teacher"].pk else o["district_goal"]],
        )
        return services.goal_submit(goal=goal, actor=staff.user) if submit else goal

    goal = personal(o["teacher"], "Guided reading")
    draft = personal(o["teacher"], "Small groups", submit=False)
    program_goal = personal(o["program_teacher"], "Title I interventions")
    source = FundingSourceFactory(
        district=district,
        name="ISD contract funds",
        kind=FundingSource.Kind.ISD,
        allowed_uses=[Use.REGISTRATION, Use.MATERIALS, Use.TRAVEL],
    )
    fy = o["fiscal_year"]
    budget = BudgetFactory(
        district=district,
        source=source,
        fiscal_year=fy,
        amount=Decimal("100000"),
        hours=Decimal("5000"),
    )
    allotment = services.allotment_create(
        district=district,
        actor=admin,
        data={
            "school_year": o["year"],
            "source": source,
            "amount": Decimal("1500"),
            "hours": Decimal("30"),
        },
    )
    start = max(fy.start_date, o["year"].start_date, district.today() - timedelta(days=1))

    def request(staff, title, cost="200", goal=None):
        return services.isd_request_create(
            staff=staff,
            actor=staff.user,
            data={
                "kind": "conference",
                "title": title,
                "start_date": start,
                "end_date": start,
                "cost": Decimal(cost),
                "hours": Decimal("6"),
                "goal": goal,
                "rationale": "It serves my goal",
            },
        )

    isd_request = request(o["teacher"], "Literacy conference", goal=goal)
    attachment = services.isd_attach(
        request=isd_request,
        actor=o["teacher"].user,
        upload=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf"),
    )
    approved = services.isd_approve(
        request=request(o["teacher"], "Reading course", cost="300"), actor=o["principal"].user
    )
    program_request = request(o["program_teacher"], "Title I summit")
    o |= {
        "professional_goal": goal,
        "draft_goal_personal": draft,
        "program_goal": program_goal,
        "isd_source": source,
        "isd_budget": budget,
        "allotment": allotment,
        "isd_request": isd_request,
        "approved_request": approved,
        "attachment": attachment,
        "program_request": program_request,
    }
