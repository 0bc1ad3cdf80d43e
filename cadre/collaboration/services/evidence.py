"""Writes for a group's student-learning evidence at cycle end. Evidence counts at least one
student; its figures are shown only for `district.min_group_size` students or more
(selectors).
"""

from decimal import Decimal
from typing import Any

from django.db import transaction

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.collaboration.models import Evidence, Group
from cadre.collaboration.services.common import _locked, _stripped
from cadre.core.errors import DomainError
from cadre.districts.models import Staff
from cadre.districts.services import _check_same_district, _create

EVIDENCE_FIELDS = ["measure", "unit", "before", "after", "students", "note"]


def _decimal(value, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except Exception as exc:  # InvalidOperation, TypeError
        raise DomainError("evidence.number", "Give a number.", field=field) from exc
    if not number.is_finite():
        raise DomainError("evidence.number", "Give a number.", field=field)
    return number


@transaction.atomic
def evidence_add(
    *, group: Group, actor, data: dict[str, Any], recorded_by: Staff | None = None
) -> Evidence:
    """A student-learning measure at cycle end: `measure`, `unit`, `before`, `after`, the
    number of `students` measured (at least one) and a note. Aggregated figures only."""
    locked = _locked(group)
    data = _stripped(data, ["measure", "unit", "note"])
    try:
        students = int(data.get("students"))
    except (TypeError, ValueError):
        students = 0
    data["students"] = students
    if students < 1:
        raise DomainError(
            "evidence.students",
            "Give the number of students measured (at least 1).",
            field="students",
        )
    for name in ("before", "after"):
        if data.get(name) is None:
            raise DomainError("evidence.number", "Give a number.", field=name)
        data[name] = _decimal(data[name], name)
    _check_same_district(locked.district, recorded_by)
    return _create(
        Evidence,
        district=locked.district,
        actor=actor,
        fields=[*EVIDENCE_FIELDS, "group", "recorded_by"],
        data={**data, "group": locked, "recorded_by": recorded_by},
    )


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    _locked(evidence.group)
    audit_event(
        district=evidence.district, actor=actor, action=AuditEvent.Action.DELETE, obj=evidence
    )
    evidence.delete()
