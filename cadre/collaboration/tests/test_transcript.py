"""Group meetings on the transcript: a line for each meeting attended when the district credits
group time, by the catalogue's credit rules (a meeting under the minimum earns none), linking
to the meeting only for viewers who see it; one more query; and the page, CSV, PDF and API
carry the new kind."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.catalog.selectors import transcript as selectors
from cadre.collaboration.factories import meeting, new_group
from cadre.collaboration.services import groups as services
from cadre.districts.access import actor_for
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import login

pytestmark = pytest.mark.django_db
Kind = selectors.Kind
D = Decimal


@pytest.fixture
def on(world):
    district = world.a
    district.group_hours = True
    district.save()
    return district


def lines(viewer, staff):
    t = selectors.transcript(actor_for(viewer.user), staff)
    return [line for line in t.lines if line.kind == Kind.GROUP]


def test_no_group_lines_unless_the_district_credits_group_time(o):
    assert lines(o["teacher"], o["teacher"]) == []


def test_each_meeting_attended_earns_its_clock_hours(o, on):
    group = o["group"]
    meeting(group, minutes=90, present=[o["teacher"]])
    meeting(group, minutes=45)  # under the district's 60-minute minimum: none, and no line
    meeting(group, minutes=120, present=[o["new_teacher"]])  # the teacher was absent
    mine = lines(o["teacher"], o["teacher"])
    assert [line.clock_hours for line in mine] == [D("1.00"), D("1.50")]  # 60 and 90 minutes
    first = mine[0]
    assert first.title == "Grade 3 reading PLC (PLC)" and first.kind_label == "Group meeting"
    assert first.provider == on.name and first.category == "general"
    assert first.school_year == o["year"] and first.on == o["group_meeting"].held_on
    assert first.url == reverse("group-meeting-detail", args=[o["group_meeting"].pk])
    t = selectors.transcript(actor_for(o["teacher"].user), o["teacher"])
    assert t.totals.hours["general"] >= D("2.50")
    assert [line.clock_hours for line in lines(o["new_teacher"], o["new_teacher"])] == [
        D("1.00"),
        D("2.00"),
    ]


def test_the_line_links_only_for_viewers_who_see_the_meeting(o, on):
    elsewhere = new_group(
        facilitator=o["other_teacher"],
        year=o["year"],
        school=o["other_school"],
        members=[o["teacher"]],
        name="Science PLC",
    )
    meeting(elsewhere)
    by_title = {line.title: line.url for line in lines(o["principal"], o["teacher"])}
    assert by_title["Grade 3 reading PLC (PLC)"]  # the principal's school's group
    assert by_title["Science PLC (PLC)"] == ""  # another school's group: no link
    assert all(line.url for line in lines(o["admin"], o["teacher"]))
    assert all(line.url for line in lines(o["teacher"], o["teacher"]))


def _count(viewer, staff) -> int:
    actor = actor_for(viewer.user)
    with CaptureQueriesContext(connection) as ctx:
        selectors.transcript(actor, staff)
    return len(ctx.captured_queries)


def test_group_lines_cost_one_query_whatever_their_number(o, world):
    person = staff_with_role(Role.TEACHER, school=o["school"])
    services.member_add(group=o["group"], actor=None, staff=person)
    off = _count(o["principal"], person)
    district = world.a
    district.group_hours = True
    district.save()
    meeting(o["group"])
    on_count = _count(o["principal"], person)
    assert on_count == off + 1
    for days_ago in range(2, 8):
        meeting(o["group"], days_ago=days_ago)
    assert _count(o["principal"], person) == on_count
    assert len(lines(o["principal"], person)) == 7


def test_the_page_csv_pdf_and_api_carry_group_lines(client, o, on):
    teacher = login(client, o["teacher"])
    page = teacher.get(reverse("transcript")).content.decode()
    assert "Group meeting" in page and "Grade 3 reading PLC (PLC)" in page
    csv = teacher.get(reverse("transcript-csv")).content.decode()
    assert "Group meeting,Grade 3 reading PLC (PLC)" in csv
    pdf = teacher.get(reverse("transcript-pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    api = teacher.get("/api/v1/transcripts/").json()
    group = [line for line in api["lines"] if line["kind"] == "group"]
    assert [(line["title"], line["clock_hours"]) for line in group] == [
        ("Grade 3 reading PLC (PLC)", "1.00")
    ]
