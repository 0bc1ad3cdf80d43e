import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from cadre.districts import demo
from cadre.districts.models import District, Program, Role, School, SchoolYear, Staff

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Staff.objects.filter(district__slug="demo")
        .order_by("employee_id")
        .values_list("employee_id", "first_name", "last_name", "contracted_days")[:50]
    )


def test_demo_builds_a_realistic_district(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "Password for every account: cadre-demo" in out
    district = District.objects.get(slug="demo")
    assert School.objects.filter(district=district).count() == 15
    assert 1400 <= Staff.objects.filter(district=district).count() <= 1600
    assert SchoolYear.objects.get(district=district, is_current=True).name == "2026–27"
    kinds = set(Program.objects.filter(district=district).values_list("kind", flat=True))
    assert kinds == {"title_i", "special_education"}
    days = {
        s.experience_days
        for s in Staff.objects.filter(district=district)
        if s.experience_days < 100
    }
    assert {89, 90, 91} <= days
    new = [s for s in Staff.objects.filter(district=district) if s.is_new_teacher]
    assert 20 <= len(new) <= 150


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


def test_every_demo_account_signs_in_with_its_role():
    demo.build_demo()  # once: the demo takes seconds to build
    for key, role in ACCOUNTS:
        user = authenticate(email=f"{key}@riverbend.example", password=demo.DEMO_PASSWORD)
        assert user is not None, key
        assert role in set(user.staff.assignments.values_list("role", flat=True)), key
    assert authenticate(
        email="newteacher@riverbend.example", password=demo.DEMO_PASSWORD
    ).staff.is_new_teacher


def test_demo_is_idempotent_and_deterministic(capsys):
    call_command("demo")
    first = _snapshot()
    count = Staff.objects.count()
    call_command("demo", "--if-empty")
    assert "already exists" in capsys.readouterr().out
    assert Staff.objects.count() == count
    call_command("demo", "--reset")
    assert Staff.objects.count() == count
    assert _snapshot() == first
