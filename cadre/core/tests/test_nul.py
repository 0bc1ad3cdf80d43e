"""A NUL character anywhere a view could query with it is refused with 400, once, in
RefuseNulMiddleware: PostgreSQL refuses NUL in text and jsonb (a 500), SQLite lets it by."""

import itertools
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from cadre.tests.kit import API

NUL = "a\x00b"


def _login(client, world, key="a.admin"):
    client.force_login(world.obj(key).user, backend="cadre.accounts.backends.StaffBackend")


# --- every URL with a string in its path ----------------------------------------------------


def _patterns(patterns, ns="", converters=None):
    """(name, {argument: converter or None for a regex group}) for every named URL."""
    for p in patterns:
        mine = dict(converters or {})
        mine.update(getattr(p.pattern, "converters", {}))
        for group in p.pattern.regex.groupindex:
            mine.setdefault(group, None)
        if isinstance(p, URLResolver):
            yield from _patterns(
                p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""), mine
            )
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, mine


def _choices(converter):
    if isinstance(converter, IntConverter):
        return ["1"]
    if isinstance(converter, UUIDConverter):
        return [str(uuid.UUID(int=1))]
    return [NUL, "1"]  # a string, a slug or a regex: a NUL where it fits, else a plain value


def nul_urls() -> list[str]:
    """Each named URL with a string-ish argument, reversed with a NUL in as many of them as its
    pattern allows (reverse() percent-encodes it as %00)."""
    urls = set()
    for name, converters in _patterns(get_resolver().url_patterns):
        args = list(converters)
        combos = itertools.product(*(_choices(converters[a]) for a in args))
        for values in sorted(combos, key=lambda v: -v.count(NUL)):
            if NUL not in values:
                break
            try:
                urls.add(reverse(name, kwargs=dict(zip(args, values, strict=True))))
                break
            except NoReverseMatch:
                continue
    return sorted(urls)


def test_the_walk_finds_the_string_arguments():
    urls = nul_urls()
    assert "/planning/input/a%00b/" in urls
    assert "/catalog/calendar/a%00b.ics" in urls
    assert any(u.startswith(f"{API}/") for u in urls)  # the API's detail routes take a regex


@pytest.mark.parametrize("who", ["anon", "a.admin", "a.teacher"])
def test_a_nul_in_any_path_argument_is_400(client, world, who):
    if who != "anon":
        _login(client, world, who)
    client.raise_request_exception = False
    wrong = {}
    for url in nul_urls():
        status = client.get(url).status_code
        if status != 400:
            wrong[url] = status
    assert not wrong, wrong


# --- queries, forms, bodies, cookies ---------------------------------------------------------


def test_a_nul_in_a_query_is_400_with_the_apis_error_shape(client, world):
    _login(client, world)
    response = client.get(f"{API}/schools/", {"q": NUL})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "Some fields are invalid.",
        "errors": {"q": ["A null character is not allowed here."]},
    }


def test_a_nul_in_a_query_key_is_400(client, world):
    _login(client, world)
    assert client.get("/schools/?a%00b=1").status_code == 400


def test_pages_answer_a_plain_page(client, world):
    response = client.get("/planning/input/%00/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "null character" in text and "\x00" not in text


def test_a_nul_in_the_sign_in_form_is_400(client, world):
    # The sign-in looks the address up before anyone is signed in.
    response = client.post("/accounts/login/", {"login": "a\x00b@example.org", "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"name": NUL},
        {NUL: "x"},
        {"name": "ok", "grades": ["1", {"deep": NUL}]},
    ],
)
def test_a_nul_anywhere_in_a_json_body_is_400(client, world, body):
    _login(client, world)
    school = world.obj("a.school")
    response = client.patch(f"{API}/schools/{school.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    school.refresh_from_db()
    assert school.name != NUL


def test_a_json_body_without_nul_still_reaches_the_api(client, world):
    _login(client, world)
    school = world.obj("a.school")
    response = client.patch(
        f"{API}/schools/{school.pk}/", {"name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 200
    malformed = client.patch(
        f"{API}/schools/{school.pk}/", b'{"name": "x', content_type="application/json"
    )
    assert malformed.status_code == 400 and malformed.json()["code"] == "parse_error"


def test_a_nul_in_a_form_encoded_patch_is_400(client, world):
    _login(client, world)
    school = world.obj("a.school")
    response = client.patch(
        f"{API}/schools/{school.pk}/",
        "name=a%00b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_multipart_patch_is_checked_and_still_read_by_the_api(client, world):
    _login(client, world)
    school = world.obj("a.school")
    url = f"{API}/schools/{school.pk}/"
    refused = client.patch(url, encode_multipart(BOUNDARY, {"name": NUL}), MULTIPART_CONTENT)
    assert refused.status_code == 400
    # The middleware parsed a copy: the API still reads the body itself.
    fine = client.patch(url, encode_multipart(BOUNDARY, {"name": "Renamed"}), MULTIPART_CONTENT)
    assert fine.status_code == 200, fine.content
    school.refresh_from_db()
    assert school.name == "Renamed"


def test_uploaded_files_may_hold_nul(client, world):
    binary = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "image/png")
    fine = client.post("/accounts/login/", {"login": "x@example.org", "file": binary})
    assert fine.status_code == 200  # the sign-in form's own refusal


def test_a_nul_in_a_cookie_is_400(client, world):
    # Django unquotes a cookie's octal escapes: this session key holds a NUL.
    response = client.get("/", HTTP_COOKIE='sessionid="\\000abcdefghij"')
    assert response.status_code == 400


def test_a_nul_in_an_api_token_is_400(client, world):
    response = client.get(f"{API}/schools/", HTTP_AUTHORIZATION="Token a\x00b")
    assert response.status_code == 400
    assert json.loads(response.content)["errors"] == {
        "authorization": ["A null character is not allowed here."]
    }


def test_requests_without_nul_pass(client, world):
    _login(client, world)
    assert client.get("/schools/", {"q": "a\x01b"}).status_code == 200
