from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from cadre.funding.models import Budget, LedgerEntry, StipendAward, Use
from cadre.funding.reconcile import reconcile


def test_the_world_reconciles(world):
    assert reconcile() == []
    call_command("reconcile_ledger", "--district", world.a.slug)


def test_a_running_total_that_disagrees_with_the_entries_is_reported(world):
    budget = world.obj("a.budget")
    Budget.objects.filter(pk=budget.pk).update(committed_amount=Decimal("40"))
    problems = reconcile(world.a)
    assert problems == [
        f"Budget {budget.pk} ({budget}): committed amount is 40.00 but its entries add up "
        "to 100.00."
    ]
    assert reconcile(world.b) == []
    with pytest.raises(CommandError, match="1 ledger problem"):
        call_command("reconcile_ledger", "--district", world.a.slug)


def test_orphans_and_bad_closures_are_reported(world):
    entry = world.obj("a.entry")
    orphan = LedgerEntry.objects.create(
        district=world.a,
        budget=entry.budget,
        kind=LedgerEntry.Kind.ADJUSTMENT,
        use=Use.REGISTRATION,
        cause_type=ContentType.objects.get_for_model(StipendAward),
        cause_id=987654,
        posted_on=entry.posted_on,
    )
    short = LedgerEntry.objects.create(
        district=world.a,
        budget=entry.budget,
        kind=LedgerEntry.Kind.RELEASE,
        use=Use.REGISTRATION,
        amount=Decimal("5"),
        encumbrance=entry,
        posted_on=entry.posted_on,
    )
    problems = "\n".join(reconcile(world.a))
    assert f"Entry {orphan.pk} is an orphan" in problems
    assert f"Release {short.pk} does not give back" in problems
    assert "committed amount is 100.00 but its entries add up to 0.00" in problems


def test_an_award_out_of_step_with_its_entries_is_reported(world):
    award = world.obj("a.award")
    StipendAward.objects.filter(pk=award.pk).update(status=StipendAward.Status.APPROVED)
    assert reconcile(world.a) == [
        f"Stipend award {award.pk} is approved but holds no open encumbrance."
    ]


def test_the_command_refuses_an_unknown_district(db):
    with pytest.raises(CommandError, match="No district"):
        call_command("reconcile_ledger", "--district", "nowhere")
