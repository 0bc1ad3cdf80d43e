import functools
import json

from django.db import connection, models

from cadre.audit.models import AuditEvent


def _actor_name(user) -> str:
    if user is None:
        return "system"
    staff = getattr(user, "person", None)
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
        _insert(event)
    return event


def _insert(event: AuditEvent) -> None:
    """Write one new event with an INSERT built once. Every change in Cadre writes one, and
    Model.save() spent most of its time on what an append-only row never needs (the update-or-
    insert decision, signals, compiling the same INSERT each time)."""
    sql, fields = _insert_sql(connection.vendor)
    values = [f.get_db_prep_save(f.pre_save(event, add=True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if connection.features.can_return_columns_from_insert:
            event.pk = cursor.fetchone()[0]
        else:
            event.pk = connection.ops.last_insert_id(cursor, AuditEvent._meta.db_table, "id")
    event._state.adding = False
    event._state.db = connection.alias


@functools.cache
def _insert_sql(vendor: str) -> tuple[str, list]:
    """The INSERT for `vendor`'s database, and the fields in the order of its values."""
    quote = connection.ops.quote_name
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    returning = " RETURNING id" if connection.features.can_return_columns_from_insert else ""
    table = quote(AuditEvent._meta.db_table)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}){returning}", fields  # noqa: S608


def audit_many(*, district, actor, events) -> int:
    """Record many events at once, for importers: `events` yields dicts with `action`, `obj`
    (or `object_type`, `object_id` and `object_repr`) and any of `changes`, `from_state`,
    `to_state` and `comment`. Written with COPY on PostgreSQL."""
    from django.utils import timezone

    from cadre.core import bulk

    at = connection.ops.adapt_datetimefield_value(timezone.now())
    actor_id = getattr(actor, "pk", None)
    name = _actor_name(actor)

    def rows():
        for e in events:
            obj = e.get("obj")
            yield (
                district.pk,
                at,
                actor_id,
                name,
                e["action"],
                e["object_type"] if obj is None else obj._meta.label_lower,
                str(e["object_id"] if obj is None else obj.pk),
                (e["object_repr"] if obj is None else str(obj))[:255],
                json.dumps(e.get("changes") or {}, default=str),
                e.get("from_state", ""),
                e.get("to_state", ""),
                e.get("comment", ""),
            )

    # Built before the COPY opens: no query may run inside one (str() of a model might).
    built = list(rows())
    return bulk.insert_rows(
        AuditEvent._meta.db_table,
        [
            "district_id",
            "at",
            "actor_id",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "from_state",
            "to_state",
            "comment",
        ],
        built,
    )
