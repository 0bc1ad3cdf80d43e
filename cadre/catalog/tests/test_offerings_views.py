"""The offerings pages: the catalogue with its filters, query counts and "Recommended for you";
partners; offerings with their clock-hour notes; sessions and meetings in the district's time
zone."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadre.catalog.factories import (
    FocusAreaFactory,
    OfferingFactory,
    PartnerFactory,
    RegistrationFactory,
    SessionFactory,
    add_meeting,
)
from cadre.catalog.models import Meeting, Offering, Session
from cadre.catalog.selectors import offerings as selectors
from cadre.districts.access import actor_for
from cadre.tests.kit import login, url

pytestmark = pytest.mark.django_db
D = Decimal


def text(response) -> str:
    assert response.status_code in (200, 400), response.status_code
    return response.content.decode()


def offering(o, title, *, minutes=120, days=10, **fields):
    made = OfferingFactory(district=o["school"].district, title=title, **fields)
    session = SessionFactory(district=made.district, offering=made, school_year=o["year"])
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    add_meeting(session, start=start, minutes=minutes)
    return made


def titles(response) -> list[str]:
    return [obj.title for obj in response.context["page"].object_list]


# --- the catalogue ---------------------------------------------------------------------------


def test_the_catalogue_shows_published_offerings_with_their_next_session(client, o):
    teacher = login(client, o["teacher"])
    page = teacher.get(url("catalog"))
    shown = titles(page)
    assert "Guided reading" in shown and "School data dive" not in shown  # a draft
    row = next(x for x in page.context["page"].object_list if x.title == "Guided reading")
    assert row.upcoming_count == 1 and row.next_start == o["session"].starts_at
    assert "Western University" in text(page)


def test_catalogue_filters(client, o):
    district = o["school"].district
    tech = FocusAreaFactory(district=district, name="Technology")
    online = offering(
        o,
        "Coding for kids",
        format="live_online",
        roles=["teacher"],
        subjects=["Math"],
        grade_bands=["6-8"],
        category="equity",
        credit_kind="quarter",
        credits=D("1"),
        description="Block programming",
    )
    online.focus_areas.add(tech)
    online.schools.add(o["other_school"])
    short = offering(o, "Short webinar", minutes=30, format="live_online", roles=["principal"])
    late = offering(o, "Spring institute", days=120)
    teacher = login(client, o["teacher"])

    def found(**params) -> set[str]:
        return set(titles(teacher.get(url("catalog"), params)))

    assert found(q="programming") == {"Coding for kids"}
    assert found(format="live_online") == {"Coding for kids", "Short webinar"}
    assert found(focus=tech.pk) == {"Coding for kids"}
    # Empty audiences are for everyone.
    assert "Coding for kids" in found(role="teacher") and "Short webinar" not in found(
        role="teacher"
    )
    assert "Guided reading" in found(role="teacher")
    assert "Coding for kids" in found(subject="math")
    assert "Coding for kids" not in found(subject="Art")
    assert "Coding for kids" in found(grade_band="6-8")
    assert "Coding for kids" not in found(school=o["school"].pk)
    assert "Coding for kids" in found(school=o["other_school"].pk)
    assert "Short webinar" not in found(credit="clock")
    assert "Coding for kids" in found(credit="clock")
    assert found(credit="university") == {"Coding for kids"}
    assert found(credit="equity") == {"Coding for kids"}
    assert found(provider=o["partner"].pk) == {"Guided reading"}
    assert "Guided reading" not in found(provider="district")
    soon = (timezone.now() + timedelta(days=60)).date().isoformat()
    later = found(**{"from": soon})
    assert "Spring institute" in later and "Coding for kids" not in later
    assert late.title not in found(to=soon)
    assert short.title in found(to=soon)


def test_the_catalogue_pins_its_queries(client, o, django_assert_num_queries):
    teacher = login(client, o["teacher"])
    teacher.get(url("catalog"))  # warm the session and caches
    for n in range(3):
        offering(o, f"Extra {n}", roles=["teacher"])
    with django_assert_num_queries(QUERIES):
        teacher.get(url("catalog"))
    for n in range(3, 9):
        made = offering(o, f"Extra {n}", roles=["teacher"])
        made.focus_areas.add(o["focus_area"])
    with django_assert_num_queries(QUERIES):
        teacher.get(url("catalog"))
    with django_assert_num_queries(FILTERED):
        teacher.get(url("catalog"), {"q": "Extra", "focus": o["focus_area"].pk})


# The session, user and actor (5); the filters' choices (focus areas, schools, partners: 3);
# the page's count, rows and their focus areas (3); the session's save (3). The first page
# unfiltered adds the recommendations (7): their offerings, the current year, the person's
# goals, their alignments and the alignments' own, the offerings serving those goals, and
# those for the person's school (one more for someone in a program).
QUERIES = 21
FILTERED = 14


# --- recommended for you ---------------------------------------------------------------------


def test_recommendations_rank_by_goals_role_subject_grades_and_school(o):
    teacher = o["teacher"]
    teacher.subjects = ["English"]
    teacher.grade_bands = ["K-5"]
    teacher.save()
    everything = offering(
        o,
        "Everything fits",
        roles=["teacher"],
        subjects=["english"],
        grade_bands=["K-5"],
    )
    everything.goals.add(o["school_goal"])
    everything.schools.add(o["school"])
    role_and_subject = offering(o, "Role and subject", roles=["teacher"], subjects=["English"])
    goal_one_up = offering(o, "Serves the district goal")
    goal_one_up.goals.add(o["district_goal"])
    school_only = offering(o, "Our school", days=3)
    school_only.schools.add(o["school"])
    grades_only = offering(o, "Primary grades", grade_bands=["k-5"])
    offering(o, "For principals", roles=["principal"])
    taken = offering(o, "Already registered", roles=["teacher"], subjects=["English"])
    RegistrationFactory(
        district=taken.district, session=taken.sessions.get(), staff=teacher, school=o["school"]
    )
    closed = offering(o, "Registration closed", roles=["teacher"])
    closed.sessions.update(registration_closes=timezone.now() - timedelta(days=1))
    past = OfferingFactory(district=taken.district, title="Over", roles=["teacher"])
    add_meeting(
        SessionFactory(district=past.district, offering=past, school_year=o["year"]),
        start=timezone.now() - timedelta(days=3),
    )
    draft = offering(o, "Draft", roles=["teacher"], status=Offering.Status.DRAFT)

    picks = selectors.recommended(actor_for(teacher.user), limit=10)
    assert [p.offering.title for p in picks] == [
        "Everything fits",
        "Role and subject",
        "Serves the district goal",
        "Our school",
        "Primary grades",
    ]
    assert [p.score for p in picks] == [10, 4, 3, 2, 1]
    goal_title = o["professional_goal"].title
    assert picks[0].reasons == [
        f"Serves your goal “{goal_title}”",
        "For teachers",
        "For teachers of english",
        "For grades K-5",
        f"For {o['school'].name}",
    ]
    assert picks[2].reasons == [f"Serves your goal “{goal_title}”"]
    assert draft not in [p.offering for p in picks]
    assert len(selectors.recommended(actor_for(teacher.user), limit=2)) == 2
    assert role_and_subject in [p.offering for p in picks]
    assert school_only.pk and grades_only.pk and closed.pk


def test_the_catalogue_shows_recommendations_with_reasons(client, o):
    offering(o, "For teachers like you", roles=["teacher"])
    page = text(login(client, o["teacher"]).get(url("catalog")))
    assert "Recommended for you" in page and "For teachers" in page
    filtered = text(client.get(url("catalog"), {"q": "teachers"}))
    assert "Recommended for you" not in filtered


# --- partners --------------------------------------------------------------------------------


def test_the_partner_page_shows_agreements_only_to_those_allowed(client, o):
    partner = o["partner"]
    teacher_page = text(login(client, o["teacher"]).get(url("partner-detail", partner)))
    assert "Dana Reyes" in teacher_page and "Guided reading" in teacher_page
    assert "Reading endorsement MOU" not in teacher_page
    principal_page = text(login(client, o["principal"]).get(url("partner-detail", partner)))
    assert "Reading endorsement MOU" in principal_page and "12,000.00" in principal_page
    assert "Add a contact" not in principal_page
    assert "Add a contact" in text(login(client, o["admin"]).get(url("partner-detail", partner)))


def test_partner_list_filters_and_admin_edits(client, o):
    PartnerFactory(district=o["school"].district, name="City Parks", kind="community")
    admin = login(client, o["admin"])
    assert [
        p.name for p in admin.get(url("partner-list"), {"kind": "community"}).context["page"]
    ] == ["City Parks"]
    assert [p.name for p in admin.get(url("partner-list"), {"q": "western"}).context["page"]] == [
        "Western University"
    ]
    response = admin.post(
        url("partner-contact-create", o["partner"]), {"name": "Lee Park", "email": "lee@x.edu"}
    )
    assert response.status_code == 302
    response = admin.post(
        url("partner-agreement-create", o["partner"]),
        {"title": "Course MOU", "start_date": "2026-09-01", "end_date": "2026-08-01"},
    )
    assert response.status_code == 400 and "ends on or after" in text(response)
    response = admin.post(
        url("partner-agreement-create", o["partner"]),
        {
            "title": "Course MOU",
            "start_date": "2026-09-01",
            "end_date": "2027-06-01",
            "cost": "300",
            "credit_kind": "semester",
            "credits": "2",
        },
    )
    assert response.status_code == 302
    assert o["partner"].agreements.filter(title="Course MOU", credits=D("2")).exists()
    response = admin.post(url("partner-contact-delete", o["partner_contact"]))
    assert response.status_code == 302 and not o["partner"].contacts.filter(name="Dana Reyes")


def test_focus_areas_page(client, o):
    admin = login(client, o["admin"])
    response = admin.post(url("focus-area-create"), {"name": "Science", "is_active": "on"})
    assert response.status_code == 302
    duplicate = admin.post(url("focus-area-create"), {"name": "science"})
    assert duplicate.status_code == 400 and "already a focus area" in text(duplicate)
    response = admin.post(url("focus-area-edit", o["focus_area"]), {"name": "Reading"})
    assert response.status_code == 302
    o["focus_area"].refresh_from_db()
    assert (o["focus_area"].name, o["focus_area"].is_active) == ("Reading", False)
    assert "Reading" in text(login(client, o["teacher"]).get(url("focus-area-list")))


# --- offerings -------------------------------------------------------------------------------


def test_the_offering_page_says_when_it_earns_no_clock_hours(client, o):
    short = offering(o, "Quick tip", minutes=45, credit_kind="quarter", credits=D("1"))
    page = text(login(client, o["teacher"]).get(url("offering-detail", short)))
    assert "No clock hours" in page
    assert "45 credited minutes is less than the district minimum of 60" in page
    assert "worth 10 clock hours" in page  # a quarter credit is 10 hours
    full = text(client.get(url("offering-detail", o["offering"])))
    assert "No clock hours" not in full
    assert "3 (180 credited minutes)" in full  # its longest session


def test_the_form_explains_the_rule_and_the_existing_sessions(client, o):
    short = offering(o, "Quick tip", minutes=45)
    page = text(login(client, o["admin"]).get(url("offering-edit", short)))
    assert "shorter than 60 credited minutes earns no clock hours" in page
    assert "45 credited minutes is less than the district minimum" in page
    new = text(client.get(url("offering-create")))
    assert "It has no sessions yet" in new


def test_a_principal_creates_a_school_offering_and_publishes_it(client, o):
    principal = login(client, o["principal"])
    form = principal.get(url("offering-create"))
    owners = dict(form.context["form"].fields["owner"].choices)
    assert list(owners) == [f"school:{o['school'].pk}"]
    data = {
        "owner": f"school:{o['school'].pk}",
        "title": "Number talks",
        "format": "in_person",
        "structure": "series",
        "focus_areas": [o["focus_area"].pk],
        "roles": ["teacher"],
        "subjects": "Math, Science",
        "goals": [o["school_goal"].pk],
        "approval": "supervisor",
        "capacity": "20",
        "category": "general",
        "credit_kind": "",
        "min_attendance_percent": "75",
    }
    response = principal.post(url("offering-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    made = Offering.objects.get(title="Number talks")
    assert (made.school, made.subjects, made.status) == (o["school"], ["Math", "Science"], "draft")
    bad = principal.post(url("offering-create"), {**data, "owner": "district"})
    assert bad.status_code == 400
    response = principal.post(url("offering-publish", made))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.status == Offering.Status.PUBLISHED
    again = principal.post(url("offering-publish", made), follow=True)
    assert "you cannot publish it" in text(again)


def test_a_bad_offering_form_is_a_400_with_the_reason(client, o):
    admin = login(client, o["admin"])
    response = admin.post(
        url("offering-create"),
        {
            "owner": "district",
            "title": "Paid PD",
            "format": "in_person",
            "structure": "workshop",
            "approval": "none",
            "capacity": "20",
            "category": "general",
            "substitute_days": "2",
            "min_attendance_percent": "80",
        },
    )
    assert response.status_code == 400
    assert "offering.substitute_source" in text(response)


# --- sessions and meetings -------------------------------------------------------------------


def test_meetings_are_entered_in_the_district_time_zone(client, o):
    admin = login(client, o["admin"])
    response = admin.post(
        url("session-create", o["offering"]), {"name": "Spring", "location": "Room 9"}
    )
    assert response.status_code == 302
    session = Session.objects.get(name="Spring")
    assert session.capacity == o["offering"].capacity
    response = admin.post(
        url("meeting-create", session),
        {"starts_at": "2027-03-10T16:00", "ends_at": "2027-03-10T18:30", "break_minutes": "15"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(session=session)
    tz = o["school"].district.tz
    assert meeting.starts_at == datetime(2027, 3, 10, 16, 0, tzinfo=tz)
    assert meeting.minutes == 135
    session.refresh_from_db()
    assert session.minutes == 135 and session.starts_at == meeting.starts_at
    page = text(admin.get(url("session-detail", session)))
    assert "March 10, 2027 16:00" in page and "America/Los_Angeles" in page
    edit = text(admin.get(url("meeting-edit", meeting)))
    assert 'value="2027-03-10T16:00"' in edit
    bad = admin.post(
        url("meeting-create", session),
        {"starts_at": "2027-03-10T16:00", "ends_at": "2027-03-10T15:00"},
    )
    assert bad.status_code == 400 and "ends after it starts" in text(bad)
    bad = admin.post(
        url("meeting-create", session),
        {"starts_at": "2027-03-10T16:00", "ends_at": "2027-03-10T17:00", "break_minutes": "60"},
    )
    assert bad.status_code == 400 and "meeting.breaks" in text(bad)


def test_self_paced_sessions_take_modules_on_the_page(client, o):
    made = OfferingFactory(district=o["school"].district, format="self_paced")
    session = SessionFactory(district=made.district, offering=made, school_year=o["year"])
    admin = login(client, o["admin"])
    form = admin.get(url("meeting-create", session)).context["form"]
    assert set(form.fields) == {"title", "minutes"}
    assert admin.post(url("meeting-create", session), {"title": "Intro", "minutes": "40"})
    session.refresh_from_db()
    assert session.minutes == 40
    assert "Modules" in text(admin.get(url("session-detail", session)))


def test_the_session_page(client, o):
    page = login(client, o["teacher"]).get(url("session-detail", o["session"]))
    body = text(page)
    assert "Guided reading" in body and "2 of 10 taken" in body
    assert page.context["roster_url"] is None  # the teacher neither manages nor facilitates
    facilitator = login(client, o["other_teacher"]).get(url("session-detail", o["session"]))
    roster = facilitator.context["roster_url"]
    assert roster is None or roster.endswith(f"/sessions/{o['session'].pk}/roster/")
    admin = login(client, o["admin"]).get(url("session-detail", o["session"]))
    assert "Cancel the session" in text(admin)
    response = client.post(url("session-cancel", o["session"]), {"reason": "Low numbers"})
    assert response.status_code == 302
    o["session"].refresh_from_db()
    assert o["session"].status == Session.Status.CANCELLED
