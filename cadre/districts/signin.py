"""Whose sign-in an email address is: one rule for the roster import, the HR import and the
staff forms.

A sign-in address belongs to one person. An address that already signs in as someone else
(in this district under another id, or in another district) cannot be given to a new person;
the import that tries says so and writes nothing.
"""

from collections.abc import Callable, Iterator

from django_scopes import scopes_disabled

from cadre.districts.models import District, Staff

CHUNK = 5000  # SQLite caps the parameters of one query


def claimed_elsewhere(
    emails: dict[str, str],
    *,
    district: District | None,
    sourced_ids: Callable[[str], str] = lambda s: s,
    key: str = "sourced_id",
) -> Iterator[tuple[str, str]]:
    """(email, id) for each address in `emails` (address → the id of the person it is meant
    for, by `key`: "sourced_id" or "pk") that already signs in as another person."""
    addresses = list(emails)
    with scopes_disabled():
        for start in range(0, len(addresses), CHUNK):
            chunk = addresses[start : start + CHUNK]
            for email, owner_district, sid, pk in Staff.objects.filter(
                user__email__in=chunk
            ).values_list("user__email", "district_id", "sourced_id", "pk"):
                wanted = emails.get(email.lower())
                if wanted is None:
                    continue
                same_district = district is not None and owner_district == district.pk
                mine = sourced_ids(wanted) == (sid if key == "sourced_id" else pk)
                if not (same_district and mine):
                    yield email.lower(), wanted
