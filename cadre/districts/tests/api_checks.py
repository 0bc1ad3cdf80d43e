"""The districts API's contract, for the shared checks (cadre/tests/test_api_checks.py).

In district A of the `world`: `school`, `program`, `year`, the `teacher` and their
`teacher_assignment`. The administrator asks; inactive rows are listed with `active=all`
(`current=all` for assignments).
"""

from datetime import date

from cadre.districts.factories import (
    AssignmentFactory,
    ProgramFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffFactory,
)
from cadre.districts.models import Role
from cadre.tests.api_checks import Actions, Malformed, Queries, Resource


def more_schools(world, n):
    for _ in range(n):
        AssignmentFactory(
            staff=StaffFactory(district=world.a), school=SchoolFactory(district=world.a)
        )


def more_programs(world, n):
    for _ in range(n):
        program = ProgramFactory(district=world.a)
        program.schools.add(SchoolFactory(district=world.a), SchoolFactory(district=world.a))


def more_school_years(world, n):
    for i in range(n):
        SchoolYearFactory(
            district=world.a,
            name=f"{1990 + i}",
            is_current=False,
            start_date=date(1990 + i, 7, 1),
            end_date=date(1991 + i, 6, 30),
        )


def more_staff(world, n):
    school, program = world.obj("a.school"), world.obj("a.program")
    for i in range(n):
        staff = StaffFactory(district=world.a)
        AssignmentFactory(staff=staff, school=school)
        if i % 2:
            AssignmentFactory(
                staff=staff, school=None, program=program, role=Role.INSTRUCTIONAL_COACH
            )


ALL = {"active": "all"}
# A session call reuses the middleware's actor; a token call loads it after authentication.
RESOURCES = {
    "schools": Resource(
        obj="school",
        outsider_query=ALL,
        bad_params=(("schools/", {"active": "1; DROP TABLE"}, "active"),),
        queries=Queries(more_schools, 10, 5, full_page=True),
    ),
    "programs": Resource(
        obj="program",
        outsider_query=ALL,
        bad_params=(("programs/", {"ordering": "-kind"}, "ordering"),),
        queries=Queries(more_programs, 11, 6, full_page=True),
    ),
    "school-years": Resource(
        obj="year",
        bad_params=(("school-years/", {"ordering": "is_current"}, "ordering"),),
        queries=Queries(more_school_years, 10, 5, full_page=True),
    ),
    "staff": Resource(
        obj="teacher",
        outsider_query=ALL,
        bad_params=(
            ("staff/", {"school": "abc"}, "school"),
            ("staff/", {"school": "99999999999999999999999"}, "school"),
            ("staff/", {"role": "wizard"}, "role"),
            ("staff/", {"active": "maybe"}, "active"),
            ("staff/", {"new_teacher": "perhaps"}, "new_teacher"),
            ("staff/", {"ordering": "password"}, "ordering"),
            ("staff/", {"q": "x" * 201}, "q"),
        ),
        # The staff add their current year's extended support (mentoring eligibility): one more.
        queries=Queries(more_staff, 12, 7, full_page=True),
    ),
    "assignments": Resource(
        obj="teacher_assignment",
        outsider_query={"current": "all"},
        bad_params=(
            ("assignments/", {"current": "yes please"}, "current"),
            ("assignments/", {"staff": "-1"}, "staff"),
        ),
        queries=Queries(more_staff, 10, 5, full_page=True),
    ),
    # Imports are the administrator's; their own tests (test_imports_api.py) cover them.
    "imports": Resource(obj="import"),
    "staff-data": Resource(skip="a POST-only upload: test_staffdata.py and test_imports_api.py"),
}
ACTIONS = Actions(
    paths=(
        "staff/{teacher}/deactivate/",
        "staff/{teacher}/reactivate/",
        "school-years/{year}/make-current/",
    ),
)
MALFORMED = Malformed("a.admin", "schools/")
