"""The API keeps the contract its OpenAPI schema states.

Schemathesis reads the schema drf-spectacular generates and sends each operation a few
generated requests, in process through the WSGI app, as district A's administrator (token
auth). Every answer must have a documented status code, the documented content type and a
body that matches the documented schema, and none may be a server error.

The run is bounded (a few derandomized examples per operation, no shrinking) so it costs
about a minute of CI; it catches drift between serializers, views and the schema, not rare
bugs. Path ids are drawn half the time from rows the administrator can see, so operations on
a real object are reached, not only their 404.
"""

import json

import pytest
import schemathesis
import werkzeug.test
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cadre.api_urls import router

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> dict:
    # The same document /api/schema/ serves, as plain JSON types.
    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document))


# Valid and invalid inputs, four of each kind per operation, the same every run. Only the
# fuzzing phase: the schema carries no examples, the coverage phase sends dozens of boundary
# cases per operation (minutes of CI for 228 operations), and stateful sequences are beyond a
# bounded check.
CONFIG = schemathesis.Config.from_dict(
    {
        "base-url": "http://testserver",  # a host Django's test settings allow
        "generation": {
            "mode": "all",
            "max-examples": 4,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
schema = schemathesis.openapi.from_dict(_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _one_connection():
    """Keep the test's database connection open across the calls, as Django's test client
    does: the WSGI handler would close it after each request, and with it the test's
    transaction (on PostgreSQL; SQLite's in-memory database ignores the close)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Ids of rows the administrator sees, by resource (`mentor-matches`), read once per process
# from the list endpoints: the shared world is committed, so they hold for every test.
KNOWN: dict[str, list[int]] = {}
ID_SOURCE = {"transcripts": "staff"}  # a transcript's id is its staff member's


def _known_id(resource: str, n: int) -> dict:
    ids = KNOWN.get(ID_SOURCE.get(resource, resource)) or [0]
    return {"id": ids[n % len(ids)]}


@schema.hook
def before_generate_path_parameters(context, strategy):
    # Random ids almost always answer 404; half the time use a real one, so the operation
    # itself runs. Drawn at run time, after the world exists.
    resource = context.operation.path.split("/")[3]
    real = st.integers(min_value=0, max_value=99).map(lambda n: _known_id(resource, n))
    return st.one_of(real, strategy)


def _read_known(key: str) -> None:
    # Through the same WSGI app as the run (Django's test client would undo _one_connection).
    client = werkzeug.test.Client(schema.app)
    for prefix, _viewset, _basename in router.registry:
        response = client.get(
            f"/api/v1/{prefix}/",
            base_url="http://testserver",
            headers={"Authorization": f"Token {key}"},
        )
        body = response.json if response.status_code == 200 else {}
        rows = body.get("results") if isinstance(body, dict) else body
        KNOWN[prefix] = [row["id"] for row in rows or [] if "id" in row][:5]


@pytest.fixture
def token(request, _shared_world, db) -> str:
    cache.clear()  # throttle history outlives each test's database
    # Only the administrator is needed: the shared world as built, without `world`'s re-read
    # of every object, which would cost more than the few requests each test sends.
    shared = _shared_world["world"]
    world = shared if shared.exists() else request.getfixturevalue("world")
    key = Token.objects.get_or_create(user=world.obj("a.admin").user)[0].key
    if not KNOWN:
        _read_known(key)
        cache.clear()
        assert KNOWN["staff"], "no ids read: the run would reach nothing but 404s"
    return key


@schema.parametrize()
# The examples of one operation share its test's fixtures and transaction, as intended; the
# health checks (function-scoped fixtures, slow generation of large bodies) would only fail the
# run for that, and a request's time is no contract.
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_keeps_its_contract(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


# --- drift the generated run may not reach: each answer checked against the schema --------


def _token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def _call(user, method: str, path: str, **case):
    headers = {"Authorization": f"Token {_token(user)}"} if user else {}
    return schema[path][method].Case(**case).call_and_validate(headers=headers, checks=CHECKS)


def test_refusals_are_documented(world):
    assert _call(None, "GET", "/api/v1/staff/").status_code == 401
    admin = world.obj("a.admin").user
    response = _call(admin, "GET", "/api/v1/assignments/", query={"ordering": ""})
    assert response.status_code == 400
    teacher = world.obj("a.teacher").user
    new = {"body": {"name": "New"}, "media_type": "application/json"}
    assert _call(teacher, "POST", "/api/v1/schools/", **new).status_code == 403


def test_your_own_transcript_is_one_object(world):
    response = _call(world.obj("a.admin").user, "GET", "/api/v1/transcripts/")
    assert response.json()["staff"] == world.obj("a.admin").pk


@pytest.mark.parametrize("path", ["/api/v1/transcripts/abc/", "/api/v1/no-such-thing/1/"])
def test_a_path_naming_no_resource_answers_the_api_404(client, world, path):
    key = _token(world.obj("a.admin").user)
    response = client.get(path, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_a_non_integer_id_answers_the_documented_404(world):
    response = _call(
        world.obj("a.admin").user,
        "GET",
        "/api/v1/transcripts/{id}/",
        path_parameters={"id": "abc"},
    )
    assert response.status_code == 404


def test_a_path_missing_its_slash_still_redirects(client, world):
    response = client.get("/api/v1/staff")
    assert response.status_code == 301 and response["Location"] == "/api/v1/staff/"


def test_stipends_a_match_proposes_are_a_plain_list(world):
    response = _call(
        world.obj("a.admin").user,
        "POST",
        "/api/v1/mentor-matches/{id}/stipends/",
        path_parameters={"id": world.obj("a.match").pk},
    )
    assert response.status_code == 201 and isinstance(response.json(), list)


def test_a_registration_for_a_session_not_yet_scheduled_has_no_times(world):
    from cadre.catalog.factories import RegistrationFactory, SessionFactory

    teacher = world.obj("a.teacher")
    session = SessionFactory(
        district=world.a, offering=world.obj("a.offering"), school_year=world.obj("a.year")
    )
    registration = RegistrationFactory(district=world.a, session=session, staff=teacher)
    response = _call(
        teacher.user,
        "GET",
        "/api/v1/registrations/{id}/",
        path_parameters={"id": registration.pk},
    )
    assert (response.json()["starts_at"], response.json()["ends_at"]) == (None, None)


def test_blank_outcomes_and_end_reasons_are_in_the_schema(world):
    admin = world.obj("a.admin").user
    goals = _call(admin, "GET", "/api/v1/professional-goals/").json()["results"]
    matches = _call(admin, "GET", "/api/v1/mentor-matches/").json()["results"]
    assert "" in {goal["outcome"] for goal in goals}
    assert "" in {match["end_reason"] for match in matches}


def test_rows_that_are_not_rows_answer_the_error_shape(world):
    response = _call(
        world.obj("a.admin").user,
        "POST",
        "/api/v1/staff-data/",
        body={"rows": [{}]},
        media_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid"
