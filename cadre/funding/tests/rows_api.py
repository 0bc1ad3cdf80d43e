"""Permission rows for the funding API (see cadre/tests/permission_table.py)."""

from cadre.tests.permission_table import Row  # noqa: F401

ROWS: list = []
