"""Test helpers for small groups, each going through the services and keeping its rows in one
district."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.collaboration.models import Evidence, Group, Meeting
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.districts.models import School, SchoolYear, Staff

PDF = b"%PDF-1.4\n% student work, names removed\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def upload(name: str = "work.pdf", content: bytes = PDF, kind: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=kind)


def new_group(
    *,
    facilitator: Staff,
    year: SchoolYear,
    school: School | None = None,
    members: list[Staff] = (),
    actor=None,
    **data,
) -> Group:
    """A group made through the service: a PLC at `school` (None: cross-school)."""
    fields = {
        "name": "Test PLC",
        "kind": Group.Kind.PLC,
        "school": school,
        "school_year": year,
        "focus": "A student need",
        "facilitator": facilitator,
        "meeting_minutes": 60,
        "support": Group.Support.LEADER,
        **data,
    }
    return group_services.group_create(
        district=facilitator.district, actor=actor, data=fields, members=list(members)
    )


def meeting(
    group: Group,
    *,
    present: list[Staff] | None = None,
    days_ago: int = 1,
    minutes: int = 60,
    actor=None,
    **data,
) -> Meeting:
    """A held meeting; everyone present unless `present` says who was."""
    if present is None:
        present = [m.staff for m in group.memberships.select_related("staff")]
    return meeting_services.meeting_create(
        group=group,
        actor=actor,
        data={
            "held_on": group.district.today() - timedelta(days=days_ago),
            "minutes": minutes,
            "protocol": "tuning",
            **data,
        },
        present=present,
    )


def evidence(group: Group, *, students: int = 24, before="40", after="65", **data) -> Evidence:
    return evidence_services.evidence_add(
        group=group,
        actor=None,
        data={
            "measure": "Proficient on the unit CFA",
            "unit": "%",
            "before": before,
            "after": after,
            "students": students,
            **data,
        },
    )
