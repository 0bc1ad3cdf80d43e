"""Writes for funding sources (their allowed uses and owner) and their budgets per fiscal year,
and `budget_for`, the budget that pays for someone of a school or program."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q

from cadre.core.errors import DomainError
from cadre.core.workflow import audited_update
from cadre.districts.models import District
from cadre.districts.services import _check_same_district
from cadre.funding.models import Budget, FiscalYear, FundingSource, Use
from cadre.funding.services import fiscal_years
from cadre.funding.services.common import UNITS, _check_open, _create_once

SOURCE_FIELDS = [
    "name",
    "code",
    "kind",
    "school",
    "program",
    "allowed_uses",
    "staff_restricted",
    "carries_forward",
    "is_active",
]
BUDGET_FIELDS = ["source", "fiscal_year", "school", "program", "amount", "hours", "days", "note"]
BUDGET_EDITABLE = ["amount", "hours", "days", "note"]


def _clean_uses(data: dict[str, Any]) -> dict[str, Any]:
    if "allowed_uses" in data:
        uses = list(dict.fromkeys(data["allowed_uses"] or []))
        unknown = [u for u in uses if u not in Use.values]
        if unknown:
            raise DomainError(
                "source.unknown_use", f"Unknown uses: {', '.join(unknown)}.", field="allowed_uses"
            )
        data = {**data, "allowed_uses": uses}
    return data


def _check_owner(district: District, data: dict[str, Any]) -> None:
    if data.get("school") and data.get("program"):
        raise DomainError(
            "funding.two_owners",
            "Choose a school or a program as the owner, not both.",
            field="program",
        )
    _check_same_district(district, data.get("school"), data.get("program"))


@transaction.atomic
def source_create(*, district: District, actor, data: dict[str, Any]) -> FundingSource:
    data = _clean_uses(data)
    _check_owner(district, data)
    if FundingSource.objects.filter(district=district, name=data.get("name")).exists():
        raise DomainError("source.duplicate", "Another funding source has this name.", field="name")
    return _create_once(
        FundingSource,
        district=district,
        actor=actor,
        fields=SOURCE_FIELDS,
        data=data,
        code="source.duplicate",
        detail="Another funding source has this name.",
    )


@transaction.atomic
def source_update(*, source: FundingSource, actor, data: dict[str, Any]) -> FundingSource:
    data = _clean_uses(data)
    merged = {"school": source.school, "program": source.program, **data}
    _check_owner(source.district, merged)
    name = data.get("name", source.name)
    if FundingSource.objects.filter(district=source.district, name=name).exclude(pk=source.pk):
        raise DomainError("source.duplicate", "Another funding source has this name.", field="name")
    return audited_update(source, actor=actor, fields=SOURCE_FIELDS, data=data)


def budget_create(*, district: District, actor, data: dict[str, Any]) -> Budget:
    _check_owner(district, data)
    _check_same_district(district, data.get("source"), data.get("fiscal_year"))
    _check_open(data["fiscal_year"])
    taken = Budget.objects.filter(
        source=data["source"],
        fiscal_year=data["fiscal_year"],
        school=data.get("school"),
        program=data.get("program"),
    )
    if taken.exists():
        raise DomainError(
            "budget.duplicate",
            "This source already has a budget for that owner and fiscal year; edit it instead.",
        )
    for unit in UNITS:
        if data.get(unit) is not None and data[unit] < 0:
            raise DomainError("budget.negative", "Budgets cannot be negative.", field=unit)
    return _create_once(
        Budget,
        district=district,
        actor=actor,
        fields=BUDGET_FIELDS,
        data=data,
        code="budget.duplicate",
        detail="This source already has a budget for that owner and year.",
    )


@transaction.atomic
def budget_update(*, budget: Budget, actor, data: dict[str, Any]) -> Budget:
    locked = Budget.objects.select_for_update(of=("self",)).get(pk=budget.pk)
    _check_open(locked.fiscal_year)
    for unit in UNITS:
        new = data.get(unit)
        if new is None:
            continue
        used = getattr(locked, f"committed_{unit}") + getattr(locked, f"spent_{unit}")
        if new < used:
            raise DomainError(
                "budget.below_used",
                f"{unit.capitalize()} cannot go below what is already committed and spent "
                f"({used}).",
                field=unit,
            )
    return audited_update(locked, actor=actor, fields=BUDGET_EDITABLE, data=data)


def budget_for(
    *, source: FundingSource, on: date, school=None, program=None, year: FiscalYear | None = None
) -> Budget:
    """The source's budget for the fiscal year of `on` that pays for someone of this school or
    program: the school's budget if it has one, else the program's, else the district's.
    `year` is that fiscal year, when the caller has it already. The candidates are read in one
    query."""
    year = year or fiscal_years.fiscal_year_for(district=source.district, on=on)
    wanted = Q(school__isnull=True, program__isnull=True)
    if school is not None:
        wanted |= Q(school=school)
    if program is not None:
        wanted |= Q(program=program)
    candidates = list(Budget.objects.filter(wanted, source=source, fiscal_year=year))
    for owns in (
        lambda b: school is not None and b.school_id == school.pk,
        lambda b: program is not None and b.program_id == program.pk,
        lambda b: b.school_id is None and b.program_id is None,
    ):
        if budget := next((b for b in candidates if owns(b)), None):
            return budget
    raise DomainError(
        "budget.missing",
        f"{source} has no budget for {year}; ask the district office to set one up.",
    )
