import copy

import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    """Test code sets up rows freely; requests still run inside their district's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle and sign-in counts live in the cache, which outlives each test's database."""
    from django.core.cache import cache

    cache.clear()


FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "SECURE_SSL_REDIRECT": False,
}


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's database setup, except that migrations run once per run into a template
    that each test process copies (cadre/tests/testdb.py), not once in every process.
    --create-db migrates the template again; --reuse-db and --nomigrations take pytest-django's
    own way."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from cadre.tests import testdb

    verbosity = request.config.option.verbose
    aliases, serialized = _get_databases_for_setup(request.session.items)
    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        if django_db_use_migrations and not keepdb and aliases <= {testdb.ALIAS}:
            old = testdb.setup(
                verbosity, serialize=testdb.ALIAS in serialized, rebuild=django_db_createdb
            )
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            old = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized,
                keepdb=keepdb,
            )
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(old, verbosity=verbosity)


@pytest.fixture(scope="session")
def _media(tmp_path_factory):
    # One media folder per test process: the shared world's files live there.
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_settings(settings, _media):
    for name, value in FAST.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = _media


@pytest.fixture(scope="session")
def openapi_schema(tmp_path_factory):
    """The API's OpenAPI schema, generated and validated (a warning fails) once per test
    process, for every app's schema test."""
    import yaml
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("openapi") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


# The world's parts, in dependency order: each app's tests/world.py has
# `build(district, o)`, which adds that app's rows for one district to `o` (the district's
# objects by name, as tests read them from `world.a_objects` and `world.obj("a.name")`), using
# what the parts before it added. An app adds its part by writing its tests/world.py and
# naming the app here after every app whose objects it uses; its names must be new ones (a
# part never replaces another's), and its docstring says what it builds.
WORLD_PARTS = (
    "cadre.districts",
    "cadre.funding",
    "cadre.planning",
    "cadre.growth",
    "cadre.catalog",
    "cadre.mentoring",
    "cadre.collaboration",
    "cadre.coaching",
)


class World:
    """Two districts built by every app's part (WORLD_PARTS). In A: an admin, a principal of
    one school, a program director, teachers inside and outside the principal's school, and
    each app's rows around them. In B: the same shape, for outsider checks."""

    def __init__(self):
        from importlib import import_module

        from cadre.districts.factories import DistrictFactory

        parts = [import_module(f"{app}.tests.world") for app in WORLD_PARTS]
        self.a = DistrictFactory(name="Alder District", slug="world-a")
        self.b = DistrictFactory(name="Birch District", slug="world-b")
        for key, district in (("a", self.a), ("b", self.b)):
            o = {}
            setattr(self, f"{key}_objects", o)
            for part in parts:
                before = dict(o)
                part.build(district, o)
                # A part adds names: replacing another part's object would change its tests.
                replaced = [name for name, obj in before.items() if o.get(name) is not obj]
                assert not replaced, f"{part.__name__} replaced {replaced}"

    def obj(self, key: str):
        district, name = key.split(".", 1)
        return getattr(self, f"{district}_objects")[name]

    def exists(self) -> bool:
        from cadre.districts.models import District

        return District.objects.filter(pk=self.a.pk).exists()

    def fresh(self) -> "World":
        """The same world read afresh from the database (as each test's copy starts from)."""
        copy = object.__new__(World)
        for key in ("a", "b"):
            setattr(copy, key, type(getattr(self, key)).objects.get(pk=getattr(self, key).pk))
            setattr(
                copy,
                f"{key}_objects",
                {
                    name: type(obj)._base_manager.get(pk=obj.pk)
                    for name, obj in getattr(self, f"{key}_objects").items()
                },
            )
        return copy


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker, _media):
    """The world, built once per test process and committed; each test's transaction rolls
    back whatever it changes. Building it for every test cost most of the suite's time."""
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        scopes_disabled(),
        override_settings(MEDIA_ROOT=_media, **FAST),
    ):
        return {"world": World().fresh()}


@pytest.fixture
def o(world):
    """District A's objects by name, the ones most tests use."""
    return world.a_objects


@pytest.fixture
def world(_shared_world, db):
    """A copy of the shared world for this test: its rows as committed (each test's changes
    roll back), copied in memory rather than read again, which cost ~200 queries a test."""
    from django.db import connection

    shared = _shared_world["world"]
    if shared.exists():
        return copy.deepcopy(shared)
    # A transactional test emptied the database (pytest-django runs those last).
    built = World()
    if not connection.in_atomic_block:
        _shared_world["world"] = built.fresh()  # committed: the next test can share it
    return built
