import pytest
from django.urls import reverse

from cadre.audit.models import AuditEvent
from cadre.districts.factories import AssignmentFactory, StaffFactory
from cadre.districts.models import Assignment, Role, School, SchoolYear, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, world):
    client.force_login(world.obj("a.admin").user)
    return client


def test_admin_home_shows_counts_and_what_to_act_on(as_admin, world):
    response = as_admin.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alder District" in text
    assert '>2</span><span class="stat-label">active schools' in text
    assert "No roster has been imported" not in text  # the world has an import
    assert "Import a roster" in text


def test_admin_home_asks_for_a_school_year_when_none_is_current(as_admin, world):
    SchoolYear.objects.filter(pk=world.obj("a.year").pk).update(is_current=False)
    assert "No current school year" in as_admin.get("/").content.decode()


def test_principal_home_lists_their_school_and_new_teachers(client, world):
    school = world.obj("a.school")
    StaffFactory(
        district=world.a,
        first_name="Nia",
        last_name="Newby",
        contracted_days=40,
        substitute_days=22,
    )
    newbie = Staff.objects.get(last_name="Newby")
    AssignmentFactory(staff=newbie, school=school, role=Role.TEACHER)
    client.force_login(world.obj("a.principal").user)
    text = client.get("/").content.decode()
    assert school.name in text
    assert "Nia Newby" in text and "62 days: 40 contracted + 22 substitute" in text
    assert "Staff" in text and 'href="/staff/"' in text


def test_teacher_home_has_no_admin_navigation(client, world):
    client.force_login(world.obj("a.teacher").user)
    text = client.get("/").content.decode()
    assert 'href="/staff/"' not in text and 'href="/audit/"' not in text
    assert "Your assignments" in text and "Teacher" in text


def test_staff_list_search_and_filters(as_admin, world):
    teacher = world.obj("a.teacher")
    response = as_admin.get("/staff/", {"q": teacher.last_name})
    assert teacher.full_name.split()[0] in response.content.decode()
    rows = list(response.context["page"])
    assert teacher in rows and world.obj("b.teacher") not in rows
    by_school = list(
        as_admin.get("/staff/", {"school": world.obj("a.other_school").pk}).context["page"]
    )
    assert by_school == [world.obj("a.other_teacher")]
    by_role = list(as_admin.get("/staff/", {"role": "principal"}).context["page"])
    assert by_role == [world.obj("a.principal")]


def test_staff_list_bad_filters_never_500(as_admin):
    response = as_admin.get(
        "/staff/", {"school": "x", "role": "king", "active": "maybe", "page": "-3"}
    )
    assert response.status_code == 200


def test_staff_list_htmx_returns_only_rows(as_admin, world):
    response = as_admin.get("/staff/", {"q": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "<table" in response.content.decode()


def test_staff_list_query_count_does_not_grow(as_admin, world, django_assert_max_num_queries):
    school = world.obj("a.school")
    for _ in range(30):
        AssignmentFactory(staff=StaffFactory(district=world.a), school=school)
    with django_assert_max_num_queries(14):
        response = as_admin.get("/staff/")
    assert len(response.context["page"]) == 39  # the world's 9 (with the coach) and the 30 added


def test_staff_list_query_count_is_pinned(as_admin, world, django_assert_num_queries):
    as_admin.get("/staff/")  # warm the session
    # session, user, staff check, actor (2), count, schools, programs (+ their schools), staff,
    # their assignments, and the session save (3 with its savepoint)
    with django_assert_num_queries(14):
        as_admin.get("/staff/")


@pytest.mark.parametrize(
    "url", ["/schools/", "/programs/", "/assignments/", "/audit/", "/imports/", "/school-years/"]
)
def test_lists_do_not_grow_queries_with_rows(as_admin, world, url, django_assert_max_num_queries):
    school = world.obj("a.school")
    for _ in range(20):
        AssignmentFactory(staff=StaffFactory(district=world.a), school=school)
    with django_assert_max_num_queries(14):
        assert as_admin.get(url).status_code == 200


def test_staff_create_edit_deactivate_flow(as_admin, world):
    response = as_admin.post(
        "/staff/new/",
        {
            "first_name": "Rosa",
            "last_name": "Diaz",
            "email": "rosa@example.org",
            "employee_id": "E9000",
            "contracted_days": "10",
            "substitute_days": "5",
            "subjects": "Math, Science",
            "grade_bands": "9-12",
            "bargaining_unit": "Teachers",
        },
    )
    rosa = Staff.objects.get(employee_id="E9000")
    assert response.status_code == 302 and response.url == f"/staff/{rosa.pk}/"
    assert rosa.subjects == ["Math", "Science"] and rosa.user.email == "rosa@example.org"
    response = as_admin.post(
        f"/staff/{rosa.pk}/edit/",
        {
            "first_name": "Rosa",
            "last_name": "Díaz",
            "email": "rosa@example.org",
            "employee_id": "E9000",
            "contracted_days": "100",
            "substitute_days": "5",
            "subjects": "Math",
            "grade_bands": "",
            "bargaining_unit": "Teachers",
        },
    )
    assert response.status_code == 302
    rosa.refresh_from_db()
    assert rosa.last_name == "Díaz" and not rosa.is_new_teacher
    as_admin.post(f"/staff/{rosa.pk}/deactivate/", {"reason": "Moved away"})
    rosa.refresh_from_db()
    assert not rosa.is_active
    detail = as_admin.get(f"/staff/{rosa.pk}/").content.decode()
    assert "Inactive" in detail and "Reactivate" in detail
    assert AuditEvent.objects.filter(object_id=str(rosa.pk)).count() == 3


def test_staff_form_errors_are_inline_not_500(as_admin, world):
    response = as_admin.post(
        "/staff/new/",
        {
            "first_name": "",
            "last_name": "X",
            "email": world.obj("a.teacher").email,
            "contracted_days": "-4",
            "substitute_days": "abc",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert {"first_name", "contracted_days", "substitute_days"} <= set(form.errors)


def test_staff_email_conflict_shows_its_code(as_admin, world):
    response = as_admin.post(
        "/staff/new/",
        {
            "first_name": "Al",
            "last_name": "X",
            "email": world.obj("a.teacher").email,
            "contracted_days": "0",
            "substitute_days": "0",
        },
    )
    assert response.status_code == 400
    assert "staff.email_taken" in response.content.decode()


def test_deactivating_twice_shows_the_error(as_admin, world):
    teacher = world.obj("a.teacher")
    as_admin.post(f"/staff/{teacher.pk}/deactivate/")
    response = as_admin.post(f"/staff/{teacher.pk}/deactivate/", follow=True)
    assert "staff.already_inactive" in response.content.decode()


def test_deactivated_person_is_signed_out(client, world):
    teacher = world.obj("a.teacher")
    client.force_login(teacher.user)
    assert client.get("/").status_code == 200
    teacher.is_active = False
    teacher.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_assignment_edit_from_a_profile(as_admin, world):
    assignment = world.obj("a.teacher_assignment")
    other = world.obj("a.other_school")
    response = as_admin.post(
        f"/assignments/{assignment.pk}/edit/",
        {
            "staff": assignment.staff_id,
            "role": "instructional_coach",
            "school": other.pk,
            "program": "",
            "start_date": "2024-08-01",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.role, assignment.school) == ("instructional_coach", other)


def test_assignment_form_refuses_other_district_objects(as_admin, world):
    response = as_admin.post(
        "/assignments/new/",
        {"staff": world.obj("b.teacher").pk, "role": "teacher", "school": world.obj("b.school").pk},
    )
    assert response.status_code == 400
    assert {"staff", "school"} <= set(response.context["form"].errors)
    assert not Assignment.objects.filter(staff=world.obj("b.teacher"), district=world.a).exists()


def test_assignment_rule_error_is_inline(as_admin, world):
    response = as_admin.post(
        "/assignments/new/", {"staff": world.obj("a.teacher").pk, "role": "principal", "school": ""}
    )
    assert response.status_code == 400
    assert "assignment.needs_school" in response.content.decode()


def test_school_create_and_edit(as_admin, world):
    response = as_admin.post(
        "/schools/new/",
        {"name": "Cedar High", "code": "CH", "grade_band": "9-12", "is_active": "on"},
    )
    school = School.objects.get(name="Cedar High")
    assert response.url == reverse("school-detail", args=[school.pk])
    as_admin.post(
        f"/schools/{school.pk}/edit/", {"name": "Cedar High", "code": "CHS", "grade_band": "9-12"}
    )
    school.refresh_from_db()
    assert school.code == "CHS" and not school.is_active


def test_program_create_with_schools(as_admin, world):
    school = world.obj("a.school")
    as_admin.post(
        "/programs/new/",
        {
            "name": "Special Education",
            "kind": "special_education",
            "schools": [school.pk],
            "is_active": "on",
        },
    )
    program = world.a.programs.get(name="Special Education")
    assert list(program.schools.all()) == [school]
    detail = as_admin.get(program.get_absolute_url()).content.decode()
    assert school.name in detail


def test_school_year_make_current_page(as_admin, world):
    as_admin.post(
        "/school-years/new/",
        {"name": "2027–28", "start_date": "2027-07-01", "end_date": "2028-06-30"},
    )
    year = world.a.school_years.get(name="2027–28")
    as_admin.post(f"/school-years/{year.pk}/make-current/")
    year.refresh_from_db()
    assert year.is_current
    assert world.a.school_years.filter(is_current=True).count() == 1


def test_district_settings_change(as_admin, world):
    data = {
        "name": "Alder Unified",
        "time_zone": "America/Chicago",
        "fiscal_year_start_month": 7,
        "new_teacher_threshold_days": 120,
        "experience_days_per_year": 180,
        "min_group_size": 10,
        "clock_hour_minutes": 60,
        "clock_hour_min_minutes": 60,
        "renewal_hours": 100,
        "renewal_years": 5,
        "renewal_equity_hours": 15,
        "renewal_equity_hours_admin": 10,
        "assistant_principals_approve": "on",
        "goal_reminder_days": 10,
        "quarter_credit_hours": 10,
        "semester_credit_hours": 15,
        "growth_plan_hours": 25,
        "catalog_reminder_hours": 48,
        "mentor_match_days": 45,
        "mentor_weekly_minutes": 90,
        "mentor_caseload": 4,
        "check_in_days": 21,
        "group_hours": "on",
    }
    response = as_admin.post("/settings/", data)
    assert response.status_code == 302, response.context["form"].errors
    world.a.refresh_from_db()
    assert (world.a.name, world.a.new_teacher_threshold_days) == ("Alder Unified", 120)
    assert world.a.assistant_principals_approve and world.a.goal_reminder_days == 10
    assert world.a.catalog_reminder_hours == 48
    assert (world.a.mentor_match_days, world.a.mentor_weekly_minutes) == (45, 90)
    assert world.a.mentor_caseload == 4
    assert world.a.check_in_days == 21 and world.a.group_hours
    bad = as_admin.post("/settings/", data | {"time_zone": "Mars/Olympus"})
    assert bad.status_code == 400 and "time_zone" in bad.context["form"].errors


def test_audit_log_filters(as_admin, world):
    teacher = world.obj("a.teacher")
    as_admin.post(f"/staff/{teacher.pk}/deactivate/")
    page = as_admin.get("/audit/", {"action": "transition", "type": "districts.staff"}).context[
        "page"
    ]
    assert [e.object_repr for e in page] == [str(teacher)]
    assert as_admin.get("/audit/", {"from": "2026-13-45", "to": "x"}).status_code == 200
    assert not list(as_admin.get("/audit/", {"type": "districts.nothing"}).context["page"])


def test_api_token_page_creates_and_revokes(client, world):
    from rest_framework.authtoken.models import Token

    user = world.obj("a.teacher").user
    client.force_login(user)
    response = client.post("/accounts/token/", {"action": "rotate"})
    key = Token.objects.get(user=user).key
    assert key in response.content.decode()
    assert key not in client.get("/accounts/token/").content.decode()  # shown once
    client.post("/accounts/token/", {"action": "revoke"})
    assert not Token.objects.filter(user=user).exists()


def test_pages_carry_security_headers(as_admin):
    response = as_admin.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_new_teacher_filter_counts_only_teachers(as_admin, world):
    # The world's staff have 400 days, except its two new teachers at the principal's school;
    # a principal with no days recorded is not a new teacher.
    principal = world.obj("a.principal")
    principal.contracted_days = 0
    principal.save()
    newbie = StaffFactory(district=world.a, contracted_days=89, substitute_days=0)
    AssignmentFactory(staff=newbie, school=world.obj("a.school"))
    new = sorted(
        [newbie, world.obj("a.new_teacher"), world.obj("a.second_new_teacher")],
        key=lambda s: (s.last_name, s.first_name, s.pk),
    )
    assert list(as_admin.get("/staff/", {"new_teacher": "1"}).context["page"]) == new
    experienced = list(as_admin.get("/staff/", {"new_teacher": "0"}).context["page"])
    assert principal in experienced and newbie not in experienced
    assert as_admin.get("/").context["counts"]["new_teachers"] == 3


# --- experience unknown is not zero --------------------------------------------------------


def _unknown_teacher(world, **kwargs) -> Staff:
    staff = StaffFactory(
        district=world.a, first_name="Ula", last_name="Unknown", unknown_experience=True, **kwargs
    )
    AssignmentFactory(staff=staff, school=world.obj("a.school"), role=Role.TEACHER)
    return staff


def _row(html: str, name: str) -> str:
    """The staff list's table row that names this person."""
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_staff_list_says_unknown_not_zero_days(as_admin, world):
    unknown = _unknown_teacher(world)
    StaffFactory(district=world.a, last_name="Zero", contracted_days=0, substitute_days=0)
    html = as_admin.get("/staff/", {"q": "Unknown"}).content.decode()
    row = _row(html, "Unknown, Ula")
    assert "<td>Unknown</td>" in row and "days" not in row and "New" not in row
    html = as_admin.get("/staff/", {"q": "Zero"}).content.decode()
    assert "0 days" in _row(html, "Zero,")
    assert unknown not in as_admin.get("/staff/", {"new_teacher": "1"}).context["page"]


def test_staff_detail_says_unknown_and_where_to_fix_it(client, as_admin, world):
    unknown = _unknown_teacher(world)
    html = as_admin.get(f"/staff/{unknown.pk}/").content.decode()
    assert "<strong>Unknown</strong>" in html and "New teacher" not in html
    assert "Experienced" not in html and "0 days" not in html
    assert reverse("staff-data-create") in html and f"/staff/{unknown.pk}/edit/" in html
    client.force_login(world.obj("a.principal").user)
    html = client.get(f"/staff/{unknown.pk}/").content.decode()
    assert "<strong>Unknown</strong>" in html
    assert "A district administrator imports HR data." in html
    assert reverse("staff-data-create") not in html


def test_staff_form_takes_blank_days_as_unknown(as_admin, world):
    teacher = world.obj("a.teacher")
    data = {
        "first_name": teacher.first_name,
        "last_name": teacher.last_name,
        "email": teacher.email,
        "employee_id": teacher.employee_id,
        "contracted_days": "",
        "substitute_days": "",
        "subjects": "English",
        "grade_bands": "9-12",
        "bargaining_unit": "Teachers",
    }
    form_page = as_admin.get(f"/staff/{teacher.pk}/edit/").content.decode()
    assert "Leave blank when not known" in form_page
    response = as_admin.post(f"/staff/{teacher.pk}/edit/", data)
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.contracted_days, teacher.substitute_days) == (None, None)
    assert not teacher.experience_known and not teacher.is_new_teacher
    response = as_admin.post(
        f"/staff/{teacher.pk}/edit/", data | {"substitute_days": "12", "fte": "0.5"}
    )
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.contracted_days, teacher.substitute_days) == (None, 12)
    assert teacher.is_new_teacher and str(teacher.fte) == "0.500"
    bad = as_admin.post(f"/staff/{teacher.pk}/edit/", data | {"fte": "5"})
    assert bad.status_code == 400 and "fte" in bad.context["form"].errors


def test_admin_home_counts_unknown_experience_and_links_to_the_hr_import(as_admin, world):
    response = as_admin.get("/")
    before = response.context["counts"]["unknown_experience"]
    _unknown_teacher(world)
    html = as_admin.get("/").content.decode()
    assert f'>{before + 1}</span><span class="stat-label">staff with unknown experience' in html
    assert f'<a class="card" href="{reverse("staff-list")}?experience=unknown">' in html
    assert "No HR data has been imported yet" in html
    assert f'href="{reverse("staff-data-create")}">Import HR data</a>' in html


def test_admin_home_email_warning_links_to_the_hr_import(as_admin, world):
    assert "cannot sign in" not in as_admin.get("/").content.decode()
    StaffFactory(district=world.a, email="", user=None)
    StaffFactory(district=world.a, email="", user=None)
    response = as_admin.get("/")
    html = response.content.decode()
    assert response.context["counts"]["without_email"] == 2
    start = html.index("active staff have no email on file, so they cannot sign in")
    warning = html[start : html.index("</p>", start)]
    assert f'<a href="{reverse("staff-data-create")}">Import HR data</a>' in warning


def test_admin_home_shows_the_last_hr_import(as_admin, world):
    from cadre.districts.models import ImportRun

    ImportRun.objects.create(
        district=world.a,
        kind=ImportRun.Kind.STAFF_DATA,
        original_name="payroll.csv",
        file="imports/payroll.csv",
        status="succeeded",
    )
    html = as_admin.get("/").content.decode()
    assert "Last HR data import" in html and "payroll.csv" in html
    assert "Last roster import" in html and "roster.zip" in html
    assert "No HR data has been imported yet" not in html


def test_admin_home_query_count_does_not_grow_with_unknown_staff(
    as_admin, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_admin.get("/")
    with CaptureQueriesContext(connection) as before:
        as_admin.get("/")
    for _ in range(10):
        _unknown_teacher(world)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert as_admin.get("/").status_code == 200


def test_the_unknown_experience_figure_links_to_exactly_those_people(as_admin, world):
    unknown = _unknown_teacher(world)
    not_teaching = StaffFactory(district=world.a, last_name="Office", unknown_experience=True)
    home = as_admin.get("/")
    assert home.context["counts"]["unknown_experience"] == 1
    assert "/staff/?experience=unknown" in home.content.decode()
    listed = list(as_admin.get("/staff/", {"experience": "unknown"}).context["page"])
    assert listed == [unknown] and not_teaching not in listed
    page = as_admin.get("/staff/", {"experience": "unknown"}).content.decode()
    assert 'value="unknown" selected' in page
    # The new-teacher choices are the same filter older links name new_teacher.
    new = as_admin.get("/staff/", {"experience": "new"}).context["page"]
    assert list(new) == list(as_admin.get("/staff/", {"new_teacher": "1"}).context["page"])
    assert unknown not in new
    assert "/staff/?experience=unknown" in as_admin.get("/mentoring/people/").content.decode()
