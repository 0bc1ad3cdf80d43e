"""Browser journey: a facilitator takes attendance at a tablet-sized viewport (htmx swaps the
row and the counts), in Debian's chromium through Playwright."""

import os

import pytest

from cadre.districts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()
    if saved is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


def _axe(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)


def test_facilitator_takes_attendance_on_a_tablet(browser, live_server, world):
    from playwright.sync_api import expect

    from cadre.catalog.models import Attendance

    facilitator = world.obj("a.other_teacher")
    session, meeting = world.obj("a.session"), world.obj("a.meeting")
    teacher = world.obj("a.teacher")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(facilitator.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"/catalog/sessions/{session.pk}/roster/")
    page.get_by_text(meeting.checkin_code, exact=True).wait_for()
    _axe(page, "roster")
    row = page.locator(f"#reg-{world.obj('a.registration').pk}")
    row.get_by_role("button", name=teacher.full_name).click()
    expect(row.locator(".roster-state")).to_have_text("✓ Present")
    expect(page.locator("#roster-counts")).to_contain_text("1 present")
    assert page.url.endswith(f"/catalog/sessions/{session.pk}/roster/")  # swapped, not reloaded
    a = Attendance.objects.get(meeting=meeting, registration__staff=teacher)
    assert (a.present, a.minutes) == (True, meeting.minutes)

    page.locator(f"#reg-{a.registration_id}").get_by_role("button", name=teacher.full_name).click()
    expect(page.locator(f"#reg-{a.registration_id} .roster-state")).to_have_text("✗ Absent")
    expect(page.locator("#roster-counts")).to_contain_text("1 absent")
    a.refresh_from_db()
    assert not a.present
    context.close()
