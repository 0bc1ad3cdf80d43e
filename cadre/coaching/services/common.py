"""What the coaching services share: the access check that keeps each step's own refusal, the
staff's current roles, the school year of a date, clean text, and the checks of an offering and of
an open cycle.

Every service function takes keyword-only arguments; `actor` is the signed-in user (or None for
the system). Refusals raise `DomainError` (400) or `Conflict` (409, the record's state forbids the
step) with a short code.
"""

from datetime import date
from typing import Any

from cadre.catalog.models import Offering
from cadre.coaching.models import Cycle
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import Actor, actor_for
from cadre.districts.models import Assignment, District, SchoolYear, Staff
from cadre.districts.services import _check_same_district
from cadre.growth.services import current_year

TEXT_LIMIT = 20_000


def _check_may(actor, action: str, obj, code: str, message: str) -> None:
    """The access rules say who takes this step (the system, actor None, acts for anyone); the
    refusal stays this step's own error, as pages and the API have always shown it."""
    if actor is None:
        return
    who = actor if isinstance(actor, Actor) else actor_for(actor, district_id=obj.district_id)
    if who is None or not access.can(who, action, obj):
        raise DomainError(code, message)


def _roles(staff: Staff, on: date) -> list[tuple[str, int | None, int | None]]:
    return list(
        Assignment.objects.filter(staff=staff)
        .current(on)
        .values_list("role", "school_id", "program_id")
    )


def _year_for(district: District, on: date) -> SchoolYear:
    year = SchoolYear.objects.filter(
        district=district, start_date__lte=on, end_date__gte=on
    ).first()
    return year or current_year(district)


def _text(value: Any, *, field: str, limit: int = TEXT_LIMIT) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) > limit:
        raise DomainError(
            "text.too_long", f"Keep it under {limit:,} characters ({len(text):,}).", field=field
        )
    return text


def _check_offering(district: District, offering: Offering | None) -> None:
    if offering is None:
        return
    _check_same_district(district, offering)
    if offering.status == Offering.Status.ARCHIVED:
        raise DomainError(
            "coaching.offering_archived", f"{offering} is archived.", field="offering"
        )


def _check_open(cycle: Cycle) -> None:
    if cycle.stage == Cycle.Stage.CLOSED:
        raise Conflict("cycle.closed", "This coaching cycle is closed.")


# What the audit trail keeps of a peer visit (a peer observation links its visit).
VISIT_AUDITED = ["visitor_id", "host_id", "on", "status", "observation_id"]
