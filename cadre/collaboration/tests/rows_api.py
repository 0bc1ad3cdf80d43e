"""Permission rows for the collaboration api (see cadre/tests/permission_table.py)."""

ROWS: list = []
