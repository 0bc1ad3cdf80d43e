"""Small groups in Debian's chromium, driven by Playwright: a PLC facilitator records a meeting
with its protocol; the members read it and reflect; the principal finds the group flagged
overdue on the school's check-in view, logs a check-in, and sees the flag clear. Each page is
checked with axe and photographed into test-results/."""

from datetime import datetime, time, timedelta

import pytest

from cadre.tests.test_browser import _axe, _shot, _sign_in, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Grade 5 writing PLC"
AGENDA = "Look at the opinion-writing benchmark; choose one next move"
STUDENT_WORK = "26 opinion essays from two classes, names removed, scored on the unit rubric"
DECISIONS = "Teach counter-arguments with a shared mentor text"
NEXT_STEPS = "Each of us teaches the mini-lesson before the next meeting"
REFLECTION = "Sorting the essays by reason quality showed me my students skip the 'because'."
OTHER_REFLECTION = "The data dialogue kept us on what we saw, not on why, until the end."
ADJUSTMENTS = "Move the meeting to Thursdays so the reading specialist can join"
RESOURCES = "Two half-days of release time for scoring"


def _switch(page, live_server, staff):  # noqa: F811
    page.context.clear_cookies()
    _sign_in(page, live_server, staff)
    page.wait_for_url(f"{live_server.url}/")


def _main_nav(page, name: str):  # noqa: F811
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_facilitator_records_a_meeting_members_reflect_principal_checks_in(
    page,  # noqa: F811
    live_server,
    world,
):
    from playwright.sync_api import expect

    from cadre.collaboration.factories import new_group
    from cadre.collaboration.models import CheckIn, Group, Meeting, Reflection
    from cadre.districts.factories import staff_with_role
    from cadre.districts.models import Role

    district, school, year = world.a, world.obj("a.school"), world.obj("a.year")
    principal = world.obj("a.principal")

    def teacher(first, last):
        return staff_with_role(Role.TEACHER, school=school, first_name=first, last_name=last)

    facilitator = teacher("Dana", "Whitfield")
    luis, mei, sam = teacher("Luis", "Ortega"), teacher("Mei", "Tanaka"), teacher("Sam", "Reyes")
    group = new_group(
        facilitator=facilitator,
        year=year,
        school=school,
        members=[luis, mei, sam],
        name=GROUP,
        focus="Why do our writers give reasons without evidence?",
        schedule="Tuesdays, 3:15",
    )
    # Created six weeks ago and never checked in with: overdue (the district asks every 28 days).
    # At noon, local time, 42 of the district's days ago: "now minus 42 days" crossed a change
    # of summer time near midnight and was 41 of them.
    created = datetime.combine(district.today() - timedelta(days=42), time(12), district.tz)
    Group.objects.filter(pk=group.pk).update(created_at=created)

    # The facilitator records the meeting, with the data-driven dialogue protocol.
    _sign_in(page, live_server, facilitator)
    page.wait_for_url(f"{live_server.url}/")
    _main_nav(page, "Groups")
    page.get_by_role("heading", name="Groups", level=1).wait_for()
    _axe(page, "group list (facilitator)")
    _shot(page, "groups-list-facilitator")
    page.get_by_role("link", name=GROUP).click()
    page.get_by_role("heading", name=GROUP, level=1).wait_for()
    _axe(page, "group page (facilitator)")
    _shot(page, "groups-detail-facilitator")
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_role("heading", name=f"Record a meeting of {GROUP}").wait_for()
    page.get_by_label("Length (minutes)").fill("75")
    page.get_by_label("Agenda").fill(AGENDA)
    page.get_by_label("Protocol:").select_option("data_dialogue")
    present = page.get_by_role("group", name="Present")
    expect(present.get_by_label("Mei Tanaka")).to_be_checked()  # everyone, until unticked
    present.get_by_label("Sam Reyes").uncheck()
    page.get_by_label("Student work or data examined").fill(STUDENT_WORK)
    page.get_by_label("Decisions").fill(DECISIONS)
    page.get_by_label("Next steps").fill(NEXT_STEPS)
    # The protocol's steps are at hand beside the form.
    steps = page.get_by_role("complementary", name="Protocol steps")
    steps.locator("summary", has_text="Data-driven dialogue").click()
    expect(steps.get_by_text("Predictions")).to_be_visible()
    _axe(page, "meeting form")
    _shot(page, "groups-meeting-form")
    page.get_by_role("button", name="Save the meeting").click()
    page.get_by_text("Saved the meeting of").wait_for()
    page.get_by_role("heading", name=f"{GROUP}: meeting of", level=1).wait_for()
    expect(page.get_by_role("link", name="Data-driven dialogue")).to_be_visible()
    page.get_by_text("Absent").wait_for()
    _axe(page, "meeting page (facilitator)")
    _shot(page, "groups-meeting-facilitator")
    meeting = Meeting.objects.get(group=group)
    assert meeting.protocol == "data_dialogue" and meeting.minutes == 75
    assert meeting.decisions == DECISIONS and meeting.next_steps == NEXT_STEPS
    present_ids = set(meeting.attendance.filter(present=True).values_list("staff_id", flat=True))
    assert present_ids == {facilitator.pk, luis.pk, mei.pk}

    # A member finds the meeting waiting on their home page and reflects.
    _switch(page, live_server, luis)
    _axe(page, "member home")
    _shot(page, "groups-member-home")
    page.get_by_role("link", name="meeting awaiting your reflection").click()
    page.get_by_text(NEXT_STEPS).wait_for()
    page.get_by_label("Your reflection").fill(REFLECTION)
    _axe(page, "meeting page with the reflection form")
    page.get_by_role("button", name="Save your reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.get_by_role("heading", name="Reflections (1)").wait_for()
    page.get_by_role("article").get_by_text(REFLECTION).wait_for()
    _shot(page, "groups-meeting-reflected")

    # Another member reads the first reflection and adds theirs, from the group's page.
    _switch(page, live_server, mei)
    _main_nav(page, "Groups")
    page.get_by_role("link", name=GROUP).click()
    _axe(page, "group page (member)")
    page.get_by_role("region", name="Meetings (1)").get_by_role("link").first.click()
    page.get_by_role("article").get_by_text(REFLECTION).wait_for()
    page.get_by_label("Your reflection").fill(OTHER_REFLECTION)
    page.get_by_role("button", name="Save your reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    page.get_by_role("heading", name="Reflections (2)").wait_for()
    texts = set(Reflection.objects.filter(meeting=meeting).values_list("staff_id", "text"))
    assert texts == {(luis.pk, REFLECTION), (mei.pk, OTHER_REFLECTION)}

    # The principal's check-in view flags the group overdue; a check-in clears the flag.
    _switch(page, live_server, principal)
    _main_nav(page, "Groups")
    page.get_by_role("link", name="Check-ins").click()
    page.get_by_role("heading", name="Group check-ins", level=1).wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=GROUP, exact=True))
    expect(row.get_by_text("Overdue")).to_be_visible()
    expect(row.get_by_role("cell").nth(4)).to_have_text("42")
    overdue = page.locator(".card", has_text="overdue a check-in")
    expect(overdue.locator(".stat")).to_have_text("1")
    _axe(page, "check-in view (overdue)")
    _shot(page, "groups-check-ins-overdue")
    row.get_by_role("link", name=f"Log a check-in with {GROUP}").click()
    page.get_by_role("heading", name=f"Log a check-in with {GROUP}").wait_for()
    expect(page.get_by_label("Date")).to_have_value(district.today().isoformat())
    page.get_by_label("The group's needs have changed").check()
    page.get_by_label("Adjustments").fill(ADJUSTMENTS)
    page.get_by_label("Resources asked for").fill(RESOURCES)
    _axe(page, "check-in form")
    _shot(page, "groups-check-in-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name=f"Check-in with {GROUP}").wait_for()
    page.get_by_text(RESOURCES).wait_for()
    _axe(page, "check-in page")
    _shot(page, "groups-check-in")
    check_in = CheckIn.objects.get(group=group)
    assert check_in.by_id == principal.pk and check_in.needs_changed is True
    assert check_in.held_on == district.today() and check_in.adjustments == ADJUSTMENTS

    page.goto("/groups/check-ins/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=GROUP, exact=True))
    expect(row.get_by_text("On time")).to_be_visible()
    expect(row.get_by_text("Overdue")).to_have_count(0)
    expect(row.get_by_role("cell").nth(4)).to_have_text("0")
    expect(overdue.locator(".stat")).to_have_text("0")
    _axe(page, "check-in view (cleared)")
    _shot(page, "groups-check-ins-cleared")

    # The group's page says so too.
    row.get_by_role("link", name=GROUP, exact=True).click()
    page.get_by_role("region", name="Principal check-ins").get_by_text("On time").wait_for()
    _axe(page, "group page (principal)")
    _shot(page, "groups-detail-principal")
