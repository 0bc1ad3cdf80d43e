"""The districts API: scope, permissions, writes through services, filters and query counts.

The checks every API resource shares (anonymous callers, bad ids, other districts, bad
list parameters, bodies that are not JSON, list query counts) are in
cadre/tests/test_api_checks.py, from this app's tests/api_checks.py.
"""

from datetime import date, timedelta

import pytest
from rest_framework.authtoken.models import Token

from cadre.audit.models import AuditEvent
from cadre.districts.factories import (
    AssignmentFactory,
    ProgramFactory,
    SchoolFactory,
    StaffFactory,
)
from cadre.districts.models import Assignment, Program, Role, School, SchoolYear, Staff
from cadre.districts.tests.api_checks import more_staff
from cadre.tests.kit import (
    API,
    ids,
    login_as,
    patch,
    post,
)

pytestmark = pytest.mark.django_db

RESOURCES = ["schools", "programs", "school-years", "staff", "assignments"]
STAFF_KEYS = {
    "id",
    "employee_id",
    "sourced_id",
    "first_name",
    "last_name",
    "full_name",
    "email",
    "hire_date",
    "contracted_days",
    "substitute_days",
    "experience_known",
    "experience_days",
    "is_new_teacher",
    "experience_reason",
    "eligibility",
    "subjects",
    "grade_bands",
    "bargaining_unit",
    "fte",
    "is_active",
    "current_assignments",
}


# --- authentication ------------------------------------------------------------------------


def test_token_authentication(client, world):
    teacher = world.obj("a.teacher")
    key = Token.objects.create(user=teacher.user).key
    response = client.get(f"{API}/staff/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert ids(response) == {teacher.pk}
    bad = client.get(f"{API}/staff/", HTTP_AUTHORIZATION="Token not-a-key")
    assert bad.status_code == 401 and bad.json()["code"] == "authentication_failed"


def test_token_writes_need_no_csrf(client, world):
    key = Token.objects.create(user=world.obj("a.admin").user).key
    response = client.post(
        f"{API}/schools/",
        {"name": "Token Elementary"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 201
    assert School.objects.filter(district=world.a, name="Token Elementary").exists()


def test_token_of_a_deactivated_person_is_refused(client, world):
    teacher = world.obj("a.teacher")
    key = Token.objects.create(user=teacher.user).key
    Staff.objects.filter(pk=teacher.pk).update(is_active=False)
    response = client.get(f"{API}/schools/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "An active staff record is required.",
    }


# --- schools -------------------------------------------------------------------------------


def test_schools_list_and_retrieve(client, world):
    login_as(client, world, "a.teacher")  # every staff member reads schools
    school, other = world.obj("a.school"), world.obj("a.other_school")
    response = client.get(f"{API}/schools/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert {row["id"]: row["staff_count"] for row in body["results"]} == {
        school.pk: 5,  # principal, teacher, the two new teachers and the coach
        other.pk: 1,
    }
    detail = client.get(f"{API}/schools/{school.pk}/").json()
    assert detail == {
        "id": school.pk,
        "name": school.name,
        "code": school.code,
        "sourced_id": "",
        "grade_band": "",
        "is_active": True,
        "staff_count": 5,
    }


def test_schools_filters_and_ordering(client, world):
    login_as(client, world, "a.admin")
    school, other = world.obj("a.school"), world.obj("a.other_school")
    closed = SchoolFactory(district=world.a, name="Zephyr Closed", is_active=False)
    assert ids(client.get(f"{API}/schools/", {"q": school.code})) == {school.pk}
    assert ids(client.get(f"{API}/schools/", {"active": "false"})) == {closed.pk}
    assert ids(client.get(f"{API}/schools/", {"active": "all"})) == {school.pk, other.pk, closed.pk}
    names = [
        r["name"]
        for r in client.get(f"{API}/schools/", {"ordering": "-name", "active": "all"}).json()[
            "results"
        ]
    ]
    assert names == sorted(names, reverse=True) and names[0] == "Zephyr Closed"


def test_schools_create_and_update_as_admin(client, world):
    admin = login_as(client, world, "a.admin")
    response = post(
        client,
        "schools/",
        {"name": "Cedar Middle", "code": "CM1", "grade_band": "6-8", "sourced_id": "ignored"},
    )
    assert response.status_code == 201, response.json()
    school = School.objects.get(pk=response.json()["id"])
    assert (school.district, school.name, school.code, school.sourced_id) == (
        world.a,
        "Cedar Middle",
        "CM1",
        "",
    )  # sourcedId is the import's, not the API's
    assert response.json()["staff_count"] == 0
    assert AuditEvent.objects.filter(
        object_type="districts.school", object_id=str(school.pk), action="create", actor=admin.user
    ).exists()

    response = patch(
        client, f"schools/{school.pk}/", {"name": "Cedar Middle School", "is_active": False}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Cedar Middle School"
    assert response.json()["is_active"] is False
    school.refresh_from_db()
    assert school.name == "Cedar Middle School" and not school.is_active


@pytest.mark.parametrize("key", ["a.teacher", "a.principal", "a.director"])
def test_schools_writes_are_admin_only(client, world, key):
    login_as(client, world, key)
    school = world.obj("a.school")
    assert post(client, "schools/", {"name": "Nope"}).status_code == 403
    response = patch(client, f"schools/{school.pk}/", {"name": "Nope"})
    assert response.status_code == 403
    assert response.json() == {"code": "permission_denied", "detail": "You may not change this."}
    assert not School.objects.filter(name="Nope").exists()


def test_schools_create_validation(client, world):
    login_as(client, world, "a.admin")
    response = post(client, "schools/", {"name": ""})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "name" in body["errors"]
    assert post(client, "schools/", {"name": "x" * 201}).status_code == 400


# --- programs ------------------------------------------------------------------------------


def test_programs_list_retrieve_and_filters(client, world):
    login_as(client, world, "a.teacher")
    program, school = world.obj("a.program"), world.obj("a.school")
    retired = ProgramFactory(district=world.a, name="Retired", is_active=False)
    response = client.get(f"{API}/programs/")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": program.pk,
            "name": program.name,
            "kind": "title_i",
            "description": "",
            "schools": [school.pk],
            "is_active": True,
        }
    ]
    assert ids(client.get(f"{API}/programs/", {"active": "all"})) == {program.pk, retired.pk}
    assert ids(client.get(f"{API}/programs/", {"q": "retir", "active": "all"})) == {retired.pk}
    assert client.get(f"{API}/programs/{retired.pk}/").json()["name"] == "Retired"


def test_programs_create_and_update_as_admin(client, world):
    login_as(client, world, "a.admin")
    school, other = world.obj("a.school"), world.obj("a.other_school")
    response = post(
        client,
        "programs/",
        {"name": "English Learners", "kind": "english_learners", "schools": [school.pk, other.pk]},
    )
    assert response.status_code == 201, response.json()
    program = Program.objects.get(pk=response.json()["id"])
    assert program.district == world.a
    assert set(program.schools.values_list("pk", flat=True)) == {school.pk, other.pk}
    assert sorted(response.json()["schools"]) == sorted([school.pk, other.pk])

    response = patch(
        client, f"programs/{program.pk}/", {"schools": [other.pk], "description": "ELD support"}
    )
    assert response.status_code == 200
    assert response.json()["schools"] == [other.pk]
    assert response.json()["description"] == "ELD support"


def test_programs_refuse_a_school_of_another_district(client, world):
    login_as(client, world, "a.admin")
    foreign = world.obj("b.school")
    response = post(client, "programs/", {"name": "Leaky", "schools": [foreign.pk]})
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["schools"][0]
    assert not Program.objects.filter(name="Leaky").exists()
    bad_kind = post(client, "programs/", {"name": "Odd", "kind": "astrology"})
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()["errors"]


# --- school years --------------------------------------------------------------------------


def test_school_years_list_create_update_make_current(client, world):
    login_as(client, world, "a.admin")
    year = world.obj("a.year")
    listed = client.get(f"{API}/school-years/").json()["results"]
    assert listed == [
        {
            "id": year.pk,
            "name": "2026–27",
            "start_date": "2026-07-01",
            "end_date": "2027-06-30",
            "goals_due": None,
            "is_current": True,
        }
    ]

    response = post(
        client,
        "school-years/",
        {
            "name": "2027–28",
            "start_date": "2027-07-01",
            "end_date": "2028-06-30",
            "is_current": True,
        },
    )
    assert response.status_code == 201, response.json()
    new = response.json()
    assert new["is_current"] is False  # only make-current switches the current year

    response = patch(client, f"school-years/{new['id']}/", {"end_date": "2028-06-29"})
    assert response.status_code == 200 and response.json()["end_date"] == "2028-06-29"

    response = post(client, f"school-years/{new['id']}/make-current/")
    assert response.status_code == 200 and response.json()["is_current"] is True
    year.refresh_from_db()
    assert not year.is_current
    assert SchoolYear.objects.get(pk=new["id"]).is_current


def test_school_years_validation(client, world):
    login_as(client, world, "a.admin")
    duplicate = post(
        client,
        "school-years/",
        {"name": "2026–27", "start_date": "2030-07-01", "end_date": "2031-06-30"},
    )
    assert duplicate.status_code == 400
    assert duplicate.json()["errors"] == {"name": ["Another school year has this name."]}
    backwards = post(
        client,
        "school-years/",
        {"name": "2040–41", "start_date": "2041-06-30", "end_date": "2040-07-01"},
    )
    assert backwards.status_code == 400 and backwards.json()["code"] == "invalid"
    assert not SchoolYear.objects.filter(name="2040–41").exists()


def test_school_years_other_districts_may_reuse_a_name(client, world):
    login_as(client, world, "b.admin")
    response = post(
        client,
        "school-years/",
        {"name": "2030–31", "start_date": "2030-07-01", "end_date": "2031-06-30"},
    )
    assert response.status_code == 201
    login_as(client, world, "a.admin")
    response = post(
        client,
        "school-years/",
        {"name": "2030–31", "start_date": "2030-07-01", "end_date": "2031-06-30"},
    )
    assert response.status_code == 201


def test_school_years_writes_are_admin_only(client, world):
    login_as(client, world, "a.principal")
    year = world.obj("a.year")
    assert client.get(f"{API}/school-years/{year.pk}/").status_code == 200
    assert (
        post(
            client,
            "school-years/",
            {"name": "x", "start_date": "2030-07-01", "end_date": "2031-06-30"},
        ).status_code
        == 403
    )
    assert patch(client, f"school-years/{year.pk}/", {"name": "y"}).status_code == 403
    assert post(client, f"school-years/{year.pk}/make-current/").status_code == 403


# --- staff ---------------------------------------------------------------------------------


def test_staff_list_as_admin_is_the_whole_district(client, world):
    login_as(client, world, "a.admin")
    response = client.get(f"{API}/staff/")
    assert response.status_code == 200
    expected = {
        world.obj(f"a.{k}").pk
        for k in (
            "admin",
            "principal",
            "director",
            "teacher",
            "other_teacher",
            "program_teacher",
            "new_teacher",
            "second_new_teacher",
            "coach",
        )
    }
    assert ids(response) == expected


def test_staff_representation(client, world):
    login_as(client, world, "a.admin")
    teacher, school = world.obj("a.teacher"), world.obj("a.school")
    response = client.get(f"{API}/staff/{teacher.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == STAFF_KEYS
    assert body["full_name"] == teacher.full_name
    assert body["experience_days"] == 400 and body["is_new_teacher"] is False
    assert body["experience_known"] is True and body["fte"] is None
    assert body["experience_reason"] == "400 days: 400 contracted + 0 substitute"
    assert body["eligibility"] == {
        "kind": "",
        "label": "",
        "reason": "400 days: 400 contracted + 0 substitute (the threshold is "
        f"{world.a.new_teacher_threshold_days})",
    }
    assert body["subjects"] == ["English"] and body["grade_bands"] == ["9-12"]
    assignment = world.obj("a.teacher_assignment")
    assert body["current_assignments"] == [
        {
            "id": assignment.pk,
            "role": "teacher",
            "school": school.pk,
            "school_name": school.name,
            "program": None,
            "program_name": None,
            "start_date": "2020-08-20",
            "end_date": None,
        }
    ]
    text = response.content.decode()
    assert "password" not in text and world.a.pseudonym_secret not in text


def test_principal_sees_only_their_schools_staff(client, world):
    principal = login_as(client, world, "a.principal")
    teacher = world.obj("a.teacher")
    assert ids(client.get(f"{API}/staff/")) == {
        principal.pk,
        teacher.pk,
        world.obj("a.new_teacher").pk,
        world.obj("a.second_new_teacher").pk,
        world.obj("a.coach").pk,  # the instructional coach at the principal's school
    }
    assert client.get(f"{API}/staff/{teacher.pk}/").status_code == 200
    assert client.get(f"{API}/staff/{world.obj('a.other_teacher').pk}/").status_code == 404


def test_program_director_sees_their_programs_staff(client, world):
    director = login_as(client, world, "a.director")
    assert ids(client.get(f"{API}/staff/")) == {director.pk, world.obj("a.program_teacher").pk}


def test_teacher_sees_only_themselves_and_may_not_write(client, world):
    teacher = login_as(client, world, "a.teacher")
    assert ids(client.get(f"{API}/staff/")) == {teacher.pk}
    assert client.get(f"{API}/staff/{teacher.pk}/").status_code == 200
    other = world.obj("a.other_teacher")
    assert client.get(f"{API}/staff/{other.pk}/").status_code == 404
    assert post(client, "staff/", {"first_name": "A", "last_name": "B"}).status_code == 403
    assert patch(client, f"staff/{teacher.pk}/", {"first_name": "Me"}).status_code == 403
    assert patch(client, f"staff/{other.pk}/", {"first_name": "You"}).status_code == 404
    assert post(client, f"staff/{teacher.pk}/deactivate/").status_code == 403
    teacher.refresh_from_db()
    assert teacher.first_name != "Me" and teacher.is_active


def test_principal_may_not_change_their_staff(client, world):
    login_as(client, world, "a.principal")
    teacher = world.obj("a.teacher")
    assert patch(client, f"staff/{teacher.pk}/", {"first_name": "X"}).status_code == 403
    assert post(client, f"staff/{teacher.pk}/deactivate/").status_code == 403


def test_staff_create_and_update_as_admin(client, world):
    admin = login_as(client, world, "a.admin")
    response = post(
        client,
        "staff/",
        {
            "first_name": "Rosa",
            "last_name": "Diaz",
            "email": "Rosa@Example.org",
            "employee_id": "E9000",
            "hire_date": "2026-08-15",
            "contracted_days": 10,
            "substitute_days": 5,
            "subjects": ["Math", "Science"],
            "grade_bands": ["9-12"],
            "bargaining_unit": "Teachers",
            "is_active": False,
            "sourced_id": "ignored",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["full_name"] == "Rosa Diaz" and body["is_new_teacher"] is True
    assert body["is_active"] is True and body["sourced_id"] == ""
    assert body["current_assignments"] == []
    rosa = Staff.objects.get(pk=body["id"])
    assert rosa.district == world.a and rosa.user.email == "rosa@example.org"
    assert rosa.subjects == ["Math", "Science"]

    response = patch(client, f"staff/{rosa.pk}/", {"contracted_days": 200, "last_name": "Díaz"})
    assert response.status_code == 200
    assert response.json()["experience_days"] == 205
    assert response.json()["is_new_teacher"] is False
    assert AuditEvent.objects.filter(
        object_type="districts.staff", object_id=str(rosa.pk), action="update", actor=admin.user
    ).exists()


def test_staff_duplicate_employee_id_is_a_conflict(client, world):
    login_as(client, world, "a.admin")
    teacher = world.obj("a.teacher")
    response = post(
        client,
        "staff/",
        {"first_name": "Dup", "last_name": "Licate", "employee_id": teacher.employee_id},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "staff.duplicate"


def test_staff_email_taken_is_a_conflict(client, world):
    login_as(client, world, "a.admin")
    teacher, other = world.obj("a.teacher"), world.obj("a.other_teacher")
    response = patch(client, f"staff/{other.pk}/", {"email": teacher.email})
    assert response.status_code == 409
    assert response.json() == {
        "code": "staff.email_taken",
        "detail": f"{teacher.email} already signs in as another person.",
        "field": "email",
    }


def test_staff_deactivate_and_reactivate(client, world):
    admin = login_as(client, world, "a.admin")
    teacher = world.obj("a.teacher")
    response = post(client, f"staff/{teacher.pk}/deactivate/", {"reason": "  Left the district "})
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    event = AuditEvent.objects.filter(
        object_type="districts.staff", object_id=str(teacher.pk)
    ).first()
    assert (event.from_state, event.to_state, event.comment, event.actor) == (
        "active",
        "inactive",
        "Left the district",
        admin.user,
    )

    again = post(client, f"staff/{teacher.pk}/deactivate/")
    assert again.status_code == 409
    assert again.json() == {
        "code": "staff.already_inactive",
        "detail": f"{teacher.full_name} is already inactive.",
    }

    # Inactive people leave the default list but stay reachable by id and by filter.
    assert teacher.pk not in ids(client.get(f"{API}/staff/"))
    assert ids(client.get(f"{API}/staff/", {"active": "false"})) == {teacher.pk}
    assert teacher.pk in ids(client.get(f"{API}/staff/", {"active": "all"}))
    assert client.get(f"{API}/staff/{teacher.pk}/").json()["is_active"] is False

    response = post(client, f"staff/{teacher.pk}/reactivate/")
    assert response.status_code == 200 and response.json()["is_active"] is True
    again = post(client, f"staff/{teacher.pk}/reactivate/")
    assert again.status_code == 409 and again.json()["code"] == "staff.already_active"


def test_admin_cannot_deactivate_themselves(client, world):
    admin = login_as(client, world, "a.admin")
    response = post(client, f"staff/{admin.pk}/deactivate/")
    assert response.status_code == 400
    assert response.json()["code"] == "staff.self_deactivate"


def test_staff_filters(client, world):
    login_as(client, world, "a.admin")
    school, program = world.obj("a.school"), world.obj("a.program")
    teacher, principal = world.obj("a.teacher"), world.obj("a.principal")
    newbie = StaffFactory(
        district=world.a, last_name="Newby", contracted_days=40, substitute_days=22
    )
    AssignmentFactory(staff=newbie, school=school)

    def found(**params):
        return ids(client.get(f"{API}/staff/", params))

    assert found(q="newby") == {newbie.pk}
    assert found(q=teacher.employee_id) == {teacher.pk}
    new_teacher, second = world.obj("a.new_teacher"), world.obj("a.second_new_teacher")
    assert found(school=school.pk) == {
        principal.pk,
        teacher.pk,
        new_teacher.pk,
        second.pk,
        world.obj("a.coach").pk,  # the instructional coach
        newbie.pk,
    }
    assert found(program=program.pk) == {
        world.obj("a.director").pk,
        world.obj("a.program_teacher").pk,
    }
    assert found(role="principal") == {principal.pk}
    assert found(new_teacher="true") == {newbie.pk, new_teacher.pk, second.pk}
    assert newbie.pk not in found(new_teacher="false")
    assert found(school=school.pk, role="teacher", new_teacher="false") == {teacher.pk}
    # An id from another district filters to nothing rather than leaking.
    assert found(school=world.obj("b.school").pk) == set()


def test_staff_ordering(client, world):
    login_as(client, world, "a.admin")
    rows = client.get(f"{API}/staff/", {"ordering": "-last_name"}).json()["results"]
    names = [(r["last_name"], r["first_name"]) for r in rows]
    assert names == sorted(names, reverse=True)
    ordered = client.get(f"{API}/staff/", {"ordering": "employee_id"}).json()["results"]
    assert [r["employee_id"] for r in ordered] == sorted(r["employee_id"] for r in ordered)


# --- assignments ---------------------------------------------------------------------------


def test_assignments_list_as_admin(client, world):
    login_as(client, world, "a.admin")
    response = client.get(f"{API}/assignments/")
    assert response.status_code == 200
    # One per world person, the two new teachers and the coach included.
    assert response.json()["count"] == 9
    assignment, teacher = world.obj("a.teacher_assignment"), world.obj("a.teacher")
    row = client.get(f"{API}/assignments/{assignment.pk}/").json()
    assert row == {
        "id": assignment.pk,
        "staff": teacher.pk,
        "staff_name": teacher.full_name,
        "role": "teacher",
        "school": world.obj("a.school").pk,
        "school_name": world.obj("a.school").name,
        "program": None,
        "program_name": None,
        "start_date": "2020-08-20",
        "end_date": None,
        "is_current": True,
    }


def test_assignments_scope_follows_staff_scope(client, world):
    principal = login_as(client, world, "a.principal")
    teacher = world.obj("a.teacher")
    rows = client.get(f"{API}/assignments/").json()["results"]
    assert {row["staff"] for row in rows} == {
        principal.pk,
        teacher.pk,
        world.obj("a.new_teacher").pk,
        world.obj("a.second_new_teacher").pk,
        world.obj("a.coach").pk,  # the instructional coach at the principal's school
    }
    login_as(client, world, "a.teacher")
    rows = client.get(f"{API}/assignments/").json()["results"]
    assert [row["id"] for row in rows] == [world.obj("a.teacher_assignment").pk]
    other = world.obj("a.other_teacher").assignments.get()
    assert client.get(f"{API}/assignments/{other.pk}/").status_code == 404


def test_assignments_filters(client, world):
    login_as(client, world, "a.admin")
    teacher, school = world.obj("a.teacher"), world.obj("a.school")
    program = world.obj("a.program")
    today = world.a.today()
    ended = AssignmentFactory(
        staff=teacher,
        school=world.obj("a.other_school"),
        start_date=date(2019, 8, 1),
        end_date=date(2020, 6, 30),
    )
    future = AssignmentFactory(
        staff=teacher,
        school=None,
        program=program,
        role=Role.INSTRUCTIONAL_COACH,
        start_date=today + timedelta(days=30),
    )
    current = world.obj("a.teacher_assignment")

    def found(**params):
        return ids(client.get(f"{API}/assignments/", params))

    assert found(staff=teacher.pk) == {current.pk}
    assert found(staff=teacher.pk, current="false") == {ended.pk, future.pk}
    assert found(staff=teacher.pk, current="all") == {current.pk, ended.pk, future.pk}
    assert found(school=school.pk) == {
        current.pk,
        world.obj("a.principal").assignments.get().pk,
        world.obj("a.new_teacher").assignments.get().pk,
        world.obj("a.second_new_teacher").assignments.get().pk,
        world.obj("a.coach").assignments.get().pk,  # the instructional coach
    }
    assert found(program=program.pk, current="all", role="instructional_coach") == {future.pk}
    assert found(role="district_admin") == {world.obj("a.admin").assignments.get().pk}
    is_current = {
        r["id"]: r["is_current"]
        for r in client.get(f"{API}/assignments/", {"staff": teacher.pk, "current": "all"}).json()[
            "results"
        ]
    }
    assert is_current == {current.pk: True, ended.pk: False, future.pk: False}


def test_assignments_create_and_update_as_admin(client, world):
    admin = login_as(client, world, "a.admin")
    teacher, other_school = world.obj("a.teacher"), world.obj("a.other_school")
    response = post(
        client,
        "assignments/",
        {
            "staff": teacher.pk,
            "school": other_school.pk,
            "role": "instructional_coach",
            "start_date": "2026-08-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["staff"], body["school"], body["role"], body["program"]) == (
        teacher.pk,
        other_school.pk,
        "instructional_coach",
        None,
    )
    assignment = Assignment.objects.get(pk=body["id"])
    assert assignment.district == world.a

    response = patch(client, f"assignments/{assignment.pk}/", {"end_date": "2027-06-30"})
    assert response.status_code == 200 and response.json()["end_date"] == "2027-06-30"
    assert AuditEvent.objects.filter(
        object_type="districts.assignment",
        action="update",
        object_id=str(assignment.pk),
        actor=admin.user,
    ).exists()


def test_assignments_domain_errors_surface(client, world):
    login_as(client, world, "a.admin")
    teacher, school, program = (
        world.obj("a.teacher"),
        world.obj("a.school"),
        world.obj("a.program"),
    )
    response = post(client, "assignments/", {"staff": teacher.pk, "role": "principal"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "assignment.needs_school",
        "detail": "A principal's assignment needs a school.",
        "field": "school",
    }
    both = post(
        client, "assignments/", {"staff": teacher.pk, "school": school.pk, "program": program.pk}
    )
    assert both.status_code == 400 and both.json()["code"] == "assignment.school_and_program"
    assignment = world.obj("a.teacher_assignment")
    backwards = patch(client, f"assignments/{assignment.pk}/", {"end_date": "2019-01-01"})
    assert backwards.status_code == 400 and backwards.json()["code"] == "assignment.dates"


@pytest.mark.parametrize("field", ["staff", "school", "program"])
def test_assignments_refuse_foreign_ids(client, world, field):
    login_as(client, world, "a.admin")
    data = {"staff": world.obj("a.teacher").pk, "role": "teacher"}
    data[field] = world.obj(
        {"staff": "b.teacher", "school": "b.school", "program": "b.program"}[field]
    ).pk
    response = post(client, "assignments/", data)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [
        f'Invalid pk "{data[field]}" - object does not exist.'
    ]
    # The world's nine (one per person, the coach included), unchanged.
    assert Assignment.objects.filter(district=world.a).count() == 9


def test_assignments_writes_are_admin_only(client, world):
    login_as(client, world, "a.principal")
    assignment = world.obj("a.teacher_assignment")
    assert post(client, "assignments/", {"staff": world.obj("a.teacher").pk}).status_code == 403
    assert (
        patch(client, f"assignments/{assignment.pk}/", {"end_date": "2027-01-01"}).status_code
        == 403
    )


# --- no deleting --------------------------------------------------------------------------


def test_no_delete_anywhere(client, world):
    login_as(client, world, "a.admin")
    school = world.obj("a.school")
    assert client.delete(f"{API}/schools/{school.pk}/").status_code == 405
    assert (
        client.put(
            f"{API}/schools/{school.pk}/", {"name": "x"}, content_type="application/json"
        ).status_code
        == 405
    )
    assert School.objects.filter(pk=school.pk).exists()


# --- bad input is a 400, never a 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("staff/", {"first_name": "A", "last_name": "B", "subjects": "Math"}),
        ("staff/", {"first_name": "A", "last_name": "B", "subjects": [{"x": 1}]}),
        ("staff/", {"first_name": "A", "last_name": "B", "contracted_days": -1}),
        ("staff/", {"first_name": "A", "last_name": "B", "hire_date": "31/12/2020"}),
        ("staff/", {"first_name": "A", "last_name": "B", "email": "not an email"}),
        ("staff/", {"last_name": "B"}),
        ("assignments/", {"staff": "abc"}),
        ("assignments/", {"staff": 99999999999999999999999}),
        ("assignments/", {"staff": True}),
        ("assignments/", {"staff": None}),
        ("programs/", {"name": "P", "schools": "all"}),
        ("school-years/", {"name": "Y", "start_date": "2030-02-30", "end_date": "2031-01-01"}),
        ("schools/", ["not", "an", "object"]),
    ],
)
def test_bad_bodies_are_400(client, world, path, data):
    login_as(client, world, "a.admin")
    response = post(client, path, data)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


# --- query counts (every list's: cadre/tests/test_api_checks.py) --------------------------
# A session-authenticated list costs 13 queries or fewer, whatever the number of rows:
#   session, user, the sign-in backend's active-staff check, actor in the middleware (staff,
#   assignments), actor again in the API view (staff, assignments), page count, page rows,
#   one prefetch where the rows nest (staff assignments, program schools), session save (3).
# Token calls skip the session and the middleware's actor.


@pytest.mark.parametrize("rows", [3, 30])
def test_principal_staff_list_query_count_is_pinned(client, world, django_assert_num_queries, rows):
    more_staff(world, rows)
    login_as(client, world, "a.principal")
    client.get(f"{API}/staff/")
    with django_assert_num_queries(12):  # 11, and the page's extended support
        response = client.get(f"{API}/staff/")
    # The two new teachers, the principal, the teacher and the coach.
    assert response.json()["count"] == rows + 5


# --- OpenAPI -------------------------------------------------------------------------------


def test_schema_generates_without_warnings(openapi_schema):
    # `check --deploy` runs the same generation; a warning there blocks a release (the
    # fixture generates it with --validate --fail-on-warn).
    schema = openapi_schema
    operations = {(route, method) for route, item in schema["paths"].items() for method in item}
    for resource in RESOURCES:
        assert (f"{API}/{resource}/", "get") in operations
        assert (f"{API}/{resource}/", "post") in operations
        assert (f"{API}/{resource}/{{id}}/", "patch") in operations
        assert (f"{API}/{resource}/{{id}}/", "delete") not in operations
        assert (f"{API}/{resource}/{{id}}/", "put") not in operations
    assert (f"{API}/staff/{{id}}/deactivate/", "post") in operations
    assert (f"{API}/school-years/{{id}}/make-current/", "post") in operations
    staff = schema["components"]["schemas"]["Staff"]["properties"]
    assert set(staff) == STAFF_KEYS


# --- experience unknown is not zero --------------------------------------------------------


def test_unknown_experience_is_null_and_not_a_new_teacher(client, world):
    login_as(client, world, "a.admin")
    unknown = StaffFactory(district=world.a, last_name="Unknown", unknown_experience=True)
    AssignmentFactory(staff=unknown, school=world.obj("a.school"), role=Role.TEACHER)
    body = client.get(f"{API}/staff/{unknown.pk}/").json()
    assert (body["contracted_days"], body["substitute_days"]) == (None, None)
    assert body["experience_known"] is False and body["experience_days"] is None
    assert body["is_new_teacher"] is False
    assert body["experience_reason"] == "Experience unknown: no HR data yet"
    assert body["eligibility"]["kind"] == ""
    assert "not counted as a new teacher" in body["eligibility"]["reason"]
    # Listed among those who are not new teachers, never among the new.
    new = ids(client.get(f"{API}/staff/", {"new_teacher": "true", "page_size": 100}))
    not_new = ids(client.get(f"{API}/staff/", {"new_teacher": "false", "page_size": 100}))
    assert unknown.pk not in new and unknown.pk in not_new


def test_days_written_as_null_make_experience_unknown_again(client, world):
    login_as(client, world, "a.admin")
    teacher = world.obj("a.teacher")
    response = patch(
        client, f"staff/{teacher.pk}/", {"contracted_days": None, "substitute_days": None}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["experience_known"] is False and body["experience_days"] is None
    # One known figure counts the other as none.
    body = patch(client, f"staff/{teacher.pk}/", {"substitute_days": 30}).json()
    assert body["experience_known"] is True and body["experience_days"] == 30
    assert body["is_new_teacher"] is True
    assert body["experience_reason"] == "30 days: 0 contracted + 30 substitute"
    response = post(
        client, "staff/", {"first_name": "Ana", "last_name": "Nodays", "email": "ana@x.org"}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["experience_known"] is False


def test_staff_fte_is_written_and_checked(client, world):
    login_as(client, world, "a.admin")
    teacher = world.obj("a.teacher")
    response = patch(client, f"staff/{teacher.pk}/", {"fte": "0.5"})
    assert response.status_code == 200 and response.json()["fte"] == "0.500"
    assert patch(client, f"staff/{teacher.pk}/", {"fte": "3"}).status_code == 400


def test_staff_whose_experience_is_unknown_can_be_listed(client, world):
    from cadre.districts.factories import AssignmentFactory, StaffFactory
    from cadre.districts.models import Role

    unknown = StaffFactory(district=world.a, unknown_experience=True)
    AssignmentFactory(staff=unknown, school=world.obj("a.school"), role=Role.TEACHER)
    login_as(client, world, "a.admin")
    response = client.get(f"{API}/staff/", {"experience_unknown": "true"})
    assert response.status_code == 200 and ids(response) == {unknown.pk}
    assert response.json()["results"][0]["experience_known"] is False
