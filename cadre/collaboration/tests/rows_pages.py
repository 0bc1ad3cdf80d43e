"""Permission rows for the collaboration pages (see cadre/tests/permission_table.py)."""

ROWS: list = []
