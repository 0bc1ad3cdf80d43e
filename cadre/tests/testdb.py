"""The test database, migrated once per run rather than once per test process.

The first test process to need a database migrates a template under a file lock; every process
then starts from a copy of it:

- SQLite: the template is a file in `.testdb/`, kept between runs; each process loads it into
  its own in-memory database (SQLite's backup, as Django's own parallel runner does).
- PostgreSQL: the template is a database, `test_<NAME>_template`, kept between runs; each
  process's database (`test_<NAME>_gw0`, ...) is `CREATE DATABASE ... TEMPLATE` of it.

A template is used only if it was built from the same migrations and settings: their digest
is the SQLite file's name and the PostgreSQL template's comment. Anything else rebuilds it.
"""

import contextlib
import hashlib
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections

CACHE = Path(__file__).resolve().parents[2] / ".testdb"
ALIAS = "default"
# --create-db rebuilds a template once per run: not again if another process of this run has.
STARTED = time.time()


def digest() -> str:
    """What a migrated database depends on: every installed app's migration files (ours and
    our dependencies'), and the settings that change what migrate and createcachetable make."""
    h = hashlib.sha256()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else ():
            h.update(f"{config.label}/{path.name}\0".encode())
            h.update(path.read_bytes())
    db = settings.DATABASES[ALIAS]
    for part in (
        django.__version__,
        db["ENGINE"],
        settings.INSTALLED_APPS,
        settings.AUTH_USER_MODEL,
        settings.DEFAULT_AUTO_FIELD,
        getattr(settings, "MIGRATION_MODULES", {}),
        sorted((k, v.get("BACKEND"), v.get("LOCATION")) for k, v in settings.CACHES.items()),
    ):
        h.update(repr(part).encode())
    return h.hexdigest()[:16]


@contextlib.contextmanager
def file_lock(name: str) -> Iterator[None]:
    """Held by one test process at a time (released by the OS if the process dies)."""
    CACHE.mkdir(exist_ok=True)
    with open(CACHE / f"{name}.lock", "a+b") as f:
        if os.name == "nt":
            import msvcrt

            f.seek(0)
            while True:
                try:
                    msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)


def _point_at(name) -> None:
    connection = connections[ALIAS]
    connection.close()
    settings.DATABASES[ALIAS]["NAME"] = name
    connection.settings_dict["NAME"] = name


def _migrate(verbosity: int) -> None:
    # As Django's create_test_db does, minus the serialization (set up per process).
    call_command(
        "migrate",
        verbosity=max(verbosity - 1, 0),
        interactive=False,
        database=ALIAS,
        run_syncdb=True,
    )
    call_command("createcachetable", database=ALIAS)


def _log(verbosity: int, message: str) -> None:
    if verbosity >= 1:
        sys.stderr.write(message + "\n")


def _sqlite(verbosity: int, rebuild: bool) -> str:
    connection = connections[ALIAS]
    key = digest()
    template = CACHE / f"sqlite-{key}.sqlite3"
    with file_lock("sqlite"):
        if rebuild and template.exists() and template.stat().st_mtime < STARTED:
            template.unlink()
        if not template.exists():
            _log(verbosity, f"Migrating the SQLite test template {template.name}...")
            building = template.with_suffix(f".{os.getpid()}.tmp")
            building.unlink(missing_ok=True)
            _point_at(str(building))
            _migrate(verbosity)
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=DELETE")  # one file, nothing beside it
            connection.close()
            os.replace(building, template)
            for old in CACHE.glob("sqlite-*.sqlite3"):
                if old != template:
                    old.unlink(missing_ok=True)
    name = connection.creation._get_test_db_name()
    _point_at(name)
    if connection.creation.is_in_memory_db(name):
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:  # a TEST NAME in the settings: a file of its own (xdist adds a suffix per process)
        connection.close()
        with open(template, "rb") as src, open(name, "wb") as dst:
            dst.write(src.read())
    return name


def _postgres(verbosity: int, rebuild: bool) -> str:
    connection = connections[ALIAS]
    creation = connection.creation
    name = creation._get_test_db_name()
    template = f"test_{connection.settings_dict['NAME']}_template"
    key = f"cadre migrations {digest()}"
    quote = connection.ops.quote_name
    with file_lock(f"postgres-{template}"):
        with creation._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                [template],
            )
            row = cursor.fetchone()
        built = CACHE / f"postgres-{template}.built"
        rebuild = rebuild and not (built.exists() and built.stat().st_mtime >= STARTED)
        if rebuild or row is None or row[0] != key:
            _log(verbosity, f"Migrating the PostgreSQL test template {template}...")
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(template)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quote(template)}")
            _point_at(template)
            _migrate(verbosity)
            connection.close()
            with creation._nodb_cursor() as cursor:
                # Set last: a template whose build was cut short has no key and is rebuilt.
                cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS %s", [key])
            built.touch()
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    _point_at(name)
    connection.ensure_connection()
    return name


def setup(verbosity: int, serialize: bool, rebuild: bool = False) -> list:
    """Give this process its test database, copied from the template; the answer is what
    django.test.utils.teardown_databases takes to drop it at the end. rebuild migrates the
    template again whatever its digest (pytest --create-db)."""
    connection = connections[ALIAS]
    old_name = connection.settings_dict["NAME"]
    vendor = connection.vendor
    if vendor == "sqlite":
        _sqlite(verbosity, rebuild)
    elif vendor == "postgresql":
        _postgres(verbosity, rebuild)
    else:
        raise NotImplementedError(f"No test template for {vendor}")
    if serialize:
        connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    return [(connection, old_name, True)]
