"""Browser journeys in Debian's chromium, driven by Playwright (never a downloaded browser)."""

import io
import os
import zipfile
from pathlib import Path

import pytest

from cadre.districts.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test body
    # are still plain synchronous calls.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if saved is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _csv(*rows: str) -> str:
    return "\r\n".join(rows)


def oneroster_zip() -> bytes:
    """A small OneRoster 1.1 export: a district, one school, a principal, two teachers,
    a student and an enrollment."""
    files = {
        "manifest.csv": _csv(
            "propertyName,value",
            "manifest.version,1.0",
            "oneroster.version,1.1",
            "file.orgs,bulk",
            "file.users,bulk",
            "file.classes,bulk",
            "file.enrollments,bulk",
            "file.academicSessions,absent",
            "file.courses,absent",
            "file.demographics,absent",
            "file.lineItems,absent",
            "file.results,absent",
            "file.categories,absent",
            "file.resources,absent",
            "file.classResources,absent",
            "file.courseResources,absent",
            "file.userResources,absent",
        ),
        "orgs.csv": _csv(
            "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
            "org-d,active,2026-08-01,Alder District,district,AD,",
            "org-s1,active,2026-08-01,Juniper High School,school,JHS,org-d",
        ),
        "users.csv": _csv(
            "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
            "userIds,givenName,familyName,middleName,identifier,email,sms,phone,"
            "agentSourcedIds,grades,password",
            "u-t1,active,2026-08-01,true,org-s1,teacher,mgarcia,,Marisol,Garcia,,E7001,"
            "marisol.garcia@alder.example,,,,,",
            "u-t2,active,2026-08-01,true,org-s1,teacher,tnguyen,,Tuan,Nguyen,,E7002,"
            "tuan.nguyen@alder.example,,,,,",
            "u-s1,active,2026-08-01,true,org-s1,student,stu1,,Student,One,,S1,s1@x.example,,,,10,",
        ),
        "classes.csv": _csv(
            "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
            "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
            "c-1,active,2026-08-01,English 10,10,course-1,EN10,scheduled,,org-s1,term-1,,,",
        ),
        "enrollments.csv": _csv(
            "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,"
            "role,primary,beginDate,endDate",
            "e-1,active,2026-08-01,c-1,org-s1,u-t1,teacher,true,2026-08-20,2027-06-10",
            "e-2,active,2026-08-01,c-1,org-s1,u-s1,student,false,2026-08-20,2027-06-10",
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _axe(page, name: str) -> None:
    """No serious or critical accessibility violations (axe-core)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    assert not bad, f"{name}: " + "; ".join(f"{v['id']}: {v['help']}" for v in bad)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_admin_imports_a_roster_then_edits_an_assignment(page, live_server, world):
    from cadre.districts.models import Assignment, Staff

    # The district in the export is Alder, the world's district A.
    world.a.sourced_id = "org-d"
    world.a.save()
    admin = world.obj("a.admin")

    page.goto("/accounts/login/")
    _axe(page, "login")
    page.get_by_label("Email").fill(admin.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    _axe(page, "admin home")
    _shot(page, "admin-home")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import a roster").first.click()
    page.get_by_label("Roster export (.zip)").set_input_files(
        files=[{"name": "roster.zip", "mimeType": "application/zip", "buffer": oneroster_zip()}]
    )
    _axe(page, "import form")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/imports/*/")
    page.get_by_text("Every row was imported.").wait_for()
    _axe(page, "import result")
    _shot(page, "import-result")
    assert Staff.objects.filter(district=world.a, sourced_id="u-t1").exists()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff").click()
    page.get_by_label("Search").fill("Garcia")
    page.get_by_role("link", name="Garcia, Marisol").click()
    page.get_by_role("heading", name="Marisol Garcia").wait_for()
    _axe(page, "staff profile")
    _shot(page, "staff-profile")

    page.get_by_role("link", name="Edit Teacher at Juniper High School").click()
    page.get_by_label("Role").select_option("instructional_coach")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Marisol Garcia").wait_for()
    page.get_by_text("Instructional coach").first.wait_for()
    staff = Staff.objects.get(district=world.a, sourced_id="u-t1")
    assert Assignment.objects.get(staff=staff).role == "instructional_coach"


def test_teacher_sees_their_own_home_and_profile_on_a_tablet(browser, live_server, world):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    page = context.new_page()
    teacher = world.obj("a.teacher")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(teacher.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")  # keyboard alone
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Staff").count() == 0
    page.get_by_role("link", name="My profile").click()
    page.get_by_role("heading", name=teacher.full_name).wait_for()
    _axe(page, "teacher profile")
    _shot(page, "teacher-profile-tablet")
    context.close()


def _sign_in(page, live_server, staff) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(staff.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")


def test_director_publishes_the_title_i_plan_and_a_title_i_teacher_sees_it(
    browser, page, live_server, world
):
    from cadre.funding.models import PlanAcknowledgement, ProgramPlan

    ProgramPlan.objects.filter(pk=world.obj("a.plan").pk).delete()
    director, teacher = world.obj("a.director"), world.obj("a.teacher")

    _sign_in(page, live_server, director)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Funding").click()
    page.get_by_role("heading", name="Money by funding source").wait_for()
    _axe(page, "funding dashboard")
    _shot(page, "funding-dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="PD plans").click()
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Program").select_option(label=str(world.obj("a.program")))
    page.get_by_label("Title").fill("Title I professional learning 2026–27")
    page.get_by_label("Summary").fill("Literacy across the content areas, with coaching.")
    page.get_by_label("Goals served").fill("Raise grade 9 reading proficiency by 8 points")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Title I professional learning 2026–27").wait_for()

    page.get_by_text("Add an activity").click()
    page.locator("#id_activity-title").fill("Summer literacy institute")
    page.get_by_label("Audience").fill("All Title I teachers")
    page.get_by_role("button", name="Add the activity").click()
    page.get_by_text("Activity added.").wait_for()
    page.get_by_text("Add an allocation").click()
    page.get_by_label("Category").select_option("registration")
    page.get_by_label("Source").select_option(label="Title I, Part A")
    page.get_by_label("Dollars").fill("12000")
    page.get_by_role("button", name="Add the allocation").click()
    page.get_by_text("Allocation added.").wait_for()
    _axe(page, "draft plan")
    page.get_by_role("button", name="Publish the plan").click()
    page.get_by_text("Published: every staff member").wait_for()
    _shot(page, "program-plan-published")
    plan = ProgramPlan.objects.get(title="Title I professional learning 2026–27")
    assert plan.status == "published"

    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    tablet = context.new_page()
    _sign_in(tablet, live_server, teacher)
    tablet.get_by_role("heading", name="Program PD plans that cover you").wait_for()
    tablet.get_by_role("link", name="Title I professional learning 2026–27").wait_for()
    _axe(tablet, "teacher home with plan")
    _shot(tablet, "teacher-home-plan")
    tablet.get_by_role("button", name="I have read it").click()
    tablet.get_by_text("you have acknowledged").wait_for()
    assert PlanAcknowledgement.objects.filter(plan=plan, staff=teacher).exists()
    context.close()

    page.goto(f"/funding/plans/{plan.pk}/acknowledgements/")
    page.get_by_text("have acknowledged the plan").wait_for()
    assert page.get_by_text("1 of").count() == 1
    _axe(page, "acknowledgements")


def test_admin_drills_from_the_funding_summary_to_the_ledger(page, live_server, world):
    budget = world.obj("a.budget")
    _sign_in(page, live_server, world.obj("a.admin"))
    page.goto("/funding/")
    page.get_by_role("link", name="Title I, Part A").first.click()
    page.get_by_role("link", name=str(budget.source)).first.wait_for()
    page.goto(budget.get_absolute_url())
    page.get_by_role("heading", name="Ledger").wait_for()
    _axe(page, "budget ledger")
    _shot(page, "budget-ledger")
    page.get_by_role("link", name="Post an entry").click()
    page.get_by_label("Kind").select_option("encumbrance")
    page.get_by_label("Use").select_option("registration")
    page.get_by_label("Dollars").fill("5000")
    page.get_by_label("For whom").select_option(label=str(world.obj("a.teacher")))
    page.get_by_role("button", name="Post").click()
    page.get_by_text("This would overdraw").wait_for()
    _axe(page, "refused posting")
    _shot(page, "refused-posting")


def test_teacher_sets_a_goal_and_asks_for_money_then_the_principal_approves_both(
    browser, page, live_server, world
):
    from cadre.growth.models import IsdRequest, ProfessionalGoal

    teacher, principal = world.obj("a.teacher"), world.obj("a.principal")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 768, "height": 1024})
    tablet = context.new_page()
    tablet.set_default_timeout(15_000)
    _sign_in(tablet, live_server, teacher)
    tablet.get_by_role("navigation", name="Main").get_by_role("link", name="My goals").click()
    _axe(tablet, "goal list")
    _shot(tablet, "goal-list")
    tablet.get_by_role("link", name="New goal").click()
    tablet.get_by_label("Title").fill("Academic conversations in science")
    tablet.get_by_role("button", name="Save draft").click()
    tablet.get_by_role("heading", name="Academic conversations in science").wait_for()
    goal = ProfessionalGoal.objects.get(title="Academic conversations in science")
    assert goal.status == "draft"

    # The rest of the goal saves itself while the teacher types.
    tablet.get_by_role("link", name="Edit").click()
    tablet.get_by_label("Goal statement").fill("Students argue from evidence in every unit.")
    tablet.get_by_label("Planned learning").fill("Lesson study with my department.")
    tablet.get_by_label("Evidence of success").fill("Discussion rubric scores rise.")
    tablet.get_by_label("S1 — Goal S1", exact=False).check()
    tablet.get_by_text("Saved").wait_for()
    goal.refresh_from_db()
    assert goal.evidence == "Discussion rubric scores rise."
    assert list(goal.aligns_to.values_list("code", flat=True)) == ["S1"]
    _axe(tablet, "goal form")
    _shot(tablet, "goal-form-autosaved")
    tablet.get_by_role("link", name="Back to the goal").click()
    tablet.get_by_role("button", name="Submit for approval").click()
    tablet.get_by_text("Submitted; your supervisor decides next.").wait_for()

    tablet.get_by_role("link", name="New ISD request for this goal").click()
    tablet.get_by_label("What").select_option("conference")
    tablet.get_by_label("Title").fill("NSTA regional conference")
    tablet.get_by_label("Start date").fill(world.a.today().isoformat())
    tablet.get_by_label("End date").fill(world.a.today().isoformat())
    tablet.get_by_label("Cost in dollars").fill("425")
    tablet.get_by_label("Hours").fill("12")
    tablet.get_by_label("Why").fill("Sessions on argument-driven inquiry.")
    _axe(tablet, "isd request form")
    _shot(tablet, "isd-request-form")
    tablet.get_by_role("button", name="Submit the request").click()
    tablet.get_by_role("heading", name="NSTA regional conference").wait_for()
    request = IsdRequest.objects.get(title="NSTA regional conference")
    assert request.goal == goal and request.status == "submitted"
    context.close()

    _sign_in(page, live_server, principal)
    page.goto(goal.get_absolute_url())
    page.get_by_role("heading", name="Your decision").wait_for()
    _axe(page, "goal decision")
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Goal approved.").wait_for()
    goal.refresh_from_db()
    assert goal.status == "approved"

    page.goto(request.get_absolute_url())
    _axe(page, "isd request decision")
    _shot(page, "isd-request-decision")
    page.get_by_role("button", name="Approve and hold $425.00").click()
    page.get_by_text("Approved; $425.00 is encumbered on the ISD source.").wait_for()
    request.refresh_from_db()
    assert request.status == "approved" and request.encumbrance_id

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alignment").click()
    page.get_by_text("Academic conversations in science").wait_for()
    _axe(page, "alignment")
    _shot(page, "alignment")


def test_a_parent_gives_input_through_the_link_and_the_principal_reads_it(
    browser, page, live_server, world
):
    from cadre.planning.models import StakeholderInput

    assessment = world.obj("a.assessment")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"/planning/input/{assessment.input_token}/")
    phone.get_by_role("heading", level=1).wait_for()
    phone.get_by_role("button", name="Send my input").click()
    phone.get_by_text("Say whether you are a parent").wait_for()  # a clear error, nothing lost
    _axe(phone, "stakeholder input errors")
    phone.get_by_label("Parent or guardian").check()
    phone.get_by_label("Your input").fill("Our children need more help with fractions.")
    _shot(phone, "stakeholder-input-phone")
    phone.get_by_role("button", name="Send my input").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    _axe(phone, "stakeholder thanks")
    context.close()
    item = StakeholderInput.objects.get(body="Our children need more help with fractions.")
    assert item.source == "parent" and item.assessment_id == assessment.pk

    _sign_in(page, live_server, world.obj("a.principal"))
    page.goto(assessment.get_absolute_url())
    _axe(page, "needs assessment")
    _shot(page, "needs-assessment")
    page.goto(f"/planning/needs/{assessment.pk}/inputs/")
    page.get_by_text("Our children need more help with fractions.").wait_for()
    _axe(page, "stakeholder inputs")
    _shot(page, "stakeholder-inputs")
