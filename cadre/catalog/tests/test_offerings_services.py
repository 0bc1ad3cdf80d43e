"""The offerings services: focus areas, partners, offerings (owners, money, credit, goals,
transitions), sessions and meetings (minutes, times, places, modules)."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.catalog.factories import OfferingFactory, SessionFactory
from cadre.catalog.models import (
    DEFAULT_FOCUS_AREAS,
    FocusArea,
    Meeting,
    Offering,
    Partner,
    Registration,
    Session,
)
from cadre.catalog.services import offerings as services
from cadre.core.errors import Conflict, DomainError
from cadre.districts.access import actor_for
from cadre.districts.factories import DistrictFactory
from cadre.funding.factories import FundingSourceFactory
from cadre.funding.models import Use

pytestmark = pytest.mark.django_db
D = Decimal


def actor(o, key):
    return actor_for(o[key].user)


def new_offering(o, who="admin", **data):
    return services.offering_create(
        district=o["school"].district,
        actor=actor(o, who),
        data={"title": "Writers' workshop", "format": "in_person", "structure": "workshop", **data},
    )


def local(o, *args) -> datetime:
    return datetime(*args, tzinfo=o["school"].district.tz)


def codes(excinfo) -> str:
    return excinfo.value.code


# --- focus areas -----------------------------------------------------------------------------


def test_focus_areas_start_from_the_defaults_once():
    district = DistrictFactory()
    names = [f.name for f in services.focus_areas_ensure(district)]
    assert sorted(names) == sorted(DEFAULT_FOCUS_AREAS)
    services.focus_areas_ensure(district)
    assert FocusArea.objects.filter(district=district).count() == len(DEFAULT_FOCUS_AREAS)


def test_a_district_with_focus_areas_keeps_its_own(o):
    # The world's district has "Literacy" only; ensure adds nothing.
    assert [f.name for f in services.focus_areas_ensure(o["school"].district)] == ["Literacy"]


def test_admins_add_rename_and_deactivate_focus_areas(o):
    admin = actor(o, "admin")
    district = o["school"].district
    focus = services.focus_area_create(district=district, actor=admin, data={"name": " Math "})
    assert focus.name == "Math" and focus.is_active
    with pytest.raises(DomainError) as exc:
        services.focus_area_create(district=district, actor=admin, data={"name": "literacy"})
    assert codes(exc) == "focus_area.duplicate"
    services.focus_area_update(
        focus_area=focus, actor=admin, data={"name": "Mathematics", "is_active": False}
    )
    focus.refresh_from_db()
    assert (focus.name, focus.is_active) == ("Mathematics", False)
    assert AuditEvent.objects.filter(object_type="catalog.focusarea", object_id=str(focus.pk))


# --- partners --------------------------------------------------------------------------------


def test_partners_with_contacts_and_agreements(o):
    admin = actor(o, "admin")
    district = o["school"].district
    partner = services.partner_create(
        district=district, actor=admin, data={"name": "Coast College", "kind": "university"}
    )
    with pytest.raises(DomainError) as exc:
        services.partner_create(
            district=district, actor=admin, data={"name": "coast college", "kind": "vendor"}
        )
    assert codes(exc) == "partner.duplicate"
    contact = services.contact_create(partner=partner, actor=admin, data={"name": "Ana"})
    services.contact_update(contact=contact, actor=admin, data={"email": "ana@example.edu"})
    contact.refresh_from_db()
    assert contact.email == "ana@example.edu"
    start = o["year"].start_date
    agreement = services.agreement_create(
        partner=partner,
        actor=admin,
        data={
            "title": "MOU",
            "start_date": start,
            "end_date": start + timedelta(days=300),
            "cost": D("5000"),
            "credit_kind": "quarter",
            "credits": D("3"),
        },
    )
    assert agreement.credits == D("3")
    with pytest.raises(DomainError) as exc:
        services.agreement_update(
            agreement=agreement, actor=admin, data={"end_date": start - timedelta(days=1)}
        )
    assert codes(exc) == "agreement.dates"
    agreement.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.agreement_update(agreement=agreement, actor=admin, data={"credits": D(0)})
    assert codes(exc) == "credit.missing"
    services.contact_delete(contact=contact, actor=admin)
    assert not partner.contacts.exists()
    assert AuditEvent.objects.filter(
        object_type="catalog.partnercontact", action=AuditEvent.Action.DELETE
    ).exists()


# --- offerings -------------------------------------------------------------------------------


def test_owners_are_checked_in_the_service(o):
    made = new_offering(o, "principal", school=o["school"])
    assert made.status == Offering.Status.DRAFT and made.owner == str(o["school"])
    assert FocusArea.objects.filter(district=o["school"].district).exists()
    for who, data in [
        ("principal", {}),  # the district's own: administrators only
        ("principal", {"school": o["other_school"]}),
        ("director", {"school": o["school"]}),
        ("principal", {"program": o["program"]}),
    ]:
        with pytest.raises(DomainError) as exc:
            new_offering(o, who, **data)
        assert codes(exc) == "offering.owner"
    assert new_offering(o, "director", program=o["program"]).program == o["program"]
    assert new_offering(o, "admin", school=o["other_school"]).school == o["other_school"]
    with pytest.raises(DomainError) as exc:
        new_offering(o, "admin", school=o["school"], program=o["program"])
    assert codes(exc) == "offering.one_owner"


def test_every_field_is_saved_and_audited(o):
    focus = o["focus_area"]
    made = new_offering(
        o,
        description="Mini-lessons and conferring",
        format="live_online",
        structure="series",
        focus_areas=[focus],
        roles=["teacher", "instructional_coach"],
        subjects=["Math", " math ", "Science"],
        grade_bands=["K-5"],
        schools=[o["school"]],
        programs=[o["program"]],
        goals=[o["district_goal"]],
        partner=o["partner"],
        facilitators=[o["other_teacher"]],
        cost=D("150"),
        source=o["source"],
        substitute_days=D("1"),
        approval="district",
        capacity=25,
        category="equity",
        credit_kind="semester",
        credits=D("2"),
        min_attendance_percent=90,
        completion_rules=["modules"],
    )
    made.refresh_from_db()
    assert made.subjects == ["Math", "Science"]
    assert made.roles == ["teacher", "instructional_coach"]
    assert list(made.goals.all()) == [o["district_goal"]]
    assert made.completion_rules == ["modules"]
    created = AuditEvent.objects.get(
        object_type="catalog.offering", object_id=str(made.pk), action="create"
    )
    assert created.changes["cost"][1] in ("150", "150.00")
    assert created.changes["format"] == [None, "live_online"]
    links = AuditEvent.objects.get(
        object_type="catalog.offering", object_id=str(made.pk), action="update"
    )
    assert set(links.changes) == {"focus_areas", "schools", "programs", "goals", "facilitators"}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"title": "  "}, "offering.title"),
        ({"roles": ["wizard"]}, "offering.roles"),
        ({"credit_kind": "quarter"}, "credit.missing"),
        ({"credits": D("2")}, "credit.kind_missing"),
        ({"substitute_days": D("1")}, "offering.substitute_source"),
        ({"completion_rules": ["telepathy"]}, "offering.completion_rule"),
    ],
)
def test_offering_refusals(o, data, code):
    with pytest.raises(DomainError) as exc:
        new_offering(o, **data)
    assert codes(exc) == code


def test_the_source_must_pay_registrations_and_substitutes(o):
    district = o["school"].district
    stipends = FundingSourceFactory(district=district, allowed_uses=[Use.STIPEND])
    with pytest.raises(DomainError) as exc:
        new_offering(o, cost=D("10"), source=stipends)
    assert codes(exc) == "offering.source_use"
    fees_only = FundingSourceFactory(district=district, allowed_uses=[Use.REGISTRATION])
    assert new_offering(o, cost=D("10"), source=fees_only).source == fees_only
    with pytest.raises(DomainError) as exc:
        new_offering(o, source=fees_only, substitute_days=D("1"))
    assert codes(exc) == "offering.substitute_source"


def test_goals_are_published_goals_of_the_district_or_the_owner(o):
    with pytest.raises(DomainError) as exc:
        new_offering(o, goals=[o["draft_goal"]])
    assert codes(exc) == "offering.goal_invalid"
    # A school's goal serves only that school's offerings (and not the district's).
    with pytest.raises(DomainError) as exc:
        new_offering(o, "admin", school=o["other_school"], goals=[o["school_goal"]])
    assert codes(exc) == "offering.goal_invalid"
    assert new_offering(o, "principal", school=o["school"], goals=[o["school_goal"]])


def test_other_districts_rows_are_refused(world, o):
    with pytest.raises(DomainError) as exc:
        new_offering(o, partner=world.b_objects["partner"])
    assert codes(exc) == "district.mismatch"


def test_update_publish_archive_and_republish(o):
    principal = actor(o, "principal")
    draft = o["draft_offering"]
    services.offering_update(
        offering=draft, actor=principal, data={"title": "Data dive", "capacity": 12}
    )
    draft.refresh_from_db()
    assert (draft.title, draft.capacity) == ("Data dive", 12)
    services.offering_publish(offering=draft, actor=principal)
    with pytest.raises(Conflict) as exc:
        services.offering_publish(offering=draft, actor=principal)
    assert codes(exc) == "offering.not_publishable"
    services.offering_archive(offering=draft, actor=principal)
    with pytest.raises(Conflict) as exc:
        services.offering_update(offering=draft, actor=principal, data={"title": "x"})
    assert codes(exc) == "offering.archived"
    services.offering_publish(offering=draft, actor=principal)
    moves = AuditEvent.objects.filter(
        object_type="catalog.offering", object_id=str(draft.pk), action="transition"
    ).order_by("id")
    assert [(m.from_state, m.to_state) for m in moves] == [
        ("draft", "published"),
        ("published", "archived"),
        ("archived", "published"),
    ]
    with pytest.raises(PermissionDenied):
        services.offering_archive(offering=draft, actor=actor(o, "director"))
    with pytest.raises(PermissionDenied):
        services.offering_update(offering=o["offering"], actor=principal, data={"title": "x"})


def test_the_format_does_not_switch_between_modules_and_meetings(o):
    with pytest.raises(DomainError) as exc:
        services.offering_update(
            offering=o["offering"], actor=actor(o, "admin"), data={"format": "self_paced"}
        )
    assert codes(exc) == "offering.format_locked"
    services.offering_update(
        offering=o["offering"], actor=actor(o, "admin"), data={"format": "blended"}
    )


# --- sessions --------------------------------------------------------------------------------


def test_a_session_takes_the_offerings_capacity_and_the_current_year(o):
    admin = actor(o, "admin")
    offering = o["offering"]
    offering.capacity = 18
    offering.save()
    session = services.session_create(
        offering=offering,
        actor=admin,
        data={"name": " Winter ", "facilitators": [o["teacher"]]},
    )
    assert (session.name, session.capacity, session.school_year) == ("Winter", 18, o["year"])
    assert list(session.facilitators.all()) == [o["teacher"]]
    with pytest.raises(PermissionDenied):
        services.session_create(offering=offering, actor=actor(o, "principal"), data={})


def test_session_refusals(o):
    admin = actor(o, "admin")
    session = o["session"]  # two people hold seats
    with pytest.raises(DomainError) as exc:
        services.session_update(session=session, actor=admin, data={"capacity": 1})
    assert codes(exc) == "session.capacity_below_seats"
    now = timezone.now()
    with pytest.raises(DomainError) as exc:
        services.session_update(
            session=session,
            actor=admin,
            data={"registration_opens": now, "registration_closes": now - timedelta(days=1)},
        )
    assert codes(exc) == "session.window"
    with pytest.raises(Conflict):
        services.session_update(session=o["done_session"], actor=admin, data={"name": "x"})


def test_cancelling_a_session_is_audited_and_tells_the_registration_area(o, monkeypatch):
    from cadre.catalog.services import registration

    told = []
    monkeypatch.setattr(
        registration,
        "session_cancelled",
        lambda *, session, actor: told.append((session.pk, actor)),
        raising=False,
    )
    admin = actor(o, "admin")
    session = services.session_cancel(session=o["session"], actor=admin, reason="Snow day")
    assert session.status == Session.Status.CANCELLED
    assert told == [(session.pk, admin.user)]
    event = AuditEvent.objects.get(
        object_type="catalog.session", object_id=str(session.pk), action="transition"
    )
    assert (event.to_state, event.comment) == ("cancelled", "Snow day")
    with pytest.raises(Conflict):
        services.session_cancel(session=session, actor=admin)


# --- meetings and modules --------------------------------------------------------------------


def test_meetings_keep_the_session_span_and_minutes(o):
    admin = actor(o, "admin")
    session = SessionFactory(
        district=o["school"].district, offering=o["offering"], school_year=o["year"]
    )
    first = services.meeting_create(
        session=session,
        actor=admin,
        data={
            "starts_at": local(o, 2027, 1, 12, 8, 0),
            "ends_at": local(o, 2027, 1, 12, 15, 0),
            "break_minutes": 60,
            "location": "Library",
        },
    )
    assert first.minutes == 360
    second = services.meeting_create(
        session=session,
        actor=admin,
        data={
            "starts_at": local(o, 2027, 1, 11, 23, 0),  # overnight: same day not required
            "ends_at": local(o, 2027, 1, 12, 1, 0),
            "join_url": "https://meet.example.org/x",
        },
    )
    session.refresh_from_db()
    assert session.minutes == 360 + 120
    assert session.starts_at == second.starts_at and session.ends_at == first.ends_at
    services.meeting_update(meeting=first, actor=admin, data={"break_minutes": 30})
    session.refresh_from_db()
    assert session.minutes == 390 + 120
    services.meeting_delete(meeting=second, actor=admin)
    session.refresh_from_db()
    assert (session.minutes, session.starts_at) == (390, first.starts_at)


def test_a_schedule_is_made_at_once_as_meeting_by_meeting(o):
    admin = actor(o, "admin")
    session = SessionFactory(
        district=o["school"].district, offering=o["offering"], school_year=o["year"]
    )
    day = {"starts_at": local(o, 2027, 1, 12, 8, 0), "ends_at": local(o, 2027, 1, 12, 15, 0)}
    evening = {"starts_at": local(o, 2027, 1, 19, 16, 0), "ends_at": local(o, 2027, 1, 19, 18, 0)}
    made = services.meetings_create(
        session=session,
        actor=admin,
        data=[{**day, "break_minutes": 60, "location": "Library"}, {**evening, "location": "B2"}],
    )
    assert [m.minutes for m in made] == [360, 120]
    session.refresh_from_db()
    assert (session.minutes, session.starts_at, session.ends_at) == (
        480,
        made[0].starts_at,
        made[1].ends_at,
    )
    events = AuditEvent.objects.filter(object_type="catalog.meeting", action="create")
    assert sorted(int(e.object_id) for e in events) == [m.pk for m in made]
    # All or nothing, with the single refusals: a bad meeting refuses the whole schedule.
    with pytest.raises(DomainError) as exc:
        services.meetings_create(
            session=session,
            actor=admin,
            data=[{**day, "location": "Gym"}, {**evening, "break_minutes": 500, "location": "B2"}],
        )
    assert codes(exc) == "meeting.breaks"
    assert session.meetings.count() == 2
    assert services.meetings_create(session=session, actor=admin, data=[]) == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"break_minutes": 120}, "meeting.breaks"),
        ({"break_minutes": 500}, "meeting.breaks"),
        ({"ends_at": "start"}, "meeting.times"),
        ({"starts_at": None}, "meeting.times"),
        ({"location": ""}, "meeting.place"),
    ],
)
def test_meeting_refusals(o, data, code):
    start = local(o, 2027, 2, 1, 9, 0)
    values = {"starts_at": start, "ends_at": start + timedelta(hours=2), "location": "Room 4"}
    values.update(data)
    if values["ends_at"] == "start":
        values["ends_at"] = start
    with pytest.raises(DomainError) as exc:
        services.meeting_create(session=o["session"], actor=actor(o, "admin"), data=values)
    assert codes(exc) == code


def test_a_live_online_meeting_needs_its_join_link(o):
    offering = OfferingFactory(district=o["school"].district, format="live_online")
    session = SessionFactory(district=offering.district, offering=offering, school_year=o["year"])
    start = local(o, 2027, 2, 1, 15, 30)
    data = {"starts_at": start, "ends_at": start + timedelta(minutes=45), "location": "Home"}
    with pytest.raises(DomainError) as exc:
        services.meeting_create(session=session, actor=actor(o, "admin"), data=data)
    assert codes(exc) == "meeting.join_link"
    data["join_url"] = "https://meet.example.org/abc"
    assert (
        services.meeting_create(session=session, actor=actor(o, "admin"), data=data).minutes == 45
    )


def test_self_paced_sessions_have_modules(o):
    offering = OfferingFactory(district=o["school"].district, format="self_paced")
    session = SessionFactory(district=offering.district, offering=offering, school_year=o["year"])
    admin = actor(o, "admin")
    module = services.meeting_create(
        session=session,
        actor=admin,
        data={"title": "Module 1", "minutes": 90, "starts_at": local(o, 2027, 1, 1, 9, 0)},
    )
    assert module.is_module and module.minutes == 90
    with pytest.raises(DomainError) as exc:
        services.meeting_create(session=session, actor=admin, data={"title": "Two", "minutes": 0})
    assert codes(exc) == "module.minutes"
    session.refresh_from_db()
    assert (session.minutes, session.starts_at) == (90, None)


def test_the_first_meeting_decides_the_school_year(o):
    from datetime import date

    from cadre.districts.factories import SchoolYearFactory

    district = o["school"].district
    next_year = SchoolYearFactory(
        district=district,
        name="2027–28",
        start_date=date(2027, 7, 1),
        end_date=date(2028, 6, 30),
        is_current=False,
    )
    session = SessionFactory(district=district, offering=o["offering"], school_year=o["year"])
    services.meeting_create(
        session=session,
        actor=actor(o, "admin"),
        data={
            "starts_at": local(o, 2027, 9, 1, 9, 0),
            "ends_at": local(o, 2027, 9, 1, 11, 0),
            "location": "Gym",
        },
    )
    session.refresh_from_db()
    assert session.school_year == next_year


def test_a_meeting_with_attendance_is_not_removed(o):
    admin = actor(o, "admin")
    # The world's done session is closed; reopen a copy with attendance.
    session = o["session"]
    meeting = o["meeting"]
    from cadre.catalog.models import Attendance

    Attendance.objects.create(
        district=session.district,
        meeting=meeting,
        registration=o["registration"],
        minutes=60,
        method=Attendance.Method.ROSTER,
    )
    with pytest.raises(Conflict) as exc:
        services.meeting_delete(meeting=meeting, actor=admin)
    assert codes(exc) == "meeting.has_attendance"
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_meetings_of_a_cancelled_session_do_not_change(o):
    admin = actor(o, "admin")
    services.session_cancel(session=o["session"], actor=admin)
    with pytest.raises(Conflict):
        services.meeting_update(meeting=o["meeting"], actor=admin, data={"title": "x"})


def test_partners_and_registrations_stay_in_their_models(o):
    # Sanity: the services leave registrations alone when a session changes.
    before = Registration.objects.filter(session=o["session"]).count()
    services.session_update(session=o["session"], actor=actor(o, "admin"), data={"name": "Fall 2"})
    assert Registration.objects.filter(session=o["session"]).count() == before
    assert Partner.objects.filter(pk=o["partner"].pk).exists()


def test_a_bigger_session_promotes_from_the_waitlist(o):
    from cadre.catalog.factories import RegistrationFactory

    session = o["session"]  # two seats held
    session.capacity = 2
    session.save()
    waiting = RegistrationFactory(
        district=session.district,
        session=session,
        staff=o["other_teacher"],
        school=o["other_school"],
        status=Registration.Status.WAITLISTED,
        position=1,
    )
    services.session_update(session=session, actor=actor(o, "admin"), data={"capacity": 3})
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED
