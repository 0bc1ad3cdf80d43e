"""Attendance pages: the tablet roster (with and without htmx), its query count, check-in,
modules, closing, re-evaluating, the PDF certificate and the public verification page."""

import re
import zlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cadre.catalog.factories import (
    OfferingFactory,
    RegistrationFactory,
    SessionFactory,
    add_meeting,
)
from cadre.catalog.models import Attendance, Completion, Meeting, Offering, Registration, Session
from cadre.catalog.services import attendance as services
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import login, text

pytestmark = pytest.mark.django_db
Status = Registration.Status


def roster(session, meeting=None):
    url = reverse("session-roster", args=[session.pk])
    return f"{url}?meeting={meeting.pk}" if meeting else url


def mark_url(meeting):
    return reverse("roster-mark", args=[meeting.pk])


def past_session(o, *, minutes=120, people=()):
    district = o["school"].district
    offering = OfferingFactory(district=district, title="Writers workshop")
    offering.facilitators.add(o["other_teacher"])
    session = SessionFactory(district=district, offering=offering, school_year=o["year"])
    start = timezone.now().replace(microsecond=0) - timedelta(days=1)
    meeting = add_meeting(session, start=start, minutes=minutes)
    regs = [
        RegistrationFactory(district=district, session=session, staff=p, school=p_school(o, p))
        for p in people
    ]
    return session, meeting, regs


def p_school(o, staff):
    return o["school"] if staff == o["teacher"] else None


def pdf_text(data: bytes) -> str:
    """The PDF's text: its content streams inflated (fpdf2 compresses them)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            out.append(stream.decode("latin-1"))
    text = "\n".join(out)
    return text.replace("\\(", "(").replace("\\)", ")").replace("\\\\", "\\")


# --- the roster ------------------------------------------------------------------------------


def test_roster_for_a_manager_shows_people_code_qr_and_counts(client, o):
    session, meeting = o["session"], o["meeting"]
    login(client, o["admin"])
    response = client.get(roster(session))
    assert response.status_code == 200
    page = text(response)
    assert o["teacher"].full_name in page
    assert o["program_teacher"].full_name in page
    assert meeting.checkin_code in page
    assert '<svg viewBox="0 0' in page and 'class="qr"' in page
    assert f"{settings.SITE_URL}{reverse('checkin')}?code={meeting.checkin_code}" in page
    assert f'hx-post="{mark_url(meeting)}"' in page
    assert 'id="roster-counts"' in page
    assert "<strong>0</strong> present" in page
    # Strict CSP: no inline style or script.
    assert " style=" not in page
    assert "<script>" not in page
    # The meeting is next week: no closing yet.
    assert "Close session and award credit" not in page


def test_roster_for_the_facilitator_and_not_for_a_participant(client, o):
    login(client, o["other_teacher"])
    assert client.get(roster(o["session"])).status_code == 200
    login(client, o["teacher"])
    assert client.get(roster(o["session"])).status_code == 403


def test_roster_meeting_picker(client, o):
    session = o["session"]
    later = add_meeting(session, start=o["meeting"].starts_at + timedelta(days=7), minutes=60)
    login(client, o["admin"])
    page = text(client.get(roster(session, later)))
    assert f'<option value="{later.pk}" selected>' in page
    assert later.checkin_code in page
    page = text(client.get(roster(session)))
    assert f'<option value="{o["meeting"].pk}" selected>' in page


def test_toggle_without_javascript_posts_and_redirects(client, o):
    meeting, reg = o["meeting"], o["registration"]
    login(client, o["other_teacher"])
    response = client.post(mark_url(meeting), {"registration": reg.pk, "present": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{roster(o['session'], meeting)}#reg-{reg.pk}"
    a = Attendance.objects.get(meeting=meeting, registration=reg)
    assert (a.present, a.minutes) == (True, meeting.minutes)
    page = text(client.get(response["Location"]))
    assert "is-present" in page and "<strong>1</strong> present" in page
    client.post(mark_url(meeting), {"registration": reg.pk, "present": "0"})
    a.refresh_from_db()
    assert (a.present, a.minutes) == (False, 0)


def test_toggle_with_htmx_swaps_the_row_and_the_counts(client, o):
    meeting, reg = o["meeting"], o["registration"]
    login(client, o["admin"])
    response = client.post(
        mark_url(meeting), {"registration": reg.pk, "present": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith(f'<tr id="reg-{reg.pk}" class="roster-row is-present">')
    assert 'name="present" value="0"' in page  # the next tap marks absent
    assert '<p id="roster-counts"' in page and 'hx-swap-oob="true"' in page
    assert "<strong>1</strong> present" in page
    assert "<strong>1</strong> not marked" in page
    response = client.post(
        mark_url(meeting), {"registration": reg.pk, "present": "0"}, HTTP_HX_REQUEST="true"
    )
    assert "is-absent" in text(response)
    assert "<strong>1</strong> absent" in text(response)


def test_partial_minutes_and_refusals_show_in_the_row(client, o):
    meeting, reg = o["meeting"], o["registration"]
    login(client, o["admin"])
    data = {"registration": reg.pk, "present": "1", "minutes": "45"}
    client.post(mark_url(meeting), data, HTTP_HX_REQUEST="true")
    assert Attendance.objects.get(meeting=meeting, registration=reg).minutes == 45
    data["minutes"] = str(meeting.minutes + 1)
    response = client.post(mark_url(meeting), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'role="alert"' in text(response) and "attendance.minutes" in text(response)
    assert Attendance.objects.get(meeting=meeting, registration=reg).minutes == 45
    # Without htmx the refusal is a message on the roster.
    response = client.post(mark_url(meeting), data, follow=True)
    assert "attendance.minutes" in text(response)


def test_marking_someone_outside_the_session_is_a_400(client, o):
    login(client, o["admin"])
    other = o["done_registration"]
    response = client.post(mark_url(o["meeting"]), {"registration": other.pk, "present": "1"})
    assert response.status_code == 400
    assert "Choose a participant of this session" in text(response)
    response = client.post(mark_url(o["meeting"]), {"registration": "x", "present": "1"})
    assert response.status_code == 400


def test_roster_query_count_is_pinned_for_30_people(client, o, django_assert_num_queries):
    district = o["school"].district
    people = [staff_with_role(Role.TEACHER, school=o["school"]) for _ in range(30)]
    session, meeting, regs = past_session(o, people=people)
    for reg in regs[::2]:
        Attendance.objects.create(
            district=district,
            meeting=meeting,
            registration=reg,
            minutes=meeting.minutes,
            method=Attendance.Method.ROSTER,
        )
    login(client, o["admin"])
    client.get(roster(session, meeting))  # warm the session and the actor
    # Sign-in (session, user, staff check, staff, assignments); the session; its meetings; the
    # registrations; their attendance at this meeting; the last meeting's end (closable); the
    # session's save (savepoint, update, release). None of it grows with the 30 people.
    with django_assert_num_queries(13):
        response = client.get(roster(session, meeting))
    page = text(response)
    assert page.count('class="roster-toggle"') == 30
    assert "<strong>15</strong> present" in page
    assert "<strong>15</strong> not marked" in page


def test_close_button_then_close_awards_credit(client, o):
    session, meeting, (full, short) = past_session(o, people=[o["teacher"], o["program_teacher"]])
    admin = o["admin"]
    services.attendance_mark(meeting=meeting, registration=full, present=True, actor=None)
    services.attendance_mark(
        meeting=meeting, registration=short, present=True, actor=None, minutes=30
    )
    login(client, o["other_teacher"])  # the facilitator takes attendance but does not close
    assert "Close session and award credit" not in text(client.get(roster(session)))
    assert client.post(reverse("session-close", args=[session.pk])).status_code == 403
    login(client, admin)
    assert "Close session and award credit" in text(client.get(roster(session)))
    response = client.post(reverse("session-close", args=[session.pk]), follow=True)
    assert "Session closed; credit awarded to 1." in text(response)
    assert Session.objects.get(pk=session.pk).status == Session.Status.CLOSED
    assert Registration.objects.get(pk=full.pk).status == Status.COMPLETED
    short = Registration.objects.get(pk=short.pk)
    assert short.status == Status.INCOMPLETE
    page = text(response)
    assert "Attended 30 of 120 minutes; 80% (96) needed." in page
    assert reverse("registration-evaluate", args=[short.pk]) in page


def test_manager_corrects_attendance_and_re_evaluates(client, o):
    session, meeting, (reg,) = past_session(o, people=[o["teacher"]])
    services.session_close(session=session, actor=None)
    login(client, o["admin"])
    response = client.post(reverse("registration-evaluate", args=[reg.pk]), follow=True)
    assert "Still not completed: Attended 0 of 120 minutes" in text(response)
    client.post(mark_url(meeting), {"registration": reg.pk, "present": "1"})
    response = client.post(reverse("registration-evaluate", args=[reg.pk]), follow=True)
    assert "Completed: 2.00 clock hours awarded" in text(response)
    assert Completion.objects.get(registration=reg).clock_hours == Decimal("2.00")
    login(client, o["other_teacher"])  # a facilitator is not a manager
    assert client.post(reverse("registration-evaluate", args=[reg.pk])).status_code == 403


# --- check-in --------------------------------------------------------------------------------


def test_checkin_page_prefills_the_code(client, o):
    login(client, o["teacher"])
    page = text(client.get(reverse("checkin") + "?code=ab cd2f"))
    assert 'value="ABCD2F"' in page
    assert 'autocomplete="off"' in page


def test_checkin_success_and_refusals(client, o):
    start = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
    session, meeting, _ = past_session(o, people=[o["teacher"]])
    meeting.starts_at, meeting.ends_at = start, start + timedelta(hours=1)
    meeting.save()
    url = reverse("checkin")
    login(client, o["principal"])
    response = client.post(url, {"code": meeting.checkin_code})
    assert response.status_code == 400
    assert "checkin.not_registered" in text(response)
    login(client, o["teacher"])
    response = client.post(url, {"code": "ZZZZZY"})
    assert response.status_code == 400 and "checkin.code_unknown" in text(response)
    response = client.post(url, {"code": meeting.checkin_code})
    assert response.status_code == 200
    assert "You are checked in." in text(response)
    response = client.post(url, {"code": meeting.checkin_code})
    assert "Your attendance was already recorded." in text(response)
    # The world's meeting is next week: too early.
    response = client.post(url, {"code": o["meeting"].checkin_code})
    assert response.status_code == 400 and "checkin.too_early" in text(response)


# --- modules ---------------------------------------------------------------------------------


def self_paced(o):
    district = o["school"].district
    offering = OfferingFactory(
        district=district, title="Online SEL basics", format=Offering.Format.SELF_PACED
    )
    session = SessionFactory(district=district, offering=offering, school_year=o["year"])
    modules = [
        Meeting.objects.create(district=district, session=session, title=t, minutes=60)
        for t in ("Module 1", "Module 2")
    ]
    session.minutes = 120
    session.save()
    reg = RegistrationFactory(
        district=district, session=session, staff=o["teacher"], school=o["school"]
    )
    return reg, modules


def test_registrant_attests_modules_and_completes(client, o):
    reg, (first, second) = self_paced(o)
    url = reverse("registration-modules", args=[reg.pk])
    login(client, o["teacher"])
    page = text(client.get(url))
    assert "Module 1" in page and "0 of 2 modules attested" in page
    assert page.count("I completed this module") == 2
    response = client.post(url, {"meeting": first.pk, "evidence": ""})
    assert response.status_code == 400
    response = client.post(url, {"meeting": first.pk, "evidence": "Watched and took notes"})
    assert response.status_code == 302
    response = client.post(url, {"meeting": second.pk, "evidence": "Wrote a plan"}, follow=True)
    assert "Completed: credit awarded." in text(response)
    assert "Download the certificate (PDF)" in text(response)
    assert Registration.objects.get(pk=reg.pk).status == Status.COMPLETED
    assert Completion.objects.get(registration=reg).clock_hours == Decimal("2.00")


def test_modules_are_attested_by_the_registrant_only(client, o):
    reg, (first, _) = self_paced(o)
    url = reverse("registration-modules", args=[reg.pk])
    login(client, o["principal"])
    page = text(client.get(url))
    assert "Module 1" in page and "I completed this module" not in page
    assert client.post(url, {"meeting": first.pk, "evidence": "x"}).status_code == 403
    login(client, o["teacher"])
    other = o["meeting"]  # a meeting of another session
    response = client.post(url, {"meeting": other.pk, "evidence": "x"})
    assert response.status_code == 400


# --- certificates ----------------------------------------------------------------------------


def test_certificate_pdf(client, o):
    completion = o["completion"]
    login(client, o["teacher"])
    response = client.get(reverse("certificate", args=[o["done_registration"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificate-{completion.code}.pdf"'
    )
    data = response.content
    assert data.startswith(b"%PDF")
    content = pdf_text(data)
    assert completion.code in content
    assert o["teacher"].full_name in content
    assert "Guided reading" in content
    assert "3 clock hours (General)" in content
    assert o["school"].district.name in content
    assert f"{settings.SITE_URL}/catalog/verify/{completion.code}/" in content


def test_certificate_of_a_short_offering_says_why_no_hours(client, o):
    session, meeting, (reg,) = past_session(o, minutes=59, people=[o["teacher"]])
    services.attendance_mark(meeting=meeting, registration=reg, present=True, actor=None)
    services.completion_evaluate(registration=reg, actor=None)
    login(client, o["teacher"])
    content = pdf_text(client.get(reverse("certificate", args=[reg.pk])).content)
    assert "0 clock hours" in content
    assert "less than the district minimum of 60" in content


def test_no_certificate_before_completion(client, o):
    login(client, o["teacher"])
    assert client.get(reverse("certificate", args=[o["registration"].pk])).status_code == 404


# --- public verification ---------------------------------------------------------------------


def test_verify_shows_only_name_offering_hours_and_date(client, o):
    completion = o["completion"]
    teacher = o["teacher"]
    response = client.get(reverse("certificate-verify", args=[completion.code]))
    assert response.status_code == 200
    page = text(response)
    assert "This certificate is genuine." in page
    assert teacher.full_name in page
    assert "Guided reading" in page
    assert ">3<" in page  # clock hours
    assert completion.completed_on.strftime("%Y") in page
    for secret in (teacher.email, o["school"].name, "Summer", "180"):
        assert secret not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_verify_unknown_code_is_a_404(client):
    for code in ("ABCDEFGHJKMN", "short", "O0O0O0O0O0O0"):
        response = client.get(reverse("certificate-verify", args=[code]))
        assert response.status_code == 404
        assert "Not found." in text(response)


def test_verify_form_normalises_the_code(client, o):
    code = o["completion"].code
    typed = f"{code[:4].lower()} {code[4:8]} {code[8:]}"
    response = client.get(reverse("certificate-lookup"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate-verify", args=[code])


def test_a_code_no_address_can_hold_is_simply_not_found(client):
    response = client.get("/catalog/verify/", {"code": "AB/CD"})
    assert response.status_code == 404
    assert "Not found" in response.content.decode()
