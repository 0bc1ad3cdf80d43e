"""Test helpers for the mentor programme, each keeping its rows in one district."""

from decimal import Decimal

from cadre.catalog.factories import OfferingFactory, RegistrationFactory, SessionFactory
from cadre.catalog.models import Completion, Registration
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role, SchoolYear, Staff
from cadre.mentoring import services
from cadre.mentoring.models import Mentor, Training


def train(staff: Staff, *, year: SchoolYear, kind: str = Training.Kind.MENTOR) -> Completion:
    """A completed offering of `kind` for this person (the district's first such training
    offering, or a new one that is made to count)."""
    district = staff.district
    training = Training.objects.filter(district=district, kind=kind).select_related("offering")
    offering = training.first().offering if training.exists() else None
    if offering is None:
        offering = OfferingFactory(district=district, title="Mentor training")
        Training.objects.create(district=district, offering=offering, kind=kind)
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
        completed_on=year.start_date,
        minutes=360,
        clock_hours=Decimal("6.00"),
        category=offering.category,
    )


def new_mentor(*, school, year: SchoolYear, actor=None, cap: int | None = None, **staff) -> Mentor:
    """A trained teacher at `school` made a mentor through the service."""
    person = staff_with_role(Role.TEACHER, school=school, **staff)
    train(person, year=year)
    data = {} if cap is None else {"caseload_cap": cap}
    return services.mentor_create(district=school.district, actor=actor, staff=person, data=data)


def unknown_teacher(*, school, **staff) -> Staff:
    """A teacher at `school` with no HR data yet: experience unknown, so not a new teacher."""
    return staff_with_role(
        Role.TEACHER, school=school, contracted_days=None, substitute_days=None, **staff
    )


def new_teacher(*, school, days: int = 10, **staff) -> Staff:
    """A teacher at `school` with `days` of contracted teaching: new under the default 90."""
    return staff_with_role(
        Role.TEACHER, school=school, contracted_days=days, substitute_days=0, **staff
    )
