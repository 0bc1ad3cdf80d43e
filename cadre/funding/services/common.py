"""The pieces the funding services share: the units a budget counts in, money as shown in
messages, the refusal to post to a closed fiscal year, and an audited create that answers a
racing twin as a conflict."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from cadre.core.errors import Conflict
from cadre.districts.services import _create
from cadre.funding.models import FiscalYear

UNITS = ("amount", "hours", "days")


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def _create_once(model, *, district, actor, fields, data, code: str, detail: str):
    """Create through the audited helper; a twin created at the same moment by another
    request trips the unique constraint, which answers as a conflict, not a 500."""
    try:
        with transaction.atomic():
            return _create(model, district=district, actor=actor, fields=fields, data=data)
    except IntegrityError as exc:
        raise Conflict(code, detail) from exc


def _check_open(fiscal_year: FiscalYear) -> None:
    if fiscal_year.is_closed:
        raise Conflict(
            "fiscal_year.closed", f"{fiscal_year} is closed; post to the next fiscal year."
        )
