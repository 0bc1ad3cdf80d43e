"""What tests share: signing in, calling the API and reading its answers, one copy for every
app's tests. Fixtures every test may use (`world`, `o`) live in conftest.py."""

from django.urls import reverse

API = "/api/v1"
BACKEND = "cadre.accounts.backends.StaffBackend"


def login(client, staff):
    """Sign the test client in as this staff member; the client, to chain a request on."""
    client.force_login(staff.user, backend=BACKEND)
    return client


def login_as(client, world, key):
    """Sign in as the world's person under key ("a.teacher"), or as a staff record given;
    the staff record."""
    staff = world.obj(key) if isinstance(key, str) else key
    login(client, staff)
    return staff


def ids(response) -> set[int]:
    """The ids in a page of an API list that answered 200."""
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def post(client, path: str, data: dict | None = None):
    return client.post(f"{API}/{path}", data or {}, content_type="application/json")


def patch(client, path: str, data: dict):
    return client.patch(f"{API}/{path}", data, content_type="application/json")


def refused(response, status: int, code: str) -> dict:
    """The API refused with this status and this error code; the body, to check more of it."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code, body
    return body


def fresh(obj):
    """The row as the database has it now."""
    return type(obj).objects.get(pk=obj.pk)


def pk(world, key: str) -> int:
    return world.obj(key).pk


def resolve(world, value):
    """A world key ("a.school") as its id; anything else as it is."""
    if isinstance(value, str) and value[:2] in ("a.", "b."):
        return world.obj(value).pk
    return value


def today(world):
    """District A's today."""
    return world.a.today()


def text(response) -> str:
    return response.content.decode()


def url(name: str, obj=None) -> str:
    """The page's address, for an object's page when one is given."""
    return reverse(name, args=[obj.pk] if obj is not None else [])
