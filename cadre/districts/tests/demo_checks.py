"""Checks of the demo district's people and imports, run by cadre/tests/test_demo.py on one
build."""

from django.contrib.auth import authenticate, get_user_model

from cadre.audit.models import AuditEvent
from cadre.districts import demo, selectors
from cadre.districts.access import actor_for
from cadre.districts.models import (
    District,
    ImportRun,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)

User = get_user_model()


def snapshot():
    return list(
        Staff.objects.filter(district__slug="demo")
        .order_by("employee_id")
        .values_list("employee_id", "first_name", "last_name", "contracted_days")[:50]
    )


def check(client, out: str, **_):
    """A realistic district, experience from its sample HR file, and every account."""
    assert "Password for every account: cadre-demo" in out
    district = District.objects.get(slug="demo")
    assert School.objects.filter(district=district).count() == 15
    assert 1400 <= Staff.objects.filter(district=district).count() <= 1600
    assert SchoolYear.objects.get(district=district, is_current=True).name == "2026–27"
    kinds = set(Program.objects.filter(district=district).values_list("kind", flat=True))
    assert kinds == {"title_i", "special_education"}
    staff = list(Staff.objects.filter(district=district))
    days = {s.experience_days for s in staff if s.experience_known and s.experience_days < 100}
    assert {89, 90, 91} <= days
    new = [s for s in staff if s.is_new_teacher]
    assert 20 <= len(new) <= 150
    hr_file(district)
    accounts()


def hr_file(district):
    """The roster carries no experience: the demo imports a payroll export for it, as an
    administrator would, and leaves a handful of teachers out, whose experience is unknown."""
    run = ImportRun.objects.get(district=district, kind=ImportRun.Kind.STAFF_DATA)
    assert run.status == ImportRun.Status.SUCCEEDED and not run.problems and not run.dry_run
    assert run.original_name == demo.HR_FILE and run.uploaded_by.email == "admin@riverbend.example"
    staff = Staff.objects.filter(district=district)
    assert run.summary["rows"] == run.summary["matched"] == run.summary["updated"] > 1400
    header = run.file.open("rb").read().decode("utf-8").splitlines()[0]
    assert header.startswith("Employee Number,Last Name,First Name,Work Email,Hire Date")
    unknown = staff.filter(contracted_days__isnull=True, substitute_days__isnull=True)
    assert 5 <= unknown.count() <= 10
    assert not any(s.is_new_teacher for s in unknown.select_related("district"))
    actor = actor_for(User.objects.get(email="admin@riverbend.example"))
    assert selectors.unknown_experience(actor).count() == unknown.count()
    # HR gave emails to most staff the roster listed without one: the rest cannot sign in.
    assert staff.filter(email="").count() == 3
    assert staff.exclude(fte=None).count() == run.summary["rows"]  # everyone in the file
    assert staff.filter(fte__lt=1).exists()
    # Every change is audited, in bulk, as from HR data.
    assert (
        AuditEvent.objects.filter(
            district=district, action=AuditEvent.Action.IMPORT, comment="From HR data."
        ).count()
        == run.summary["updated"]
    )


ACCOUNTS = [
    ("admin", Role.DISTRICT_ADMIN),
    ("principal", Role.PRINCIPAL),
    ("ap", Role.ASSISTANT_PRINCIPAL),
    ("director", Role.PROGRAM_DIRECTOR),
    ("business", Role.BUSINESS_OFFICE),
    ("coach", Role.INSTRUCTIONAL_COACH),
    ("counselor", Role.COUNSELOR),
    ("para", Role.PARAEDUCATOR),
    ("teacher", Role.TEACHER),
    ("newteacher", Role.TEACHER),
]


def accounts():
    for key, role in ACCOUNTS:
        user = authenticate(email=f"{key}@riverbend.example", password=demo.DEMO_PASSWORD)
        assert user is not None, key
        assert role in set(user.person.assignments.values_list("role", flat=True)), key
    assert authenticate(
        email="newteacher@riverbend.example", password=demo.DEMO_PASSWORD
    ).person.is_new_teacher
