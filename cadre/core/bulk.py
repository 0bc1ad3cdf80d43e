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

from django.db import connection

BATCH = 5000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Write `rows` (tuples in the order of `columns`, of plain values: text, numbers, dates,
    booleans, None) into `table`; the count written."""
    cols = ", ".join(_quote(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if is_postgres():
            with cursor.cursor.copy(f"COPY {_quote(table)} ({cols}) FROM STDIN") as copy:
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
    as_json = {f.attname for f in fields if f.get_internal_type() == "JSONField"}

    def value(row: dict, name: str):
        v = row[name] if name in row else defaults[name]
        return json.dumps(v) if name in as_json and v is not None else v

    return insert_rows(
        model._meta.db_table,
        [f.column for f in fields],
        (tuple(value(r, n) for n in names) for r in rows),
    )


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    it = iter(rows)
    while batch := list(islice(it, BATCH)):
        yield batch


@contextmanager
def temp_table(name: str, columns: dict[str, str]):
    """A temporary table of `columns` (name → SQL type) for the length of the block."""
    spec = ", ".join(f"{_quote(c)} {t}" for c, t in columns.items())
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {_quote(name)} ({spec})")
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(name)}")


def execute(sql: str, params: list | tuple = ()) -> int:
    """Run one statement; the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: list | tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def analyze(*tables: str) -> None:
    """Refresh the planner's statistics after a bulk load, which autovacuum may not have
    seen yet: without them PostgreSQL can pick a plan thousands of times slower."""
    if not is_postgres() or not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(_quote(t) for t in tables)}")
