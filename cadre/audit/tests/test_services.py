"""audit_event writes the row Model.save() would: every field, its key, and one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event

pytestmark = pytest.mark.django_db

CHANGES = [
    None,
    {"items": [None, 4], "amount": ["10.00", "12.50"], "rate": [1.5, 2]},
    {"note": ["", "Unicode — “quotes” and a \\ backslash\nand a newline"], "ok": [True, False]},
]


@pytest.mark.parametrize("changes", CHANGES)
def test_an_event_reads_back_as_it_was_written(world, changes):
    admin = world.obj("a.admin")
    assert admin.user.person and str(admin)  # the actor's name and the object's, read first
    before = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        event = audit_event(
            district=world.a,
            actor=admin.user,
            action=AuditEvent.Action.TRANSITION,
            obj=admin,
            changes=changes,
            from_state="draft",
            to_state="submitted",
            comment="Sent — with a note\nover two lines",
        )
    assert len(queries) == 1
    assert event.pk and not event._state.adding and before <= event.at <= timezone.now()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.district_id == world.a.pk and stored.actor_id == admin.user.pk
    assert stored.actor_name == admin.full_name and stored.at == event.at
    assert (stored.action, stored.from_state, stored.to_state) == (
        "transition",
        "draft",
        "submitted",
    )
    assert (stored.object_type, stored.object_id) == ("districts.staff", str(admin.pk))
    assert stored.object_repr == str(admin) and stored.comment == event.comment
    assert stored.changes == (changes or {})


def test_an_unsaved_event_writes_nothing(world):
    with CaptureQueriesContext(connection) as queries:
        event = audit_event(district=world.a, actor=None, action="create", obj=world.a, save=False)
    assert event.pk is None and not queries
    assert event.actor_name == "system"


def test_events_get_increasing_keys(world):
    made = [
        audit_event(district=world.a, actor=None, action="update", obj=world.a).pk for _ in range(3)
    ]
    assert made == sorted(made) and len(set(made)) == 3
