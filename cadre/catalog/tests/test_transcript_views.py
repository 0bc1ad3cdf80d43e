"""Transcript and external-hours pages: the person's own transcript and a supervised person's,
the year filter, renewal progress, CSV and PDF exports, the external-hours workflow through
the pages, the evidence file, and query counts."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.catalog.models import Category, ExternalHours
from cadre.catalog.services import transcript as services
from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db
D = Decimal
Status = ExternalHours.Status
PDF = b"%PDF-1.4 certificate"


def approved(o, staff=None, **fields) -> ExternalHours:
    staff = staff or o["teacher"]
    data = {
        "title": "Summer math institute",
        "provider": "ESD 112",
        "completed_on": o["year"].start_date + timedelta(days=3),
        "hours": D("12"),
        "category": Category.STEM,
        "evidence": "Certificate 55",
        **fields,
    }
    entry = services.external_hours_create(staff=staff, actor=staff.user, data=data)
    return services.external_hours_approve(entry=entry, actor=o["admin"].user)


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- the transcript page ---------------------------------------------------------------------


def test_my_transcript_shows_lines_totals_and_renewal_progress(client, o):
    approved(o)
    response = login(client, o["teacher"]).get(url("transcript"))
    body = text(response)
    assert response.status_code == 200
    assert "My transcript" in body and "Guided reading" in body and "Summer math institute" in body
    assert '<progress id="renewal-all" max="100" value="15">15%</progress>' in body
    assert "15.00 of 100" in body and "85.00 hours remain" in body
    assert "Equity-based hours: 0.00 of 15" in body
    # The world's submitted entry is not counted, and the page says so.
    assert "1 external entry" in body
    assert url("transcript-csv") in body and url("transcript-pdf") in body


def test_the_year_filter_narrows_the_lines_not_the_renewal(client, o, world):
    last = SchoolYearFactory(
        district=world.a,
        name="2025–26",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    approved(o, title="Spring workshop", completed_on=date(2026, 4, 1))
    teacher = login(client, o["teacher"])
    body = text(teacher.get(url("transcript"), {"year": last.pk}))
    assert "Spring workshop" in body and "Guided reading" not in body
    assert 'value="15"' in body  # 12 + 3 in the renewal window either way
    assert f'<option value="{last.pk}" selected>' in body
    assert f"?year={last.pk}" in body  # the exports keep the period
    every = text(teacher.get(url("transcript"), {"year": "all"}))
    assert "Spring workshop" in every and "Guided reading" in every


def test_a_principal_sees_their_teachers_transcript_a_teacher_not_a_colleagues(client, o):
    approved(o)
    body = text(login(client, o["principal"]).get(url("staff-transcript", o["teacher"])))
    assert f"Transcript of {o['teacher'].full_name}" in body and "Summer math institute" in body
    assert url("staff-transcript-csv", o["teacher"]) in body
    assert "Enter external hours" not in body
    colleague = login(client, o["teacher"]).get(url("staff-transcript", o["other_teacher"]))
    assert colleague.status_code == 404
    csv_ = client.get(url("staff-transcript-csv", o["other_teacher"]))
    assert csv_.status_code == 404
    director = login(client, o["director"])
    assert director.get(url("staff-transcript", o["teacher"])).status_code == 404
    assert director.get(url("staff-transcript", o["program_teacher"])).status_code == 200


def test_the_transcript_page_takes_a_fixed_number_of_queries(
    client, o, django_assert_max_num_queries
):
    person = staff_with_role(Role.TEACHER, school=o["school"])
    teacher = login(client, person)
    approved(o, staff=person)
    with django_assert_max_num_queries(20) as few:
        assert teacher.get(url("transcript")).status_code == 200
    for i in range(8):
        approved(o, staff=person, title=f"Workshop {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert teacher.get(url("transcript")).status_code == 200


# --- exports ---------------------------------------------------------------------------------


def test_the_csv_has_a_header_a_row_per_line_and_the_totals(client, o):
    approved(o)
    approved(o, title="Equity summit", category=Category.EQUITY, hours=D("4.25"))
    response = login(client, o["teacher"]).get(url("transcript-csv"))
    assert 'filename="transcript-' in response["Content-Disposition"]
    table = rows(response)
    assert table[0][:4] == ["School year", "Date", "Source", "Title"]
    lines = [r for r in table[1:] if not r[0].startswith(("Total", "Renewal"))]
    assert sorted(r[3] for r in lines) == [
        "Equity summit",
        "Guided reading",
        "Summer math institute",
    ]
    guided = next(r for r in lines if r[3] == "Guided reading")
    assert guided[2] == "Catalogue" and guided[5] == "General" and guided[10] == "3.00"
    assert guided[11] == o["completion"].code
    totals = {r[5]: r[10] for r in table if r[0] == "Total, All years"}
    assert totals == {
        "General": "3.00",
        "Equity-based": "4.25",
        "STEM-integrated": "12.00",
        "All categories": "19.25",
    }
    renewal = [r for r in table if r[0].startswith("Renewal")]
    assert [r[10] for r in renewal] == ["19.25", "4.25"]


def test_a_title_starting_with_a_formula_sign_is_neutralised(client, o):
    approved(o, title='=HYPERLINK("http://evil.example","x")', provider="+1 555")
    table = rows(login(client, o["teacher"]).get(url("transcript-csv")))
    line = next(r for r in table if "HYPERLINK" in r[3])
    assert line[3] == '\'=HYPERLINK("http://evil.example","x")' and line[4] == "'+1 555"


def test_a_staff_members_csv_for_one_year(client, o, world):
    other = SchoolYearFactory(
        district=world.a,
        name="2025–26",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    approved(o, completed_on=date(2026, 1, 5))
    principal = login(client, o["principal"])
    table = rows(principal.get(url("staff-transcript-csv", o["teacher"]), {"year": other.pk}))
    lines = [r for r in table[1:] if not r[0].startswith(("Total", "Renewal"))]
    assert [r[3] for r in lines] == ["Summer math institute"]
    assert [r[10] for r in table if r[0] == "Total, 2025–26" and r[5] == "All categories"] == [
        "12.00"
    ]


def test_the_pdf_is_a_pdf_even_with_names_beyond_latin_1(client, o):
    person = staff_with_role(Role.TEACHER, school=o["school"], first_name="Zoë", last_name="李")
    approved(o, staff=person, title="Ethics – “care” in practice ✓")
    response = login(client, person).get(url("transcript-pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="transcript-' in response["Content-Disposition"]
    principal = login(client, o["principal"])
    staff_pdf = principal.get(url("staff-transcript-pdf", o["teacher"]))
    assert staff_pdf.status_code == 200 and staff_pdf.content.startswith(b"%PDF")


def test_an_empty_transcript_exports_too(client, o):
    person = staff_with_role(Role.TEACHER, school=o["school"])
    client = login(client, person)
    assert client.get(url("transcript-pdf")).content.startswith(b"%PDF")
    table = rows(client.get(url("transcript-csv")))
    assert [r[10] for r in table if r[5] == "All categories"][0] == "0.00"


# --- external hours through the pages --------------------------------------------------------


def form(o, **extra):
    return {
        "title": "Regional STEM conference",
        "provider": "STEM Network",
        "completed_on": (o["year"].start_date + timedelta(days=5)).isoformat(),
        "hours": "7.5",
        "category": "stem",
        "evidence": "Badge 77",
        **extra,
    }


def test_enter_return_correct_resubmit_and_approve_through_the_pages(client, o):
    teacher = login(client, o["teacher"])
    assert "Enter external hours" in text(teacher.get(url("external-hours-create")))
    response = teacher.post(
        url("external-hours-create"),
        form(o, file=SimpleUploadedFile("badge.pdf", PDF, "application/pdf")),
    )
    entry = ExternalHours.objects.get(title="Regional STEM conference")
    assert response.status_code == 302 and response["Location"] == url(
        "external-hours-detail", entry
    )
    assert entry.status == Status.SUBMITTED and entry.file_type == "application/pdf"
    assert "Regional STEM conference" in text(teacher.get(url("external-hours-list")))

    principal = login(client, o["principal"])
    queue = text(principal.get(url("external-hours-queue")))
    assert "Regional STEM conference" in queue
    page = text(principal.get(url("external-hours-detail", entry)))
    assert "Your decision" in page and url("external-hours-file", entry) in page
    assert principal.post(url("external-hours-return", entry), {"comment": ""}).status_code == 400
    principal.post(url("external-hours-return", entry), {"comment": "It was 6 hours."})
    entry.refresh_from_db()
    assert entry.status == Status.RETURNED

    teacher = login(client, o["teacher"])
    edit = teacher.get(url("external-hours-edit", entry))
    assert edit.status_code == 200 and "It was 6 hours." in text(edit)
    response = teacher.post(url("external-hours-edit", entry), form(o, hours="6"))
    assert response.status_code == 302
    teacher.post(url("external-hours-submit", entry))
    entry.refresh_from_db()
    assert entry.status == Status.SUBMITTED and entry.hours == D(6)
    assert entry.file_type == "application/pdf"  # kept: no new file, not removed

    principal = login(client, o["principal"])
    principal.post(url("external-hours-approve", entry))
    entry.refresh_from_db()
    assert entry.status == Status.APPROVED
    body = text(login(client, o["teacher"]).get(url("transcript")))
    assert "Regional STEM conference" in body


def test_a_bad_file_or_bad_input_re_renders_the_form_with_the_error(client, o):
    teacher = login(client, o["teacher"])
    response = teacher.post(
        url("external-hours-create"),
        form(o, file=SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")),
    )
    assert response.status_code == 400
    assert "Attach a PDF, PNG or JPEG file. (attachment.type)" in text(response)
    future = teacher.post(url("external-hours-create"), form(o, completed_on="2999-01-01"))
    assert future.status_code == 400 and "external_hours" in text(future)
    assert teacher.post(url("external-hours-create"), form(o, hours="-1")).status_code == 400
    assert not ExternalHours.objects.filter(title="Regional STEM conference").exists()


def test_the_author_withdraws_and_a_submitted_entry_is_not_edited(client, o):
    entry = o["external_hours"]
    teacher = login(client, o["teacher"])
    edit = teacher.get(url("external-hours-edit", entry))
    assert edit.status_code == 302
    page = text(teacher.get(url("external-hours-detail", entry)))
    assert "Withdraw" in page and "Your decision" not in page
    teacher.post(url("external-hours-withdraw", entry))
    assert ExternalHours.objects.get(pk=entry.pk).status == Status.WITHDRAWN
    assert teacher.get(url("external-hours-edit", entry)).status_code == 200
    again = teacher.post(url("external-hours-withdraw", entry), follow=True)
    assert "you cannot withdraw it" in text(again)


def test_the_file_is_served_only_to_those_who_see_the_entry(client, o, world):
    entry = o["external_hours"]
    for key in ("teacher", "principal", "admin"):
        response = login(client, o[key]).get(url("external-hours-file", entry))
        assert response.status_code == 200, key
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == b"%PDF-1.4 certificate"
    for staff in (o["director"], o["other_teacher"], world.b_objects["admin"]):
        assert login(client, staff).get(url("external-hours-file", entry)).status_code == 404
    ExternalHours.objects.filter(pk=entry.pk).update(file="")
    assert login(client, o["teacher"]).get(url("external-hours-file", entry)).status_code == 404


def test_the_queue_holds_what_each_person_decides(client, o):
    entry = o["external_hours"]
    assert entry.title in text(login(client, o["admin"]).get(url("external-hours-queue")))
    assert entry.title in text(login(client, o["principal"]).get(url("external-hours-queue")))
    assert entry.title not in text(login(client, o["director"]).get(url("external-hours-queue")))
    assert login(client, o["teacher"]).get(url("external-hours-queue")).status_code == 403


def test_lists_take_a_fixed_number_of_queries(client, o, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            services.external_hours_create(
                staff=o["teacher"],
                actor=o["teacher"].user,
                data={
                    "title": f"Course {i}",
                    "completed_on": o["year"].start_date,
                    "hours": D(1),
                    "evidence": "x",
                },
            )

    add(1)
    teacher = login(client, o["teacher"])
    with django_assert_max_num_queries(20) as mine:
        assert teacher.get(url("external-hours-list")).status_code == 200
    principal = login(client, o["principal"])
    with django_assert_max_num_queries(20) as queue:
        assert principal.get(url("external-hours-queue")).status_code == 200
    add(10)
    teacher = login(client, o["teacher"])
    with django_assert_max_num_queries(len(mine.captured_queries)):
        assert teacher.get(url("external-hours-list")).status_code == 200
    principal = login(client, o["principal"])
    with django_assert_max_num_queries(len(queue.captured_queries)):
        assert principal.get(url("external-hours-queue")).status_code == 200


def test_lines_link_only_to_pages_the_viewer_may_open(client, world):
    """The principal of the teacher's new school sees the whole transcript, but the line of a
    completion made while at the old school is plain text: its page is the old school's."""
    o = world.a_objects
    done = o["done_registration"]
    done.school = o["other_school"]
    done.save()
    client.force_login(o["principal"].user, backend="cadre.accounts.backends.StaffBackend")
    page = client.get(f"/catalog/transcript/{o['teacher'].pk}/").content.decode()
    assert "Guided reading" in page and f"/catalog/registrations/{done.pk}/" not in page
    client.force_login(o["teacher"].user, backend="cadre.accounts.backends.StaffBackend")
    own = client.get("/catalog/transcript/").content.decode()
    assert f"/catalog/registrations/{done.pk}/" in own
