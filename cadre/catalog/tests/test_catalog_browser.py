"""Browser journeys through the catalogue, in Debian's chromium driven by Playwright: a teacher
finds a live online offering, is waitlisted, promoted, checks in, completes and downloads the
certificate; a facilitator takes attendance on a tablet; a principal assigns a whole-group
session to their school. Every main page is checked with axe and photographed into
test-results/."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from cadre.tests.test_browser import _axe, _shot, _sign_in, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def _context_page(browser, live_server, viewport=None):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport or {"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return context, tab


def _live_online_session(world):
    """A published live online offering with a one-seat session whose only meeting began five
    minutes ago (so check-in is open), its seat taken by the program teacher."""
    from cadre.catalog.factories import OfferingFactory, SessionFactory, add_meeting
    from cadre.catalog.models import Offering
    from cadre.catalog.services.registration import registration_create

    district = world.a
    offering = OfferingFactory(
        district=district,
        title="Math talk moves online",
        description="Live webinar series on discourse in the math classroom.",
        format=Offering.Format.LIVE_ONLINE,
        partner=world.obj("a.partner"),
    )
    offering.focus_areas.add(world.obj("a.focus_area"))
    session = SessionFactory(
        district=district,
        offering=offering,
        school_year=world.obj("a.year"),
        name="Evening cohort",
        capacity=1,
    )
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=5)
    meeting = add_meeting(
        session, start=start, minutes=90, join_url="https://meet.example.org/math-talk"
    )
    other = world.obj("a.program_teacher")
    seat = registration_create(session=session, staff=other, actor=other.user)
    return offering, session, meeting, seat


def test_teacher_is_waitlisted_promoted_checks_in_completes_and_gets_the_certificate(
    browser,  # noqa: F811
    page,  # noqa: F811
    live_server,
    world,
):
    from playwright.sync_api import expect

    from cadre.catalog.models import Completion, Meeting, Registration, Session
    from cadre.catalog.services.registration import registration_cancel

    teacher, admin = world.obj("a.teacher"), world.obj("a.admin")
    offering, session, meeting, seat = _live_online_session(world)

    # Find it: search and the format filter.
    _sign_in(page, live_server, teacher)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue").click()
    page.get_by_role("heading", name="Catalogue", level=1).wait_for()
    _axe(page, "catalogue")
    _shot(page, "catalog-teacher")
    page.get_by_label("Search", exact=True).fill("math talk")
    page.get_by_label("Format").select_option("live_online")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**/catalog/?*format=live_online*")
    results = page.get_by_role("table")
    expect(results.get_by_role("link", name=offering.title)).to_be_visible()
    expect(results.get_by_role("link", name="Guided reading")).to_have_count(0)  # in person
    _axe(page, "catalogue filtered")
    _shot(page, "catalog-filtered")

    results.get_by_role("link", name=offering.title).click()
    page.get_by_role("heading", name=offering.title).wait_for()
    expect(page.get_by_text("Live online or webinar")).to_be_visible()
    _axe(page, "offering")
    _shot(page, "offering-live-online")

    # One seat, already taken: the teacher joins the waitlist.
    page.get_by_role("link", name="Evening cohort").click()
    page.get_by_role("heading", name=str(session)).wait_for()
    panel = page.locator("section[aria-labelledby='registration-h']")
    expect(panel).to_contain_text("0 of 1")
    _axe(page, "full session")
    _shot(page, "session-full")
    panel.get_by_role("button", name="Join the waitlist").click()
    page.get_by_text("The session is full: you are number 1 on the waitlist.").wait_for()
    expect(panel).to_contain_text("Waitlisted: number 1")
    reg = Registration.objects.get(session=session, staff=teacher)
    assert (reg.status, reg.position) == (Registration.Status.WAITLISTED, 1)
    _axe(page, "waitlisted")
    _shot(page, "session-waitlisted")

    # The other person cancels; the teacher moves up.
    registration_cancel(registration=seat, actor=seat.staff.user)
    page.reload()
    expect(panel).to_contain_text("Registered")
    expect(panel).not_to_contain_text("Waitlisted")
    reg.refresh_from_db()
    assert (reg.status, reg.position) == (Registration.Status.REGISTERED, None)
    _shot(page, "session-promoted")

    # The meeting is under way: check in with the code shown in the room.
    panel.get_by_role("link", name="Your registration").click()
    page.get_by_role("link", name="Check in at a meeting").click()
    page.get_by_role("heading", name="Check in").wait_for()
    _axe(page, "check-in")
    page.get_by_label("Check-in code").fill("ZZZZZZ")
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("No meeting has the code ZZZZZZ").wait_for()  # a clear refusal
    _axe(page, "check-in refused")
    _shot(page, "checkin-refused")
    page.get_by_label("Check-in code").fill(meeting.checkin_code.lower())
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("You are checked in.").wait_for()
    page.get_by_text("Present, 90 credited minutes").wait_for()
    _axe(page, "checked in")
    _shot(page, "checkin-done")
    assert reg.attendance.get().minutes == 90

    # Time passes: the meeting is over, and the PD office closes the session.
    shift = timedelta(hours=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    Session.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift
    )
    office_context, office = _context_page(browser, live_server)
    _sign_in(office, live_server, admin)
    office.goto(f"/catalog/sessions/{session.pk}/roster/")
    office.get_by_role("heading", name="Close the session").wait_for()
    _axe(office, "roster to close")
    _shot(office, "roster-to-close")
    office.get_by_role("button", name="Close session and award credit").click()
    office.get_by_text("Session closed; credit awarded to 1.").wait_for()
    _axe(office, "closed roster")
    _shot(office, "roster-closed")
    office_context.close()
    reg.refresh_from_db()
    assert reg.status == Registration.Status.COMPLETED
    completion = Completion.objects.get(registration=reg)
    assert str(completion.clock_hours) == "1.50"

    # The certificate, from "My learning".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    page.get_by_role("heading", name="My learning", level=1).wait_for()
    _axe(page, "my learning")
    _shot(page, "my-learning-completed")
    past = page.locator("section[aria-labelledby='past-h']")
    past.get_by_role("link", name=str(session)).click()
    page.get_by_role("heading", name=str(session)).wait_for()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    _axe(page, "completed registration")
    _shot(page, "registration-completed")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    download = info.value
    assert download.suggested_filename == f"certificate-{completion.code}.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # Anyone can verify it, and sees only the name, offering, hours and date.
    public_context, public = _context_page(browser, live_server)
    public.goto("/catalog/verify/")
    _axe(public, "verify form")
    public.get_by_label("Verification code").fill(completion.code)
    public.get_by_role("button", name="Verify").click()
    public.get_by_text("This certificate is genuine.").wait_for()
    facts = public.locator(".checkin-result dl")
    expect(facts).to_contain_text(teacher.full_name)
    expect(facts).to_contain_text(offering.title)
    expect(facts).to_contain_text("1.5")
    expect(facts).not_to_contain_text(teacher.user.email)
    _axe(public, "verified")
    _shot(public, "certificate-verified")
    public_context.close()


def test_facilitator_takes_attendance_on_a_tablet(browser, live_server, world):  # noqa: F811
    from playwright.sync_api import expect

    from cadre.catalog.models import Attendance

    facilitator = world.obj("a.other_teacher")
    session, meeting = world.obj("a.session"), world.obj("a.meeting")
    teacher = world.obj("a.teacher")
    context, tablet = _context_page(browser, live_server, TABLET)
    _sign_in(tablet, live_server, facilitator)

    tablet.goto(f"/catalog/sessions/{session.pk}/roster/")
    tablet.get_by_text(meeting.checkin_code, exact=True).wait_for()
    _axe(tablet, "roster")
    _shot(tablet, "roster-tablet")
    row = tablet.locator(f"#reg-{world.obj('a.registration').pk}")
    row.get_by_role("button", name=teacher.full_name).click()
    expect(row.locator(".roster-state")).to_have_text("✓ Present")
    expect(tablet.locator("#roster-counts")).to_contain_text("1 present")
    assert tablet.url.endswith(f"/catalog/sessions/{session.pk}/roster/")  # swapped, not reloaded
    a = Attendance.objects.get(meeting=meeting, registration__staff=teacher)
    assert (a.present, a.minutes) == (True, meeting.minutes)
    _axe(tablet, "roster marked")
    _shot(tablet, "roster-tablet-marked")

    tablet.locator(f"#reg-{a.registration_id}").get_by_role(
        "button", name=teacher.full_name
    ).click()
    expect(tablet.locator(f"#reg-{a.registration_id} .roster-state")).to_have_text("✗ Absent")
    expect(tablet.locator("#roster-counts")).to_contain_text("1 absent")
    a.refresh_from_db()
    assert not a.present
    context.close()


def test_principal_assigns_a_whole_group_session_to_their_school(
    browser,  # noqa: F811
    page,  # noqa: F811
    live_server,
    world,
):
    from playwright.sync_api import expect

    from cadre.catalog.factories import OfferingFactory, SessionFactory, add_meeting
    from cadre.catalog.models import Registration, SessionAssignment
    from cadre.catalog.services.registration import assignable_staff

    principal, teacher, school = (
        world.obj("a.principal"),
        world.obj("a.teacher"),
        world.obj("a.school"),
    )
    offering = OfferingFactory(district=world.a, title="Trauma-informed classrooms")
    session = SessionFactory(
        district=world.a,
        offering=offering,
        school_year=world.obj("a.year"),
        name="All-staff day",
        location="Library",
        capacity=40,
    )
    add_meeting(session, start=timezone.now().replace(microsecond=0) + timedelta(days=10))
    expected = len(assignable_staff(session=session, school=school))
    assert expected >= 1

    _sign_in(page, live_server, principal)
    page.goto(session.get_absolute_url())
    page.get_by_role("heading", name=str(session)).wait_for()
    _axe(page, "session for the principal")
    _shot(page, "session-principal")
    page.get_by_role("link", name="Assign to my school or program").click()
    page.get_by_role("heading", name=f"Assign {session}").wait_for()
    _axe(page, "assign form")
    page.get_by_label("Assign to the staff of").select_option(label=f"{school.name} (school)")
    page.get_by_role("button", name="Count who this assigns").click()
    preview = page.locator("section[aria-labelledby='preview-h']")
    expect(preview).to_contain_text(f"{expected} people of {school.name} will be registered")
    _axe(page, "assign preview")
    _shot(page, "assign-preview")
    assert not Registration.objects.filter(session=session).exists()  # a count, no writes
    page.get_by_role("button", name=f"Assign {expected} people").click()
    page.get_by_text(f"Assigned to {expected} people of {school.name}").wait_for()
    _axe(page, "assigned session")
    _shot(page, "session-assigned")

    reg = Registration.objects.get(session=session, staff=teacher)
    assert reg.status == Registration.Status.REGISTERED
    assert reg.assigned and reg.assigned_by_id == principal.user_id
    assert Registration.objects.filter(session=session, assigned=True).count() == expected
    assert SessionAssignment.objects.get(session=session, school=school).assigned_count == expected

    context, tablet = _context_page(browser, live_server, TABLET)
    _sign_in(tablet, live_server, teacher)
    tablet.get_by_role("navigation", name="Main").get_by_role("link", name="My learning").click()
    required = tablet.locator("section[aria-labelledby='required-h']")
    expect(required.get_by_role("heading", name="Required")).to_be_visible()
    row = required.get_by_role("row").filter(has_text=str(session))
    expect(row).to_contain_text("Registered")
    expect(row).to_contain_text("Required")
    expect(row).to_contain_text(f"assigned by {principal.full_name}")
    _axe(tablet, "my learning required")
    _shot(tablet, "my-learning-required-tablet")
    context.close()
