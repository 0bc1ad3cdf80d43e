"""The audit trail, as the apps below the audit app write to it: the audit app plugs in its
writers (cadre.audit.services) when it is ready."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from cadre.core.slots import Slot


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    DELETE = "delete", "Deleted"
    TRANSITION = "transition", "Transition"
    IMPORT = "import", "Imported"
    EXPORT = "export", "Exported"


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited values of `fields`, as JSON-ready data."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# record(district=, actor=, action=, obj=, changes=, from_state=, to_state=, comment=, save=)
record = Slot("the audit trail's record")
# record_many(district=, actor=, events=) for importers and batch services; see
# cadre.audit.services.audit_many.
record_many = Slot("the audit trail's record_many")
# The audit table's name, for importers that refresh its planner statistics.
table = Slot("the audit trail's table")
