"""Checks of the demo district's funding part, run by cadre/tests/test_demo.py on one build."""

from django.core.management import call_command

from cadre.districts.models import District, Staff
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    ProgramPlan,
    StipendAward,
)
from cadre.funding.reconcile import reconcile


def check(client, **_):
    """The demo has a year of money that reconciles."""
    district = District.objects.get(slug="demo")
    assert reconcile(district) == []
    call_command("reconcile_ledger", "--district", "demo")
    assert FundingSource.objects.filter(district=district).count() == 7
    assert Budget.objects.filter(district=district).count() >= 20
    entries = LedgerEntry.objects.filter(district=district)
    assert entries.count() > 300
    assert {e for e in entries.values_list("kind", flat=True).distinct()} == {
        "encumbrance",
        "expenditure",
        "release",
        "adjustment",
    }
    assert entries.order_by("posted_on").first().posted_on.month == 7  # since July
    assert PayrollBatch.objects.filter(district=district).count() >= 1  # mentoring adds one
    statuses = set(StipendAward.objects.filter(district=district).values_list("status", flat=True))
    assert statuses == {"proposed", "approved", "paid", "cancelled"}
    assert BudgetTransfer.objects.filter(district=district, status="requested").exists()
    plans = ProgramPlan.objects.filter(district=district, status="published")
    assert {p.program.kind for p in plans} == {"title_i", "special_education"}

    # Special Education covers every school, so the demo teacher sees its plan at home.
    teacher = Staff.objects.get(email="teacher@riverbend.example")
    client.force_login(teacher.user, backend="cadre.accounts.backends.StaffBackend")
    assert "Special Education PD plan 2026–27" in client.get("/").content.decode()
