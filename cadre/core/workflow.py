"""The steps every write shares: lock a row in an allowed state, move it and audit the move,
or change its fields and audit the difference. Services compose these, so each business action
reads as its rule."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import timezone

from cadre.core import trail
from cadre.core.errors import Conflict


def _keep_district(obj: Model, locked: Model) -> None:
    """A row never changes district: the one the caller already loaded serves the locked row,
    which spares a query in each audit event and district rule that follows."""
    try:
        field = type(obj)._meta.get_field("district")
    except FieldDoesNotExist:
        return
    if (
        field.is_relation
        and field.many_to_one
        and field.is_cached(obj)
        and not field.is_cached(locked)
        and getattr(obj, field.attname) == getattr(locked, field.attname)
    ):
        field.set_cached_value(locked, field.get_cached_value(obj))


def lock(
    obj: Model,
    *allowed: str,
    code: str,
    verb: str,
    related: tuple[str, ...] = (),
    field: str = "status",
    message: str = "",
):
    """The row, locked for this transaction, or Conflict if its `field` (the status, or a
    stage) is not in `allowed`.

    `verb` completes "cannot … it": the refusal says why in words. `message`, when given, is
    the refusal instead."""
    model = type(obj)
    locked = model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)
    _keep_district(obj, locked)
    _check_state(locked, allowed, code=code, verb=verb, field=field, message=message)
    return locked


def _check_state(locked: Model, allowed, *, code: str, verb: str, field: str, message: str):
    if getattr(locked, field) not in allowed:
        state = getattr(locked, f"get_{field}_display")().lower()
        raise Conflict(
            code,
            message or f"This {type(locked)._meta.verbose_name} is {state}; you cannot {verb} it.",
        )


def lock_many(
    objs: Iterable[Model],
    *allowed: str,
    code: str,
    verb: str,
    related: tuple[str, ...] = (),
    field: str = "status",
    message: str = "",
) -> list:
    """`lock` for many rows of one model in one query: the rows, locked, in the order given
    (each once), or Conflict for the first whose `field` is not in `allowed`. The database
    locks them in key order, so two batches over the same rows never wait on each other."""
    objs = list({obj.pk: obj for obj in objs}.values())
    if not objs:
        return []
    model = type(objs[0])
    rows = {
        row.pk: row
        for row in model.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk__in=[obj.pk for obj in objs])
        .order_by("pk")
    }
    locked = []
    for obj in objs:
        row = rows.get(obj.pk)
        if row is None:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        _keep_district(obj, row)
        _check_state(row, allowed, code=code, verb=verb, field=field, message=message)
        locked.append(row)
    return locked


def move(
    obj: Model,
    *,
    actor,
    to: str,
    note: str = "",
    field: str = "status",
    audited: Iterable[str] = (),
    **fields,
):
    """Set the new status (or the stage named by `field`) and any fields that go with it, save,
    and audit the transition with `note` as its comment and the change of the `audited` fields."""
    before = getattr(obj, field)
    was = trail.snapshot(obj, audited)
    setattr(obj, field, to)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    trail.record(
        district=obj.district,
        actor=actor,
        action=trail.Action.TRANSITION,
        obj=obj,
        changes=trail.diff(was, trail.snapshot(obj, audited)),
        from_state=before,
        to_state=to,
        comment=note,
    )
    return obj


def move_many(
    objs: list[Model], *, actor, to: str, note: str = "", field: str = "status", **fields
) -> list[Model]:
    """`move` for rows locked together (`lock_many`) that go to the same state with the same
    `fields`: one UPDATE for all, and each row's TRANSITION event, written together."""
    if not objs:
        return objs
    model = type(objs[0])
    now = timezone.now()
    values = {field: to, **fields}
    auto = {f.attname: now for f in model._meta.concrete_fields if getattr(f, "auto_now", False)}
    events: dict[int, tuple[Any, list]] = {}
    for obj in objs:
        before = getattr(obj, field)
        for name, value in {**values, **auto}.items():
            setattr(obj, name, value)
        events.setdefault(obj.district_id, (obj.district, []))[1].append(
            {
                "action": trail.Action.TRANSITION,
                "obj": obj,
                "from_state": before,
                "to_state": to,
                "comment": note,
            }
        )
    model._base_manager.filter(pk__in=[obj.pk for obj in objs]).update(**values, **auto)
    for district, batch in events.values():
        trail.record_many(district=district, actor=actor, events=batch)
    return objs


def audited_create(
    obj: Model,
    *,
    actor,
    audited: Iterable[str],
    check: Callable[[Model], None] | None = None,
    exclude: Iterable[str] = ("district",),
):
    """Validate a new row (the service's `check`, then the model's), save it and audit one
    CREATE with the values of the `audited` fields."""
    if check is not None:
        check(obj)
    validate(obj, exclude, trusted=known_keys(obj))
    obj.save()
    trail.record(
        district=obj.district,
        actor=actor,
        action=trail.Action.CREATE,
        obj=obj,
        changes=trail.diff({}, trail.snapshot(obj, audited)),
    )
    return obj


def column_values(obj: Model) -> dict[str, Any]:
    """The row's column values. What differs after an update is saved, whoever set it: the
    data, the service's `check` or the model's `clean`."""
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


def known_keys(obj: Model, stored: Mapping[str, Any] | None = None) -> list[str]:
    """The foreign keys naming a row known to exist, so validation need not look it up again:
    a row read from the database (the service loaded it and set it), or the row the key named
    when `obj` was read (`stored`; the key's constraint vouches for it). A key whose choices
    are limited is checked still: the row it names may no longer qualify."""
    known = []
    for f in obj._meta.concrete_fields:
        if not f.is_relation or f.get_limit_choices_to():
            continue
        value = getattr(obj, f.attname)
        if value is None:
            continue
        if stored is not None and stored.get(f.attname) == value:
            known.append(f.name)
            continue
        row = f.get_cached_value(obj, None)
        if row is not None and not row._state.adding and row.pk == value:
            known.append(f.name)
    return known


def validate(obj: Model, exclude: Iterable[str], trusted: Iterable[str] = ()) -> None:
    """`obj.full_clean(exclude=exclude)`, except that the field checks (only those: the
    uniqueness and constraint checks still see every field) skip the `trusted` fields."""
    trusted = list(trusted)
    if not trusted:
        obj.full_clean(exclude=list(exclude))
        return
    clean_fields = obj.clean_fields
    obj.clean_fields = lambda exclude=None: clean_fields(exclude={*(exclude or ()), *trusted})
    try:
        obj.full_clean(exclude=list(exclude))
    finally:
        del obj.clean_fields


def audited_update(
    obj: Model,
    *,
    actor,
    data: Mapping[str, Any],
    fields: Iterable[str],
    audited: Iterable[str] | None = None,
    private: Iterable[str] = (),
    check: Callable[[Model], None] | None = None,
    exclude: Iterable[str] = ("district",),
    also: Mapping[str, list] | None = None,
):
    """Change the `fields` that `data` names, validate, save only the columns that changed and
    audit one UPDATE with the difference. Nothing changed: no save, no event.

    - `audited`: the fields whose values the trail keeps (default: `fields` but `private`).
    - `private`: text only the people it concerns read; the trail names the changed ones in
      its comment, never their content.
    - `check(obj)`: the service's own rules, on the row as it would be saved, before the
      model's validation.
    - `also`: changes made beside the fields (links, attendance), in the same event.
    """
    fields = list(fields)
    private = list(private)
    audited = [f for f in fields if f not in private] if audited is None else list(audited)
    stored, before = column_values(obj), trail.snapshot(obj, audited)
    hidden = [n for n in private if n in data and (data[n] or "") != (getattr(obj, n) or "")]
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    if check is not None:
        check(obj)
    validate(obj, exclude, trusted=known_keys(obj, stored))
    changes = {**trail.diff(before, trail.snapshot(obj, audited)), **(also or {})}
    columns = [name for name, value in column_values(obj).items() if stored[name] != value]
    if columns:
        auto = [f.attname for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
        obj.save(update_fields=[*columns, *auto])
    if changes or hidden:
        trail.record(
            district=getattr(obj, "district", obj),  # a district is its own
            actor=actor,
            action=trail.Action.UPDATE,
            obj=obj,
            changes=changes,
            comment=f"Changed: {', '.join(n.replace('_', ' ') for n in hidden)}" if hidden else "",
        )
    return obj


def links_set(
    obj: Model,
    links: Mapping[str, Iterable[Model] | None],
    *,
    created: bool = False,
    label: Callable[[Model], str] = str,
) -> dict[str, list]:
    """Set the many-to-many `links` named (None leaves one alone); the change of each, as
    sorted labels, for the audit trail."""
    changes = {}
    for name, rows in links.items():
        if rows is None:
            continue
        rows = list(rows)
        manager = getattr(obj, name)
        old = [] if created else sorted(label(r) for r in manager.all())
        if created:
            manager.add(*rows)  # a new row links to nothing yet: no need to read its links
        else:
            manager.set(rows)
        new = sorted(label(r) for r in rows)
        if old != new:
            changes[name] = [old or None, new]
    return changes


def audited_links(
    obj: Model,
    *,
    actor,
    links: Mapping[str, Iterable[Model] | None],
    created: bool = False,
    label: Callable[[Model], str] = str,
) -> dict[str, list]:
    """`links_set`, then one UPDATE event with the changes, when there are any."""
    changes = links_set(obj, links, created=created, label=label)
    if changes:
        trail.record(
            district=obj.district,
            actor=actor,
            action=trail.Action.UPDATE,
            obj=obj,
            changes=changes,
        )
    return changes
