"""Fiscal years: the year that holds a date, by the district's start month, created the first
time it is asked for; and the audit record of a downloaded fiscal-year funding summary. The
close is in `transfers`, since closing carries balances forward as transfers."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.districts.models import District
from cadre.funding.models import FiscalYear


def fiscal_year_bounds(district: District, on: date) -> tuple[date, date, str]:
    """The fiscal year holding `on`, by the district's start month (July by default)."""
    month = district.fiscal_year_start_month
    year = on.year if on.month >= month else on.year - 1
    start = date(year, month, 1)
    end = date(year + 1, month, 1) - timedelta(days=1) if month > 1 else date(year, 12, 31)
    name = f"FY {start.year}–{str(end.year)[-2:]}" if end.year != start.year else f"FY {year}"
    return start, end, name


def fiscal_year_for(*, district: District, on: date) -> FiscalYear:
    start, end, name = fiscal_year_bounds(district, on)
    found = FiscalYear.objects.filter(district=district, start_date=start).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            year, _ = FiscalYear.objects.get_or_create(
                district=district, start_date=start, defaults={"end_date": end, "name": name}
            )
    except IntegrityError:  # another request created it first
        year = FiscalYear.objects.get(district=district, start_date=start)
    return year


def summary_exported(*, year: FiscalYear, actor, fmt: str, sources: int) -> None:
    """Record that the funding summary of `year` was downloaded; exports are audited."""
    audit_event(
        district=year.district,
        actor=actor,
        action=AuditEvent.Action.EXPORT,
        obj=year,
        comment=f"Funding summary ({fmt.upper()}), {sources} sources",
    )
