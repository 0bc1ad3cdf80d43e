"""Permission rows for the coaching pages (see cadre/tests/permission_table.py)."""

ROWS: list = []
