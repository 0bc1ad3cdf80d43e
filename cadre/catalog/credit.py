"""The district's credit rules, in one place: clock hours from minutes, university credit
conversions, and renewal. Every figure on a form, certificate or transcript comes from here.

Washington's rules (WAC 181-85) are the defaults, held as district settings: a clock hour is
60 minutes of learning; an offering shorter than an hour earns none; meals and breaks are not
credited; a quarter credit is 10 hours and a semester credit 15.
"""

from decimal import ROUND_DOWN, Decimal

from cadre.catalog.models import CreditKind
from cadre.districts.models import District

ZERO = Decimal(0)
CENT = Decimal("0.01")


def earns_clock_hours(district: District, offering_minutes: int) -> bool:
    """Whether an offering of this many credited minutes is long enough to earn clock hours."""
    return offering_minutes >= district.clock_hour_min_minutes and offering_minutes > 0


def clock_hours(district: District, minutes: int, *, offering_minutes: int) -> Decimal:
    """The clock hours for `minutes` attended of an offering of `offering_minutes`, rounded
    down to the hundredth so that credit is never overstated."""
    if not earns_clock_hours(district, offering_minutes) or minutes <= 0:
        return ZERO
    return (Decimal(minutes) / Decimal(district.clock_hour_minutes)).quantize(CENT, ROUND_DOWN)


def minimum_note(district: District, offering_minutes: int) -> str:
    """What a form says about an offering that is too short to earn clock hours ("" if not)."""
    if earns_clock_hours(district, offering_minutes):
        return ""
    need = district.clock_hour_min_minutes
    return (
        f"{offering_minutes} credited minutes is less than the district minimum of {need}, so "
        "this offering earns no clock hours."
    )


def credit_hours(district: District, kind: str, credits: Decimal) -> Decimal:
    """University credit as clock hours: a quarter credit is 10, a semester credit 15 (the
    district's settings)."""
    per = {
        CreditKind.QUARTER: district.quarter_credit_hours,
        CreditKind.SEMESTER: district.semester_credit_hours,
    }.get(kind)
    return (Decimal(credits) * per).quantize(CENT) if per else ZERO


def renewal_equity_hours(district: District, *, is_administrator: bool) -> int:
    if is_administrator:
        return district.renewal_equity_hours_admin
    return district.renewal_equity_hours
