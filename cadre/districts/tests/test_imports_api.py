"""The import API: uploads queued as on the pages, and HR data in bulk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cadre.districts.models import ImportRun, Staff
from cadre.districts.tests.oneroster_export import as_zip, export_11

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, world):
    client.force_login(world.obj("a.admin").user)
    return client


def test_a_roster_upload_is_queued_then_reported(
    admin, world, tmp_path, django_capture_on_commit_callbacks
):
    world.a.sourced_id = "d1"
    world.a.save()
    path = as_zip(tmp_path / "r.zip", export_11())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/api/v1/imports/",
            {"file": SimpleUploadedFile("r.zip", path.read_bytes()), "dry_run": "true"},
        )
    assert response.status_code == 201, response.content
    run = admin.get(f"/api/v1/imports/{response.json()['id']}/").json()
    assert run["kind"] == "roster" and run["status"] == "validated"
    assert run["summary"]["staff"]["created"] == 6 and run["problems"] == []
    listed = admin.get("/api/v1/imports/").json()
    assert run["id"] in [r["id"] for r in listed["results"]]


def test_an_upload_with_a_bad_map_or_encoding_is_refused(admin):
    response = admin.post(
        "/api/v1/imports/",
        {
            "file": SimpleUploadedFile("hr.csv", b"a\n"),
            "kind": "staff_data",
            "mapping": "Days=shoe",
            "encoding": "klingon",
        },
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) >= {"mapping", "encoding"}
    assert not ImportRun.objects.filter(original_name="hr.csv").exists()


def test_hr_rows_in_bulk(admin, world):
    teacher = world.obj("a.teacher")
    Staff.objects.filter(pk=teacher.pk).update(employee_id="T-1")
    rows = [
        {"employee_id": "T-1", "contracted_days": "45", "substitute_days": "10", "fte": "1.0"},
        {"employee_id": "NOBODY", "contracted_days": "5"},
    ]
    response = admin.post("/api/v1/staff-data/", {"rows": rows}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] and body["summary"]["updated"] == 1 and body["summary"]["not_found"] == 1
    assert body["warnings"][0]["kind"] == "not-found"
    teacher.refresh_from_db()
    assert (teacher.contracted_days, teacher.substitute_days) == (45, 10)
    assert teacher.is_new_teacher
    again = admin.post("/api/v1/staff-data/", {"rows": rows}, content_type="application/json")
    assert again.json()["summary"]["updated"] == 0


def test_hr_rows_with_errors_write_nothing_and_name_the_row(admin, world):
    teacher = world.obj("a.teacher")
    Staff.objects.filter(pk=teacher.pk).update(employee_id="T-1", contracted_days=400)
    rows = [
        {"employee_id": "T-1", "contracted_days": "12"},
        {"employee_id": "T-1", "hire_date": "someday"},
    ]
    response = admin.post("/api/v1/staff-data/", {"rows": rows}, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0] == {
        "row": 1,
        "column": "hire date",
        "reason": '"someday" is not a date Cadre can read (such as 2019-08-15 or 8/15/2019).',
    }
    teacher.refresh_from_db()
    assert teacher.contracted_days == 400


def test_hr_rows_with_unknown_fields_are_refused(admin):
    response = admin.post(
        "/api/v1/staff-data/",
        {"rows": [{"employee_id": "1", "shoe_size": "9"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Unknown field: shoe_size" in str(response.json())


@pytest.mark.parametrize("who", ["teacher", "principal", "director"])
def test_only_administrators_import(client, world, who):
    client.force_login(world.obj(f"a.{who}").user)
    assert client.get("/api/v1/imports/").status_code == 403
    response = client.post(
        "/api/v1/staff-data/", {"rows": [{"employee_id": "1"}]}, content_type="application/json"
    )
    assert response.status_code == 403
    run = world.obj("a.import")
    assert client.get(f"/api/v1/imports/{run.pk}/").status_code == 404


def test_another_districts_run_is_not_there(admin, world):
    other = world.obj("b.import")
    assert admin.get(f"/api/v1/imports/{other.pk}/").status_code == 404


def test_the_import_list_runs_a_fixed_number_of_queries(
    admin, world, django_assert_max_num_queries
):
    for n in range(15):
        ImportRun.objects.create(district=world.a, original_name=f"r{n}.zip", file="x.zip")
    with django_assert_max_num_queries(12):
        assert admin.get("/api/v1/imports/").status_code == 200


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"employee_id": " ", "fte": ""}, "Row 0 has no values."),
        ({"employee_id": "T-1\nT-2"}, "Row 0 has a value on more than one line."),
    ],
)
def test_hr_rows_that_would_shift_or_vanish_are_refused(admin, row, message):
    response = admin.post("/api/v1/staff-data/", {"rows": [row]}, content_type="application/json")
    assert response.status_code == 400 and message in str(response.json())
