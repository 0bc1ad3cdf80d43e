"""The audit log in plain words.

An event's `changes` is whatever its writer stored: usually {field: [before, after]}, but also
counts ({"items": [None, 4]}), tallies ({"staff": {"created": 3}}), lists, numbers and None.
Reading it here, in Python, means a key such as "items" or "values" is data, never a method
a template might look up, and every value is turned into words the same way.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from cadre.audit.models import AuditEvent
from cadre.districts.models import District

LONG = 200  # characters of one value shown; the rest is elided
NOTHING = "—"

Names = dict[tuple[type, int], str]  # (model, id) → the name shown


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: a value, not a change from one value to another
    after: str


@dataclass(frozen=True)
class Entry:
    event: AuditEvent
    kind: str
    from_state: str
    to_state: str
    changes: list[Change]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _words(code: str) -> str:
    """A code or key in words: "grade_bands" → "Grade bands"."""
    return capfirst(str(code).replace("_", " ").replace(".", " ").strip()) or NOTHING


def type_label(object_type: str) -> str:
    model = _model(object_type)
    return capfirst(model._meta.verbose_name) if model else _words(object_type)


def _field(model, name: str):
    try:
        return model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None


def _label(model, key: str) -> str:
    field = _field(model, key)
    name = getattr(field, "verbose_name", None)
    return capfirst(name) if name else _words(key)


def state_label(object_type: str, value: str) -> str:
    if not value:
        return ""
    choices = dict(getattr(_field(_model(object_type), "status"), "flatchoices", None) or [])
    return str(choices.get(value) or _words(value))


def _short(text: str) -> str:
    return text if len(text) <= LONG else text[: LONG - 1].rstrip() + "…"


def _when(text: str) -> str | None:
    """An ISO date or date-time, as writers store them, in plain words."""
    if len(text) < 10 or not text[:4].isdigit() or text[4:5] != "-":
        return None
    try:
        moment = parse_datetime(text) if len(text) > 10 else None
        day = parse_date(text) if len(text) == 10 else None
    except ValueError:
        return None
    if moment:
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return format_date(moment, "N j, Y H:i")
    return format_date(day, "N j, Y") if day else None


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(value: Any) -> Iterator[int]:
    if _is_id(value):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _ids(item)


def _related(field):
    """The model a field refers to by id (a foreign key or many-to-many of its own; a reverse
    relation's name, like a look-for's "items", holds a count, not an id)."""
    if getattr(field, "is_relation", False) and not field.auto_created:
        return field.related_model
    return None


def names(events) -> Names:
    """The names of the district's people, schools, programs and years that the events'
    changes refer to by id, one query per kind. Other records are never named: their names
    are not the audit log's to show (a coaching cycle's belongs to the pair)."""
    wanted: dict[tuple[type, int], set[int]] = defaultdict(set)
    for event in events:
        if not isinstance(event.changes, dict):
            continue
        model = _model(event.object_type)
        for key, value in event.changes.items():
            related = _related(_field(model, key))
            if related is not None and related._meta.app_label == "districts":
                wanted[related, event.district_id].update(_ids(value))
    found: Names = {}
    for (related, district_id), ids in wanted.items():
        rows = related._base_manager.filter(pk__in=ids)
        if related is District:
            rows = rows.filter(pk=district_id)
        elif _field(related, "district") is not None:
            rows = rows.filter(district_id=district_id)
        elif _field(related, "school") is not None:
            rows = rows.filter(school__district_id=district_id)
        else:
            continue
        found.update(((related, row.pk), str(row)) for row in rows)
    return found


def value_words(value: Any, field=None, known: Names | None = None) -> str:
    """One stored value in words, whatever its shape. A reference to another record is its
    name when `known` has it, and otherwise the kind of record, never its id."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    related = _related(field)
    if related is not None and _is_id(value):
        kind = str(related._meta.verbose_name)
        article = "an" if kind[:1].lower() in "aeiou" else "a"
        return (known or {}).get((related, value)) or f"{article} {kind}"
    choices = dict(getattr(field, "flatchoices", None) or [])
    if isinstance(value, dict):
        return _short("; ".join(f"{_words(k)}: {value_words(v)}" for k, v in value.items()))
    if isinstance(value, list | tuple):
        return _short(", ".join(value_words(v, field, known) for v in value))
    if isinstance(value, date | datetime):
        return format_date(value, "N j, Y H:i" if isinstance(value, datetime) else "N j, Y")
    if isinstance(value, int | float):
        if isinstance(value, int) and value in choices:
            return str(choices[value])
        return f"{value:,}"
    text = str(value)
    if text in choices:
        return str(choices[text])
    return _when(text) or _short(text)


def changes(event: AuditEvent, known: Names | None = None) -> list[Change]:
    """The event's changes as rows of words: a label, and the value before (if it changed from
    one) and after."""
    data = event.changes
    if data in (None, "", [], {}):
        return []
    if not isinstance(data, dict):
        return [Change("Details", None, value_words(data))]
    model = _model(event.object_type)
    rows = []
    for key, value in data.items():
        field = _field(model, key)
        label = _label(model, key)
        if isinstance(value, list | tuple) and len(value) == 2:
            before, after = value
            rows.append(
                Change(label, value_words(before, field, known), value_words(after, field, known))
            )
        else:
            rows.append(Change(label, None, value_words(value, field, known)))
    return rows


def entries(events) -> list[Entry]:
    events = list(events)
    known = names(events)
    return [
        Entry(
            event=e,
            kind=type_label(e.object_type),
            from_state=state_label(e.object_type, e.from_state),
            to_state=state_label(e.object_type, e.to_state),
            changes=changes(e, known),
        )
        for e in events
    ]
