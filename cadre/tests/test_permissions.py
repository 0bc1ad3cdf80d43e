from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.mentoring.models import Log, Match, Mentor
from cadre.tests.permission_table import KEYED, MISSING, MORE_ROLES, ROLES, ROWS, Row

ROLE_STAFF = {  # the world's person (district A) each column signs in as; see MADE below
    "teacher": "teacher",
    "principal": "principal",
    "director": "director",
    "admin": "admin",
    "coach": "coach",
    "mentor": "lone_mentor",
    "coordinator": "mentor_coordinator",
    "business_office": "business_office",
    "new_teacher": "new_teacher",
}


# --- the extra columns' people --------------------------------------------------------------
# Made inside the case, whose transaction rolls them back: in the shared world they would
# change what other tests count (a district's staff, its mentors and matches).


def _coordinator(world, key: str) -> dict:
    return {
        "mentor_coordinator": staff_with_role(
            Role.MENTOR_COORDINATOR, district=world.obj(f"{key}.school").district
        )
    }


def _business_office(world, key: str) -> dict:
    return {
        "business_office": staff_with_role(
            Role.BUSINESS_OFFICE, district=world.obj(f"{key}.school").district
        )
    }


def _lone_pair(world, key: str) -> dict:
    """A second mentor (a teacher at the other school) with their own new teacher there, an
    active match and one log: the mentor column's own pair, outside the teacher's."""
    other_school, year = world.obj(f"{key}.other_school"), world.obj(f"{key}.year")
    district = other_school.district
    today = district.today()
    mentor_staff = staff_with_role(Role.TEACHER, school=other_school)
    mentee = staff_with_role(
        Role.TEACHER, school=other_school, hire_date=today - timedelta(days=30)
    )
    mentor = Mentor.objects.create(
        district=district, staff=mentor_staff, caseload_cap=district.mentor_caseload
    )
    match = Match.objects.create(
        district=district,
        mentor=mentor,
        mentee=mentee,
        school_year=year,
        school=other_school,
        status=Match.Status.ACTIVE,
        started_on=today - timedelta(days=21),
    )
    log = Log.objects.create(
        district=district,
        match=match,
        met_on=today - timedelta(days=5),
        minutes=30,
        kind=Log.Kind.PLANNING,
        focus="Routines for the first weeks",
        logged_by=mentor_staff.user,
    )
    return {
        "lone_mentor": mentor_staff,
        "lone_mentee": mentee,
        "lone_match": match,
        "lone_log": log,
    }


MADE = {
    "mentor_coordinator": _coordinator,
    "business_office": _business_office,
    **dict.fromkeys(("lone_mentor", "lone_mentee", "lone_match", "lone_log"), _lone_pair),
}


def _make(world, key: str, name: str) -> None:
    """Make the world's `name` in district `key` when it is one the case makes."""
    objects = getattr(world, f"{key}_objects")
    if name in MADE and name not in objects:
        objects |= MADE[name](world, key)


def _url_names(patterns, ns=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _url_names(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield (ns + p.name) if p.name else f"<unnamed {p.pattern}>"


def test_every_url_is_listed():
    listed = {row.name for row in ROWS}
    missing = sorted(set(_url_names(get_resolver().url_patterns)) - listed)
    assert not missing, f"Add these URLs to cadre/tests/permission_table.py: {missing}"


def _cases():
    for row in ROWS:
        for role in ROLES:
            yield pytest.param(row, role, "a", row.expect[role], id=f"{row.id}-{role}")
            if row.obj and role != "anon":
                yield pytest.param(row, role, "b", MISSING, id=f"{row.id}-{role}-outsider")
        # The extra columns, in district A only (see permission_table.py).
        for role in MORE_ROLES:
            yield pytest.param(row, role, "a", row.expected(role), id=f"{row.id}-{role}")


def _url(row: Row, world, district: str) -> str:
    if row.kwargs is not None:
        return reverse(row.name, kwargs=row.kwargs)
    if row.name in KEYED:
        kwargs = KEYED[row.name]
        return reverse(row.name, kwargs=kwargs(world) if callable(kwargs) else kwargs)
    if row.obj:
        obj = world.obj(f"{district}.{row.obj}")
        return reverse(row.name, kwargs={row.lookup: obj.pk})
    return reverse(row.name)


@pytest.mark.parametrize(("row", "role", "district", "expected"), list(_cases()))
def test_permission(client, world, row, role, district, expected):
    if row.obj:
        _make(world, district, row.obj)
    if role != "anon":
        _make(world, "a", ROLE_STAFF[role])
        user = world.obj(f"a.{ROLE_STAFF[role]}").user
        client.force_login(user, backend="cadre.accounts.backends.StaffBackend")
    url = _url(row, world, district) + (f"?{row.query}" if row.query else "")
    call = getattr(client, row.method)
    response = (
        call(url, row.data, content_type="application/json")
        if row.method == "patch"
        else call(url, row.data)
    )
    assert response.status_code == expected, (
        f"{row.method.upper()} {url} as {role}: {response.status_code}, expected {expected}"
    )
