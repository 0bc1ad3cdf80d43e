"""The API's contract, resource by resource, for the checks in test_api_checks.py.

Every ViewSet registered on `cadre.api_urls.router` is checked by being registered: anonymous
callers get 401, ids that name nothing get 404, and `test_every_resource_is_described` fails
until its app describes it here. The description names what the generic checks need from the
shared `world`: the resource's row in each district (`obj`), who in district B sees B's row
(`outsider`), its bad list parameters, and how its list's query count is pinned. Each app
keeps its descriptions beside its tests (`<app>/tests/api_checks.py`), as it keeps its
permission rows; test_api_checks.py joins them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

TOO_BIG = 2**63


@dataclass(frozen=True)
class Queries:
    """A list's query count, pinned: after `make(world, rows)` adds rows, `caller` lists them
    in `session` queries (signed in) and `token` (with an API token), however many rows there
    are. `exact` pins the count itself; otherwise it is a ceiling."""

    make: Callable
    session: int
    token: int
    caller: str = "a.admin"
    exact: bool = True
    full_page: bool = False  # the page holds the new rows too, not only the count


@dataclass(frozen=True)
class Resource:
    obj: str | None = None  # its row in each district: a `world` key without "a."/"b."
    outsider: str = "b.admin"  # who in district B sees B's own row
    outsider_query: dict = field(default_factory=dict)  # list parameters that show it
    caller: str = "a.admin"  # who asks with bad ids
    params_caller: str = "a.admin"  # who lists them: with bad parameters, past the last page
    bad_params: tuple = ()  # (path, parameters, the field named in the 400)
    queries: Queries | None = None
    # Why a check is left to the app's own tests, when it is.
    skip: str = ""


@dataclass(frozen=True)
class Actions:
    """An app's detail actions and changes, which a caller in district B must find missing
    (404) before anything is read or changed: POST each of `paths` (`{key}` is the world's
    row in district A) with `body`, and PATCH each resource's row in district A with its
    `patch` body; `unchanged(world)` then asserts nothing moved."""

    paths: tuple = ()
    outsiders: tuple = ("b.admin",)
    reads: tuple = ()  # GET paths that must be missing too
    body: dict | None = None
    patch: dict = field(default_factory=dict)  # resource -> body; the others get {}
    unchanged: Callable | None = None


@dataclass(frozen=True)
class Malformed:
    """A body that is not JSON is a 400 `parse_error`, and changes nothing."""

    caller: str
    path: str
    unchanged: Callable | None = None
