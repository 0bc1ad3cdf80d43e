"""Permission rows for the funding pages (see cadre/tests/permission_table.py)."""

from cadre.tests.permission_table import Row  # noqa: F401

ROWS: list = []
