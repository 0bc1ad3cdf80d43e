"""Permission rows for the coaching api (see cadre/tests/permission_table.py)."""

ROWS: list = []
