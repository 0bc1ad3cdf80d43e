"""The transcripts and external-hours API: whose transcript each caller sees, the year filter,
the figures, the external-hours workflow with its 409s, the evidence file, bad input, and
query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.catalog.models import Category, ExternalHours
from cadre.catalog.services import transcript as services
from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import API, login, post

pytestmark = pytest.mark.django_db
D = Decimal
Status = ExternalHours.Status
PDF = b"%PDF-1.4 certificate"


def body(o, **extra):
    return {
        "title": "Science of reading course",
        "provider": "State university",
        "completed_on": (o["year"].start_date + timedelta(days=9)).isoformat(),
        "hours": "8.00",
        "category": "equity",
        "evidence": "Transcript 4411",
        **extra,
    }


def approved(o, staff=None, **fields) -> ExternalHours:
    staff = staff or o["teacher"]
    data = {
        "title": "Institute",
        "completed_on": o["year"].start_date + timedelta(days=2),
        "hours": D(5),
        "category": Category.EQUITY,
        "evidence": "x",
        **fields,
    }
    entry = services.external_hours_create(staff=staff, actor=staff.user, data=data)
    return services.external_hours_approve(entry=entry, actor=o["admin"].user)


# --- transcripts -----------------------------------------------------------------------------


def test_my_transcript_has_lines_totals_by_category_and_renewal(client, o):
    approved(o)
    response = login(client, o["teacher"]).get(f"{API}/transcripts/")
    assert response.status_code == 200
    data = response.json()
    assert data["staff"] == o["teacher"].pk and data["school_year"] is None
    assert data["period"] == "All years"
    kinds = sorted((line["kind"], line["title"]) for line in data["lines"])
    assert kinds == [("catalogue", "Guided reading"), ("external", "Institute")]
    catalogue = next(line for line in data["lines"] if line["kind"] == "catalogue")
    assert catalogue["hours"] == "3.00" and catalogue["verification_code"] == o["completion"].code
    assert data["totals"] == {
        "general": "3.00",
        "equity": "5.00",
        "stem": "0.00",
        "total": "8.00",
        "quarter_credits": "0.00",
        "semester_credits": "0.00",
    }
    assert [y["school_year"] for y in data["years"]] == [o["year"].pk]
    renewal = data["renewal"]
    assert renewal["earned"] == "8.00" and renewal["required"] == "100.00"
    assert renewal["remaining"] == "92.00" and renewal["percent"] == 8
    assert renewal["equity_required"] == "15.00" and renewal["equity_remaining"] == "10.00"
    assert renewal["is_administrator"] is False and renewal["is_met"] is False


def test_the_year_filter_and_its_bad_values(client, o, world):
    last = SchoolYearFactory(
        district=world.a,
        name="2025–26",
        start_date=date(2025, 7, 1),
        end_date=date(2026, 6, 30),
        is_current=False,
    )
    approved(o, completed_on=date(2026, 2, 2))
    teacher = login(client, o["teacher"])
    data = teacher.get(f"{API}/transcripts/", {"year": last.pk}).json()
    assert data["school_year"] == last.pk and data["period"] == "2025–26"
    assert [line["title"] for line in data["lines"]] == ["Institute"]
    assert data["totals"]["total"] == "5.00" and data["renewal"]["earned"] == "8.00"
    other = world.b_objects["year"]
    assert teacher.get(f"{API}/transcripts/", {"year": other.pk}).status_code == 404
    assert teacher.get(f"{API}/transcripts/", {"year": "x"}).status_code == 400
    assert teacher.get(f"{API}/transcripts/", {"year": 2**63}).status_code == 400


def test_a_staff_members_transcript_is_there_only_for_those_who_see_them(client, o, world):
    approved(o)
    path = f"{API}/transcripts/{o['teacher'].pk}/"
    principal = login(client, o["principal"]).get(path)
    assert principal.status_code == 200 and principal.json()["totals"]["total"] == "8.00"
    assert login(client, o["other_teacher"]).get(path).status_code == 404
    assert login(client, o["director"]).get(path).status_code == 404
    assert login(client, world.b_objects["admin"]).get(path).status_code == 404
    admin = login(client, o["admin"])
    assert admin.get(f"{API}/transcripts/{2**63}/").status_code == 404
    assert admin.get(f"{API}/transcripts/abc/").status_code == 404
    own = login(client, o["principal"]).get(f"{API}/transcripts/{o['principal'].pk}/")
    assert own.json()["renewal"]["is_administrator"] is True
    assert own.json()["renewal"]["equity_required"] == "10.00"


def test_the_transcript_takes_a_fixed_number_of_queries(client, o, django_assert_max_num_queries):
    person = staff_with_role(Role.TEACHER, school=o["school"])
    approved(o, staff=person)
    caller = login(client, person)
    with django_assert_max_num_queries(20) as few:
        assert caller.get(f"{API}/transcripts/").status_code == 200
    for i in range(10):
        approved(o, staff=person, title=f"Course {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(caller.get(f"{API}/transcripts/").json()["lines"]) == 11


# --- external hours --------------------------------------------------------------------------


def test_create_with_json_then_return_correct_resubmit_and_approve(client, o):
    teacher = login(client, o["teacher"])
    created = post(teacher, "external-hours/", body(o))
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["status"] == "submitted" and entry["school"] == o["school"].pk
    assert entry["school_year"] == o["year"].pk and entry["file_url"] is None
    pk = entry["id"]
    assert post(teacher, f"external-hours/{pk}/approve/").status_code == 403
    conflict = teacher.patch(
        f"{API}/external-hours/{pk}/", {"hours": "7"}, content_type="application/json"
    )
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "external_hours.not_editable"

    principal = login(client, o["principal"])
    assert post(principal, f"external-hours/{pk}/return/").status_code == 400
    returned = post(principal, f"external-hours/{pk}/return/", {"comment": "Say which unit."})
    assert returned.status_code == 200 and returned.json()["comment"] == "Say which unit."
    again = post(principal, f"external-hours/{pk}/return/", {"comment": "Again"})
    assert again.status_code == 409 and set(again.json()) == {"code", "detail"}

    teacher = login(client, o["teacher"])
    patched = teacher.patch(
        f"{API}/external-hours/{pk}/",
        {"hours": "7", "evidence": "Transcript 4411, unit 3"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["hours"] == "7.00"
    assert patched.json()["category"] == "equity"  # PATCH leaves the rest alone
    assert post(teacher, f"external-hours/{pk}/submit/").json()["status"] == "submitted"

    principal = login(client, o["principal"])
    done = post(principal, f"external-hours/{pk}/approve/")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    assert done.json()["decided_by_name"] == o["principal"].full_name
    twice = post(principal, f"external-hours/{pk}/approve/")
    assert twice.status_code == 409 and twice.json()["code"] == "external_hours.not_submitted"
    totals = login(client, o["teacher"]).get(f"{API}/transcripts/").json()["totals"]
    assert totals["equity"] == "7.00"


def test_create_with_a_file_in_a_multipart_body(client, o):
    teacher = login(client, o["teacher"])
    response = teacher.post(
        f"{API}/external-hours/",
        {**body(o), "file": SimpleUploadedFile("cert.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["file_type"] == "application/pdf" and data["file_url"].endswith("/file/")
    download = teacher.get(data["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    bad = teacher.post(
        f"{API}/external-hours/",
        {**body(o), "file": SimpleUploadedFile("cert.pdf", b"GIF89a...", "application/pdf")},
    )
    assert bad.status_code == 400 and bad.json()["code"] == "attachment.type"


def test_the_author_withdraws(client, o):
    pk = o["external_hours"].pk
    assert post(login(client, o["principal"]), f"external-hours/{pk}/withdraw/").status_code == 403
    teacher = login(client, o["teacher"])
    assert post(teacher, f"external-hours/{pk}/withdraw/").json()["status"] == "withdrawn"
    second = post(teacher, f"external-hours/{pk}/withdraw/")
    assert second.status_code == 409 and second.json()["code"] == "external_hours.not_submitted"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"hours": "0"}, 400),
        ({"hours": "abc"}, 400),
        ({"hours": "123456"}, 400),
        ({"category": "art"}, 400),
        ({"completed_on": "2999-01-01"}, 400),
        ({"completed_on": "1990-01-01"}, 400),
        ({"title": ""}, 400),
        ({"evidence": ""}, 400),
    ],
)
def test_bad_bodies_are_400s(client, o, change, status):
    response = post(login(client, o["teacher"]), "external-hours/", body(o, **change))
    assert response.status_code == status, response.content
    assert "code" in response.json()


def test_the_list_filters_and_shows_each_caller_what_they_see(client, o, world):
    own = o["external_hours"]
    program = services.external_hours_create(
        staff=o["program_teacher"],
        actor=o["program_teacher"].user,
        data={
            "title": "Title I summit",
            "completed_on": o["year"].start_date,
            "hours": D(3),
            "evidence": "x",
        },
    )

    def ids(who, **params):
        response = login(client, who).get(f"{API}/external-hours/", params)
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids(o["teacher"]) == {own.pk}
    assert ids(o["principal"]) == {own.pk}
    assert ids(o["director"]) == {program.pk}
    assert ids(o["admin"]) >= {own.pk, program.pk}
    assert ids(o["admin"], staff=o["program_teacher"].pk) == {program.pk}
    assert ids(o["principal"], to_decide="true") == {own.pk}
    assert ids(o["teacher"], to_decide="true") == set()
    assert ids(o["teacher"], status="approved") == set()
    assert ids(world.b_objects["admin"]).isdisjoint({own.pk, program.pk})


def test_the_list_takes_a_fixed_number_of_queries(client, o, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            entry = services.external_hours_create(
                staff=o["teacher"],
                actor=o["teacher"].user,
                data={
                    "title": f"Course {i}",
                    "completed_on": o["year"].start_date,
                    "hours": D(1),
                    "evidence": "x",
                },
            )
            if i % 2:
                services.external_hours_approve(entry=entry, actor=o["principal"].user)

    add(2)  # one of them decided: who decided is read (once) from the first row on
    admin = login(client, o["admin"])
    with django_assert_max_num_queries(20) as few:
        assert admin.get(f"{API}/external-hours/").status_code == 200
    add(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(admin.get(f"{API}/external-hours/").json()["results"]) >= 12
