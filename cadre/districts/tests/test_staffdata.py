"""HR data: experience, hire dates, bargaining units, FTE and emails from payroll exports."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cadre.audit.models import AuditEvent
from cadre.districts.factories import DistrictFactory, StaffFactory
from cadre.districts.models import ImportRun, Staff
from cadre.districts.staffdata import import_staff_data, parse_mapping
from cadre.districts.tasks import import_run_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    district = DistrictFactory(slug="hr", experience_days_per_year=180)
    make = StaffFactory._meta.model  # plain rows: experience unknown, as a roster leaves it

    def person(sid, eid, email, first, last):
        staff = StaffFactory(
            district=district, sourced_id=sid, employee_id=eid, first_name=first, last_name=last
        )
        make.objects.filter(pk=staff.pk).update(
            email=email, contracted_days=None, substitute_days=None
        )
        staff.refresh_from_db()
        return staff

    return {
        "district": district,
        "ana": person("u1", "000123", "ana@hr.example", "Ana", "Ruiz"),
        "ben": person("u2", "E2", "ben@hr.example", "Ben", "Ode"),
        "cy": person("u3", "E3", "", "Cy", "Lam"),
    }


def write(tmp_path, text: str, name="hr.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


PAYROLL = (
    "Employee Number,Last Name,First Name,Contract Days To Date,Sub Days,Hire Date,"
    "Bargaining Unit,FTE\n"
    "123,Ruiz,Ana,60,20,8/15/2026,BEA,100\n"
    "E2,Ode,Ben,900,0,2019-08-20,BEA,50\n"
)


def reasons(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_payroll_headers_fill_in_experience(tmp_path, people):
    result = import_staff_data(write(tmp_path, PAYROLL), district=people["district"])
    assert result.ok, reasons(result)
    ana = Staff.objects.get(pk=people["ana"].pk)
    assert (ana.contracted_days, ana.substitute_days) == (60, 20)
    assert ana.hire_date == date(2026, 8, 15) and ana.bargaining_unit == "BEA"
    assert ana.fte == Decimal("1.000") and ana.is_new_teacher
    ben = Staff.objects.get(pk=people["ben"].pk)
    assert ben.fte == Decimal("0.500") and not ben.is_new_teacher
    cy = Staff.objects.get(pk=people["cy"].pk)
    assert not cy.experience_known and not cy.is_new_teacher  # unknown is not new
    assert result.summary == {"rows": 2, "matched": 2, "updated": 2, "unchanged": 0, "not_found": 0}
    events = AuditEvent.objects.filter(district=people["district"], action="import")
    assert events.filter(object_id=str(ana.pk), comment="From HR data.").get().changes[
        "contracted days"
    ] == ["", "60"]
    assert events.filter(object_type="districts.district").count() == 1


def test_a_reimport_changes_nothing(tmp_path, people):
    path = write(tmp_path, PAYROLL)
    import_staff_data(path, district=people["district"])
    stamps = list(Staff.objects.order_by("pk").values_list("updated_at", flat=True))
    events = AuditEvent.objects.count()
    result = import_staff_data(path, district=people["district"])
    assert result.ok and result.summary["updated"] == 0 and result.summary["unchanged"] == 2
    assert AuditEvent.objects.count() == events
    assert list(Staff.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_rows_match_by_sourced_id_or_email_and_blanks_change_nothing(tmp_path, people):
    Staff.objects.filter(pk=people["ben"].pk).update(bargaining_unit="OLD")
    text = "sourcedId,Email,Substitute Days,Union\nu1,,12,\n,ben@hr.example,5,\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert result.ok, reasons(result)
    ana, ben = (Staff.objects.get(pk=people[k].pk) for k in ("ana", "ben"))
    assert (ana.contracted_days, ana.substitute_days) == (None, 12)
    assert ana.experience_days == 12 and ana.is_new_teacher
    assert ben.substitute_days == 5 and ben.bargaining_unit == "OLD"


def test_years_of_experience_count_at_the_districts_days_a_year(tmp_path, people):
    text = "Employee ID,Years of Experience\nE2,2.5\n000123,0\n"
    assert import_staff_data(write(tmp_path, text), district=people["district"]).ok
    assert Staff.objects.get(pk=people["ben"].pk).contracted_days == 450
    assert Staff.objects.get(pk=people["ana"].pk).contracted_days == 0


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "0.5"], ["1.000", "0.500"]),
        (["100", "50"], ["1.000", "0.500"]),
        (["1000", "500"], ["1.000", "0.500"]),
        (["100%", "0.5"], ["1.000", "0.500"]),
    ],
)
def test_fte_is_read_on_the_files_scale(tmp_path, people, values, expected):
    text = f"Employee Number,FTE\nE2,{values[0]}\nE3,{values[1]}\n"
    assert import_staff_data(write(tmp_path, text), district=people["district"]).ok
    got = [str(Staff.objects.get(pk=people[k].pk).fte) for k in ("ben", "cy")]
    assert got == expected


def test_people_hr_has_and_cadre_does_not_are_warnings(tmp_path, people):
    text = "Employee Number,First Name,Last Name,Sub Days\nE2,Ben,Ode,3\nZ9,Zed,Ink,4\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert result.ok
    assert result.summary["not_found"] == 1
    warning = result.report.warnings["not-found"]
    assert str(warning.examples[0]) == "hr.csv:3: No staff member has Z9 (Zed Ink)."


def test_bad_values_are_listed_and_nothing_is_written(tmp_path, people):
    text = (
        "Employee Number,Email,Contracted Days,Hire Date,FTE\n"
        "E2,ben@hr.example,ten,2019-08-20,1\n"
        "E3,,30,31/31/2020,abc\n"
        "000123,ben@hr.example,5,,\n"
        ",,,,\n"
        ",,,5,\n"
    )
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert not result.ok
    assert reasons(result) == [
        'hr.csv:2: contracted days: "ten" is not a number of days.',
        'hr.csv:3: hire date: "31/31/2020" is not a date Cadre can read (such as 2019-08-15 '
        "or 8/15/2019).",
        "hr.csv:4: This row names more than one person: employee number Ana Ruiz, email Ben Ode.",
        "hr.csv:6: This row names no one: it has no sourcedId, employee number or email.",
        'hr.csv:3: FTE: "abc" is not an FTE (such as 1.0 or 100%).',
    ]
    assert not Staff.objects.filter(district=people["district"], contracted_days=30).exists()


def test_emails_fill_in_for_staff_without_one_under_the_sign_in_rule(tmp_path, people):
    text = "Employee Number,Email\nE3,cy@hr.example\nE2,other@hr.example\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert result.ok, reasons(result)
    cy = Staff.objects.get(pk=people["cy"].pk)
    assert cy.email == "cy@hr.example" and cy.user.email == "cy@hr.example"
    assert not cy.user.has_usable_password()
    assert Staff.objects.get(pk=people["ben"].pk).email == "ben@hr.example"  # the roster's
    assert "email-kept" in result.report.warnings


def test_an_email_that_signs_in_as_someone_else_here_is_refused(tmp_path, people):
    # Their login has the address though their record (as a roster may leave it) has none.
    other = StaffFactory(district=people["district"], email="taken@here.example", employee_id="E9")
    Staff.objects.filter(pk=other.pk).update(email="")
    text = "Employee Number,Email\nE3,taken@here.example\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert reasons(result) == [
        "hr.csv: email: taken@here.example (for Cy Lam) already signs in as another person."
    ]
    assert Staff.objects.get(pk=people["cy"].pk).email == ""


def test_an_email_of_a_person_in_another_district_links_their_login(tmp_path, people):
    elsewhere = StaffFactory(email="taken@else.example")
    password = elsewhere.user.password
    text = "Employee Number,Email\nE3,taken@else.example\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert result.ok, reasons(result)
    cy = Staff.objects.get(pk=people["cy"].pk)
    assert (cy.email, cy.user_id) == ("taken@else.example", elsewhere.user_id)
    elsewhere.user.refresh_from_db()
    assert (elsewhere.user.email, elsewhere.user.password) == ("taken@else.example", password)
    assert Staff.objects.get(pk=elsewhere.pk).user_id == elsewhere.user_id


def test_an_operators_address_is_refused(tmp_path, people):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(email="ops@host.example", is_staff=True)
    text = "Employee Number,Email\nE3,ops@host.example\n"
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert reasons(result) == [
        "hr.csv: email: ops@host.example (for Cy Lam) already signs in as another person."
    ]


def test_a_column_map_names_other_headers(tmp_path, people):
    text = "Emp,Days Worked\nE2,7\n"
    result = import_staff_data(
        write(tmp_path, text),
        district=people["district"],
        mapping=parse_mapping(["Emp=employee number", "Days Worked=substitute_days"]),
    )
    assert result.ok, reasons(result)
    assert Staff.objects.get(pk=people["ben"].pk).substitute_days == 7


def test_a_file_without_a_key_or_data_column_says_what_it_needs(tmp_path, people):
    result = import_staff_data(write(tmp_path, "Name,Days\nBen,3\n"), district=people["district"])
    assert reasons(result) == [
        "hr.csv:1: The file needs a column that names each person: sourcedId, employee number "
        "or email (or name one with a column map)."
    ]
    result = import_staff_data(
        write(tmp_path, "Employee Number,Shoe Size\nE2,9\n"), district=people["district"]
    )
    assert "has no column Cadre takes from HR data" in reasons(result)[0]


def test_a_windows_1252_file_is_read(tmp_path, people):
    text = "Employee Number,Last Name,Bargaining Unit\nE2,Odé,Assoc. Éducation\n"
    result = import_staff_data(
        write(tmp_path, text, encoding="cp1252"), district=people["district"]
    )
    assert result.ok, reasons(result)
    assert Staff.objects.get(pk=people["ben"].pk).bargaining_unit == "Assoc. Éducation"
    assert "encoding" in result.report.warnings


def test_dry_run_writes_nothing(tmp_path, people):
    result = import_staff_data(write(tmp_path, PAYROLL), district=people["district"], dry_run=True)
    assert result.ok and result.summary["updated"] == 2
    assert not Staff.objects.get(pk=people["ana"].pk).experience_known


@pytest.mark.parametrize("extra", [0, 30])
def test_queries_do_not_grow_with_rows(tmp_path, people, extra, django_assert_max_num_queries):
    rows = [f"{p.employee_id},{10 + n}" for n, p in enumerate(Staff.objects.all())]
    for n in range(extra):
        staff = StaffFactory(district=people["district"], employee_id=f"N{n}")
        rows.append(f"{staff.employee_id},{n}")
    text = "Employee Number,Contracted Days\n" + "\n".join(rows) + "\n"
    with django_assert_max_num_queries(14):
        assert import_staff_data(write(tmp_path, text), district=people["district"]).ok


def test_command_output_and_exit_codes(tmp_path, people, capsys):
    path = write(tmp_path, PAYROLL)
    call_command("import_staff_data", str(path), "--district", "hr", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    call_command("import_staff_data", str(path), "--district", "hr")
    assert "updated 2" in capsys.readouterr().out
    with pytest.raises(CommandError, match="COLUMN=FIELD"):
        call_command("import_staff_data", str(path), "--district", "hr", "--map", "x=shoe")
    with pytest.raises(CommandError, match='no district "nope"'):
        call_command("import_staff_data", str(path), "--district", "nope")
    bad = write(tmp_path, "Employee Number,Sub Days\nE2,many\n", name="bad.csv")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_staff_data", str(bad), "--district", "hr")


def test_the_upload_runs_as_a_task_and_the_page_reports(
    client, tmp_path, world, django_capture_on_commit_callbacks
):
    teacher = world.obj("a.teacher")
    Staff.objects.filter(pk=teacher.pk).update(employee_id="T-1")
    client.force_login(world.obj("a.admin").user)
    upload = SimpleUploadedFile("payroll.csv", b"Employee Number,Sub Days\nT-1,4\nX-9,1\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/imports/hr-data/new/",
            {"file": upload, "mapping": "", "encoding": ""},
        )
    run = ImportRun.objects.filter(district=world.a).latest("created_at")
    assert response.url == f"/imports/{run.pk}/"
    assert run.kind == "staff_data" and run.status == "succeeded"
    assert Staff.objects.get(pk=teacher.pk).substitute_days == 4
    page = client.get(response.url).content.decode()
    assert "Rows for people who are not staff in Cadre were skipped" in page
    assert "Staff updated" in page


def test_the_upload_refuses_other_files_and_bad_maps(client, world):
    client.force_login(world.obj("a.admin").user)
    response = client.post(
        "/imports/hr-data/new/", {"file": SimpleUploadedFile("hr.zip", b"PK"), "mapping": ""}
    )
    assert response.status_code == 400 and "Upload the HR data as a .csv file." in (
        response.content.decode()
    )
    response = client.post(
        "/imports/hr-data/new/",
        {"file": SimpleUploadedFile("hr.csv", b"a,b\n"), "mapping": "Days = shoe size"},
    )
    assert response.status_code == 400 and "is not COLUMN=FIELD" in response.content.decode()


def test_bad_uploads_are_refused_before_queueing(world):
    upload = SimpleUploadedFile("hr.xlsx", b"x")
    with pytest.raises(Exception, match="Upload the HR data as a .csv file"):
        import_run_start(
            district=world.a, user=None, uploaded_file=upload, dry_run=False, kind="staff_data"
        )


def test_one_new_email_for_two_people_is_refused(tmp_path, people):
    text = "Employee Number,Email\nE3,shared@hr.example\n000123,shared@hr.example\n"
    Staff.objects.filter(pk=people["ana"].pk).update(email="")
    result = import_staff_data(write(tmp_path, text), district=people["district"])
    assert reasons(result) == [
        "hr.csv:3: email: shared@hr.example is also given to Cy Lam on line 2: one address "
        "signs in one person."
    ]


def test_each_fte_is_read_on_its_own_scale(tmp_path, people):
    text = "Employee Number,FTE\nE2,1.0\nE3,10\n"
    assert import_staff_data(write(tmp_path, text), district=people["district"]).ok
    assert [str(Staff.objects.get(pk=people[k].pk).fte) for k in ("ben", "cy")] == [
        "1.000",
        "0.100",
    ]
