"""The mentor programme in Debian's chromium, driven by Playwright: the coordinator matches a
new teacher; the mentor logs a meeting; the new teacher reads it and reflects; the principal
sees that they met, never what was said. Each page is checked with axe and photographed into
test-results/."""

from datetime import timedelta

import pytest

from cadre.tests.test_browser import _axe, _shot, _sign_in, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS = "Routines for the first ten minutes of class"
REFLECTION = "The do-now worked in period 3; period 5 needs a shorter one."


def _switch(page, live_server, staff):  # noqa: F811
    page.context.clear_cookies()
    _sign_in(page, live_server, staff)
    page.wait_for_url(f"{live_server.url}/")


def test_coordinator_matches_mentor_logs_mentee_reflects_principal_sees_counts(
    page,  # noqa: F811
    live_server,
    world,
):
    from playwright.sync_api import expect

    from cadre.districts.factories import staff_with_role
    from cadre.districts.models import Role
    from cadre.mentoring.models import Log, Match

    district = world.a
    school = world.obj("a.school")
    mentor, principal = world.obj("a.teacher"), world.obj("a.principal")
    fund = world.obj("a.mentoring_fund")
    coordinator = staff_with_role(
        Role.MENTOR_COORDINATOR, district=district, first_name="Corinne", last_name="Ames"
    )
    mentee = staff_with_role(
        Role.TEACHER,
        school=school,
        first_name="Noor",
        last_name="Haddad",
        contracted_days=12,
        substitute_days=30,
        hire_date=district.today() - timedelta(days=5),
    )

    # The coordinator finds the new teacher, picks the top suggestion and confirms it.
    _sign_in(page, live_server, coordinator)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring").click()
    page.get_by_role("heading", name="Mentoring", level=1).wait_for()
    _axe(page, "coordinator mentoring home")
    _shot(page, "mentoring-coordinator-home")
    page.get_by_role("link", name="New teachers").click()
    _axe(page, "new teachers")
    _shot(page, "mentoring-new-teachers")
    page.get_by_role("link", name="Noor Haddad").click()
    page.get_by_text("42 days: 12 contracted + 30 substitute").wait_for()
    _axe(page, "new teacher's programme page")
    _shot(page, "mentoring-person")
    page.get_by_role("link", name="Propose a mentor").click()
    page.get_by_role("row", name=mentor.full_name).get_by_role("link", name="Choose").click()
    expect(page.get_by_label("Mentor")).to_have_value(str(world.obj("a.mentor").pk))
    page.get_by_label("Fund that pays the stipends").select_option(str(fund.pk))
    page.get_by_label("Why this pairing").fill("Same school and subject.")
    _axe(page, "propose")
    _shot(page, "mentoring-propose")
    page.get_by_role("button", name="Propose").click()
    page.get_by_role("heading", name="Confirm the match").wait_for()
    page.get_by_role("button", name="Confirm").click()
    page.get_by_text(f"now mentors {mentee.full_name}").wait_for()
    _axe(page, "match page (coordinator)")
    _shot(page, "mentoring-match-coordinator")
    match = Match.objects.get(mentee=mentee)
    assert match.status == Match.Status.ACTIVE and match.source == fund

    # The mentor logs their first meeting.
    _switch(page, live_server, mentor)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring").click()
    page.get_by_role("row", name=mentee.full_name).get_by_role("link", name="Log a contact").click()
    page.get_by_label("Minutes").fill("50")
    page.get_by_label("Planning").check()
    page.get_by_label("Focus").fill(FOCUS)
    page.get_by_label("Next steps").fill("Try a do-now; I observe on Thursday.")
    _axe(page, "log form")
    _shot(page, "mentoring-log-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Planning").wait_for()
    assert Log.objects.filter(match=match, focus=FOCUS, minutes=50).exists()

    # The new teacher reads it and reflects.
    _switch(page, live_server, mentee)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Mentoring").click()
    page.get_by_role("heading", name="Your mentor").wait_for()
    _axe(page, "mentee mentoring home")
    _shot(page, "mentoring-mentee-home")
    page.get_by_role("link", name=mentor.full_name).click()
    page.locator("table").get_by_role("link").first.click()
    page.get_by_text(FOCUS).wait_for()
    page.get_by_label("Your reflection").fill(REFLECTION)
    _axe(page, "log with reflection form")
    page.get_by_role("button", name="Save the reflection").click()
    page.get_by_text("Your reflection is saved.").wait_for()
    _shot(page, "mentoring-log-reflected")
    assert Log.objects.get(match=match).reflection == REFLECTION

    # The principal sees that they met, and nothing of what was said.
    _switch(page, live_server, principal)
    page.goto(match.get_absolute_url())
    page.get_by_text("The log is confidential to the mentor and the new teacher").wait_for()
    page.get_by_text("1 contact, 0.8 h").first.wait_for()
    body = page.content()
    assert FOCUS not in body and REFLECTION not in body and "do-now" not in body
    _axe(page, "match page (principal)")
    _shot(page, "mentoring-match-principal")
    log = Log.objects.get(match=match)
    assert page.goto(log.get_absolute_url()).status == 404
