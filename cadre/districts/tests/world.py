"""The world's districts part, first of all (conftest.py joins the parts; see World there)."""

from cadre.districts.factories import (
    ProgramFactory,
    SchoolFactory,
    SchoolYearFactory,
    staff_with_role,
)
from cadre.districts.models import ImportRun, Role


def build(district, o: dict) -> None:
    """Two schools and a program at the first; a school year; an admin, a principal of the
    first school, a program director, teachers inside and outside the principal's school and
    in the program; a finished roster import."""
    school = SchoolFactory(district=district)
    other_school = SchoolFactory(district=district)
    program = ProgramFactory(district=district)
    program.schools.add(school)
    year = SchoolYearFactory(district=district)
    people = {
        "admin": staff_with_role(Role.DISTRICT_ADMIN, district=district),
        "principal": staff_with_role(Role.PRINCIPAL, school=school),
        "director": staff_with_role(Role.PROGRAM_DIRECTOR, district=district, program=program),
        "teacher": staff_with_role(Role.TEACHER, school=school),
        "other_teacher": staff_with_role(Role.TEACHER, school=other_school),
        "program_teacher": staff_with_role(Role.TEACHER, district=district, program=program),
    }
    run = ImportRun.objects.create(
        district=district,
        original_name="roster.zip",
        file="imports/roster.zip",
        status="succeeded",
    )
    o |= {
        "school": school,
        "other_school": other_school,
        "program": program,
        "year": year,
        "import": run,
        **people,
        "teacher_assignment": people["teacher"].assignments.get(),
    }
