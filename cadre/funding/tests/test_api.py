"""The funding API: scope, permissions, postings and workflows through services, filters, bad
input and query counts.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.districts.factories import (
    ProgramFactory,
    SchoolYearFactory,
    staff_with_role,
)
from cadre.districts.models import Role, Staff
from cadre.funding.factories import (
    BudgetFactory,
    FiscalYearFactory,
    FundingSourceFactory,
    ProgramPlanFactory,
    StipendScheduleFactory,
    ended,
)
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanAcknowledgement,
    ProgramPlan,
)
from cadre.funding.services import plans
from cadre.funding.tests.api_checks import staff_at
from cadre.tests.kit import (
    API,
    fresh,
    ids,
    login_as,
    patch,
    post,
)

pytestmark = pytest.mark.django_db

D = Decimal
RESOURCES = [
    "funding-sources",
    "budgets",
    "ledger-entries",
    "budget-transfers",
    "fiscal-years",
    "stipend-schedules",
    "stipend-awards",
    "payroll-batches",
    "program-plans",
]


def second_admin(world) -> Staff:
    return staff_with_role(Role.DISTRICT_ADMIN, district=world.a)


# --- authentication ------------------------------------------------------------------------


def test_token_authentication_reads_and_posts(client, world):
    key = Token.objects.create(user=world.obj("a.admin").user).key
    budget = world.obj("a.budget")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    assert client.get(f"{API}/budgets/{budget.pk}/", **auth).status_code == 200
    response = client.post(
        f"{API}/budgets/{budget.pk}/post/",
        {"kind": "encumbrance", "use": "registration", "amount": "10.00", "staff": None},
        content_type="application/json",
        **auth,
    )
    # The source pays only for covered staff: the service says so, as 400 with its code.
    assert response.status_code == 400
    assert response.json()["code"] == "ledger.staff_required"


# --- sources -------------------------------------------------------------------------------


def test_sources_scope_and_representation(client, world):
    source = world.obj("a.source")
    login_as(client, world, "a.principal")  # holds a budget of the Title I source
    assert ids(client.get(f"{API}/funding-sources/")) == {source.pk}
    body = client.get(f"{API}/funding-sources/{source.pk}/").json()
    assert body == {
        "id": source.pk,
        "name": "Title I, Part A",
        "code": "",
        "kind": "title_i",
        "school": None,
        "program": world.obj("a.program").pk,
        "owner": str(world.obj("a.program")),
        "allowed_uses": ["registration", "stipend", "substitute"],
        "staff_restricted": True,
        "carries_forward": False,
        "is_active": True,
    }
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/funding-sources/").status_code == 403
    assert client.get(f"{API}/funding-sources/{source.pk}/").status_code == 404


def test_sources_create_update_and_filters(client, world):
    admin = login_as(client, world, "a.admin")
    school = world.obj("a.school")
    response = post(
        client,
        "funding-sources/",
        {
            "name": "Site PD",
            "code": "100-PD",
            "kind": "general",
            "school": school.pk,
            "allowed_uses": ["materials", "travel", "materials"],
            "staff_restricted": True,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["allowed_uses"] == ["materials", "travel"]  # the service drops repeats
    assert body["owner"] == str(school)
    source = FundingSource.objects.get(pk=body["id"])
    assert source.district == world.a and source.school == school
    assert AuditEvent.objects.filter(
        object_type="funding.fundingsource", object_id=str(source.pk), actor=admin.user
    ).exists()

    response = patch(client, f"funding-sources/{source.pk}/", {"is_active": False})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert ids(client.get(f"{API}/funding-sources/")) == {
        world.obj("a.source").pk,
        world.obj("a.isd_source").pk,
        world.obj("a.mentoring_fund").pk,
    }
    assert ids(client.get(f"{API}/funding-sources/", {"active": "false"})) == {source.pk}
    assert ids(client.get(f"{API}/funding-sources/", {"q": "100-pd", "active": "all"})) == {
        source.pk
    }
    assert ids(client.get(f"{API}/funding-sources/", {"kind": "title_i"})) == {
        world.obj("a.source").pk
    }


def test_sources_refusals(client, world):
    login_as(client, world, "a.admin")
    taken = post(client, "funding-sources/", {"name": "Title I, Part A", "kind": "title_i"})
    assert taken.status_code == 400 and taken.json()["code"] == "source.duplicate"
    two = post(
        client,
        "funding-sources/",
        {
            "name": "Both",
            "kind": "general",
            "school": world.obj("a.school").pk,
            "program": world.obj("a.program").pk,
        },
    )
    assert two.status_code == 400 and two.json()["code"] == "funding.two_owners"
    bad_use = post(
        client, "funding-sources/", {"name": "X", "kind": "general", "allowed_uses": ["yachts"]}
    )
    assert bad_use.status_code == 400 and "allowed_uses" in bad_use.json()["errors"]
    foreign = post(
        client,
        "funding-sources/",
        {"name": "Y", "kind": "general", "school": world.obj("b.school").pk},
    )
    assert foreign.status_code == 400 and "school" in foreign.json()["errors"]
    login_as(client, world, "a.director")
    assert post(client, "funding-sources/", {"name": "Z", "kind": "general"}).status_code == 403
    assert not FundingSource.objects.filter(name__in=["Both", "X", "Y", "Z"]).exists()


# --- budgets -------------------------------------------------------------------------------


def test_principal_sees_only_their_schools_budget(client, world):
    budget, other = world.obj("a.budget"), world.obj("a.other_budget")
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/budgets/")) == {budget.pk}
    assert client.get(f"{API}/budgets/{budget.pk}/").status_code == 200
    assert client.get(f"{API}/budgets/{other.pk}/").status_code == 404
    assert client.get(f"{API}/budgets/{world.obj('b.budget').pk}/").status_code == 404


def test_director_sees_the_budgets_of_their_programs_source(client, world):
    login_as(client, world, "a.director")
    expected = {world.obj(f"a.{k}").pk for k in ("budget", "other_budget", "program_budget")}
    assert ids(client.get(f"{API}/budgets/")) == expected


def test_budget_representation(client, world):
    login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    body = client.get(f"{API}/budgets/{budget.pk}/").json()
    fy = world.obj("a.fiscal_year")
    assert body == {
        "id": budget.pk,
        "source": world.obj("a.source").pk,
        "source_name": "Title I, Part A",
        "fiscal_year": fy.pk,
        "fiscal_year_name": fy.name,
        "school": world.obj("a.school").pk,
        "program": None,
        "owner": str(world.obj("a.school")),
        "amount": "1000.00",
        "hours": "100.00",
        "days": "10.00",
        "committed_amount": "100.00",
        "committed_hours": "0.00",
        "committed_days": "0.00",
        "spent_amount": "0.00",
        "spent_hours": "0.00",
        "spent_days": "0.00",
        "remaining_amount": "900.00",
        "remaining_hours": "100.00",
        "remaining_days": "10.00",
        "note": "",
    }


def test_budget_filters(client, world):
    login_as(client, world, "a.admin")
    fy = world.obj("a.fiscal_year")
    later = FiscalYearFactory(
        district=world.a, name="FY later", start_date=date(2040, 7, 1), end_date=date(2041, 6, 30)
    )
    district_budget = BudgetFactory(district=world.a, fiscal_year=later)

    def found(**params):
        return ids(client.get(f"{API}/budgets/", params))

    assert found(fiscal_year=later.pk) == {district_budget.pk}
    # Three Title I budgets, the ISD budget and the mentor programme's general-fund budget.
    assert len(found(fiscal_year=fy.pk)) == 5
    assert found(school=world.obj("a.school").pk) == {world.obj("a.budget").pk}
    assert found(program=world.obj("a.program").pk) == {world.obj("a.program_budget").pk}
    assert found(owner="district") == {
        district_budget.pk,
        world.obj("a.isd_budget").pk,
        world.obj("a.mentoring_budget").pk,
    }
    assert found(source=district_budget.source_id) == {district_budget.pk}
    assert found(school=world.obj("b.school").pk) == set()


def test_budget_create_and_update_as_admin(client, world):
    login_as(client, world, "a.admin")
    source = FundingSourceFactory(district=world.a, name="General PD")
    fy = world.obj("a.fiscal_year")
    response = post(
        client,
        "budgets/",
        {"source": source.pk, "fiscal_year": fy.pk, "amount": "2500.50", "hours": "40"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["owner"], body["amount"], body["remaining_amount"]) == (
        "District",
        "2500.50",
        "2500.50",
    )
    budget = Budget.objects.get(pk=body["id"])
    again = post(client, "budgets/", {"source": source.pk, "fiscal_year": fy.pk})
    assert again.status_code == 400 and again.json()["code"] == "budget.duplicate"

    # Only the figures and the note change; source and owner stay.
    other_source = FundingSourceFactory(district=world.a)
    response = patch(
        client,
        f"budgets/{budget.pk}/",
        {"amount": "3000", "note": "Raised", "source": other_source.pk, "committed_amount": "9"},
    )
    assert response.status_code == 200, response.json()
    budget.refresh_from_db()
    assert (budget.amount, budget.note, budget.source, budget.committed_amount) == (
        D("3000"),
        "Raised",
        source,
        D("0"),
    )


def test_budget_cannot_go_below_what_is_used(client, world):
    login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    response = patch(client, f"budgets/{budget.pk}/", {"amount": "99.99"})
    assert response.status_code == 400
    assert response.json()["code"] == "budget.below_used"
    assert fresh(budget).amount == D("1000")


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "12.345"},
        {"amount": "abc"},
        {"amount": "10000000000"},
        {"hours": "100000000"},
        {"days": [1]},
        {"fiscal_year": "abc"},
        {"fiscal_year": 99999999999999999999999},
        {"source": None},
    ],
)
def test_bad_budget_bodies_are_400(client, world, data):
    login_as(client, world, "a.admin")
    source = FundingSourceFactory(district=world.a)
    body = {"source": source.pk, "fiscal_year": world.obj("a.fiscal_year").pk, **data}
    response = post(client, "budgets/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Budget.objects.filter(source=source).exists()


def test_budget_writes_are_admin_only(client, world):
    budget = world.obj("a.budget")
    login_as(client, world, "a.principal")
    assert patch(client, f"budgets/{budget.pk}/", {"amount": "5000"}).status_code == 403
    assert post(client, "budgets/", {}).status_code == 403
    login_as(client, world, "b.admin")
    assert patch(client, f"budgets/{budget.pk}/", {"amount": "5000"}).status_code == 404
    assert fresh(budget).amount == D("1000")


# --- postings ------------------------------------------------------------------------------


def _post_entry(client, budget, **data):
    return post(client, f"budgets/{budget.pk}/post/", data)


def test_post_an_encumbrance_and_pay_it(client, world):
    admin = login_as(client, world, "a.admin")
    budget, teacher = world.obj("a.budget"), world.obj("a.teacher")
    response = _post_entry(
        client,
        budget,
        kind="encumbrance",
        use="substitute",
        amount="150.00",
        days="1.5",
        staff=teacher.pk,
        memo="  Sub for the reading institute ",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("kind", "use", "amount", "days", "staff", "memo")} == {
        "kind": "encumbrance",
        "use": "substitute",
        "amount": "150.00",
        "days": "1.50",
        "staff": teacher.pk,
        "memo": "Sub for the reading institute",
    }
    assert body["staff_name"] == teacher.full_name
    assert body["posted_by_name"] == admin.full_name
    assert body["budget_name"] == str(budget) and body["closed_by"] is None
    budget = fresh(budget)
    assert (budget.committed_amount, budget.committed_days) == (D("250"), D("1.5"))

    paid = _post_entry(client, budget, kind="expenditure", amount="140", encumbrance=body["id"])
    assert paid.status_code == 201, paid.json()
    assert paid.json()["use"] == "substitute" and paid.json()["staff"] == teacher.pk
    budget = fresh(budget)
    assert (budget.committed_amount, budget.spent_amount) == (D("100"), D("140"))
    assert (
        client.get(f"{API}/ledger-entries/{body['id']}/").json()["closed_by"] == (paid.json()["id"])
    )
    # An encumbrance closes once.
    again = _post_entry(client, budget, kind="release", encumbrance=body["id"])
    assert again.status_code == 409 and again.json()["code"] == "ledger.already_closed"


def test_overdrawing_encumbrance_is_409_and_writes_nothing(client, world):
    login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    entries, events = LedgerEntry.objects.count(), AuditEvent.objects.count()
    response = _post_entry(
        client,
        budget,
        kind="encumbrance",
        use="registration",
        amount="900.01",
        staff=world.obj("a.teacher").pk,
    )
    assert response.status_code == 409
    assert response.json()["code"] == "budget.overdrawn"
    assert response.json()["field"] == "amount"
    assert LedgerEntry.objects.count() == entries and AuditEvent.objects.count() == events
    budget = fresh(budget)
    assert (budget.committed_amount, budget.spent_amount) == (D("100"), D("0"))
    # Exactly what remains is fine.
    ok = _post_entry(
        client,
        budget,
        kind="encumbrance",
        use="registration",
        amount="900.00",
        staff=world.obj("a.teacher").pk,
    )
    assert ok.status_code == 201
    assert fresh(budget).remaining_amount == D("0")


def test_a_use_the_source_forbids_is_400(client, world):
    login_as(client, world, "a.admin")
    response = _post_entry(
        client,
        world.obj("a.budget"),
        kind="encumbrance",
        use="travel",
        amount="10",
        staff=world.obj("a.teacher").pk,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ledger.use_not_allowed"
    assert response.json()["field"] == "use"


def test_restricted_source_refuses_staff_it_does_not_cover(client, world):
    login_as(client, world, "a.admin")
    # The program covers the principal's school, not the other one.
    response = _post_entry(
        client,
        world.obj("a.budget"),
        kind="encumbrance",
        use="registration",
        amount="10",
        staff=world.obj("a.other_teacher").pk,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ledger.restricted"
    # A person of another district is simply unknown.
    foreign = _post_entry(
        client,
        world.obj("a.budget"),
        kind="encumbrance",
        use="registration",
        amount="10",
        staff=world.obj("b.teacher").pk,
    )
    assert foreign.status_code == 400 and "staff" in foreign.json()["errors"]
    assert LedgerEntry.objects.filter(budget=world.obj("a.budget")).count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "kind"),
        ({"kind": "gift"}, "kind"),
        ({"kind": "encumbrance", "amount": "10"}, "use"),
        ({"kind": "adjustment", "amount": "-10"}, "use"),
        ({"kind": "expenditure", "amount": "10"}, "use"),
        ({"kind": "encumbrance", "use": "yachts"}, "use"),
        ({"kind": "encumbrance", "use": "registration", "amount": "1.001"}, "amount"),
        ({"kind": "encumbrance", "use": "registration", "hours": "x"}, "hours"),
        ({"kind": "release", "encumbrance": "abc"}, "encumbrance"),
        ({"kind": "release", "encumbrance": 99999999999999999999999}, "encumbrance"),
        ({"kind": "encumbrance", "use": "registration", "staff": "me"}, "staff"),
    ],
)
def test_bad_posting_bodies_are_400(client, world, data, field):
    login_as(client, world, "a.admin")
    response = _post_entry(client, world.obj("a.budget"), **data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]


def test_an_encumbrance_of_another_budget_is_unknown(client, world):
    login_as(client, world, "a.admin")
    response = _post_entry(
        client, world.obj("a.other_budget"), kind="release", encumbrance=world.obj("a.entry").pk
    )
    assert response.status_code == 400 and "encumbrance" in response.json()["errors"]
    assert LedgerEntry.objects.filter(encumbrance=world.obj("a.entry")).count() == 0


def test_an_adjustment_needs_a_reason(client, world):
    login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    teacher = world.obj("a.teacher").pk
    data = {"kind": "adjustment", "use": "registration", "amount": "5", "staff": teacher}
    response = _post_entry(client, budget, **data)
    assert response.status_code == 400 and response.json()["code"] == "ledger.reason_required"
    fixed = _post_entry(client, budget, **data, memo="Bank fee")
    assert fixed.status_code == 201
    assert fresh(budget).spent_amount == D("5")


def test_posting_needs_the_district_office(client, world):
    budget = world.obj("a.budget")
    data = {"kind": "encumbrance", "use": "registration", "amount": "1"}
    login_as(client, world, "a.principal")
    assert _post_entry(client, budget, **data).status_code == 403
    login_as(client, world, "a.teacher")
    assert _post_entry(client, budget, **data).status_code == 404
    login_as(client, world, "b.admin")
    assert _post_entry(client, budget, **data).status_code == 404
    assert LedgerEntry.objects.filter(budget=budget).count() == 1


# --- the ledger ----------------------------------------------------------------------------


def test_ledger_entries_are_scoped_and_filtered(client, world):
    entry = world.obj("a.entry")
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/ledger-entries/")) == {entry.pk}
    login_as(client, world, "a.admin")
    everything = ids(client.get(f"{API}/ledger-entries/"))
    # The world's encumbrance, the paid award's encumbrance and expenditure, and the approved
    # ISD request's encumbrance.
    assert len(everything) == 4 and entry.pk in everything
    assert ids(client.get(f"{API}/ledger-entries/", {"budget": entry.budget_id})) == {entry.pk}
    spent = ids(client.get(f"{API}/ledger-entries/", {"kind": "expenditure"}))
    assert len(spent) == 1
    body = client.get(f"{API}/ledger-entries/{entry.pk}/").json()
    assert (body["kind"], body["amount"], body["staff"], body["cause_type"]) == (
        "encumbrance",
        "100.00",
        world.obj("a.teacher").pk,
        None,
    )
    paid = client.get(f"{API}/ledger-entries/{spent.pop()}/").json()
    assert paid["cause_type"] == "funding.stipendaward"
    assert paid["cause_id"] == world.obj("a.paid_award").pk
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/ledger-entries/").status_code == 403
    assert client.get(f"{API}/ledger-entries/{entry.pk}/").status_code == 404
    login_as(client, world, "b.admin")
    assert client.get(f"{API}/ledger-entries/{entry.pk}/").status_code == 404


def test_ledger_entries_are_never_edited_or_deleted(client, world):
    login_as(client, world, "a.admin")
    entry = world.obj("a.entry")
    url = f"{API}/ledger-entries/{entry.pk}/"
    assert patch(client, f"ledger-entries/{entry.pk}/", {"amount": "1"}).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.put(url, {"amount": "1"}, content_type="application/json").status_code == 405
    assert post(client, "ledger-entries/", {"budget": entry.budget_id}).status_code == 405
    assert fresh(entry).amount == D("100")
    allowed = client.options(url)["Allow"]
    assert "PATCH" not in allowed and "DELETE" not in allowed


# --- transfers -----------------------------------------------------------------------------


def test_transfer_request_and_approval_by_another_admin(client, world):
    admin = login_as(client, world, "a.admin")
    budget, target = world.obj("a.budget"), world.obj("a.other_budget")
    response = post(
        client,
        f"budgets/{budget.pk}/transfer/",
        {"to_budget": target.pk, "amount": "200", "hours": "5", "reason": " Shared institute "},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["amount"], body["hours"], body["reason"]) == (
        "requested",
        "200.00",
        "5.00",
        "Shared institute",
    )
    assert body["requested_by_name"] == admin.full_name
    assert body["from_budget_name"] == str(budget) and body["to_budget_name"] == str(target)
    assert fresh(budget).amount == D("1000")  # nothing moves until someone else approves

    mine = post(client, f"budget-transfers/{body['id']}/approve/")
    assert mine.status_code == 400 and mine.json()["code"] == "transfer.self_approval"

    other = login_as(client, world, second_admin(world))
    approved = post(client, f"budget-transfers/{body['id']}/approve/", {"note": "Fine"})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by_name"] == other.full_name
    assert approved.json()["decision_note"] == "Fine"
    assert (fresh(budget).amount, fresh(budget).hours) == (D("800"), D("95"))
    assert (fresh(target).amount, fresh(target).hours) == (D("1200"), D("105"))
    again = post(client, f"budget-transfers/{body['id']}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "transfer.decided"


def test_transfer_reject_needs_a_note(client, world):
    login_as(client, world, "a.admin")
    transfer = world.obj("a.transfer")
    response = post(client, f"budget-transfers/{transfer.pk}/reject/", {"note": ""})
    assert response.status_code == 400 and "note" in response.json()["errors"]
    blank = post(client, f"budget-transfers/{transfer.pk}/reject/", {"note": "   "})
    assert blank.status_code == 400 and "note" in blank.json()["errors"]
    response = post(client, f"budget-transfers/{transfer.pk}/reject/", {"note": "Not now"})
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert fresh(world.obj("a.budget")).amount == D("1000")


def test_transfers_are_seen_by_their_parties_and_decided_by_admins(client, world):
    transfer = world.obj("a.transfer")
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/budget-transfers/")) == {transfer.pk}
    assert client.get(f"{API}/budget-transfers/{transfer.pk}/").status_code == 200
    assert post(client, f"budget-transfers/{transfer.pk}/approve/").status_code == 403
    # The principal may move money to another school's budget, as the page allows, but not
    # to another district's.
    response = post(
        client,
        f"budgets/{world.obj('a.budget').pk}/transfer/",
        {"to_budget": world.obj("a.other_budget").pk, "amount": "1", "reason": "x"},
    )
    assert response.status_code == 201
    requested = response.json()["id"]
    response = post(
        client,
        f"budgets/{world.obj('a.budget').pk}/transfer/",
        {"to_budget": world.obj("b.budget").pk, "amount": "1", "reason": "x"},
    )
    assert response.status_code == 400 and "to_budget" in response.json()["errors"]
    login_as(client, world, "a.admin")
    assert ids(client.get(f"{API}/budget-transfers/", {"status": "approved"})) == set()
    found = ids(client.get(f"{API}/budget-transfers/", {"budget": world.obj("a.budget").pk}))
    assert found == {transfer.pk, requested}
    assert post(client, "budget-transfers/", {}).status_code == 405
    assert patch(client, f"budget-transfers/{transfer.pk}/", {"amount": "1"}).status_code == 405
    login_as(client, world, "b.admin")
    assert post(client, f"budget-transfers/{transfer.pk}/approve/").status_code == 404
    assert BudgetTransfer.objects.get(pk=transfer.pk).status == "requested"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"amount": "1", "reason": "x"}, "invalid"),  # no target
        ({"to_budget": "self", "amount": "1", "reason": "x"}, "transfer.same_budget"),
        ({"to_budget": "program", "amount": "-1", "reason": "x"}, "invalid"),
        ({"to_budget": "program", "reason": "x"}, "transfer.empty"),
        ({"to_budget": "program", "amount": "1", "reason": ""}, "invalid"),
        ({"to_budget": "program", "amount": "1.234", "reason": "x"}, "invalid"),
    ],
)
def test_bad_transfer_requests(client, world, data, code):
    login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    target = {"self": budget, "program": world.obj("a.program_budget")}
    if "to_budget" in data:
        data = {**data, "to_budget": target[data["to_budget"]].pk}
    response = post(client, f"budgets/{budget.pk}/transfer/", data)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert BudgetTransfer.objects.filter(district=world.a).count() == 1


# --- fiscal years --------------------------------------------------------------------------


def test_fiscal_year_close_stops_postings(client, world):
    login_as(client, world, "a.principal")
    fy = world.obj("a.fiscal_year")
    assert ids(client.get(f"{API}/fiscal-years/")) == {fy.pk}
    assert post(client, f"fiscal-years/{fy.pk}/close/").status_code == 403
    login_as(client, world, "a.admin")
    early = post(client, f"fiscal-years/{fy.pk}/close/")
    assert early.status_code == 409 and early.json()["code"] == "fiscal_year.not_ended"
    fy = ended(fy)
    response = post(client, f"fiscal-years/{fy.pk}/close/")
    assert response.status_code == 200, response.json()
    assert response.json()["is_closed"] is True and response.json()["closed_at"]
    refused = _post_entry(
        client,
        world.obj("a.budget"),
        kind="encumbrance",
        use="registration",
        amount="1",
        staff=world.obj("a.teacher").pk,
    )
    assert refused.status_code == 409 and refused.json()["code"] == "fiscal_year.closed"
    again = post(client, f"fiscal-years/{fy.pk}/close/")
    assert again.status_code == 409
    assert post(client, "fiscal-years/", {"name": "FY"}).status_code == 405
    login_as(client, world, "a.teacher")
    assert client.get(f"{API}/fiscal-years/").status_code == 403


# --- stipends ------------------------------------------------------------------------------


def test_schedules_everyone_reads_admins_write(client, world):
    schedule, year = world.obj("a.schedule"), world.obj("a.year")
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/stipend-schedules/")) == {
        schedule.pk,
        world.obj("a.mentee_schedule").pk,
    }
    assert patch(client, f"stipend-schedules/{schedule.pk}/", {"amount": "1"}).status_code == 403
    login_as(client, world, "a.admin")
    response = post(
        client,
        "stipend-schedules/",
        {
            "school_year": year.pk,
            "role": "facilitator",
            "name": "PLC facilitator",
            "amount": "800.00",
            "full_months": 8,
            "source": world.obj("a.source").pk,
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["school_year_name"] == year.name
    duplicate = post(
        client,
        "stipend-schedules/",
        {"school_year": year.pk, "role": "facilitator", "name": "PLC facilitator", "amount": "1"},
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "stipend.duplicate_schedule"
    created = response.json()["id"]
    response = patch(client, f"stipend-schedules/{schedule.pk}/", {"amount": "1600"})
    assert response.status_code == 200 and response.json()["amount"] == "1600.00"
    other_year = SchoolYearFactory(
        district=world.a,
        name="2030–31",
        is_current=False,
        start_date=date(2030, 7, 1),
        end_date=date(2031, 6, 30),
    )
    later = StipendScheduleFactory(district=world.a, school_year=other_year)
    assert ids(client.get(f"{API}/stipend-schedules/", {"school_year": year.pk})) == {
        schedule.pk,
        world.obj("a.mentee_schedule").pk,
        created,
    }
    assert ids(client.get(f"{API}/stipend-schedules/", {"school_year": other_year.pk})) == {
        later.pk
    }


def test_awards_scope(client, world):
    award, paid = world.obj("a.award"), world.obj("a.paid_award")
    login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/stipend-awards/")) == {award.pk}
    login_as(client, world, "a.principal")
    assert ids(client.get(f"{API}/stipend-awards/")) == {award.pk}
    assert client.get(f"{API}/stipend-awards/{paid.pk}/").status_code == 404
    login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/stipend-awards/")) == {award.pk, paid.pk}
    login_as(client, world, "a.program_teacher")
    assert ids(client.get(f"{API}/stipend-awards/")) == {paid.pk}
    body = client.get(f"{API}/stipend-awards/{paid.pk}/").json()
    assert (body["status"], body["amount"], body["months"], body["role"]) == (
        "paid",
        "300.00",
        2,
        "mentor",
    )
    assert body["batch"] == world.obj("a.batch").pk and body["encumbrance"]


def test_award_create_approve_and_cancel(client, world):
    login_as(client, world, "a.admin")
    budget, teacher = world.obj("a.budget"), world.obj("a.teacher")
    response = post(
        client,
        "stipend-awards/",
        {
            "schedule": world.obj("a.schedule").pk,
            "staff": teacher.pk,
            "budget": budget.pk,
            "months": 4,
            "evidence": "Mentor log, Sept–Dec",
            "status": "paid",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["amount"], body["encumbrance"]) == ("proposed", "600.00", None)

    approved = post(client, f"stipend-awards/{body['id']}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    encumbrance = LedgerEntry.objects.get(pk=approved.json()["encumbrance"])
    assert (encumbrance.kind, encumbrance.use, encumbrance.amount, encumbrance.staff) == (
        "encumbrance",
        "stipend",
        D("600"),
        teacher,
    )
    assert fresh(budget).committed_amount == D("700")

    cancelled = post(client, f"stipend-awards/{body['id']}/cancel/", {"reason": " Left "})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert fresh(budget).committed_amount == D("100")  # the encumbrance was released
    again = post(client, f"stipend-awards/{body['id']}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "stipend.not_proposed"


def test_award_approve_over_the_balance_is_409(client, world):
    login_as(client, world, "a.admin")
    award = world.obj("a.award")  # $1,500 on a budget with $900 left
    response = post(client, f"stipend-awards/{award.pk}/approve/")
    assert response.status_code == 409 and response.json()["code"] == "budget.overdrawn"
    assert fresh(award).status == "proposed" and fresh(award).encumbrance_id is None


def test_awards_change_only_through_their_workflow(client, world):
    award = world.obj("a.award")
    login_as(client, world, "a.admin")
    assert patch(client, f"stipend-awards/{award.pk}/", {"months": 1}).status_code == 405
    assert client.delete(f"{API}/stipend-awards/{award.pk}/").status_code == 405
    login_as(client, world, "a.teacher")
    assert post(client, f"stipend-awards/{award.pk}/approve/").status_code == 403
    assert post(client, f"stipend-awards/{award.pk}/cancel/").status_code == 403
    assert post(client, "stipend-awards/", {}).status_code == 403
    login_as(client, world, "b.admin")
    assert post(client, f"stipend-awards/{award.pk}/cancel/").status_code == 404
    assert fresh(award).status == "proposed"


def test_award_filters(client, world):
    login_as(client, world, "a.admin")
    award, paid = world.obj("a.award"), world.obj("a.paid_award")
    assert ids(client.get(f"{API}/stipend-awards/", {"status": "paid"})) == {paid.pk}
    assert ids(client.get(f"{API}/stipend-awards/", {"schedule": award.schedule_id})) == {
        award.pk,
        paid.pk,
    }
    name = world.obj("a.teacher").last_name
    assert award.pk in ids(client.get(f"{API}/stipend-awards/", {"q": name}))


# --- payroll -------------------------------------------------------------------------------


def test_payroll_batch_pays_approved_awards(client, world):
    admin = login_as(client, world, "a.admin")
    budget = world.obj("a.budget")
    budget.amount = D("5000")
    budget.save()
    award = world.obj("a.award")
    assert post(client, f"stipend-awards/{award.pk}/approve/").status_code == 200

    response = post(client, "payroll-batches/", {"awards": [award.pk], "paid_on": "2026-12-15"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["count"], body["total"], body["awards"], body["paid_on"]) == (
        1,
        "1500.00",
        [award.pk],
        "2026-12-15",
    )
    assert body["created_by_name"] == admin.full_name
    award = fresh(award)
    assert award.status == "paid" and award.batch_id == body["id"]
    budget = fresh(budget)
    assert (budget.committed_amount, budget.spent_amount) == (D("100"), D("1500"))
    assert body["id"] in ids(client.get(f"{API}/payroll-batches/"))

    again = post(client, "payroll-batches/", {"awards": [award.pk]})
    assert again.status_code == 409 and again.json()["code"] == "payroll.not_approved"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"awards": []},
        {"awards": "all"},
        {"awards": ["abc"]},
        {"awards": [99999999999999999999999]},
        {"awards": [1], "paid_on": "someday"},
    ],
)
def test_bad_payroll_bodies_are_400(client, world, data):
    login_as(client, world, "a.admin")
    response = post(client, "payroll-batches/", data)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid", "payroll.empty"}
    assert PayrollBatch.objects.filter(district=world.a).count() == 1


def test_payroll_refuses_awards_of_another_district(client, world):
    login_as(client, world, "a.admin")
    foreign = world.obj("b.award")
    response = post(client, "payroll-batches/", {"awards": [foreign.pk]})
    assert response.status_code == 400 and "awards" in response.json()["errors"]
    login_as(client, world, "a.director")
    assert post(client, "payroll-batches/", {"awards": [foreign.pk]}).status_code == 403
    assert client.get(f"{API}/payroll-batches/{world.obj('a.batch').pk}/").status_code == 404


# --- program plans -------------------------------------------------------------------------


def test_plan_draft_items_publish_and_acknowledge(client, world):
    director = login_as(client, world, "a.director")
    program, source = world.obj("a.program"), world.obj("a.source")
    next_year = SchoolYearFactory(
        district=world.a,
        name="2027–28",
        is_current=False,
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
    )
    response = post(
        client,
        "program-plans/",
        {
            "program": program.pk,
            "school_year": next_year.pk,
            "title": "Title I PD 2027–28",
            "goals": "Reading\nMath",
            "status": "published",
        },
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert (plan["status"], plan["activities"], plan["allocations"], plan["ack_count"]) == (
        "draft",
        [],
        [],
        0,
    )
    path = f"program-plans/{plan['id']}"
    incomplete = post(client, f"{path}/publish/")
    assert incomplete.status_code == 400 and incomplete.json()["code"] == "program_plan.incomplete"

    activity = post(client, f"{path}/activities/", {"title": "Summer institute", "timing": "June"})
    assert activity.status_code == 201, activity.json()
    assert activity.json()["title"] == "Summer institute"
    forbidden = post(
        client, f"{path}/allocations/", {"use": "travel", "source": source.pk, "amount": "10"}
    )
    assert forbidden.status_code == 400 and forbidden.json()["code"] == "ledger.use_not_allowed"
    empty = post(client, f"{path}/allocations/", {"use": "registration", "source": source.pk})
    assert empty.status_code == 400 and empty.json()["code"] == "program_plan.allocation_empty"
    allocation = post(
        client,
        f"{path}/allocations/",
        {"use": "registration", "source": source.pk, "amount": "2500.00", "note": "Fees"},
    )
    assert allocation.status_code == 201, allocation.json()
    assert allocation.json()["source_name"] == source.name

    edited = patch(client, f"{path}/", {"summary": "Updated", "program": 1})
    assert edited.status_code == 200 and edited.json()["summary"] == "Updated"
    published = post(client, f"{path}/publish/")
    assert published.status_code == 200, published.json()
    body = published.json()
    assert body["status"] == "published" and body["published_at"]
    assert [a["title"] for a in body["activities"]] == ["Summer institute"]
    assert [a["amount"] for a in body["allocations"]] == ["2500.00"]
    assert patch(client, f"{path}/", {"title": "Late"}).status_code == 409
    assert ProgramPlan.objects.get(pk=plan["id"]).published_by == director.user


def test_plan_acknowledge_and_acknowledgements(client, world):
    plan = world.obj("a.plan")
    teacher = login_as(client, world, "a.teacher")
    response = post(client, f"program-plans/{plan.pk}/acknowledge/")
    assert response.status_code == 200, response.json()
    assert response.json()["staff"] == teacher.pk and response.json()["plan"] == plan.pk
    assert post(client, f"program-plans/{plan.pk}/acknowledge/").status_code == 200  # idempotent
    assert PlanAcknowledgement.objects.filter(plan=plan).count() == 1
    assert client.get(f"{API}/program-plans/{plan.pk}/acknowledgements/").status_code == 403

    login_as(client, world, "a.other_teacher")  # the program does not cover their school
    assert client.get(f"{API}/program-plans/{plan.pk}/").status_code == 404
    assert post(client, f"program-plans/{plan.pk}/acknowledge/").status_code == 404

    login_as(client, world, "a.director")
    assert client.get(f"{API}/program-plans/{plan.pk}/").json()["ack_count"] == 1
    response = client.get(f"{API}/program-plans/{plan.pk}/acknowledgements/")
    assert response.status_code == 200
    rows = {r["id"]: r for r in response.json()["results"]}
    covered = {world.obj(f"a.{k}").pk for k in ("principal", "teacher", "director")}
    covered.add(world.obj("a.program_teacher").pk)
    # The new teachers and the instructional coach at the program's school are covered too.
    covered |= {world.obj(f"a.{k}").pk for k in ("new_teacher", "second_new_teacher", "coach")}
    assert set(rows) == covered
    assert rows[teacher.pk]["acknowledged"] is True and rows[teacher.pk]["acknowledged_at"]
    assert rows[world.obj("a.principal").pk]["acknowledged"] is False
    assert rows[world.obj("a.principal").pk]["acknowledged_at"] is None
    done = client.get(f"{API}/program-plans/{plan.pk}/acknowledgements/", {"acknowledged": "true"})
    assert ids(done) == {teacher.pk}
    waiting = client.get(
        f"{API}/program-plans/{plan.pk}/acknowledgements/", {"acknowledged": "false"}
    )
    assert ids(waiting) == covered - {teacher.pk}


def test_director_plans_only_their_own_programs(client, world):
    login_as(client, world, "a.director")
    other = ProgramFactory(district=world.a)
    response = post(
        client,
        "program-plans/",
        {"program": other.pk, "school_year": world.obj("a.year").pk, "title": "Not mine"},
    )
    assert response.status_code == 403
    assert not ProgramPlan.objects.filter(program=other).exists()
    login_as(client, world, "a.principal")
    assert post(client, "program-plans/", {}).status_code == 403


def test_plan_filters_and_scope(client, world):
    plan = world.obj("a.plan")
    login_as(client, world, "a.admin")
    draft = ProgramPlanFactory(
        district=world.a, program=ProgramFactory(district=world.a), school_year=plan.school_year
    )
    assert ids(client.get(f"{API}/program-plans/")) == {plan.pk, draft.pk}
    assert ids(client.get(f"{API}/program-plans/", {"program": plan.program_id})) == {plan.pk}
    assert ids(client.get(f"{API}/program-plans/", {"school_year": plan.school_year_id})) == {
        plan.pk,
        draft.pk,
    }
    login_as(client, world, "a.teacher")  # a draft of another program is nobody's business
    assert ids(client.get(f"{API}/program-plans/")) == {plan.pk}
    assert client.get(f"{API}/program-plans/{draft.pk}/").status_code == 404


# --- query counts (every list's: cadre/tests/test_api_checks.py) --------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_principal_budget_list_query_count_is_pinned(
    client, world, django_assert_num_queries, rows
):
    school = world.obj("a.school")
    for _ in range(rows):
        BudgetFactory(district=world.a, fiscal_year=world.obj("a.fiscal_year"), school=school)
    login_as(client, world, "a.principal")
    client.get(f"{API}/budgets/")
    with django_assert_num_queries(10):
        response = client.get(f"{API}/budgets/")
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [3, 30])
def test_acknowledgements_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    plan = world.obj("a.plan")
    for _ in range(rows):
        plans.plan_acknowledge(plan=plan, staff=staff_at(world.obj("a.school")), actor=None)
        staff_at(world.obj("a.school"))
    login_as(client, world, "a.director")
    url = f"{API}/program-plans/{plan.pk}/acknowledgements/"
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    # And the world's seven covered staff: the principal, the teacher, the director, the
    # program teacher, the two new teachers and the coach.
    assert response.json()["count"] == 2 * rows + 7


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_describes_the_funding_api_without_warnings(openapi_schema):
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        assert (f"{API}/{resource}/", "get") in operations
        assert (f"{API}/{resource}/{{id}}/", "get") in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
    writable = {"funding-sources", "budgets", "stipend-schedules", "program-plans"}
    for resource in RESOURCES:
        assert ((f"{API}/{resource}/{{id}}/", "patch") in operations) == (resource in writable)
    created = writable | {"stipend-awards", "payroll-batches"}
    for resource in RESOURCES:
        assert ((f"{API}/{resource}/", "post") in operations) == (resource in created)
    for action in (
        "budgets/{id}/post/",
        "budgets/{id}/transfer/",
        "budget-transfers/{id}/approve/",
        "budget-transfers/{id}/reject/",
        "fiscal-years/{id}/close/",
        "stipend-awards/{id}/approve/",
        "stipend-awards/{id}/cancel/",
        "program-plans/{id}/publish/",
        "program-plans/{id}/acknowledge/",
        "program-plans/{id}/activities/",
        "program-plans/{id}/allocations/",
    ):
        assert (f"{API}/{action}", "post") in operations
    assert (f"{API}/program-plans/{{id}}/acknowledgements/", "get") in operations
    budget = schema["components"]["schemas"]["Budget"]["properties"]
    assert budget["remaining_amount"]["readOnly"] is True
    assert budget["committed_amount"]["readOnly"] is True
    patched = schema["components"]["schemas"]["PatchedBudgetChangeRequest"]["properties"]
    assert set(patched) == {"amount", "hours", "days", "note"}


def test_the_business_office_posts_for_any_staff_member(client, world):
    office = staff_with_role(Role.BUSINESS_OFFICE, district=world.a)
    login_as(client, world, office)
    budget = world.obj("a.budget")
    response = post(
        client,
        f"budgets/{budget.pk}/post/",
        {
            "kind": "expenditure",
            "use": "substitute",
            "days": "1",
            "amount": "185",
            "staff": world.obj("a.teacher").pk,
            "memo": "Sub for the reading institute",
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["staff"] == world.obj("a.teacher").pk
    # Another district's person is unknown, not merely refused.
    response = post(
        client,
        f"budgets/{budget.pk}/post/",
        {
            "kind": "expenditure",
            "use": "substitute",
            "days": "1",
            "staff": world.obj("b.teacher").pk,
        },
    )
    assert response.status_code == 400 and "staff" in response.json()["errors"]
