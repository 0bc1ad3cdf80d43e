"""The world's catalog part (conftest.py joins the parts; see World there)."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cadre.catalog.factories import (
    FocusAreaFactory,
    OfferingFactory,
    PartnerFactory,
    RegistrationFactory,
    SessionFactory,
    add_meeting,
)
from cadre.catalog.models import (
    Attendance,
    CalendarFeed,
    Completion,
    ExternalHours,
    Offering,
    PartnerAgreement,
    PartnerContact,
    Registration,
    Session,
    SessionAssignment,
)


def build(district, o: dict) -> None:
    """A partner with a contact and an agreement; a published district offering that the
    other teacher facilitates, with a session next week (one meeting) where the teacher is
    registered, and a closed session last month that the teacher completed; an offering
    needing the principal's approval with the teacher's request waiting; a school's draft
    offering; the teacher's submitted external hours and calendar feed; and the principal's
    assignment of the session to the school."""
    focus = FocusAreaFactory(district=district, name="Literacy")
    partner = PartnerFactory(district=district, name="Western University")
    contact = PartnerContact.objects.create(
        district=district, partner=partner, name="Dana Reyes", email="dana@example.edu"
    )
    agreement = PartnerAgreement.objects.create(
        district=district,
        partner=partner,
        title="Reading endorsement MOU",
        start_date=o["year"].start_date,
        end_date=o["year"].end_date,
        cost=Decimal("12000"),
    )
    offering = OfferingFactory(district=district, title="Guided reading", partner=partner)
    offering.focus_areas.add(focus)
    offering.facilitators.add(o["other_teacher"])
    session = SessionFactory(
        district=district, offering=offering, school_year=o["year"], name="Fall"
    )
    meeting = add_meeting(session)
    registration = RegistrationFactory(
        district=district, session=session, staff=o["teacher"], school=o["school"]
    )
    program_registration = RegistrationFactory(
        district=district, session=session, staff=o["program_teacher"], program=o["program"]
    )
    now = timezone.now().replace(microsecond=0)
    done_session = SessionFactory(
        district=district,
        offering=offering,
        school_year=o["year"],
        name="Summer",
        status=Session.Status.CLOSED,
    )
    done_meeting = add_meeting(done_session, start=now - timedelta(days=30), minutes=180)
    done = RegistrationFactory(
        district=district,
        session=done_session,
        staff=o["teacher"],
        school=o["school"],
        status=Registration.Status.COMPLETED,
    )
    attendance = Attendance.objects.create(
        district=district,
        meeting=done_meeting,
        registration=done,
        minutes=180,
        method=Attendance.Method.ROSTER,
    )
    completion = Completion.objects.create(
        district=district,
        registration=done,
        staff=o["teacher"],
        offering=offering,
        school_year=o["year"],
        completed_on=done_meeting.starts_at.date(),
        minutes=180,
        clock_hours=Decimal("3.00"),
        category=offering.category,
    )
    approval_offering = OfferingFactory(
        district=district,
        title="Leadership institute",
        approval=Offering.Approval.SUPERVISOR,
    )
    approval_session = SessionFactory(
        district=district, offering=approval_offering, school_year=o["year"]
    )
    add_meeting(approval_session, start=now + timedelta(days=14))
    requested = RegistrationFactory(
        district=district,
        session=approval_session,
        staff=o["teacher"],
        school=o["school"],
        status=Registration.Status.REQUESTED,
    )
    draft_offering = OfferingFactory(
        district=district,
        title="School data dive",
        school=o["school"],
        status=Offering.Status.DRAFT,
    )
    external = ExternalHours.objects.create(
        district=district,
        staff=o["teacher"],
        school=o["school"],
        school_year=o["year"],
        title="State reading conference",
        completed_on=o["year"].start_date,
        hours=Decimal("6"),
        evidence="Certificate 1234",
        submitted_at=now,
        file_type="application/pdf",
    )
    external.file.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"))
    feed = CalendarFeed.objects.create(district=district, staff=o["teacher"])
    assignment = SessionAssignment.objects.create(
        district=district,
        session=session,
        school=o["school"],
        assigned_count=1,
        assigned_by=o["principal"].user,
    )
    o |= {
        "focus_area": focus,
        "partner": partner,
        "partner_contact": contact,
        "agreement": agreement,
        "offering": offering,
        "session": session,
        "meeting": meeting,
        "registration": registration,
        "program_registration": program_registration,
        "done_session": done_session,
        "done_meeting": done_meeting,
        "done_registration": done,
        "attendance": attendance,
        "completion": completion,
        "approval_offering": approval_offering,
        "approval_session": approval_session,
        "requested_registration": requested,
        "draft_offering": draft_offering,
        "external_hours": external,
        "feed": feed,
        "session_assignment": assignment,
    }
