"""Factories that keep every related object in one district."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from cadre.districts.models import (
    Assignment,
    District,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 (test accounts only)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"District {n}")
    slug = factory.Sequence(lambda n: f"district-{n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"School {n} High")
    code = factory.Sequence(lambda n: f"S{n:03d}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    kind = Program.Kind.TITLE_I


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    district = factory.SubFactory(DistrictFactory)
    name = "2026–27"
    start_date = date(2026, 7, 1)
    end_date = date(2027, 6, 30)
    is_current = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    district = factory.SubFactory(DistrictFactory)
    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"staff{n}@example.org")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    hire_date = date(2020, 8, 20)
    contracted_days = 400
    substitute_days = 0
    subjects = factory.LazyFunction(lambda: ["English"])
    grade_bands = factory.LazyFunction(lambda: ["9-12"])
    bargaining_unit = "Teachers"

    class Params:
        # No HR data yet: experience unknown (not zero), so never a new teacher.
        unknown_experience = factory.Trait(contracted_days=None, substitute_days=None)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    staff = factory.SubFactory(StaffFactory)
    district = factory.SelfAttribute("staff.district")
    school = factory.SubFactory(SchoolFactory, district=factory.SelfAttribute("..district"))
    program = None
    role = Role.TEACHER
    start_date = date(2020, 8, 20)


# Roles held as a district-wide assignment rather than at a school.
DISTRICT_WIDE = (Role.DISTRICT_ADMIN, Role.BUSINESS_OFFICE, Role.MENTOR_COORDINATOR)


def staff_with_role(role: str, *, district=None, school=None, program=None, **kwargs) -> Staff:
    """A staff member with a login and one current assignment in `role`."""
    district = district or (school.district if school else None) or DistrictFactory()
    staff = StaffFactory(district=district, **kwargs)
    if role == Role.PROGRAM_DIRECTOR:
        program = program or ProgramFactory(district=district)
        AssignmentFactory(staff=staff, role=role, school=None, program=program)
    elif role in DISTRICT_WIDE or (program and school is None):
        AssignmentFactory(staff=staff, role=role, school=None, program=program)
    else:
        school = school or SchoolFactory(district=district)
        AssignmentFactory(staff=staff, role=role, school=school, program=program)
    return staff
