"""Whose sign-in an email address is: the one rule for every way a district gives a person an
address (the roster import, the HR import, an administrator's edit, by page or API).

- Only the district sets a person's sign-in address, on their staff record; nobody changes their
  own (allauth's email pages answer 404, see cadre/accounts/urls.py).
- One login per address. A login may carry one staff record per district: a coach serving two
  districts on one host signs in once and chooses the district (cadre/districts/access.py).
- A district may not give a person an address whose login is another person's in the same
  district, or an operator's login (Django's staff or superusers), unless that login is the
  person's own. Both are refused with a clear message; nothing is written.
- An address whose login is a person in another district links this district's record to that
  same login: no error, so a district never learns which addresses another district has.
- A district never renames a login that another district's record shares, nor an operator's:
  changing an address re-points its own record to the new address's login (a new one, without
  a password, if there is none). A login only this district uses is renamed in place, so its
  history stays one person's, but its credentials do not follow the address: its password,
  API tokens and two-factor keys are cleared (which ends its sessions), and the person sets a
  password again with "Forgot your password?", proving the new mailbox. Otherwise a district
  could rename a login it controls to an address another district will give its person later,
  and sign in as them there. Deactivating a record leaves the person's other districts as
  they were.

Addresses are compared without regard to case.
"""

import secrets
from collections.abc import Iterator

from django.contrib.auth import get_user_model

from cadre.core import bulk
from cadre.core.errors import Conflict
from cadre.districts.models import District, Staff


def taken_message(email: str) -> str:
    return f"{email} already signs in as another person."


def refused(
    emails: dict[str, str | int], *, district: District | None, key: str = "sourced_id"
) -> Iterator[tuple[str, str | int]]:
    """(email, id) for each address in `emails` (lower-case address → the id of the person it
    is meant for, by `key`: "sourced_id" or "pk") that this district may not give them."""
    staff, users = Staff._meta.db_table, get_user_model()._meta.db_table
    rows = bulk.fetch_in(
        f"SELECT LOWER(u.email), s.district_id, s.sourced_id, s.id, "  # noqa: S608
        f"u.is_staff OR u.is_superuser FROM {users} u LEFT JOIN {staff} s ON s.user_id = u.id "
        "WHERE LOWER(u.email) {in}",
        list(emails),
    )
    own, clash = set(), set()
    for email, owner_district, sid, pk, operator in rows:
        wanted = emails.get(email)
        if wanted is None:
            continue
        here = district is not None and owner_district == district.pk
        if here and wanted == (sid if key == "sourced_id" else pk):
            own.add(email)  # the person's own login
        elif here or operator:
            clash.add(email)
    for email in sorted(clash - own):
        yield email, emails[email]


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


def moved_logins(moves: dict[str, int], *, district: District) -> dict[str, int]:
    """Rename in place the logins of people whose address this district changed (new address →
    their login) where nothing stands in the way, clearing their credentials (see above); the
    rest are left out, for `logins` to find or make. A login another district's record shares,
    an operator's login, or one whose new address already has a login, is never renamed."""
    if not moves:
        return {}
    User = get_user_model()
    taken = {
        email
        for (email,) in bulk.fetch_in(
            f"SELECT LOWER(email) FROM {User._meta.db_table} WHERE LOWER(email) {{in}}",  # noqa: S608
            list(moves),
        )
    }
    ids = list(set(moves.values()))
    shared = {
        user_id
        for (user_id,) in bulk.fetch_in(
            f"SELECT user_id FROM {Staff._meta.db_table} "  # noqa: S608
            "WHERE district_id <> %s AND user_id {in}",
            ids,
            [district.pk],
        )
    }
    shared.update(
        pk
        for (pk,) in bulk.fetch_in(
            f"SELECT id FROM {User._meta.db_table} "  # noqa: S608
            "WHERE (is_staff OR is_superuser) AND id {in}",
            ids,
        )
    )
    renamed = {e: pk for e, pk in moves.items() if e not in taken and pk not in shared}
    if renamed:
        bulk.update_rows(
            User,
            ["email", "password"],
            [{"pk": pk, "email": e, "password": unusable_password()} for e, pk in renamed.items()],
        )
        _forget_credentials(list(renamed.values()))
    return renamed


def _forget_credentials(user_ids: list[int]) -> None:
    """What signs in as a login besides its password: allauth's own list of its addresses
    (the old one would still sign in and take resets), API tokens and two-factor keys."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from rest_framework.authtoken.models import Token

    EmailAddress.objects.filter(user_id__in=user_ids).delete()
    Token.objects.filter(user_id__in=user_ids).delete()
    Authenticator.objects.filter(user_id__in=user_ids).delete()


def link(staff: Staff) -> None:
    """Give one staff record the login of its address by the rule above (an administrator's
    edit, by page or API). Raises Conflict when refused."""
    email = (staff.email or "").strip().lower()
    if not email or (staff.user_id and staff.user.email.lower() == email):
        return
    if next(refused({email: staff.pk}, district=staff.district, key="pk"), None):
        raise Conflict("staff.email_taken", taken_message(email), field="email")
    user_id = None
    if staff.user_id:
        user_id = moved_logins({email: staff.user_id}, district=staff.district).get(email)
    if user_id is None:
        user_id = logins([email])[email]
    if staff.user_id != user_id:
        staff.user_id = user_id
        staff.save(update_fields=["user", "updated_at"])
