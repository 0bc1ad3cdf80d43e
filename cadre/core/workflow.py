"""The two steps of every workflow transition: lock the row in an allowed state, then move it
and audit the move. Services compose these, so each transition reads as its rule."""

from django.db.models import Model

from cadre.core import trail
from cadre.core.errors import Conflict


def lock(obj: Model, *allowed: str, code: str, verb: str, related: tuple[str, ...] = ()):
    """The row, locked for this transaction, or Conflict if its status is not in `allowed`.

    `verb` completes "cannot … it": the refusal says why in words."""
    model = type(obj)
    locked = model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)
    if locked.status not in allowed:
        raise Conflict(
            code,
            f"This {model._meta.verbose_name} is {locked.get_status_display().lower()}; "
            f"you cannot {verb} it.",
        )
    return locked


def move(obj: Model, *, actor, to: str, note: str = "", **fields):
    """Set the new status and any fields that go with it, save, and audit the transition with
    `note` as its comment."""
    before = obj.status
    obj.status = to
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    trail.record(
        district=obj.district,
        actor=actor,
        action=trail.Action.TRANSITION,
        obj=obj,
        from_state=before,
        to_state=to,
        comment=note,
    )
    return obj
