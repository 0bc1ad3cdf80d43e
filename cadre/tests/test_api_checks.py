"""The API's contract, checked for every ViewSet registered on the router.

- Anonymous callers get 401 (`not_authenticated`, with the `Token` challenge).
- Ids that name nothing (not a number, too big, zero) are 404; so is a page past the end.
- A caller in another district never lists, reads, changes or acts on district A's rows (404).
- Bad list parameters are 400 (`invalid`, naming the parameter); a body that is not JSON is
  400 (`parse_error`) and changes nothing.
- A list's query count does not grow with its rows.

What each resource needs for these (its rows in the `world`, who asks, its bad parameters, its
query counts) is described beside its app's tests, in `<app>/tests/api_checks.py`; see
cadre/tests/api_checks.py. The schema itself is fuzzed in test_api_contract.py.
"""

from string import Formatter

import pytest
from rest_framework.authtoken.models import Token

from cadre.api_urls import router
from cadre.catalog.tests import api_checks as catalog
from cadre.coaching.tests import api_checks as coaching
from cadre.collaboration.tests import api_checks as collaboration
from cadre.districts.tests import api_checks as districts
from cadre.funding.tests import api_checks as funding
from cadre.growth.tests import api_checks as growth
from cadre.mentoring.tests import api_checks as mentoring
from cadre.planning.tests import api_checks as planning
from cadre.tests.api_checks import TOO_BIG
from cadre.tests.kit import API, ids, login_as, refused

pytestmark = pytest.mark.django_db

APPS = {
    "catalog": catalog,
    "coaching": coaching,
    "collaboration": collaboration,
    "districts": districts,
    "funding": funding,
    "growth": growth,
    "mentoring": mentoring,
    "planning": planning,
}
RESOURCES = {prefix: r for app in APPS.values() for prefix, r in app.RESOURCES.items()}
VIEWSETS = {prefix: viewset for prefix, viewset, _ in router.registry}
NOT_FOUND = {"code": "not_found", "detail": "Not found."}


def _can(prefix: str, action: str) -> bool:
    viewset = VIEWSETS.get(prefix)
    if action == "partial_update" and "patch" not in viewset.http_method_names:
        return False
    return hasattr(viewset, action)


def _described(check):
    """The registered resources a check applies to (ids are the router's prefixes)."""
    return [p for p in VIEWSETS if p in RESOURCES and not RESOURCES[p].skip and check(p)]


def path(world, template: str) -> str:
    """`template` under the API, each `{key}` in it the id of the world's row in district A."""
    keys = {name for _, name, _, _ in Formatter().parse(template) if name}
    return f"{API}/" + template.format(**{k: world.obj(f"a.{k}").pk for k in keys})


# --- every registered resource is described ------------------------------------------------


def test_every_resource_is_described():
    assert sum(len(app.RESOURCES) for app in APPS.values()) == len(RESOURCES), "described twice"
    missing = sorted(set(VIEWSETS) - set(RESOURCES))
    stale = sorted(set(RESOURCES) - set(VIEWSETS))
    assert not missing, (
        f"Describe these API resources in their app's tests/api_checks.py: {missing}"
    )
    assert not stale, f"These are described but no longer registered: {stale}"


# --- authentication ------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", list(VIEWSETS))
def test_anonymous_is_refused_with_401(client, prefix):
    response = client.get(f"{API}/{prefix}/")
    refused(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


# --- ids that name nothing -----------------------------------------------------------------


@pytest.mark.parametrize("key", ["abc", str(TOO_BIG), "0"])
@pytest.mark.parametrize("prefix", _described(lambda p: _can(p, "retrieve")))
def test_bad_ids_in_the_path_are_404(client, world, prefix, key):
    login_as(client, world, RESOURCES[prefix].caller)
    assert client.get(f"{API}/{prefix}/{key}/").status_code == 404
    if _can(prefix, "partial_update"):
        response = client.patch(f"{API}/{prefix}/{key}/", {}, content_type="application/json")
        assert response.status_code == 404


def _paged(prefix: str) -> bool:
    return _can(prefix, "list") and getattr(VIEWSETS[prefix], "pagination_class", None)


@pytest.mark.parametrize("prefix", _described(_paged))
def test_a_page_past_the_end_is_404_not_500(client, world, prefix):
    login_as(client, world, RESOURCES[prefix].params_caller)  # who lists them
    assert client.get(f"{API}/{prefix}/", {"page": "99"}).status_code == 404
    assert client.get(f"{API}/{prefix}/", {"page_size": "abc"}).status_code == 200


# --- other districts -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", _described(lambda p: RESOURCES[p].obj is not None))
def test_other_district_never_sees_or_reaches_a_rows(client, world, prefix):
    resource = RESOURCES[prefix]
    login_as(client, world, resource.outsider)
    target = world.obj(f"a.{resource.obj}")
    listed = ids(client.get(f"{API}/{prefix}/", resource.outsider_query))
    assert target.pk not in listed
    assert world.obj(f"b.{resource.obj}").pk in listed
    response = client.get(f"{API}/{prefix}/{target.pk}/")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    if _can(prefix, "partial_update"):
        response = client.patch(
            f"{API}/{prefix}/{target.pk}/", {"name": "Taken"}, content_type="application/json"
        )
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def _actions():
    for name, app in APPS.items():
        actions = getattr(app, "ACTIONS", None)
        for outsider in actions.outsiders if actions else ():
            for template in actions.paths:
                yield pytest.param(name, template, outsider, id=f"{outsider}-{template}")


@pytest.mark.parametrize(("app", "template", "outsider"), list(_actions()))
def test_other_district_actions_are_404(client, world, app, template, outsider):
    actions = APPS[app].ACTIONS
    login_as(client, world, outsider)
    response = client.post(
        path(world, template), actions.body or {}, content_type="application/json"
    )
    assert response.status_code == 404
    for read in actions.reads:
        assert client.get(path(world, read)).status_code == 404
    for prefix, resource in APPS[app].RESOURCES.items():
        if resource.obj and _can(prefix, "partial_update"):
            target = world.obj(f"a.{resource.obj}").pk
            body = actions.patch.get(prefix, {})
            response = client.patch(
                f"{API}/{prefix}/{target}/", body, content_type="application/json"
            )
            assert response.status_code == 404, prefix
    if actions.unchanged:
        actions.unchanged(world)


# --- bad input is a 400, never a 500 -------------------------------------------------------


def _bad_params():
    for prefix in _described(lambda p: True):
        for template, params, name in RESOURCES[prefix].bad_params:
            yield pytest.param(prefix, template, params, name, id=f"{template}-{name}")


@pytest.mark.parametrize(("prefix", "template", "params", "name"), list(_bad_params()))
def test_bad_list_parameters_are_400(client, world, prefix, template, params, name):
    login_as(client, world, RESOURCES[prefix].params_caller)
    body = refused(client.get(path(world, template), params), 400, "invalid")
    assert name in body["errors"]


@pytest.mark.parametrize("app", [n for n, app in APPS.items() if getattr(app, "MALFORMED", None)])
def test_malformed_json_is_400(client, world, app):
    malformed = APPS[app].MALFORMED
    login_as(client, world, malformed.caller)
    response = client.post(
        path(world, malformed.path), "{not json", content_type="application/json"
    )
    refused(response, 400, "parse_error")
    if malformed.unchanged:
        malformed.unchanged(world)


# --- query counts --------------------------------------------------------------------------
# A session call costs the session, its user, the sign-in backend's check, the middleware's
# actor and the view's actor, the access rules' lookups, the page count and rows, one query
# per prefetched relation, and the session save. A token call skips the session and the
# middleware's actor. The counts do not grow with the rows: each app's `Queries` says what
# its lists prefetch.


@pytest.mark.parametrize("rows", [3, 30])
@pytest.mark.parametrize("prefix", _described(lambda p: RESOURCES[p].queries is not None))
def test_list_query_count_is_pinned(
    client, world, django_assert_num_queries, django_assert_max_num_queries, prefix, rows
):
    queries = RESOURCES[prefix].queries
    pinned = django_assert_num_queries if queries.exact else django_assert_max_num_queries
    queries.make(world, rows)
    login_as(client, world, queries.caller)
    client.get(f"{API}/{prefix}/")  # warm the session
    with pinned(queries.session):
        response = client.get(f"{API}/{prefix}/")
    assert response.status_code == 200 and response.json()["count"] >= rows
    if queries.full_page:
        assert len(response.json()["results"]) >= min(rows, 50)

    client.logout()
    key = Token.objects.create(user=world.obj(queries.caller).user).key
    with pinned(queries.token):
        response = client.get(f"{API}/{prefix}/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
