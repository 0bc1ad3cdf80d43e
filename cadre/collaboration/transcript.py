"""Group meetings on the transcript: when the district credits group time
(`district.group_hours`), each meeting a person was marked present at earns its minutes as
clock hours by the catalogue's credit rules, on its own, in the general category, from the
district. A meeting shorter than the district's minimum earns none and puts no line. The
line links to the meeting when the viewer may see it. One query, whatever the number of
meetings (none when the district does not credit group time)."""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from cadre.catalog.credit import clock_hours
from cadre.catalog.models import Category
from cadre.catalog.selectors.transcript import Kind, Line, register_lines
from cadre.collaboration.models import Attendance, Meeting
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import District, Staff


def group_lines(actor: Actor, district: District, staff: Staff) -> list[Line]:
    if not district.group_hours:
        return []
    rows = (
        Attendance.objects.filter(district=district, staff=staff, present=True)
        .select_related("meeting__group__school_year")
        .order_by("meeting__held_on", "meeting_id")
    )
    if not actor.is_district_admin:
        seen = access.visible(actor, Meeting).filter(pk=OuterRef("meeting_id"))
        rows = rows.annotate(opens=Exists(seen))
    lines = []
    for row in rows:
        meeting = row.meeting
        group = meeting.group
        hours = clock_hours(district, meeting.minutes, offering_minutes=meeting.minutes)
        if not hours:
            continue
        opens = actor.is_district_admin or row.opens
        lines.append(
            Line(
                kind=Kind.GROUP,
                on=meeting.held_on,
                school_year=group.school_year,
                title=f"{group.name} ({group.short_kind})",
                provider=district.name,
                category=Category.GENERAL,
                clock_hours=hours,
                url=reverse("group-meeting-detail", args=[meeting.pk]) if opens else "",
            )
        )
    return lines


register_lines(group_lines)
