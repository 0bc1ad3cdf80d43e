"""Writes for look-for checklists: what implementation of a strategy or an offering looks
like in a classroom, as items in order that walkthroughs mark seen or not seen. An item already
marked is retired rather than deleted, so observations keep their record."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.coaching.models import LookFor, LookForItem, Mark
from cadre.coaching.services.common import _check_offering, _text
from cadre.core.errors import DomainError
from cadre.core.workflow import audited_update
from cadre.districts.models import District
from cadre.districts.services import _create

LOOK_FOR_FIELDS = ["title", "strategy", "offering", "is_active"]


@transaction.atomic
def look_for_create(
    *, district: District, actor, data: Mapping[str, Any], items: Sequence[str] = ()
) -> LookFor:
    """A look-for checklist (`data`: title, strategy, offering or None, is_active) with its
    items in order (blank lines are skipped)."""
    _check_offering(district, data.get("offering"))
    look_for = _create(
        LookFor, district=district, actor=actor, fields=LOOK_FOR_FIELDS, data=dict(data)
    )
    for text in items:
        if (text or "").strip():
            look_for_item_add(look_for=look_for, actor=actor, text=text)
    return look_for


@transaction.atomic
def look_for_update(*, look_for: LookFor, actor, data: Mapping[str, Any]) -> LookFor:
    if "offering" in data:
        _check_offering(look_for.district, data["offering"])
    return audited_update(look_for, actor=actor, fields=LOOK_FOR_FIELDS, data=dict(data))


def _item_text(text: str) -> str:
    clean = _text(text, field="text", limit=300)
    if not clean:
        raise DomainError("look_for.item_blank", "Say what to look for.", field="text")
    return clean


@transaction.atomic
def look_for_item_add(
    *, look_for: LookFor, actor, text: str, position: int | None = None
) -> LookForItem:
    """An item at the end of the list, or at `position` (the others make room)."""
    items = list(LookForItem.objects.filter(look_for=look_for).select_for_update())
    top = max((i.position for i in items), default=-1)
    if position is None or position > top:
        position = top + 1
    else:
        position = max(position, 0)
        for item in items:
            if item.position >= position:
                item.position += 1
        LookForItem.objects.bulk_update(items, ["position"])
    return _create(
        LookForItem,
        district=look_for.district,
        actor=actor,
        fields=["look_for", "position", "text"],
        data={"look_for": look_for, "position": position, "text": _item_text(text)},
    )


@transaction.atomic
def look_for_item_update(
    *, item: LookForItem, actor, text: str | None = None, is_active: bool | None = None
) -> LookForItem:
    """Reword an item (marks already made keep pointing at it), or retire / bring it back."""
    data: dict[str, Any] = {}
    if text is not None:
        data["text"] = _item_text(text)
    if is_active is not None:
        data["is_active"] = is_active
    return audited_update(item, actor=actor, fields=["text", "is_active"], data=data)


@transaction.atomic
def look_for_item_remove(*, item: LookForItem, actor) -> LookForItem | None:
    """Delete an item never marked (returns None). An item already marked in observations is
    kept for their record and retired instead (returned, is_active False)."""
    if Mark.objects.filter(item=item).exists():
        return audited_update(item, actor=actor, fields=["is_active"], data={"is_active": False})
    audit_event(district=item.district, actor=actor, action=AuditEvent.Action.DELETE, obj=item)
    item.delete()
    return None


@transaction.atomic
def look_for_items_reorder(*, look_for: LookFor, actor, order: Sequence[int]) -> list[LookForItem]:
    """Put the items in the order of `order` (item ids of this look-for, each once); items not
    named follow in their present order."""
    items = list(LookForItem.objects.filter(look_for=look_for).select_for_update())
    by_id = {i.pk: i for i in items}
    ids = [int(pk) for pk in order]
    if len(set(ids)) != len(ids) or not set(ids) <= set(by_id):
        raise DomainError(
            "look_for.order", "Name each item of this look-for once to reorder it.", field="order"
        )
    before = [i.pk for i in items]
    after = ids + [pk for pk in before if pk not in set(ids)]
    for position, pk in enumerate(after):
        by_id[pk].position = position
    LookForItem.objects.bulk_update(items, ["position"])
    if before != after:
        audit_event(
            district=look_for.district,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=look_for,
            changes={"item_order": [before, after]},
        )
    return sorted(items, key=lambda i: i.position)


def look_for_item_move(*, item: LookForItem, actor, up: bool) -> list[LookForItem]:
    """Swap an item with the one before (up) or after it."""
    ids = list(
        LookForItem.objects.filter(look_for_id=item.look_for_id).values_list("pk", flat=True)
    )
    at = ids.index(item.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(ids):
        ids[at], ids[to] = ids[to], ids[at]
    return look_for_items_reorder(look_for=item.look_for, actor=actor, order=ids)
