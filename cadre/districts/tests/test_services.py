from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts import services
from cadre.districts.factories import (
    DistrictFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
)
from cadre.districts.models import Role, SchoolYear, Staff

pytestmark = pytest.mark.django_db


def test_district_defaults_follow_the_domain():
    district = DistrictFactory()
    assert district.new_teacher_threshold_days == 90
    assert district.min_group_size == 10
    assert (district.clock_hour_minutes, district.clock_hour_min_minutes) == (60, 60)
    assert (district.renewal_hours, district.renewal_years, district.renewal_equity_hours) == (
        100,
        5,
        15,
    )
    assert district.fiscal_year_start_month == 7
    assert len(district.pseudonym_secret) == 64


@pytest.mark.parametrize(
    ("contracted", "substitute", "is_new"),
    [
        (89, 0, True),
        (90, 0, False),
        (91, 0, False),
        (60, 29, True),
        (60, 30, False),
    ],
)
def test_new_teacher_counts_substitute_days_at_the_edges(contracted, substitute, is_new):
    staff = StaffFactory(contracted_days=contracted, substitute_days=substitute)
    assert staff.is_new_teacher is is_new
    assert staff.experience_reason == (
        f"{contracted + substitute} days: {contracted} contracted + {substitute} substitute"
    )


def test_school_create_and_update_are_audited(world):
    admin = world.obj("a.admin").user
    school = services.school_create(
        district=world.a, actor=admin, data={"name": "Lakeside High", "code": "LH"}
    )
    services.school_update(school=school, actor=admin, data={"name": "Lakeside High School"})
    services.school_update(school=school, actor=admin, data={"name": "Lakeside High School"})
    events = list(
        AuditEvent.objects.filter(
            object_type="districts.school", object_id=str(school.pk)
        ).order_by("id")
    )
    assert [e.action for e in events] == ["create", "update"]  # no event for a no-op
    assert events[1].changes == {"name": ["Lakeside High", "Lakeside High School"]}
    assert events[1].actor == admin


def test_staff_create_links_a_login_by_email(world):
    admin = world.obj("a.admin").user
    staff = services.staff_create(
        district=world.a,
        actor=admin,
        data={"first_name": "Ada", "last_name": "Park", "email": "Ada.Park@Example.org"},
    )
    assert staff.user.email == "ada.park@example.org"
    assert not staff.user.has_usable_password()


def test_staff_email_in_use_by_another_person_is_refused(world):
    admin = world.obj("a.admin").user
    taken = world.obj("a.teacher").email
    with pytest.raises(Conflict) as exc:
        services.staff_create(
            district=world.a,
            actor=admin,
            data={"first_name": "Bo", "last_name": "Li", "email": taken},
        )
    assert exc.value.code == "staff.email_taken"


def test_duplicate_employee_id_is_a_conflict_not_a_crash(world):
    admin = world.obj("a.admin").user
    with pytest.raises(Conflict) as exc:
        services.staff_create(
            district=world.a,
            actor=admin,
            data={
                "first_name": "Bo",
                "last_name": "Li",
                "employee_id": world.obj("a.teacher").employee_id,
            },
        )
    assert exc.value.code == "staff.duplicate"


def test_deactivate_never_deletes_and_is_a_transition(world):
    admin = world.obj("a.admin").user
    teacher = world.obj("a.teacher")
    services.staff_deactivate(staff=teacher, actor=admin, reason="Left the district")
    teacher.refresh_from_db()
    assert teacher.is_active is False
    event = AuditEvent.objects.get(
        object_type="districts.staff", object_id=str(teacher.pk), action="transition"
    )
    assert (event.from_state, event.to_state, event.comment) == (
        "active",
        "inactive",
        "Left the district",
    )
    with pytest.raises(Conflict) as exc:
        services.staff_deactivate(staff=teacher, actor=admin)
    assert exc.value.code == "staff.already_inactive"
    services.staff_reactivate(staff=teacher, actor=admin)
    teacher.refresh_from_db()
    assert teacher.is_active
    with pytest.raises(Conflict) as exc:
        services.staff_reactivate(staff=teacher, actor=admin)
    assert exc.value.code == "staff.already_active"


def test_admin_cannot_deactivate_themselves(world):
    admin = world.obj("a.admin")
    with pytest.raises(DomainError) as exc:
        services.staff_deactivate(staff=admin, actor=admin.user)
    assert exc.value.code == "staff.self_deactivate"


def test_exactly_one_current_school_year(world):
    admin = world.obj("a.admin").user
    old = world.obj("a.year")
    new = services.school_year_create(
        district=world.a,
        actor=admin,
        data={"name": "2027–28", "start_date": date(2027, 7, 1), "end_date": date(2028, 6, 30)},
    )
    assert not new.is_current  # a current year exists already
    services.school_year_make_current(school_year=new, actor=admin)
    assert list(SchoolYear.objects.filter(district=world.a, is_current=True)) == [new]
    old.refresh_from_db()
    assert not old.is_current


def test_first_school_year_becomes_current():
    district = DistrictFactory()
    year = services.school_year_create(
        district=district,
        actor=None,
        data={"name": "2026–27", "start_date": date(2026, 7, 1), "end_date": date(2027, 6, 30)},
    )
    assert year.is_current


def test_school_year_dates_are_validated(world):
    with pytest.raises(ValidationError):
        services.school_year_create(
            district=world.a,
            actor=None,
            data={
                "name": "Backwards",
                "start_date": date(2027, 7, 1),
                "end_date": date(2026, 6, 30),
            },
        )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"role": Role.PRINCIPAL}, "assignment.needs_school"),
        ({"role": Role.PROGRAM_DIRECTOR}, "assignment.needs_program"),
        (
            {"role": Role.TEACHER, "start_date": date(2026, 9, 1), "end_date": date(2026, 8, 1)},
            "assignment.dates",
        ),
    ],
)
def test_assignment_rules(world, data, code):
    with pytest.raises(DomainError) as exc:
        services.assignment_create(
            district=world.a, actor=None, data={"staff": world.obj("a.teacher"), **data}
        )
    assert exc.value.code == code


def test_assignment_refuses_another_districts_school(world):
    with pytest.raises(DomainError) as exc:
        services.assignment_create(
            district=world.a,
            actor=None,
            data={
                "staff": world.obj("a.teacher"),
                "role": Role.TEACHER,
                "school": world.obj("b.school"),
            },
        )
    assert exc.value.code == "district.mismatch"


def test_assignment_school_and_program_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.assignment_create(
            district=world.a,
            actor=None,
            data={
                "staff": world.obj("a.teacher"),
                "role": Role.TEACHER,
                "school": world.obj("a.school"),
                "program": world.obj("a.program"),
            },
        )
    assert exc.value.code == "assignment.school_and_program"


def test_assignment_end(world):
    assignment = world.obj("a.teacher_assignment")
    services.assignment_end(assignment=assignment, actor=None, on=date(2026, 11, 1))
    assert assignment.end_date == date(2026, 11, 1)
    with pytest.raises(Conflict) as exc:
        services.assignment_end(assignment=assignment, actor=None, on=date(2026, 11, 2))
    assert exc.value.code == "assignment.already_ended"


def test_program_schools_must_be_in_district(world):
    with pytest.raises(DomainError):
        services.program_create(
            district=world.a,
            actor=None,
            data={"name": "Title I", "schools": [world.obj("b.school")]},
        )


def test_school_year_factory_is_scoped():
    year = SchoolYearFactory()
    school = SchoolFactory(district=year.district)
    assert school.district == year.district


def test_duplicate_school_year_name_is_a_conflict(world):
    with pytest.raises(Conflict) as exc:
        services.school_year_create(
            district=world.a,
            actor=None,
            data={
                "name": world.obj("a.year").name,
                "start_date": date(2030, 7, 1),
                "end_date": date(2031, 6, 30),
            },
        )
    assert exc.value.code == "school_year.duplicate"


def test_add_district_admin_command(capsys):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from cadre.districts import access

    call_command(
        "add_district_admin",
        "--district",
        "cedar",
        "--name",
        "Cedar USD",
        "--email",
        "Boss@Cedar.example",
        "--first-name",
        "Bea",
        "--last-name",
        "Boss",
    )
    call_command("add_district_admin", "--district", "cedar", "--email", "boss@cedar.example")
    with scopes_disabled():
        staff = Staff.objects.get(email="Boss@Cedar.example")
        assert staff.assignments.count() == 1
    assert access.actor_for(staff.user).is_district_admin
    assert "is a district administrator" in capsys.readouterr().out
