"""The transcript's arithmetic: lines from completions, approved external hours and the yearly
growth plan; clock hours by category per year and across years; university credit; progress
toward renewal at the edge of its window; the administrators' equity figure; and a fixed
number of queries."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.catalog.factories import OfferingFactory, RegistrationFactory, SessionFactory
from cadre.catalog.models import Category, Completion, CreditKind, ExternalHours, Registration
from cadre.catalog.selectors import transcript as selectors
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, SchoolYearFactory, staff_with_role
from cadre.districts.models import Assignment, Role
from cadre.growth.models import ProfessionalGoal

pytestmark = pytest.mark.django_db
D = Decimal
Kind = selectors.Kind


@pytest.fixture
def person(o):
    """A teacher at the principal's school with nothing on their transcript yet."""
    return staff_with_role(Role.TEACHER, school=o["school"])


@pytest.fixture
def last_year(world):
    return SchoolYearFactory(
        district=world.a,
        name="2025–26",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )


def complete(staff, year, on, hours, category=Category.GENERAL, **extra) -> Completion:
    district = staff.district
    offering = OfferingFactory(district=district, category=category)
    session = SessionFactory(district=district, offering=offering, school_year=year)
    registration = RegistrationFactory(
        district=district, session=session, staff=staff, status=Registration.Status.COMPLETED
    )
    return Completion.objects.create(
        district=district,
        registration=registration,
        staff=staff,
        offering=offering,
        school_year=year,
        completed_on=on,
        minutes=int(D(hours) * 60),
        clock_hours=D(hours),
        category=category,
        **extra,
    )


def external(staff, year, on, hours, category=Category.GENERAL, status="approved", **extra):
    return ExternalHours.objects.create(
        district=staff.district,
        staff=staff,
        school_year=year,
        title=extra.pop("title", "Conference"),
        completed_on=on,
        hours=D(hours),
        category=category,
        evidence="Certificate",
        status=status,
        **extra,
    )


def reflected_goal(staff, year, at: date | None, status=ProfessionalGoal.Status.APPROVED):
    district = staff.district
    return ProfessionalGoal.objects.create(
        district=district,
        staff=staff,
        school_year=year,
        title="Goal",
        status=status,
        reflection="Done" if at else "",
        reflected_at=datetime.combine(at, time(12), tzinfo=district.tz) if at else None,
    )


def of(world, staff, year=None):
    return selectors.transcript(actor_for(staff.user), staff, year)


def test_hours_by_category_count_completions_and_approved_external_hours_only(world, o, person):
    year = o["year"]
    day = year.start_date + timedelta(days=20)
    complete(person, year, day, "3")
    complete(person, year, day, "2.5", Category.EQUITY)
    complete(person, year, day, "4", Category.STEM)
    external(person, year, day, "6", Category.EQUITY)
    for status in ("submitted", "returned", "withdrawn"):
        external(person, year, day, "100", status=status)
    t = of(world, person)
    assert [line.kind for line in t.lines].count(Kind.CATALOGUE) == 3
    assert [line.kind for line in t.lines].count(Kind.EXTERNAL) == 1
    assert t.totals.hours == {"general": D("3"), "equity": D("8.5"), "stem": D("4")}
    assert t.totals.total == D("15.5")
    assert [(c, h) for c, _label, h in t.totals.rows] == [
        ("general", D("3")),
        ("equity", D("8.5")),
        ("stem", D("4")),
    ]
    assert len(t.blocks) == 1 and t.blocks[0].totals.total == D("15.5")


def test_per_year_and_across_years(world, o, person, last_year):
    complete(person, last_year, date(2025, 9, 10), "10", Category.EQUITY)
    external(person, last_year, date(2026, 3, 2), "5")
    complete(person, o["year"], o["year"].start_date + timedelta(days=5), "7", Category.STEM)
    every = of(world, person)
    assert [b.year for b in every.blocks] == [o["year"], last_year]  # newest first
    assert every.blocks[1].totals.hours == {"general": D(5), "equity": D(10), "stem": D(0)}
    assert every.blocks[0].totals.total == D(7)
    assert every.totals.total == D(22) and every.period == "All years"
    # Lines run by date within each year.
    assert [line.on for line in every.blocks[1].lines] == [date(2025, 9, 10), date(2026, 3, 2)]
    one = of(world, person, last_year)
    assert one.period == "2025–26" and [b.year for b in one.blocks] == [last_year]
    assert one.totals.total == D(15) and len(one.lines) == 2
    # Renewal counts the whole window, whatever year is shown.
    assert one.renewal.earned == every.renewal.earned == D(22)


def test_the_renewal_window_includes_the_day_exactly_renewal_years_ago(world, person):
    district = world.a
    district.renewal_years, district.renewal_hours = 5, 100
    district.save()
    today = district.today()
    edge = selectors._years_ago(today, 5)
    old = SchoolYearFactory(
        district=district,
        name="old",
        start_date=edge - timedelta(days=100),
        end_date=edge + timedelta(days=100),
        is_current=False,
    )
    complete(person, old, edge, "4")  # exactly five years ago: counts
    complete(person, old, edge - timedelta(days=1), "50")  # the day before: does not
    external(person, old, edge, "3", Category.EQUITY)
    t = of(world, person)
    assert t.renewal.since == edge and t.renewal.until == today
    assert t.renewal.earned == D(7) and t.renewal.equity_earned == D(3)
    assert t.renewal.remaining == D(93) and t.renewal.percent == 7
    assert t.totals.total == D(57)  # the transcript itself still shows every line


def test_the_window_from_29_february_starts_on_28_february():
    assert selectors._years_ago(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert selectors._years_ago(date(2028, 2, 29), 4) == date(2024, 2, 29)


def test_progress_caps_at_100_percent_and_says_met(world, o, person):
    district = world.a
    district.renewal_hours, district.renewal_equity_hours = 10, 2
    district.save()
    day = o["year"].start_date
    complete(person, o["year"], day, "12")
    complete(person, o["year"], day, "2", Category.EQUITY)
    r = of(world, person).renewal
    assert r.percent == 100 and r.remaining == 0 and r.equity_percent == 100
    assert r.is_met


def test_equity_for_administrators_uses_the_administrators_figure(world, o, person):
    district = world.a
    district.renewal_equity_hours, district.renewal_equity_hours_admin = 15, 10
    district.save()
    complete(person, o["year"], o["year"].start_date, "4", Category.EQUITY)
    teacher = of(world, person).renewal
    assert not teacher.is_administrator and teacher.equity_required == 15
    assert teacher.equity_remaining == 11 and teacher.equity_percent == 26
    for key in ("principal", "director", "admin"):
        r = of(world, o[key]).renewal
        assert r.is_administrator and r.equity_required == 10, key
    # A principal's assignment that has ended no longer makes them an administrator.
    AssignmentFactory(staff=person, role=Role.PRINCIPAL, school=o["other_school"])
    assert of(world, person).renewal.equity_required == 10
    Assignment.objects.filter(staff=person, role=Role.PRINCIPAL).update(
        start_date=date(2020, 1, 1), end_date=date(2021, 1, 1)
    )
    assert of(world, person).renewal.equity_required == 15


def test_the_growth_plan_credits_its_hours_once_a_year(world, o, person, last_year):
    district = world.a
    district.growth_plan_hours = 25
    district.save()
    year = o["year"]
    first = year.start_date + timedelta(days=30)
    reflected_goal(person, year, first + timedelta(days=3))
    reflected_goal(person, year, first)  # the first reflection dates the credit
    reflected_goal(person, year, None)  # approved, no reflection yet
    reflected_goal(person, last_year, date(2026, 6, 1))
    reflected_goal(person, last_year, date(2026, 6, 2), ProfessionalGoal.Status.RETURNED)
    t = of(world, person)
    plans = [line for line in t.lines if line.kind == Kind.GROWTH_PLAN]
    assert [(p.school_year, p.on, p.hours, p.category) for p in plans] == [
        (year, first, D(25), Category.GENERAL),
        (last_year, date(2026, 6, 1), D(25), Category.GENERAL),
    ]
    assert t.totals.hours["general"] == D(50)
    district.growth_plan_hours = 0
    district.save()
    assert not [line for line in of(world, person).lines if line.kind == Kind.GROWTH_PLAN]


def test_university_credit_counts_as_its_clock_hour_equivalent_never_twice(world, o, person):
    day = o["year"].start_date
    complete(
        person, o["year"], day, "20", credit_kind=CreditKind.QUARTER, credits=D("3")
    )  # 3 quarter credits = 30 hours, more than the 20 attended
    complete(
        person, o["year"], day, "40", credit_kind=CreditKind.SEMESTER, credits=D("2")
    )  # 2 semester credits = 30 hours, less than the 40 attended
    t = of(world, person)
    quarter, semester = sorted(t.lines, key=lambda line: line.credit_kind)
    assert quarter.credit_hours == D("30.00") and quarter.hours == D("30.00")
    assert quarter.credit_label == "3 quarter credits"
    assert semester.credit_hours == D("30.00") and semester.hours == D("40")
    assert t.totals.total == D(70)
    assert t.totals.credit_rows == [("Quarter credits", D(3)), ("Semester credits", D(2))]


def test_the_worlds_teacher_has_their_completion_on_the_transcript(world, o):
    t = of(world, o["teacher"])
    line = next(line for line in t.lines if line.kind == Kind.CATALOGUE)
    assert line.title == "Guided reading" and line.provider == "Western University"
    assert line.code == o["completion"].code and line.url
    # The world's external hours are submitted, not approved: they do not count yet.
    assert not [line for line in t.lines if line.kind == Kind.EXTERNAL]


def _count(world, staff) -> int:
    actor = actor_for(staff.user)
    with CaptureQueriesContext(connection) as ctx:
        t = selectors.transcript(actor, staff)
        assert t.renewal.earned >= 0
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_lines(world, o, person, last_year):
    district = world.a
    district.growth_plan_hours = 25
    district.save()

    def add(n):
        for i in range(n):
            day = o["year"].start_date + timedelta(days=i)
            complete(person, o["year"], day, "1", credit_kind=CreditKind.QUARTER, credits=D(1))
            external(person, last_year, date(2026, 1, 1) + timedelta(days=i), "2")
            reflected_goal(person, last_year if i % 2 else o["year"], day)

    add(2)
    few = _count(world, person)
    add(10)
    assert _count(world, person) == few == 4  # completions, external, goals, administrator
