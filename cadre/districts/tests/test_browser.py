"""The data manager's journey: a school-level roster with warnings, then HR data, in chromium."""

import io
import zipfile

import pytest

from cadre.tests.test_browser import _axe, _shot, _sign_in, browser, page  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _zip(files: dict[str, list[str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, rows in files.items():
            archive.writestr(name, "\r\n".join(rows))  # no final newline, as many exporters
    return buffer.getvalue()


def school_level_export() -> bytes:
    """Two schools and no district org, four teachers, an extension column, and an enrollment
    in a class the export does not have."""
    users = "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    users += "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
    users += "password,metadata.hireDate"
    return _zip(
        {
            "manifest.csv": [
                "propertyName,value",
                "oneroster.version,1.1",
                "file.orgs,bulk",
                "file.users,bulk",
                "file.classes,bulk",
                "file.enrollments,bulk",
                "file.academicSessions,",
            ],
            "orgs.csv": [
                "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId",
                "sch-1,active,2026-08-01,Cedar Middle School,school,CMS,",
                "sch-2,active,2026-08-01,Spruce Middle School,school,SMS,",
            ],
            "users.csv": [
                users,
                "t1,active,2026-08-01,TRUE,sch-1,Teacher,,,Nia,Obi,,H-1,nia.obi@alder.example,,,,,,x",
                "t2,active,2026-08-01,TRUE,sch-1,Teacher,,,Raul,Vega,,H-2,raul.vega@alder.example,,,,,,x",
                "t3,active,2026-08-01,TRUE,sch-2,Teacher,,,Ines,Roy,,H-3,ines.roy@alder.example,,,,,,x",
                "t4,active,2026-08-01,TRUE,sch-2,Teacher,,,Omar,Diaz,,H-4,omar.diaz@alder.example,,,,,,x",
                "s1,active,2026-08-01,TRUE,sch-1,student,,,Kid,One,,,,,,,07,,",
            ],
            "classes.csv": [
                "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
                "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
                'k1,active,2026-08-01,Science 7,"07",,SCI7,scheduled,,sch-1,,,,',
            ],
            "enrollments.csv": [
                "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,"
                "role,primary,beginDate,endDate",
                "e1,active,2026-08-01,k1,sch-1,t1,teacher,yes,,",
                "e2,active,2026-08-01,k1,sch-1,s1,student,no,,",
                "e3,active,2026-08-01,k404,sch-1,s1,student,no,,",
            ],
        }
    )


HR_FILE = (
    b"Employee Number,Last Name,First Name,Contract Days To Date,Sub Days,Hire Date\r\n"
    b"H-1,Obi,Nia,30,12,8/18/2026\r\n"
    b"H-2,Vega,Raul,1240,0,8/20/2019\r\n"
    b"H-3,Roy,Ines,720,15,8/22/2022\r\n"
    b"H-4,Diaz,Omar,0,45,9/1/2026\r\n"
)


def _upload(page, label: str, name: str, mime: str, data: bytes) -> None:  # noqa: F811
    page.get_by_label(label).set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url("**/imports/*/")


def _both_widths(page, name: str) -> None:  # noqa: F811
    _shot(page, f"{name}-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, f"{name}-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} scrolls sideways on a phone ({width} px)"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_a_school_level_roster_with_warnings_then_hr_data(page, live_server, world):  # noqa: F811
    from cadre.districts.models import Staff

    page.set_viewport_size({"width": 1366, "height": 900})
    _sign_in(page, live_server, world.obj("a.admin"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import a roster").click()
    _axe(page, "roster upload")
    _upload(page, "Roster export (.zip)", "cedar.zip", "application/zip", school_level_export())
    page.get_by_text("Imported, with the warnings below.").wait_for()
    page.get_by_text("The export has no district org (a school-level export)").wait_for()
    page.get_by_text("Enrollments in classes that are not in the export or in Cadre were skipped")
    page.get_by_text("Extension columns Cadre does not read").wait_for()
    _axe(page, "roster result with warnings")
    _both_widths(page, "import-roster-warnings")
    imported = Staff.objects.filter(district=world.a, sourced_id__in=["t1", "t2", "t3", "t4"])
    assert imported.count() == 4 and not any(s.experience_known for s in imported)

    # Before HR data nobody imported counts as a new teacher: their experience is unknown.
    page.goto("/mentoring/people/")
    page.get_by_text("4 staff with unknown experience.").wait_for()
    assert page.get_by_role("link", name="Nia Obi").count() == 0
    _both_widths(page, "mentoring-unknown-experience")
    page.get_by_role("link", name="Import HR data").click()

    _axe(page, "hr upload")
    _upload(page, "HR data (.csv)", "payroll.csv", "text/csv", HR_FILE)
    page.get_by_text("Every row was imported.").wait_for()
    assert page.locator("dl.facts").inner_text().count("4") >= 2  # rows read, staff updated
    _axe(page, "hr result")
    _both_widths(page, "import-hr-result")

    # The coordinator's list now names the real new teachers, and only them.
    page.goto("/mentoring/people/")
    page.get_by_role("link", name="Nia Obi").wait_for()
    page.get_by_role("link", name="Omar Diaz").wait_for()
    assert page.get_by_role("link", name="Raul Vega").count() == 0
    assert page.get_by_role("link", name="Ines Roy").count() == 0
    assert page.get_by_text("staff with unknown experience").count() == 0
    _axe(page, "mentoring people after hr")
