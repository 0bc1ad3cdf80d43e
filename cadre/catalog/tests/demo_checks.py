"""Checks of the demo district's catalog part, run by cadre/tests/test_demo.py on one build."""

from cadre.catalog.models import (
    Completion,
    ExternalHours,
    Offering,
    Partner,
    Registration,
    Session,
)
from cadre.districts.models import District
from cadre.funding.reconcile import reconcile
from cadre.growth.models import IsdRequest


def check(client, **_):
    """The demo catalogue has every format and registrations in every state."""
    district = District.objects.get(slug="demo")
    offerings = Offering.objects.filter(district=district)
    assert offerings.count() >= 120 and Partner.objects.filter(district=district).count() >= 6
    assert {o.format for o in offerings} == set(Offering.Format)
    assert {o.status for o in offerings} >= {"draft", "published"}
    sessions = Session.objects.filter(district=district)
    assert {s.status for s in sessions} >= {"scheduled", "closed"}
    registrations = Registration.objects.filter(district=district)
    assert {r.status for r in registrations} >= {
        "registered",
        "waitlisted",
        "requested",
        "denied",
        "completed",
        "incomplete",
    }
    assert registrations.filter(assigned=True).exists()
    assert Completion.objects.filter(district=district, clock_hours__gt=0).exists()
    teacher = registrations.filter(staff__email="teacher@riverbend.example")
    assert {r.status for r in teacher} >= {"completed", "waitlisted", "registered"}
    assert ExternalHours.objects.filter(district=district, status="approved").exists()
    assert IsdRequest.objects.filter(district=district, offering__isnull=False).exists()
    assert reconcile(district) == []
