import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cadre.districts.factories import AssignmentFactory, StaffFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.factories import BudgetFactory, FundingSourceFactory, ended
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FiscalYear,
    LedgerEntry,
    PlanAcknowledgement,
    ProgramPlan,
    StipendAward,
    Use,
)
from cadre.tests.kit import login

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_principal_sees_their_school_by_source_with_chart_and_table(client, o):
    text = login(client, o["principal"]).get("/funding/").content.decode()
    assert "Title I, Part A" in text
    assert "$1,000.00" in text and "$900.00" in text  # budgeted and remaining
    assert "<svg" in text and "<table" in text
    # The other school's budget is not theirs: the total is only their one budget.
    assert text.count("$1,000.00") == 3  # the source row, the total, the budget row


def test_the_director_sees_every_budget_their_source_funds(client, o):
    response = login(client, o["director"]).get("/funding/")
    assert len(response.context["page"].object_list) == 3
    assert response.context["total"].amount["budgeted"] == D("3000")


def test_filters_and_bad_parameters_never_fail(client, o):
    client = login(client, o["admin"])
    for query in ({"fy": "abc"}, {"school": "x"}, {"fy": "999999"}, {"owner": "district"}):
        assert client.get("/funding/", query).status_code == 200
    only = client.get("/funding/", {"school": o["other_school"].pk})
    assert [b.pk for b in only.context["page"]] == [o["other_budget"].pk]


def test_dashboard_query_count_is_pinned(client, o, world, django_assert_num_queries):
    client = login(client, o["admin"])
    for i in range(20):
        source = FundingSourceFactory(district=world.a, name=f"Grant {i}")
        BudgetFactory(district=world.a, source=source, fiscal_year=o["fiscal_year"])
    with django_assert_num_queries(17):  # with who requested each pending transfer
        assert client.get("/funding/").status_code == 200


def test_csv_and_xlsx_exports_hold_the_same_figures(client, o):
    client = login(client, o["principal"])
    response = client.get("/funding/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Funding source",
        "Budgeted dollars",
        "Committed dollars",
        "Spent dollars",
        "Remaining dollars",
    ]
    assert rows[1][:5] == ["Title I, Part A", "1000.00", "100.00", "0.00", "900.00"]
    assert rows[-1][0] == "Total"
    book = load_workbook(io.BytesIO(client.get("/funding/export.xlsx").content))
    sheet = book.active
    assert sheet["A2"].value == "Title I, Part A" and sheet["E2"].value == 900


def test_posting_over_the_balance_shows_the_reason_and_writes_nothing(client, o):
    client = login(client, o["admin"])
    before = LedgerEntry.objects.count()
    url = f"/funding/budgets/{o['budget'].pk}/post/"
    response = client.post(
        url,
        {"kind": "encumbrance", "use": "registration", "amount": "901", "staff": o["teacher"].pk},
    )
    assert response.status_code == 400
    assert "This would overdraw" in response.content.decode()
    assert LedgerEntry.objects.count() == before
    response = client.post(
        url, {"kind": "encumbrance", "use": "travel", "amount": "5", "staff": o["teacher"].pk}
    )
    assert "does not pay for travel" in response.content.decode()
    assert client.post(url, {"kind": "encumbrance", "use": "", "amount": "x"}).status_code == 400
    done = client.post(
        url, {"kind": "expenditure", "encumbrance": o["entry"].pk, "amount": "95", "memo": "Paid"}
    )
    assert done.status_code == 302
    budget = Budget.objects.get(pk=o["budget"].pk)
    assert (budget.committed_amount, budget.spent_amount) == (0, D("95"))


def test_budget_page_shows_its_ledger(client, o):
    text = login(client, o["director"]).get(f"/funding/budgets/{o['budget'].pk}/").content
    text = text.decode()
    assert f'id="entry-{o["entry"].pk}"' in text and "open" in text


def test_a_principal_requests_a_transfer_and_an_admin_approves(client, o):
    principal = login(client, o["principal"])
    response = principal.post(
        f"/funding/budgets/{o['budget'].pk}/transfer/",
        {"to_budget": o["program_budget"].pk, "amount": "25", "reason": "Pool for the institute"},
    )
    transfer = BudgetTransfer.objects.latest("pk")
    assert response.status_code == 302 and transfer.requested_by == o["principal"].user
    # The principal cannot approve it.
    assert principal.post(f"/funding/transfers/{transfer.pk}/approve/").status_code == 403
    admin = login(client, o["admin"])
    admin.post(f"/funding/transfers/{transfer.pk}/approve/", {"note": "Fine"})
    assert BudgetTransfer.objects.get(pk=transfer.pk).status == "approved"
    assert Budget.objects.get(pk=o["budget"].pk).amount == D("975")


def test_an_admin_closes_the_fiscal_year(client, o):
    client = login(client, o["admin"])
    early = client.post(f"/funding/fiscal-years/{o['fiscal_year'].pk}/close/", follow=True)
    assert "close it after that" in early.content.decode()
    ended(o["fiscal_year"])
    response = client.post(f"/funding/fiscal-years/{o['fiscal_year'].pk}/close/", follow=True)
    assert "Closed FY" in response.content.decode()
    assert FiscalYear.objects.get(pk=o["fiscal_year"].pk).is_closed
    again = client.post(f"/funding/fiscal-years/{o['fiscal_year'].pk}/close/", follow=True)
    assert "is closed" in again.content.decode()


def test_stipend_award_to_payroll_csv(client, o, world):
    Budget.objects.filter(pk=o["budget"].pk).update(amount=D("5000"))
    admin = login(client, o["admin"])
    response = admin.post(
        "/funding/stipends/new/",
        {
            "schedule": o["schedule"].pk,
            "staff": o["teacher"].pk,
            "budget": o["budget"].pk,
            "months": "4",
            "evidence": "Mentored from February",
        },
    )
    award = StipendAward.objects.latest("pk")
    assert response.status_code == 302 and award.amount == D("600.00")
    admin.post(f"/funding/stipends/{award.pk}/approve/")
    assert StipendAward.objects.get(pk=award.pk).status == "approved"
    business = staff_with_role(Role.BUSINESS_OFFICE, district=world.a)
    office = login(client, business)
    assert office.get("/funding/stipends/").status_code == 200
    assert office.post(f"/funding/stipends/{award.pk}/approve/").status_code == 403
    huge = office.post("/funding/payroll/", {"awards": [2**70], "paid_on": "2026-11-30"})
    assert huge.status_code == 400 and "not one of the available choices" in huge.content.decode()
    response = office.post("/funding/payroll/", {"awards": [award.pk], "paid_on": "2026-11-30"})
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == "paid" and award.batch.paid_on.isoformat() == "2026-11-30"
    csv_text = office.get(f"/funding/payroll/{award.batch.pk}/csv/").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(csv_text)))
    assert lines[0][0] == "employee_id"
    assert lines[1][0] == o["teacher"].employee_id and lines[1][6] == "600.00"


def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(client, o, world):
    source = FundingSourceFactory(district=world.a, name="=HYPERLINK(1)")
    BudgetFactory(district=world.a, source=source, fiscal_year=o["fiscal_year"])
    text = login(client, o["admin"]).get("/funding/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_a_director_writes_and_publishes_a_plan_that_teachers_see_at_home(client, o, world):
    ProgramPlan.objects.filter(pk=o["plan"].pk).delete()
    director = login(client, o["director"])
    response = director.post(
        "/funding/plans/new/",
        {
            "program": o["program"].pk,
            "school_year": o["year"].pk,
            "title": "Title I PD 2026–27",
            "summary": "Literacy first.",
            "goals": "Reading\nWriting",
        },
    )
    plan = ProgramPlan.objects.get(title="Title I PD 2026–27")
    assert response.status_code == 302
    director.post(f"/funding/plans/{plan.pk}/activities/", {"activity-title": "Summer institute"})
    director.post(
        f"/funding/plans/{plan.pk}/allocations/",
        {
            "allocation-use": "travel",
            "allocation-source": o["source"].pk,
            "allocation-amount": "100",
        },
    )
    assert not plan.allocations.exists()  # Title I does not pay for travel
    director.post(
        f"/funding/plans/{plan.pk}/allocations/",
        {
            "allocation-use": "registration",
            "allocation-source": o["source"].pk,
            "allocation-amount": "12000",
        },
    )
    teacher = StaffFactory(district=world.a)
    AssignmentFactory(staff=teacher, school=o["school"])
    director.post(f"/funding/plans/{plan.pk}/publish/")
    plan.refresh_from_db()
    assert plan.status == "published"

    home = login(client, teacher).get("/").content.decode()
    assert "Title I PD 2026–27" in home and "I have read it" in home
    client.post(f"/funding/plans/{plan.pk}/acknowledge/", {"next": "home"})
    assert PlanAcknowledgement.objects.filter(plan=plan, staff=teacher).exists()
    assert "Acknowledged" in client.get("/").content.decode()
    # The other school's teacher is not covered and does not see it.
    assert "Title I PD" not in login(client, o["other_teacher"]).get("/").content.decode()
    page = login(client, o["director"]).get(f"/funding/plans/{plan.pk}/acknowledgements/")
    assert f"<strong>1 of {page.context['covered']}</strong>" in page.content.decode()
    not_yet = client.get(f"/funding/plans/{plan.pk}/acknowledgements/", {"acknowledged": "0"})
    assert teacher.pk not in {s.pk for s in not_yet.context["page"]}


def test_earlier_years_plans_stay_readable(client, o):
    text = login(client, o["teacher"]).get("/funding/plans/").content.decode()
    assert o["plan"].title in text


def test_admin_home_shows_what_waits(client, o):
    text = login(client, o["admin"]).get("/").content.decode()
    assert "transfer to decide" in text and "stipend to approve" in text


def test_source_and_budget_forms(client, o, world):
    client = login(client, o["admin"])
    response = client.post(
        "/funding/sources/new/",
        {
            "name": "Title II-A",
            "kind": "title_ii_a",
            "allowed_uses": ["registration", "travel"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    source = world.a_objects["source"].__class__.objects.get(name="Title II-A")
    assert source.allowed_uses == [Use.REGISTRATION, Use.TRAVEL]
    response = client.post(
        "/funding/budgets/new/",
        {
            "source": source.pk,
            "fiscal_year": o["fiscal_year"].pk,
            "amount": "2500",
            "hours": "40",
            "days": "8",
        },
    )
    budget = Budget.objects.get(source=source)
    assert response.status_code == 302 and budget.owner == "District"
    shrink = client.post(
        f"/funding/budgets/{o['budget'].pk}/edit/", {"amount": "50", "hours": "0", "days": "0"}
    )
    assert shrink.status_code == 400 and "cannot go below" in shrink.content.decode()


def test_a_draft_plan_is_edited_and_a_published_one_is_not(client, o, world):
    client = login(client, o["director"])
    published = client.get(f"/funding/plans/{o['plan'].pk}/edit/", follow=True)
    assert "A published plan is final" in published.content.decode()
    ProgramPlan.objects.filter(pk=o["plan"].pk).update(status=ProgramPlan.Status.DRAFT)
    response = client.post(
        f"/funding/plans/{o['plan'].pk}/edit/",
        {"title": "Revised plan", "summary": "", "goals": "One goal"},
    )
    assert response.status_code == 302
    assert ProgramPlan.objects.get(pk=o["plan"].pk).goal_list == ["One goal"]
