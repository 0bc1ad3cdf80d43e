"""A district's roster over time: a bulk export, a delta that deletes, a delta that changes an
email, and a bulk export again; then the guards (a re-import changes nothing, an empty users
file does not wipe the staff).

At each step: who is staff and active, which assignments are open or ended (ended, never
deleted: history stays), and what the audit trail says changed.
"""

import csv
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.districts.models import (
    Assignment,
    Department,
    District,
    School,
    Staff,
    StudentEnrollment,
    TeacherClass,
)
from cadre.districts.oneroster import import_oneroster

pytestmark = pytest.mark.django_db

SLUG = "delta-district"
T = "2026-07-01T08:00:00Z"


def columns(text: str) -> list[str]:
    return text.split(",")


MAIL = "fernhill.example"
ORGS = ["sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"]
USERS = columns(
    "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
    "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
)
CLASSES = columns(
    "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
    "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"
)
ENROLLMENTS = columns(
    "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,"
    "primary,beginDate,endDate"
)
FILES = ("orgs", "users", "classes", "enrollments")


def manifest(**modes: str) -> list[list[str]]:
    rows = [["propertyName", "value"], ["manifest.version", "1.0"], ["oneroster.version", "1.1"]]
    return rows + [[f"file.{f}", modes.get(f, "absent")] for f in FILES]


def user(sid, org, role, given, family, email="", status="active"):
    return [sid, status, T, "true", org, role, sid, "", given, family, "", "", email, "", "",
            "", "", ""]  # fmt: skip


def klass(sid, title, school):
    return [sid, "active", T, title, "", "", "", "scheduled", "", school, "", "", "", ""]


def enrol(sid, cls, school, person, role, status="active"):
    return [sid, status, T, cls, school, person, role, "false", "", ""]


ORG_ROWS = [
    ["d-1", "active", T, "Fern Hill Schools", "district", "FHS", ""],
    ["s-1", "active", T, "Fern Hill Elementary", "school", "201", "d-1"],
    ["s-2", "active", T, "Fern Hill Middle", "school", "202", "d-1"],
]
T1 = user("t-1", "s-1", "teacher", "Marisol", "Garcia", f"m.garcia@{MAIL}")
T1_RENAMED = user("t-1", "s-1", "teacher", "Marisol", "Garcia", f"marisol.garcia@{MAIL}")
T2 = user("t-2", "s-2", "teacher", "Tuan", "Nguyen", f"t.nguyen@{MAIL}")
T3 = user("t-3", "s-1", "teacher", "Kemal", "Aydin", f"k.aydin@{MAIL}")
T4 = user("t-4", "s-2", "teacher", "Ruth", "Mensah", f"r.mensah@{MAIL}")
P1 = user("p-1", "s-1", "administrator", "Paula", "Reyes", f"p.reyes@{MAIL}")
STUDENTS = [
    user("stu-1", "s-1", "student", "Sam", "Lopez"),
    user("stu-2", "s-2", "student", "Ana", "Diaz"),
]
CLASS_ROWS = [klass("c-1", "Grade 3 Reading", "s-1"), klass("c-2", "Science 7", "s-2")]

BULK_1 = {
    "manifest": manifest(orgs="bulk", users="bulk", classes="bulk", enrollments="bulk"),
    "orgs": [ORGS, *ORG_ROWS],
    "users": [USERS, T1, T2, T3, P1, *STUDENTS],
    "classes": [CLASSES, *CLASS_ROWS],
    "enrollments": [
        ENROLLMENTS,
        enrol("e-1", "c-1", "s-1", "t-1", "teacher"),
        enrol("e-2", "c-2", "s-2", "t-2", "teacher"),
        enrol("e-3", "c-1", "s-1", "stu-1", "student"),
        enrol("e-4", "c-2", "s-2", "stu-2", "student"),
    ],
}
DELTA_DELETE = {
    "manifest": manifest(users="delta", enrollments="delta"),
    "users": [
        USERS,
        user("t-2", "s-2", "teacher", "Tuan", "Nguyen", f"t.nguyen@{MAIL}", "tobedeleted"),
    ],  # fmt: skip
    "enrollments": [ENROLLMENTS, enrol("e-2", "c-2", "s-2", "t-2", "teacher", "tobedeleted")],
}
DELTA_EMAIL = {
    "manifest": manifest(users="delta"),
    "users": [USERS, T1_RENAMED],
}
# t-2 stays gone, t-3 left without a delta saying so, t-4 is new.
BULK_2 = {
    "manifest": manifest(orgs="bulk", users="bulk", classes="bulk", enrollments="bulk"),
    "orgs": [ORGS, *ORG_ROWS],
    "users": [USERS, T1_RENAMED, T4, P1, *STUDENTS],
    "classes": [CLASSES, *CLASS_ROWS],
    "enrollments": [
        ENROLLMENTS,
        enrol("e-1", "c-1", "s-1", "t-1", "teacher"),
        enrol("e-3", "c-1", "s-1", "stu-1", "student"),
        enrol("e-5", "c-2", "s-2", "t-4", "teacher"),
    ],
}


def as_zip(path, files: dict[str, list[list[str]]]):
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in files.items():
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            archive.writestr(f"{name}.csv", buffer.getvalue())
    return path


def run(tmp_path, files, name, **options):
    result = import_oneroster(
        as_zip(tmp_path / f"{name}.zip", files), district_slug=SLUG, **options
    )
    return result


def staff() -> dict[str, tuple]:
    """sourcedId → (active, email, sign-in email)."""
    return {
        s.sourced_id: (s.is_active, s.email, s.user.email if s.user_id else None)
        for s in Staff.objects.filter(district__slug=SLUG).select_related("user")
    }


def assignments() -> dict[str, list[tuple]]:
    """sourcedId → [(role, school name, end date)] of every assignment, ended or not."""
    found: dict[str, list[tuple]] = {}
    for a in Assignment.objects.filter(district__slug=SLUG).select_related("staff", "school"):
        found.setdefault(a.staff.sourced_id, []).append((a.role, a.school.name, a.end_date))
    return found


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(district__slug=SLUG, id__gt=since).order_by("id"))


def about(events, obj) -> list[AuditEvent]:
    return [
        e for e in events if e.object_type == obj._meta.label_lower and e.object_id == str(obj.pk)
    ]


def person(sid: str) -> Staff:
    return Staff.objects.get(district__slug=SLUG, sourced_id=sid)


def assignment_of(sid: str) -> Assignment:
    return Assignment.objects.get(district__slug=SLUG, staff__sourced_id=sid)


def test_bulk_then_deltas_then_bulk_again(tmp_path):
    today = timezone.localdate()

    # 1. The first bulk export: everyone arrives, with open assignments, each audited.
    since = last_event_id()
    result = run(tmp_path, BULK_1, "bulk-1")
    assert result.ok, [str(p) for p in result.problems]
    assert staff() == {
        "t-1": (True, f"m.garcia@{MAIL}", f"m.garcia@{MAIL}"),
        "t-2": (True, f"t.nguyen@{MAIL}", f"t.nguyen@{MAIL}"),
        "t-3": (True, f"k.aydin@{MAIL}", f"k.aydin@{MAIL}"),
        "p-1": (True, f"p.reyes@{MAIL}", f"p.reyes@{MAIL}"),
    }
    assert assignments() == {
        "t-1": [("teacher", "Fern Hill Elementary", None)],
        "t-2": [("teacher", "Fern Hill Middle", None)],
        "t-3": [("teacher", "Fern Hill Elementary", None)],
        "p-1": [("principal", "Fern Hill Elementary", None)],
    }
    events = events_since(since)
    for sid in ("t-1", "t-2", "t-3", "p-1"):
        assert len(about(events, person(sid))) == 1, f"{sid}: one creation event"
        assert len(about(events, assignment_of(sid))) == 1, f"{sid}'s assignment: one event"
    district = District.objects.get(slug=SLUG)
    assert about(events, district), "the import itself is audited on the district"
    tc = TeacherClass.objects.get(district=district, sourced_id="e-2")
    assert tc.is_active

    # 2. A delta deletes t-2: they stay on record, inactive, with their assignment ended
    #    today; nobody else is touched.
    since = last_event_id()
    result = run(tmp_path, DELTA_DELETE, "delta-delete")
    assert result.ok, [str(p) for p in result.problems]
    assert staff() == {
        "t-1": (True, f"m.garcia@{MAIL}", f"m.garcia@{MAIL}"),
        "t-2": (False, f"t.nguyen@{MAIL}", f"t.nguyen@{MAIL}"),
        "t-3": (True, f"k.aydin@{MAIL}", f"k.aydin@{MAIL}"),
        "p-1": (True, f"p.reyes@{MAIL}", f"p.reyes@{MAIL}"),
    }
    assert assignments()["t-2"] == [("teacher", "Fern Hill Middle", today)]
    assert assignments()["t-1"] == [("teacher", "Fern Hill Elementary", None)]
    tc.refresh_from_db()
    assert not tc.is_active, "the deleted teaching enrollment is kept, inactive"
    events = events_since(since)
    t2 = about(events, person("t-2"))
    assert len(t2) == 1
    assert "is_active" in t2[0].changes or t2[0].to_state == "inactive"
    assert about(events, assignment_of("t-2")), "ending the assignment is audited"
    for sid in ("t-1", "t-3", "p-1"):
        assert not about(events, person(sid)), f"{sid} was not in the delta"
        assert not about(events, assignment_of(sid))

    # 3. A delta changes t-1's email: the person and their sign-in follow, audited with the
    #    old and new address.
    sign_in = person("t-1").user_id
    since = last_event_id()
    result = run(tmp_path, DELTA_EMAIL, "delta-email")
    assert result.ok, [str(p) for p in result.problems]
    assert staff()["t-1"] == (True, f"marisol.garcia@{MAIL}", f"marisol.garcia@{MAIL}")
    assert person("t-1").user_id == sign_in, "the same sign-in, with its new address"
    assert staff()["t-2"][0] is False, "a delta that does not name t-2 leaves them deleted"
    events = events_since(since)
    t1 = about(events, person("t-1"))
    assert len(t1) == 1
    assert t1[0].changes.get("email") == [f"m.garcia@{MAIL}", f"marisol.garcia@{MAIL}"]
    for sid in ("t-2", "t-3", "p-1"):
        assert not about(events, person(sid))
    assert not any(e.object_type == "districts.assignment" for e in events)

    # 4. Bulk again: t-3 is absent, so deactivated and their assignment ended (history
    #    kept); t-4 arrives; t-1 and t-2 are as the deltas left them, with no new events.
    since = last_event_id()
    result = run(tmp_path, BULK_2, "bulk-2")
    assert result.ok, [str(p) for p in result.problems]
    assert staff() == {
        "t-1": (True, f"marisol.garcia@{MAIL}", f"marisol.garcia@{MAIL}"),
        "t-2": (False, f"t.nguyen@{MAIL}", f"t.nguyen@{MAIL}"),
        "t-3": (False, f"k.aydin@{MAIL}", f"k.aydin@{MAIL}"),
        "t-4": (True, f"r.mensah@{MAIL}", f"r.mensah@{MAIL}"),
        "p-1": (True, f"p.reyes@{MAIL}", f"p.reyes@{MAIL}"),
    }
    assert assignments() == {
        "t-1": [("teacher", "Fern Hill Elementary", None)],
        "t-2": [("teacher", "Fern Hill Middle", today)],
        "t-3": [("teacher", "Fern Hill Elementary", today)],
        "t-4": [("teacher", "Fern Hill Middle", None)],
        "p-1": [("principal", "Fern Hill Elementary", None)],
    }
    events = events_since(since)
    t3 = about(events, person("t-3"))
    assert len(t3) == 1
    assert t3[0].to_state == "inactive" or "is_active" in t3[0].changes
    assert about(events, assignment_of("t-3")), "ending t-3's assignment is audited"
    assert len(about(events, person("t-4"))) == 1
    for sid in ("t-1", "t-2", "p-1"):
        assert not about(events, person(sid)), f"{sid} did not change"
        assert not about(events, assignment_of(sid)), f"{sid}'s assignment did not change"
    enrolled = StudentEnrollment.objects.filter(district__slug=SLUG)
    assert (enrolled.count(), enrolled.filter(is_active=True).count()) == (2, 1)


def stamps() -> dict:
    """Every updated_at an import could move, and every row it could add."""
    found = {}
    for model in (District, School, Department, Staff, Assignment):
        rows = model.objects.filter(
            **({"slug": SLUG} if model is District else {"district__slug": SLUG})
        )
        found[model.__name__] = sorted(rows.values_list("pk", "updated_at"))
    for model in (TeacherClass, StudentEnrollment):
        found[model.__name__] = sorted(
            model.objects.filter(district__slug=SLUG).values_list("pk", "is_active")
        )
    found["User"] = get_user_model().objects.count()
    return found


def test_reimporting_the_same_bulk_changes_nothing(tmp_path):
    first = run(tmp_path, BULK_1, "first")
    assert first.ok, [str(p) for p in first.problems]
    before, since = stamps(), last_event_id()

    again = run(tmp_path, BULK_1, "again")

    assert again.ok, [str(p) for p in again.problems]
    assert events_since(since) == []
    assert stamps() == before
    for name, tally in again.summary.items():
        if isinstance(tally, dict) and "created" in tally:
            assert (tally["created"], tally["updated"], tally["deactivated"]) == (0, 0, 0), name


def many_teachers(n: int) -> dict:
    people = [
        user(f"t-{i}", "s-1", "teacher", "Teacher", f"Number {i}", f"t{i}@{MAIL}") for i in range(n)
    ]
    return {**BULK_1, "users": [USERS, *people], "enrollments": [ENROLLMENTS]}


def test_a_header_only_bulk_users_file_does_not_deactivate_everyone(tmp_path):
    assert run(tmp_path, many_teachers(12), "full").ok
    before, since = stamps(), last_event_id()
    empty = {**BULK_1, "users": [USERS], "enrollments": [ENROLLMENTS]}

    refused = run(tmp_path, empty, "empty")

    assert not refused.ok
    problems = [str(p) for p in refused.problems]
    assert any("users.csv" in p and "deactivate" in p for p in problems), problems
    assert stamps() == before
    assert events_since(since) == []
    assert Staff.objects.filter(district__slug=SLUG, is_active=True).count() == 12

    allowed = run(tmp_path, empty, "empty-allowed", allow_mass_deactivation=True)

    assert allowed.ok, [str(p) for p in allowed.problems]
    people = Staff.objects.filter(district__slug=SLUG)
    assert (people.count(), people.filter(is_active=True).count()) == (12, 0)
    ended = Assignment.objects.filter(district__slug=SLUG)
    assert ended.count() == 12, "assignments are ended, not deleted"
    assert set(ended.values_list("end_date", flat=True)) == {timezone.localdate()}
