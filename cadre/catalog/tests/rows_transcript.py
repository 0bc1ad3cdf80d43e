"""Permission rows for the catalogue (see cadre/tests/permission_table.py)."""

from cadre.tests.permission_table import Row

ROWS: list[Row] = []
