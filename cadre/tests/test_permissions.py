import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cadre.tests.permission_table import KEYED, MISSING, ROLES, ROWS, Row

ROLE_STAFF = {
    "teacher": "teacher",
    "principal": "principal",
    "director": "director",
    "admin": "admin",
}


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
    if role != "anon":
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
