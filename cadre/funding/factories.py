"""Factories for funding rows, each kept in its district."""

from datetime import date
from decimal import Decimal

import factory

from cadre.districts.factories import DistrictFactory, SchoolYearFactory
from cadre.funding.models import (
    Budget,
    FiscalYear,
    FundingSource,
    ProgramPlan,
    StipendSchedule,
    Use,
)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = FundingSource.Kind.GENERAL
    allowed_uses = factory.LazyFunction(lambda: list(Use.values))


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ("district", "start_date")

    district = factory.SubFactory(DistrictFactory)
    name = "FY 2026–27"
    start_date = date(2026, 7, 1)
    end_date = date(2027, 6, 30)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    district = factory.SubFactory(DistrictFactory)
    source = factory.SubFactory(FundingSourceFactory, district=factory.SelfAttribute("..district"))
    fiscal_year = factory.SubFactory(
        FiscalYearFactory, district=factory.SelfAttribute("..district")
    )
    amount = Decimal("1000.00")
    hours = Decimal("100")
    days = Decimal("10")


class StipendScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StipendSchedule

    district = factory.SubFactory(DistrictFactory)
    school_year = factory.SubFactory(
        SchoolYearFactory, district=factory.SelfAttribute("..district")
    )
    role = "mentor"
    name = factory.Sequence(lambda n: f"Mentor stipend {n}")
    amount = Decimal("1500.00")
    full_months = 10


class ProgramPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramPlan

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"PD plan {n}")
    summary = "How the program spends its PD funds this year."
    goals = "Raise reading proficiency\nStrengthen co-teaching"


def ended(fiscal_year: FiscalYear) -> FiscalYear:
    """Move a fiscal year, and so its budgets, back a year, so that it has ended and may be
    closed. Tests build the world in today's year."""
    start, end = fiscal_year.start_date, fiscal_year.end_date
    FiscalYear.objects.filter(pk=fiscal_year.pk).update(
        start_date=start.replace(year=start.year - 1),
        end_date=end.replace(year=end.year - 1),
        name=f"FY {start.year - 1}–{str(end.year - 1)[-2:]}",
    )
    return FiscalYear.objects.get(pk=fiscal_year.pk)
