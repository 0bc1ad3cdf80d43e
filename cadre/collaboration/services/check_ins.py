"""Writes for school leaders' check-ins with groups, never dated in the future."""

from typing import Any

from django.db import transaction

from cadre.collaboration.models import CheckIn, Group
from cadre.collaboration.services.common import _locked, _not_future, _stripped
from cadre.core.errors import DomainError
from cadre.core.workflow import audited_create, audited_update
from cadre.districts.models import Staff
from cadre.districts.services import _check_same_district

CHECK_IN_FIELDS = ["held_on", "needs_changed", "adjustments", "resources"]
CHECK_IN_AUDITED = ["group", "held_on", "by", "needs_changed"]
CHECK_IN_TEXT = ["adjustments", "resources"]


@transaction.atomic
def check_in_create(*, group: Group, actor, by: Staff, data: dict[str, Any]) -> CheckIn:
    """A school leader's check-in with a group: its date (not in the future), whether the
    group's needs have changed, the adjustments and the resources asked for."""
    locked = _locked(group)
    _check_same_district(locked.district, by)
    data = _stripped(data, CHECK_IN_TEXT)
    if data.get("held_on") is None:
        raise DomainError(
            "group_check_in.date_required", "Give the check-in's date.", field="held_on"
        )
    _not_future(locked.district, data["held_on"], "group_check_in.future", "A check-in", "held_on")
    check_in = CheckIn(
        district=locked.district,
        group=locked,
        by=by,
        **{k: v for k, v in data.items() if k in CHECK_IN_FIELDS},
    )
    audited_create(check_in, actor=actor, audited=CHECK_IN_AUDITED)
    return check_in


@transaction.atomic
def check_in_update(*, check_in: CheckIn, actor, data: dict[str, Any]) -> CheckIn:
    _locked(check_in.group)
    data = _stripped(data, CHECK_IN_TEXT)
    if "held_on" in data:
        if data["held_on"] is None:
            raise DomainError(
                "group_check_in.date_required", "Give the check-in's date.", field="held_on"
            )
        _not_future(
            check_in.district, data["held_on"], "group_check_in.future", "A check-in", "held_on"
        )
    return audited_update(
        check_in,
        actor=actor,
        data=data,
        fields=CHECK_IN_FIELDS,
        audited=CHECK_IN_AUDITED,
        private=CHECK_IN_TEXT,
    )
