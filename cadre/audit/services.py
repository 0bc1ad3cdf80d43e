from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from cadre.audit.models import AuditEvent


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


def _actor_name(user) -> str:
    if user is None:
        return "system"
    staff = getattr(user, "staff", None)
    return staff.full_name if staff else user.get_username()


def audit_event(
    *,
    district,
    actor,
    action: str,
    obj: models.Model,
    changes: dict | None = None,
    from_state: str = "",
    to_state: str = "",
    comment: str = "",
    save: bool = True,
) -> AuditEvent:
    """Record one change. `save=False` returns an unsaved event for bulk writers."""
    event = AuditEvent(
        district=district,
        actor=actor,
        actor_name=_actor_name(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:255],
        changes=changes or {},
        from_state=from_state,
        to_state=to_state,
        comment=comment,
    )
    if save:
        event.save()
    return event
