"""What every write for small groups shares (the other modules of this package hold the
writes, one function per business action: `groups`, `meetings`, `lessons`, `check_ins`,
`evidence`).

Every write is audited; a refusal is a `DomainError` (400) or a `Conflict` (409) with a short
code. Access, who may call the writes, is decided by `rules.py` before.

- A closed group refuses every change (`group.closed`) until it is reopened; each write locks
  the group's row first (`_locked`).
- What is recorded once it has happened is never dated in the future (`_not_future`).
- The text people write (agendas, student work, decisions, reflections, check-in notes) stays
  out of the audit trail, which records the dates, numbers and choices, and the names of the
  text fields that changed.
"""

from datetime import date
from typing import Any

from cadre.collaboration.models import Group
from cadre.core.errors import Conflict, DomainError
from cadre.districts.models import District

Status = Group.Status


def check_open(group: Group) -> None:
    """Refuse any change to a closed group."""
    if group.status == Status.CLOSED:
        raise Conflict("group.closed", f"{group}'s cycle is closed; reopen it to change it.")


def _locked(group: Group) -> Group:
    """The group's row, locked for this transaction, and open."""
    locked = (
        Group.objects.select_for_update(of=("self",))
        .select_related("district", "school_year")
        .get(pk=group.pk)
    )
    check_open(locked)
    return locked


def _not_future(district: District, on: date | None, code: str, what: str, field: str) -> None:
    if on is not None and on > district.today():
        raise DomainError(code, f"{what} is recorded once it has happened.", field=field)


def _stripped(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: (v.strip() if isinstance(v, str) and k in names else v) for k, v in data.items()}
