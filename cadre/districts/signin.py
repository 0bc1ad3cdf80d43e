"""Whose sign-in an email address is: one rule for the roster import and the HR import.

A sign-in address belongs to one person. An address that already signs in as someone else (in
this district under another id, or in another district), or that belongs to an operator's
login with no staff record (Django's staff or superusers), cannot be given to a person by an
import: the import says so and writes nothing. Addresses are compared without regard to case.
"""

import secrets
from collections.abc import Iterator

from django.contrib.auth import get_user_model

from cadre.core import bulk
from cadre.districts.models import District, Staff


def claimed_elsewhere(
    emails: dict[str, str], *, district: District | None, key: str = "sourced_id"
) -> Iterator[tuple[str, str]]:
    """(email, id) for each address in `emails` (lower-case address → the id of the person it
    is meant for, by `key`: "sourced_id" or "pk") that already signs in as another person."""
    staff, users = Staff._meta.db_table, get_user_model()._meta.db_table
    rows = bulk.fetch_in(
        f"SELECT LOWER(u.email), s.district_id, s.sourced_id, s.id, "  # noqa: S608
        f"u.is_staff OR u.is_superuser FROM {users} u LEFT JOIN {staff} s ON s.user_id = u.id "
        "WHERE LOWER(u.email) {in}",
        list(emails),
    )
    for email, owner_district, sid, pk, operator in rows:
        wanted = emails.get(email)
        if wanted is None:
            continue
        if pk is None:
            if operator:  # an operator's login: never handed to a person by an import
                yield email, wanted
            continue
        same_district = district is not None and owner_district == district.pk
        if not (same_district and wanted == (sid if key == "sourced_id" else pk)):
            yield email, wanted


def unusable_password() -> str:
    """What Django's set_unusable_password stores, without its cost per person."""
    return "!" + secrets.token_urlsafe(30)


def logins(emails: list[str]) -> dict[str, int]:
    """The sign-in for each (lower-case) address: the one there is, or a new one with no
    password until the person chooses it ("Forgot your password?")."""
    User = get_user_model()
    lookup = f"SELECT LOWER(email), id FROM {User._meta.db_table} WHERE LOWER(email) {{in}}"  # noqa: S608
    found: dict[str, int] = dict(bulk.fetch_in(lookup, emails))
    new = [{"email": e, "password": unusable_password()} for e in emails if e not in found]
    if new:
        bulk.create_rows(User, new)
        found.update(bulk.fetch_in(lookup, [row["email"] for row in new]))
    return found
