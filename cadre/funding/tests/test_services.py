from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts.access import actor_for
from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding import selectors
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
    LedgerEntry,
    StipendAward,
    StipendSchedule,
    Use,
)
from cadre.funding.services import budgets, fiscal_years, ledger, plans, stipends, transfers

D = Decimal


def _fresh(budget) -> Budget:
    return Budget.objects.get(pk=budget.pk)


# --- fiscal years --------------------------------------------------------------------------


def test_fiscal_year_follows_the_district_start_month(world):
    district = world.a
    assert fiscal_years.fiscal_year_bounds(district, date(2026, 11, 23)) == (
        date(2026, 7, 1),
        date(2027, 6, 30),
        "FY 2026–27",
    )
    assert fiscal_years.fiscal_year_bounds(district, date(2026, 6, 30))[0] == date(2025, 7, 1)
    district.fiscal_year_start_month = 1
    assert fiscal_years.fiscal_year_bounds(district, date(2026, 3, 1)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
        "FY 2026",
    )
    district.fiscal_year_start_month = 7
    first = fiscal_years.fiscal_year_for(district=world.a, on=date(2027, 8, 1))
    assert fiscal_years.fiscal_year_for(district=world.a, on=date(2028, 6, 30)) == first


# --- postings ------------------------------------------------------------------------------


def test_encumbrance_commits_and_overdraw_is_refused(o):
    budget, admin = o["budget"], o["admin"].user
    assert budget.remaining_amount == D("900")  # the world already holds $100
    ledger.budget_encumber(
        budget=budget, use=Use.SUBSTITUTE, days=D("4"), staff=o["teacher"], actor=admin
    )
    with pytest.raises(Conflict) as exc:
        ledger.budget_encumber(
            budget=budget,
            use=Use.REGISTRATION,
            amount=D("900.01"),
            staff=o["teacher"],
            actor=admin,
        )
    assert exc.value.code == "budget.overdrawn" and "$900.00 remain" in exc.value.detail
    with pytest.raises(Conflict):
        ledger.budget_encumber(
            budget=budget, use=Use.SUBSTITUTE, days=D("6.5"), staff=o["teacher"], actor=admin
        )
    fresh = _fresh(budget)
    assert (fresh.committed_amount, fresh.committed_days, fresh.remaining_days) == (
        D("100"),
        D("4"),
        D("6"),
    )
    # Exactly the rest fits.
    ledger.budget_encumber(
        budget=budget, use=Use.REGISTRATION, amount=D("900"), staff=o["teacher"], actor=admin
    )
    assert _fresh(budget).remaining_amount == 0


def test_a_use_the_source_does_not_allow_is_refused_with_the_reason(o):
    with pytest.raises(DomainError) as exc:
        ledger.budget_encumber(
            budget=o["budget"],
            use=Use.TRAVEL,
            amount=D("10"),
            staff=o["teacher"],
            actor=o["admin"].user,
        )
    assert exc.value.code == "ledger.use_not_allowed"
    assert "does not pay for travel" in exc.value.detail
    assert "registration fees" in exc.value.detail


def test_title_i_pays_only_for_staff_of_its_schools_and_program(o):
    budget, admin = o["budget"], o["admin"].user
    for person in ("teacher", "program_teacher"):
        ledger.budget_encumber(
            budget=budget, use=Use.REGISTRATION, amount=D("1"), staff=o[person], actor=admin
        )
    with pytest.raises(DomainError) as exc:
        ledger.budget_encumber(
            budget=budget,
            use=Use.REGISTRATION,
            amount=D("1"),
            staff=o["other_teacher"],
            actor=admin,
        )
    assert exc.value.code == "ledger.restricted"
    assert str(o["other_teacher"]) in exc.value.detail
    with pytest.raises(DomainError) as exc:
        ledger.budget_encumber(budget=budget, use=Use.REGISTRATION, amount=D("1"), actor=admin)
    assert exc.value.code == "ledger.staff_required"


def test_a_school_owned_restricted_source_covers_only_that_school(o, world):
    source = FundingSourceFactory(
        district=world.a, school=o["school"], staff_restricted=True, name="Site funds"
    )
    budget = BudgetFactory(district=world.a, source=source, fiscal_year=o["fiscal_year"])
    admin = o["admin"].user
    ledger.budget_encumber(
        budget=budget, use=Use.MATERIALS, amount=D("5"), staff=o["teacher"], actor=admin
    )
    with pytest.raises(DomainError):
        ledger.budget_encumber(
            budget=budget,
            use=Use.MATERIALS,
            amount=D("5"),
            staff=o["program_teacher"],
            actor=admin,
        )


def test_paying_an_encumbrance_closes_it_once(o):
    entry, admin = o["entry"], o["admin"].user
    paid = ledger.budget_spend(encumbrance=entry, amount=D("80"), actor=admin)
    budget = _fresh(o["budget"])
    assert (budget.committed_amount, budget.spent_amount) == (0, D("80"))
    assert paid.staff == o["teacher"] and paid.use == Use.REGISTRATION
    with pytest.raises(Conflict) as exc:
        ledger.budget_release(encumbrance=entry, actor=admin)
    assert exc.value.code == "ledger.already_closed"
    with pytest.raises(Conflict):
        ledger.budget_spend(encumbrance=entry, amount=D("80"), actor=admin)


def test_release_gives_back_what_was_held(o):
    released = ledger.budget_release(encumbrance=o["entry"], actor=o["admin"].user, memo="Off")
    assert released.amount == D("100") and released.encumbrance == o["entry"]
    assert _fresh(o["budget"]).remaining_amount == D("1000")


def test_paying_more_than_encumbered_still_cannot_overdraw(o):
    admin = o["admin"].user
    ledger.budget_encumber(
        budget=o["budget"],
        use=Use.REGISTRATION,
        amount=D("900"),
        staff=o["teacher"],
        actor=admin,
    )
    with pytest.raises(Conflict):
        ledger.budget_spend(encumbrance=o["entry"], amount=D("100.01"), actor=admin)
    ledger.budget_spend(encumbrance=o["entry"], amount=D("100"), actor=admin)
    assert _fresh(o["budget"]).remaining_amount == 0


def test_adjustments_need_a_reason_and_cannot_take_spending_below_zero(o):
    budget, admin = o["budget"], o["admin"].user
    with pytest.raises(DomainError) as exc:
        ledger.budget_adjust(
            budget=budget,
            use=Use.REGISTRATION,
            amount=D("5"),
            reason=" ",
            actor=admin,
            staff=o["teacher"],
        )
    assert exc.value.code == "ledger.reason_required"
    ledger.budget_spend(
        budget=budget, use=Use.REGISTRATION, amount=D("40"), staff=o["teacher"], actor=admin
    )
    ledger.budget_adjust(
        budget=budget,
        use=Use.REGISTRATION,
        amount=D("-15"),
        reason="Refund from vendor",
        actor=admin,
        staff=o["teacher"],
    )
    assert _fresh(budget).spent_amount == D("25")
    with pytest.raises(DomainError) as exc:
        ledger.budget_adjust(
            budget=budget,
            use=Use.REGISTRATION,
            amount=D("-26"),
            reason="Too much",
            actor=admin,
            staff=o["teacher"],
        )
    assert exc.value.code == "ledger.below_zero"


def test_bad_amounts_are_refused(o):
    admin = o["admin"].user
    for units in ({}, {"amount": D("-1")}):
        with pytest.raises(DomainError):
            ledger.budget_encumber(
                budget=o["budget"],
                use=Use.REGISTRATION,
                staff=o["teacher"],
                actor=admin,
                **units,
            )


def test_every_entry_is_audited(o):
    entries = LedgerEntry.objects.filter(district=o["budget"].district)
    events = AuditEvent.objects.filter(
        object_type="funding.ledgerentry", district=o["budget"].district
    )
    assert {int(e.object_id) for e in events} == {e.pk for e in entries}
    event = events.get(object_id=str(o["entry"].pk))
    assert event.changes["amount"] == [None, "100.00"] and event.actor == o["admin"].user


def test_entries_are_never_edited_or_deleted(o):
    entry = o["entry"]
    entry.memo = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(memo="x")
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    # Below the model, the database itself refuses.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE funding_ledgerentry SET memo = 'x' WHERE id = %s", [entry.pk])


def test_the_database_refuses_an_overdrawn_budget(o):
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.filter(pk=o["budget"].pk).update(committed_amount=D("5000"))


# --- budgets, transfers and the year close -------------------------------------------------


def test_a_budget_cannot_shrink_below_what_is_used(o):
    with pytest.raises(DomainError) as exc:
        budgets.budget_update(budget=o["budget"], actor=o["admin"].user, data={"amount": D("99")})
    assert exc.value.code == "budget.below_used"
    budgets.budget_update(budget=o["budget"], actor=o["admin"].user, data={"amount": D("100")})
    assert _fresh(o["budget"]).remaining_amount == 0


def test_duplicate_budgets_are_refused(o, world):
    with pytest.raises(DomainError) as exc:
        budgets.budget_create(
            district=world.a,
            actor=o["admin"].user,
            data={"source": o["source"], "fiscal_year": o["fiscal_year"], "school": o["school"]},
        )
    assert exc.value.code == "budget.duplicate"


def test_a_transfer_needs_someone_else_to_approve_it(o, world):
    transfer, admin = o["transfer"], o["admin"].user
    transfers.transfer_approve(transfer=transfer, actor=admin, note="Fine")
    assert _fresh(o["budget"]).amount == D("950")
    assert _fresh(o["program_budget"]).amount == D("1050")
    with pytest.raises(Conflict):
        transfers.transfer_approve(transfer=transfer, actor=admin)
    mine = transfers.transfer_request(
        district=world.a,
        actor=admin,
        from_budget=o["budget"],
        to_budget=o["other_budget"],
        amount=D("1"),
        reason="Test",
    )
    with pytest.raises(DomainError) as exc:
        transfers.transfer_approve(transfer=mine, actor=admin)
    assert exc.value.code == "transfer.self_approval"


def test_a_transfer_cannot_move_committed_money(o, world):
    big = transfers.transfer_request(
        district=world.a,
        actor=o["principal"].user,
        from_budget=o["budget"],
        to_budget=o["other_budget"],
        amount=D("901"),
        reason="Everything",
    )
    with pytest.raises(Conflict) as exc:
        transfers.transfer_approve(transfer=big, actor=o["admin"].user)
    assert exc.value.code == "transfer.overdrawn"
    with pytest.raises(DomainError):
        transfers.transfer_reject(transfer=big, actor=o["admin"].user, note="")
    transfers.transfer_reject(transfer=big, actor=o["admin"].user, note="Too much")
    assert BudgetTransfer.objects.get(pk=big.pk).status == BudgetTransfer.Status.REJECTED


def test_transfers_stay_within_a_fiscal_year_and_need_a_reason(o, world):
    next_year = FiscalYearFactory(
        district=world.a,
        name="FY 2027–28",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
    )
    later = BudgetFactory(district=world.a, source=o["source"], fiscal_year=next_year)
    for kwargs, code in (
        ({"to_budget": later, "reason": "x"}, "transfer.other_year"),
        ({"to_budget": o["other_budget"], "reason": " "}, "transfer.reason_required"),
        ({"to_budget": o["budget"], "reason": "x"}, "transfer.same_budget"),
    ):
        with pytest.raises(DomainError) as exc:
            transfers.transfer_request(
                district=world.a,
                actor=o["admin"].user,
                from_budget=o["budget"],
                amount=D("1"),
                **kwargs,
            )
        assert exc.value.code == code


def test_closing_a_year_carries_forward_where_the_source_allows(o, world):
    admin = o["admin"].user
    general = FundingSourceFactory(district=world.a, name="General fund", carries_forward=True)
    gbudget = BudgetFactory(
        district=world.a, source=general, fiscal_year=o["fiscal_year"], school=o["school"]
    )
    ledger.budget_spend(
        budget=gbudget, use=Use.MATERIALS, amount=D("300"), hours=D("40"), actor=admin
    )
    with pytest.raises(Conflict) as exc:
        transfers.fiscal_year_close(fiscal_year=o["fiscal_year"], actor=admin)
    assert exc.value.code == "fiscal_year.not_ended"
    year = ended(o["fiscal_year"])
    older = FiscalYearFactory(
        district=world.a,
        name="FY old",
        start_date=year.start_date.replace(year=year.start_date.year - 1),
        end_date=year.start_date - timedelta(days=1),
    )
    with pytest.raises(Conflict) as exc:
        transfers.fiscal_year_close(fiscal_year=year, actor=admin)
    assert exc.value.code == "fiscal_year.earlier_open" and "FY old" in exc.value.detail
    transfers.fiscal_year_close(fiscal_year=older, actor=admin)
    carried = transfers.fiscal_year_close(fiscal_year=year, actor=admin)
    assert [(t.amount, t.hours, t.days) for t in carried] == [(D("700"), D("60"), D("10"))]
    target = carried[0].to_budget
    assert (target.school, target.source, target.amount) == (o["school"], general, D("700"))
    assert target.fiscal_year.start_date == year.end_date + timedelta(days=1)
    assert _fresh(gbudget).remaining_amount == 0
    # Title I does not carry forward: its money stays, unspent, in the closed year.
    assert _fresh(o["budget"]).remaining_amount == D("900")
    with pytest.raises(Conflict) as exc:
        ledger.budget_encumber(
            budget=o["budget"],
            use=Use.REGISTRATION,
            amount=D("1"),
            staff=o["teacher"],
            actor=admin,
        )
    assert exc.value.code == "fiscal_year.closed"
    # What was already promised can still be paid, up to what it held and no more.
    with pytest.raises(Conflict):
        ledger.budget_spend(encumbrance=o["entry"], amount=D("100.01"), actor=admin)
    ledger.budget_spend(encumbrance=o["entry"], amount=D("100"), actor=admin)
    with pytest.raises(Conflict):
        transfers.fiscal_year_close(fiscal_year=year, actor=admin)


def test_paying_an_encumbrance_keeps_its_use_and_person(o):
    admin = o["admin"].user
    for kwargs in ({"use": Use.SUBSTITUTE}, {"staff": o["other_teacher"]}):
        with pytest.raises(DomainError) as exc:
            ledger.budget_spend(encumbrance=o["entry"], amount=D("10"), actor=admin, **kwargs)
        assert exc.value.code == "ledger.closing_mismatch"


def test_transfers_keep_money_in_its_source(o, world):
    general = FundingSourceFactory(district=world.a, name="General fund")
    other = BudgetFactory(district=world.a, source=general, fiscal_year=o["fiscal_year"])
    with pytest.raises(DomainError) as exc:
        transfers.transfer_request(
            district=world.a,
            actor=o["admin"].user,
            from_budget=o["budget"],
            to_budget=other,
            amount=D("1"),
            reason="Launder it",
        )
    assert exc.value.code == "transfer.other_source"


def test_a_transfer_cannot_overflow_its_target(o, world):
    Budget.objects.filter(pk=o["program_budget"].pk).update(amount=D("9999999999.00"))
    transfer = transfers.transfer_request(
        district=world.a,
        actor=o["principal"].user,
        from_budget=o["budget"],
        to_budget=o["program_budget"],
        amount=D("100"),
        reason="Too much",
    )
    with pytest.raises(DomainError) as exc:
        transfers.transfer_approve(transfer=transfer, actor=o["admin"].user)
    assert exc.value.code == "transfer.too_large"


def test_a_records_encumbrance_is_closed_only_through_its_record(o):
    o["budget"].amount = D("5000")
    o["budget"].save()
    award = stipends.award_approve(award=o["award"], actor=o["admin"].user)
    for kind in ("release", "expenditure"):
        with pytest.raises(Conflict) as exc:
            ledger.post_entry(
                budget=o["budget"],
                actor=o["admin"].user,
                data={"kind": kind, "encumbrance": award.encumbrance, "amount": D("1500")},
            )
        assert exc.value.code == "ledger.has_workflow"


# --- stipends ------------------------------------------------------------------------------


def test_stipends_prorate_by_months_of_service(world):
    schedule = StipendScheduleFactory(district=world.a, school_year=world.obj("a.year"))
    assert schedule.amount_for(10) == D("1500.00")
    assert schedule.amount_for(12) == D("1500.00")
    assert schedule.amount_for(3) == D("450.00")
    assert schedule.amount_for(0) == 0
    schedule.proration = StipendSchedule.Proration.NONE
    assert schedule.amount_for(1) == D("1500.00")


def test_award_approve_encumbers_and_payroll_pays(o, world):
    admin = o["admin"].user
    o["budget"].amount = D("5000")
    o["budget"].save()
    award = o["award"]
    assert award.amount == D("1500.00") and award.status == StipendAward.Status.PROPOSED
    with pytest.raises(Conflict):
        stipends.payroll_batch_create(district=world.a, actor=admin, awards=[award])
    award = stipends.award_approve(award=award, actor=admin)
    assert award.encumbrance.amount == D("1500.00") and award.encumbrance.cause == award
    assert _fresh(o["budget"]).committed_amount == D("1600")
    batch = stipends.payroll_batch_create(district=world.a, actor=admin, awards=[award])
    award.refresh_from_db()
    assert (award.status, award.batch, batch.total, batch.count) == (
        StipendAward.Status.PAID,
        batch,
        D("1500.00"),
        1,
    )
    budget = _fresh(o["budget"])
    assert (budget.committed_amount, budget.spent_amount) == (D("100"), D("1500"))
    with pytest.raises(Conflict):
        stipends.payroll_batch_create(district=world.a, actor=admin, awards=[award])
    with pytest.raises(Conflict):
        stipends.award_cancel(award=award, actor=admin)


def test_cancelling_an_approved_award_releases_it(o):
    admin = o["admin"].user
    o["budget"].amount = D("5000")
    o["budget"].save()
    award = stipends.award_approve(award=o["award"], actor=admin)
    stipends.award_cancel(award=award, actor=admin, reason="Left the programme")
    assert _fresh(o["budget"]).committed_amount == D("100")
    assert LedgerEntry.objects.filter(encumbrance=award.encumbrance, kind="release").exists()


def test_an_award_the_budget_cannot_cover_is_not_approved(o):
    with pytest.raises(Conflict):
        stipends.award_approve(award=o["award"], actor=o["admin"].user)
    assert StipendAward.objects.get(pk=o["award"].pk).status == StipendAward.Status.PROPOSED


def test_award_checks_months_and_the_source(o, world):
    general = FundingSourceFactory(district=world.a, allowed_uses=[Use.MATERIALS])
    budget = BudgetFactory(district=world.a, source=general, fiscal_year=o["fiscal_year"])
    for months, b, code in (
        (0, o["budget"], "stipend.months"),
        (5, budget, "ledger.use_not_allowed"),
    ):
        with pytest.raises(DomainError) as exc:
            stipends.award_create(
                district=world.a,
                actor=o["admin"].user,
                schedule=o["schedule"],
                staff=o["teacher"],
                budget=b,
                months=months,
            )
        assert exc.value.code == code


# --- program plans -------------------------------------------------------------------------


def test_publishing_needs_activities_and_allocations(o, world):
    other_program = o["program"]
    year = SchoolYearFactory(
        district=world.a,
        name="2027–28",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )
    plan = ProgramPlanFactory(district=world.a, program=other_program, school_year=year)
    director = o["director"].user
    with pytest.raises(DomainError) as exc:
        plans.plan_publish(plan=plan, actor=director)
    assert exc.value.code == "program_plan.incomplete"
    with pytest.raises(DomainError) as exc:
        plans.allocation_add(
            plan=plan,
            actor=director,
            data={"use": Use.TRAVEL, "source": o["source"], "amount": D("10")},
        )
    assert exc.value.code == "ledger.use_not_allowed"
    with pytest.raises(DomainError):
        plans.plan_create(
            district=world.a,
            actor=director,
            data={"program": other_program, "school_year": year, "title": "Twice"},
        )


def test_a_published_plan_is_final_and_acknowledged_once(o):
    plan, teacher = o["plan"], o["teacher"]
    with pytest.raises(Conflict):
        plans.plan_update(plan=plan, actor=o["director"].user, data={"title": "New"})
    first = plans.plan_acknowledge(plan=plan, staff=teacher, actor=teacher.user)
    again = plans.plan_acknowledge(plan=plan, staff=teacher, actor=teacher.user)
    assert first.pk == again.pk
    status = {s.pk: s.acknowledged for s in selectors.acknowledgement_status(plan, date.today())}
    # The program covers its own staff and its school's staff, not the other school.
    assert status[teacher.pk] is True
    assert status[o["program_teacher"].pk] is False
    assert o["other_teacher"].pk not in status


# --- access --------------------------------------------------------------------------------


def test_who_sees_which_budgets(o, world):
    business = actor_for(staff_with_role(Role.BUSINESS_OFFICE, district=world.a).user)
    principal = actor_for(o["principal"].user)
    director = actor_for(o["director"].user)
    teacher = actor_for(o["teacher"].user)
    every = {o["budget"].pk, o["other_budget"].pk, o["program_budget"].pk}
    seen = {
        a: set(selectors.budget_list(a).values_list("pk", flat=True))
        for a in (business, principal, director, teacher)
    }
    assert seen[business] == every | {o["isd_budget"].pk, o["mentoring_budget"].pk}
    assert seen[principal] == {o["budget"].pk}
    # The director owns the source, so sees every budget it funds.
    assert seen[director] == every
    assert seen[teacher] == set()
    assert set(selectors.source_list(principal)) == {o["source"]}
    assert not selectors.source_list(teacher).exists()


# --- many postings at once -----------------------------------------------------------------


class _Undo(Exception):
    pass


def _batch_postings(o, budgets_: list, n: int) -> list:
    admin, teacher = o["admin"].user, o["teacher"]
    postings = []
    for i in range(n):
        budget = budgets_[i % len(budgets_)]
        postings.append(
            ledger.encumbering(
                budget=budget,
                use=Use.REGISTRATION,
                amount=D(10 + i),
                staff=teacher,
                actor=admin,
                memo=f"Course {i}",
            )
        )
        postings.append(
            ledger.encumbering(
                budget=budget, use=Use.SUBSTITUTE, days=D("0.5"), staff=teacher, actor=admin
            )
        )
    return postings


def _posted(budgets_: list, since: int) -> tuple:
    """What a run of postings left: the entries, the budgets' totals and the audit events."""
    entries = [
        (e.budget_id, e.kind, e.use, e.amount, e.hours, e.days, e.staff_id, e.memo)
        for e in LedgerEntry.objects.filter(pk__gt=since).order_by("pk")
    ]
    totals = [
        (b.committed_amount, b.committed_days, b.spent_amount)
        for b in Budget.objects.filter(pk__in=[b.pk for b in budgets_]).order_by("pk")
    ]
    events = sorted(
        (e.action, str(e.changes), e.comment, e.actor_id)
        for e in AuditEvent.objects.filter(object_type="funding.ledgerentry")
        if int(e.object_id) > since
    )
    return entries, totals, events


def _free_budgets(o, world) -> list:
    source = FundingSourceFactory(
        district=world.a,
        name="District PD",
        allowed_uses=[Use.REGISTRATION, Use.SUBSTITUTE],
    )
    return [
        BudgetFactory(district=world.a, source=source, fiscal_year=o["fiscal_year"], school=school)
        for school in (o["school"], o["other_school"])
    ]


def test_many_postings_post_as_one_by_one(o, world):
    budgets_ = _free_budgets(o, world)
    since = LedgerEntry.objects.order_by("pk").last().pk
    try:
        with transaction.atomic():
            for p in _batch_postings(o, budgets_, 3):
                ledger.post_many([p])
            one_by_one = _posted(budgets_, since)
            raise _Undo
    except _Undo:
        pass
    entries = ledger.post_many(_batch_postings(o, budgets_, 3))
    assert len(entries) == 6 and all(e.pk for e in entries)
    assert _posted(budgets_, since) == one_by_one
    # The caller's copies show the new totals.
    assert budgets_[0].committed_amount == D(10 + 12) and budgets_[0].committed_days == D(1)
    # Paying and releasing in one step: each closes its encumbrance once.
    paid, released = entries[0], entries[1]
    ledger.post_many(
        [
            ledger.spending(encumbrance=paid, amount=paid.amount, actor=o["admin"].user),
            ledger.releasing(encumbrance=released, actor=o["admin"].user),
        ]
    )
    fresh = _fresh(budgets_[0])
    assert (fresh.committed_amount, fresh.spent_amount, fresh.committed_days) == (
        D(12),
        D(10),
        D("0.5"),
    )
    with pytest.raises(Conflict) as exc:
        ledger.post_many(
            [
                ledger.releasing(encumbrance=entries[2], actor=o["admin"].user),
                ledger.releasing(encumbrance=entries[2], actor=o["admin"].user),
            ]
        )
    assert exc.value.code == "ledger.already_closed"


def test_a_refusal_in_many_postings_refuses_them_all(o, world):
    budgets_ = _free_budgets(o, world)
    budgets_[1].amount = D(15)
    budgets_[1].save()
    with pytest.raises(Conflict) as exc:
        ledger.post_many(_batch_postings(o, budgets_, 4))  # the second $14 overdraws
    assert exc.value.code == "budget.overdrawn" and "$4.00 remain" in exc.value.detail
    assert not LedgerEntry.objects.filter(budget__in=budgets_).exists()
    assert _fresh(budgets_[0]).committed_amount == 0


@pytest.mark.parametrize("n", [1, 6])
def test_many_postings_take_a_fixed_number_of_queries(o, world, n, django_assert_num_queries):
    budgets_ = _free_budgets(o, world)
    postings = _batch_postings(o, budgets_, n)
    # Lock the budgets, their fiscal years, the entries, each budget's totals, the actor's
    # name, the audit events, and the savepoint around them: the same for 2 postings as for 12.
    with django_assert_num_queries(7 + min(n, 2)):
        ledger.post_many(postings)
    admin = o["admin"].user
    closing = [
        ledger.spending(encumbrance=e, amount=e.amount, actor=admin)
        for e in LedgerEntry.objects.filter(budget__in=budgets_, use=Use.REGISTRATION)
    ]
    with django_assert_num_queries(7 + min(n, 2)):  # and which are closed already
        ledger.post_many(closing)
