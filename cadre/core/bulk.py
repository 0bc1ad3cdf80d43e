"""Bulk writes for importers: PostgreSQL `COPY` through psycopg, batched inserts elsewhere.

Importers validate everything first and then write many rows at once; the ORM's per-object
work is what made them slow. These write plain tuples into a table (a model's or a temporary
one) inside the caller's transaction, and keep the planner's statistics fresh afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connection, connections
from psycopg.copy import QueuedLibpqWriter

BATCH = 5000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(
    table: str, columns: list[str], rows: Iterable[tuple], *, plain: bool = False
) -> int:
    """Write `rows` (tuples in the order of `columns`, of plain values: text, numbers, dates,
    booleans, None) into `table`; the count written.

    `plain` is the caller's promise that every value is a number, a boolean or text without
    a tab, newline or backslash, and none is None: on PostgreSQL such rows are written as
    COPY's text in large pieces, without psycopg's formatting call per row (a third of the
    cost of hundreds of thousands of enrollments)."""
    cols = ", ".join(_quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgres():
            raw = cursor.cursor
            # A thread sends the data while this one goes on producing rows (a generator
            # that parses a file, usually), instead of waiting for the server at each flush.
            writer = QueuedLibpqWriter(raw)
            with raw.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN", writer=writer) as copy:
                if plain:
                    rows = iter(rows)
                    while lines := ["\t".join(map(str, row)) for row in islice(rows, BATCH)]:
                        copy.write("\n".join(lines) + "\n")  # booleans read as True/False
                        count += len(lines)
                    return count
                write = copy.write_row
                for row in rows:
                    write(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {_quote(table)} ({cols}) VALUES ({marks})"  # noqa: S608
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def create_rows(model, rows: list[dict]) -> int:
    """Insert new rows of `model` from dicts of field values (by attribute name: `staff_id`);
    the fields a dict leaves out take their defaults, `auto_now` fields the current time.
    Faster than `bulk_create` because no model instance is built. Returns the count; read the
    new rows' keys back with a query."""
    if not rows:
        return 0
    from django.utils import timezone

    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    names = [f.attname for f in fields]
    convert = converters(fields)

    def values():
        for row in rows:
            values = [row[n] if n in row else defaults[n] for n in names]
            for i, to_db in convert:
                if values[i] is not None:
                    values[i] = to_db(values[i])
            yield values

    return insert_rows(model._meta.db_table, [f.column for f in fields], values())


def converters(fields) -> list[tuple[int, object]]:
    """(position, function) for the values the database driver cannot take as they are:
    JSON as text, and date-times as the ORM writes them (SQLite keeps them as naive UTC
    text; raw values would carry "+00:00" and sort apart from the ORM's)."""
    out = []
    for i, f in enumerate(fields):
        kind = f.get_internal_type()
        if kind == "JSONField":
            out.append((i, json.dumps))
        elif kind == "DateTimeField":
            out.append((i, connection.ops.adapt_datetimefield_value))
    return out


def update_rows(model, fields: list[str], rows: list[dict]) -> int:
    """Set `fields` (attribute names) of existing rows of `model` from dicts that carry each
    row's "pk": on PostgreSQL one UPDATE joined to a temporary table filled by COPY, elsewhere
    one prepared UPDATE run for every row. `bulk_update`'s CASE per field and row made a
    15,000-person update take most of a minute."""
    if not rows:
        return 0
    meta = model._meta
    columns = [meta.get_field(f) for f in fields]
    table = meta.db_table
    convert = converters(columns)

    def values(row: dict) -> list:
        out = [row[f] for f in fields]
        for i, to_db in convert:
            if out[i] is not None:
                out[i] = to_db(out[i])
        return out

    if is_postgres():
        staging = f"cadre_update_{table}"
        spec = ", ".join(f"{_quote(f.column)} {f.db_type(connection) or 'text'}" for f in columns)
        execute(f"DROP TABLE IF EXISTS {staging}")
        execute(f"CREATE TEMPORARY TABLE {staging} (id bigint, {spec})")
        try:
            insert_rows(
                staging,
                ["id", *(f.column for f in columns)],
                ([row["pk"], *values(row)] for row in rows),
            )
            sets = ", ".join(f"{_quote(f.column)} = s.{_quote(f.column)}" for f in columns)
            return execute(
                f"UPDATE {_quote(table)} SET {sets} FROM {staging} s "  # noqa: S608
                f"WHERE {_quote(table)}.{_quote(meta.pk.column)} = s.id"
            )
        finally:
            execute(f"DROP TABLE IF EXISTS {staging}")
    sets = ", ".join(f"{_quote(f.column)} = %s" for f in columns)
    sql = f"UPDATE {_quote(table)} SET {sets} WHERE {_quote(meta.pk.column)} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for batch in _batches([*values(row), row["pk"]] for row in rows):
            cursor.executemany(sql, batch)
    return len(rows)


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


def execute(sql: str, params: list | tuple = ()) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_in(sql: str, values: list, params: list | tuple = ()) -> list[tuple]:
    """Rows of `sql` whose `{in}` (after a column) matches any of `values`: one array on
    PostgreSQL (`= ANY(%s)`, parsed once however long the list), chunks of `IN (…)` on SQLite,
    which caps a query's parameters. `params` fill the placeholders before `{in}`."""
    if not values:
        return []
    if is_postgres():
        return fetch(sql.format(**{"in": "= ANY(%s)"}), [*params, list(values)])
    rows: list[tuple] = []
    for start in range(0, len(values), BATCH):
        chunk = list(values[start : start + BATCH])
        marks = ", ".join(["%s"] * len(chunk))
        rows += fetch(sql.format(**{"in": f"IN ({marks})"}), [*params, *chunk])
    return rows


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load, which autovacuum may not have
    seen yet: without them PostgreSQL can pick a plan thousands of times slower."""
    if not is_postgres() or not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(_quote(t) for t in tables)}")


@contextmanager
def unlogged() -> Iterator[None]:
    """Run a long writer without DEBUG's log of every query. Django keeps that log while DEBUG
    is on, and on SQLite it shows each query's parameters by running a second query (QUOTE of
    each one): a fifth of the demo build's time went to a log that keeps only its last 9,000
    queries. A caller that asked for the log itself (a test capturing queries) keeps it."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: `connection` is a proxy
    if db.force_debug_cursor or "make_debug_cursor" in vars(db):
        yield
        return
    db.make_debug_cursor = db.make_cursor  # the plain cursor, for this block only
    try:
        yield
    finally:
        del db.make_debug_cursor
