"""Factories for catalogue rows, each kept in its district."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from cadre.catalog.models import (
    FocusArea,
    Meeting,
    Offering,
    Partner,
    Registration,
    Session,
)
from cadre.districts.factories import DistrictFactory, SchoolYearFactory


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        django_get_or_create = ("district", "name")

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Focus {n}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = Partner.Kind.UNIVERSITY


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Offering {n}")
    format = Offering.Format.IN_PERSON
    structure = Offering.Structure.WORKSHOP
    status = Offering.Status.PUBLISHED
    cost = Decimal("0")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    district = factory.SubFactory(DistrictFactory)
    offering = factory.SubFactory(OfferingFactory, district=factory.SelfAttribute("..district"))
    school_year = factory.SubFactory(
        SchoolYearFactory, district=factory.SelfAttribute("..district")
    )
    capacity = 10


def add_meeting(session: Session, *, start=None, minutes: int = 120, **fields) -> Meeting:
    """A meeting of `minutes`, starting at `start` (default: in a week), keeping the session's
    span and total as the services do."""
    start = start or timezone.now().replace(microsecond=0) + timedelta(days=7)
    meeting = Meeting.objects.create(
        district=session.district,
        session=session,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        minutes=minutes,
        **fields,
    )
    meetings = list(session.meetings.filter(starts_at__isnull=False))
    session.starts_at = min(m.starts_at for m in meetings)
    session.ends_at = max(m.ends_at for m in meetings)
    session.minutes = sum(m.minutes for m in session.meetings.all())
    session.save(update_fields=["starts_at", "ends_at", "minutes"])
    return meeting


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    district = factory.SubFactory(DistrictFactory)
    session = factory.SubFactory(SessionFactory, district=factory.SelfAttribute("..district"))
    status = Registration.Status.REGISTERED
