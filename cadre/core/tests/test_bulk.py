"""Bulk writes: the same rows whichever path writes them (COPY, COPY text, batched inserts)."""

import pytest
from django.db import connection, transaction

from cadre.core import bulk

pytestmark = pytest.mark.django_db

ROWS = [(n, f"{n:064x}", n % 3 == 0) for n in range(bulk.BATCH * 2 + 7)]


@pytest.fixture
def table():
    bulk.execute("CREATE TEMPORARY TABLE bulk_probe (n integer, key varchar(64), on_ boolean)")
    yield "bulk_probe"
    bulk.execute("DROP TABLE bulk_probe")


def _read(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT n, key, on_ FROM {table} ORDER BY n")  # noqa: S608
        return [(n, key, bool(on)) for n, key, on in cursor.fetchall()]


@pytest.mark.parametrize("plain", [False, True])
def test_plain_rows_are_written_as_they_are_over_several_batches(table, plain):
    written = bulk.insert_rows(table, ["n", "key", "on_"], iter(ROWS), plain=plain)
    assert written == len(ROWS)
    assert _read(table) == ROWS


def test_no_rows_write_nothing(table):
    assert bulk.insert_rows(table, ["n", "key", "on_"], iter([]), plain=True) == 0
    assert _read(table) == []


def test_a_failing_producer_leaves_no_rows_and_raises_its_own_error(table):
    def rows():
        yield from ROWS[:10]
        raise ValueError("the file broke")

    for plain in (False, True):
        with pytest.raises(ValueError, match="the file broke"), transaction.atomic():
            bulk.insert_rows(table, ["n", "key", "on_"], rows(), plain=plain)
        assert _read(table) == []


def _logged(n: int) -> int:
    """How many entries DEBUG's query log gains while `n` queries run."""
    before = len(connection.queries)
    for _ in range(n):
        bulk.fetch("SELECT 1")
    return len(connection.queries) - before


def test_unlogged_keeps_debugs_query_log_out_of_a_long_writer(settings):
    settings.DEBUG = True
    connection.queries_log.clear()
    assert _logged(3) == 3
    with bulk.unlogged():
        assert _logged(3) == 0
        with bulk.unlogged():  # nested: still unlogged, and the outer block restores
            assert _logged(2) == 0
        assert _logged(2) == 0
    assert _logged(3) == 3


def test_unlogged_leaves_an_asked_for_capture_alone(settings):
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = True
    with CaptureQueriesContext(connection) as captured, bulk.unlogged():
        bulk.fetch("SELECT 1")
    assert len(captured) == 1
