"""Whose sign-in an email address is: one rule for the roster import and the HR import.

A sign-in address belongs to one person. An address that already signs in as someone else
(in this district under another id, or in another district) cannot be given to a new person;
the import that tries says so and writes nothing.
"""

from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model

from cadre.core import bulk
from cadre.districts.models import District, Staff


def claimed_elsewhere(
    emails: dict[str, str],
    *,
    district: District | None,
    sourced_ids: Callable[[str], str] = lambda s: s,
    key: str = "sourced_id",
) -> Iterator[tuple[str, str]]:
    """(email, id) for each address in `emails` (address → the id of the person it is meant
    for, by `key`: "sourced_id" or "pk") that already signs in as another person."""
    staff, users = Staff._meta.db_table, get_user_model()._meta.db_table
    rows = bulk.fetch_in(
        f"SELECT u.email, s.district_id, s.sourced_id, s.id FROM {staff} s "  # noqa: S608
        f"JOIN {users} u ON u.id = s.user_id WHERE u.email {{in}}",
        list(emails),
    )
    for email, owner_district, sid, pk in rows:
        wanted = emails.get(email.lower())
        if wanted is None:
            continue
        same_district = district is not None and owner_district == district.pk
        mine = sourced_ids(wanted) == (sid if key == "sourced_id" else pk)
        if not (same_district and mine):
            yield email.lower(), wanted
