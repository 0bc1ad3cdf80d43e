"""The audit log renders every event any writer can store, in plain words."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.text import capfirst

from cadre.audit.models import AuditEvent
from cadre.growth.models import ProfessionalGoal

# Every model in Cadre: any of them may be audited (writers store obj._meta.label_lower).
MODELS = sorted(
    (m for m in apps.get_models() if m.__module__.startswith("cadre.")),
    key=lambda m: m._meta.label_lower,
)
LONG = "x" * 5000

# The shapes writers store in `changes` (see the services' audit_event and audit_many calls).
SHAPES = [
    {"items": [None, 4]},  # the demo's look-fors: a key that is also a dict method
    {"items": ["a", "b", "c"], "values": {"keys": 1}, "get": None},
    {"staff": {"created": 3, "updated": 2, "deactivated": {"by hand": [1, 2]}}},  # importers
    {"roles": [None, ["teacher", "principal"]], "schools": [["A"], ["A", "B"]]},
    {"amount": ["10.00", str(Decimal("12.50"))], "minutes": [None, 90], "rate": [1.5, 2]},
    {"closed_on": [None, "2026-03-04"], "at": ["2026-03-04T10:30:00+00:00", None]},
    {"active": [True, False], "note": [LONG, ""]},
    {"token": ["(revoked)", "(new)"], "activity added": [None, "Summer institute"]},
    {"lonely": [1], "triple": [1, 2, 3], "nothing": None, "zero": 0},
]
ODD = [["a", "b"], "just text", 7]  # not a dict at all: still rendered, never a 500


@pytest.fixture
def admin(client, world):
    client.force_login(world.obj("a.admin").user, backend="cadre.accounts.backends.StaffBackend")
    return client


def _event(world, object_type="coaching.lookfor", **fields) -> AuditEvent:
    return AuditEvent.objects.create(
        district=world.a,
        action=fields.pop("action", AuditEvent.Action.UPDATE),
        object_type=object_type,
        object_id=fields.pop("object_id", "1"),
        object_repr=fields.pop("object_repr", "A record"),
        **fields,
    )


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_demos_look_for_event_renders(admin, world):
    _event(world, changes={"title": [None, "Wait time"], "items": [None, 4]})
    for query in ({"type": "coaching.lookfor"}, {"object": "1"}):
        body = _text(admin.get("/audit/", query))
        assert "<strong>Items</strong>: — → 4" in body
        assert "Wait time" in body


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label_lower)
def test_every_type_and_every_shape_renders_in_plain_words(admin, world, model):
    kind = model._meta.label_lower
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    diff = {f.name: [None, "x"] for f in fields}
    for changes in [diff, *SHAPES, *ODD]:
        _event(
            world,
            kind,
            changes=changes,
            from_state="draft",
            to_state="in_progress",
            object_id="audit-probe",
        )
    body = _text(admin.get("/audit/", {"type": kind, "object": "audit-probe"}))
    assert body.count("<tr>") == 1 + len(SHAPES) + len(ODD) + 1  # the header row too
    for f in fields:
        assert f"<strong>{escape(capfirst(f.verbose_name))}</strong>" in body
    labels = re.findall(r"<strong>([^<]*)</strong>", body)
    assert not [label for label in labels if "_" in label], labels  # no raw field names
    assert kind not in re.sub(r'value="[^"]*"', "", body)  # the type in words, not its code
    assert "2026-03-04" not in body and "March 4, 2026" in body  # no ISO dates
    assert LONG not in body and "x" * 150 in body  # long values are cut short
    assert "in_progress" not in body


def test_states_and_fields_use_the_models_labels(admin, world):
    status = ProfessionalGoal._meta.get_field("status")
    choices = dict(status.flatchoices)
    before, after = list(choices)[:2]
    _event(
        world,
        "growth.professionalgoal",
        action=AuditEvent.Action.TRANSITION,
        from_state=before,
        to_state=after,
        changes={"status": [before, after]},
    )
    body = _text(admin.get("/audit/"))
    pair = f"{escape(choices[before])} → {escape(choices[after])}"
    assert f"<p>{pair}</p>" in body
    assert f"<strong>{escape(capfirst(status.verbose_name))}</strong>: {pair}" in body
    assert escape(capfirst(ProfessionalGoal._meta.verbose_name)) in body


def test_the_type_filter_names_types_in_words(admin, world):
    _event(world, "coaching.lookfor")
    body = _text(admin.get("/audit/"))
    assert re.search(r'<option value="coaching.lookfor"[^>]*>Look.?for', body, re.I), body


def test_events_written_in_bulk_render(admin, world):
    from cadre.audit.services import audit_many

    audit_many(
        district=world.a,
        actor=None,
        events=[
            {
                "action": AuditEvent.Action.IMPORT,
                "object_type": "districts.staff",
                "object_id": str(n),
                "object_repr": f"Person {n}",
                "changes": changes,
            }
            for n, changes in enumerate(SHAPES)
        ],
    )
    body = _text(admin.get("/audit/", {"type": "districts.staff"}))
    assert "Person 0" in body and "<strong>Staff</strong>: Created: 3" in body


def test_the_page_reads_the_same_queries_however_many_events(admin, world):
    _event(world, changes=SHAPES[0])
    with CaptureQueriesContext(connection) as one:
        admin.get("/audit/")
    for changes in SHAPES * 4:
        _event(world, changes=changes)
    with CaptureQueriesContext(connection) as many:
        admin.get("/audit/")
    assert len(many) == len(one)


def test_references_show_names_from_the_district_never_ids(admin, world):
    teacher, school = world.obj("a.teacher"), world.obj("a.school")
    elsewhere = world.obj("b.school")
    cycle = world.obj("a.cycle")
    _event(
        world,
        "coaching.observation",
        changes={
            "teacher": [None, teacher.pk],
            "school": [elsewhere.pk, school.pk],  # another district's id: never its name
            "cycle": [None, cycle.pk],  # not a directory record: its kind, never its name
        },
    )
    with CaptureQueriesContext(connection) as queries:
        body = _text(admin.get("/audit/", {"type": "coaching.observation"}))
    assert f"<strong>Teacher</strong>: — → {escape(str(teacher))}" in body
    assert f"<strong>School</strong>: a school → {escape(school.name)}" in body
    assert "<strong>Cycle</strong>: — → a cycle" in body
    assert escape(elsewhere.name) not in body
    assert not re.search(rf"→ ({teacher.pk}|{school.pk}|{cycle.pk})\b", body)
    assert len(queries) < 20
