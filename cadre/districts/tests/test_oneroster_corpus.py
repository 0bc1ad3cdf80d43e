"""The OneRoster conformance corpus: one small export per quirk or error class, each with the
result the spec and issue 15 ask for.

Each folder under `oneroster_cases/` holds an export's files exactly as they would arrive
(names in their real case, subfolders, bytes in their encoding) and an `expected.json`:

- `about`: the quirk and where it is seen in the wild;
- `options` (optional): `district_name`, `encoding`, `slug` for the import;
- `ok`: whether it imports; when false, nothing at all may be written;
- `format`: the format the result names (when ok);
- `counts` (when ok; any subset): schools, departments, staff, active_staff, assignments,
  classes, teacher_classes, student_enrollments, counted in the imported district only;
- `roles`: staff sourcedId → the Cadre roles of their assignments (any order);
- `names`: staff sourcedId → "Given Family" (proves decoding);
- `dates`: staff sourcedId → [start, end] of their one assignment (ISO dates or null);
- `district`: the imported district's `name` and `sourced_id`;
- `warnings`: the exact set of warning kinds (when ok, and when given for a refusal);
- `errors`: substrings, each of which some error line must contain;
- `absent_from_errors`: substrings no error line may contain (a wrong hint, past the cap);
- `zip_only`: the quirk exists only inside a zip, so there is no folder variant.

Every case is imported twice: as a zip built from its folder (relative paths kept, so junk
folders and nested folders reach the importer) and as the folder itself.
"""

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from cadre.audit.models import AuditEvent
from cadre.districts.models import (
    Assignment,
    Department,
    District,
    RosterClass,
    School,
    Staff,
    StudentEnrollment,
    TeacherClass,
)
from cadre.districts.oneroster import import_oneroster

pytestmark = pytest.mark.django_db

CASES_DIR = Path(__file__).parent / "oneroster_cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if (p / "expected.json").is_file())
KEYS = {
    "about",
    "options",
    "ok",
    "format",
    "counts",
    "roles",
    "names",
    "dates",
    "district",
    "warnings",
    "errors",
    "absent_from_errors",
    "zip_only",
}
MODELS = {
    "schools": School,
    "departments": Department,
    "staff": Staff,
    "assignments": Assignment,
    "classes": RosterClass,
    "teacher_classes": TeacherClass,
    "student_enrollments": StudentEnrollment,
}
WRITTEN = [
    District,
    School,
    Department,
    Staff,
    Assignment,
    RosterClass,
    TeacherClass,
    StudentEnrollment,
    AuditEvent,
]


def expected_of(case: Path) -> dict:
    return json.loads((case / "expected.json").read_text(encoding="utf-8"))


def export_files(case: Path):
    for path in sorted(case.rglob("*")):
        if path.is_file() and path.relative_to(case) != Path("expected.json"):
            yield path, path.relative_to(case).as_posix()


def as_zip(case: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, name in export_files(case):
            archive.write(path, name)
    return target


def as_folder(case: Path, target: Path) -> Path:
    for path, name in export_files(case):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / name)
    return target


def everything() -> dict[str, int]:
    """Rows in every table an import writes, in every district, and sign-ins."""
    counts = {m.__name__: m.objects.count() for m in WRITTEN}
    counts["User"] = get_user_model().objects.count()
    return counts


def lines(result) -> list[str]:
    return [str(p) for p in result.problems]


def kinds(result) -> set[str]:
    return {w["kind"] for w in result.warnings}


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


VARIANTS = [
    pytest.param(case, variant, id=f"{case.name}-{variant}")
    for case in CASES
    for variant in ("zip", "folder")
    if variant == "zip" or not expected_of(case).get("zip_only")
]


@pytest.mark.parametrize("case, variant", VARIANTS)
def test_case(case: Path, variant: str, world, tmp_path):
    expected = expected_of(case)
    assert set(expected) <= KEYS, f"unknown keys in expected.json: {set(expected) - KEYS}"
    options = expected.get("options", {})
    slug = options.get("slug", "corpus")
    if variant == "zip":
        source = as_zip(case, tmp_path / f"{case.name}.zip")
    else:
        source = as_folder(case, tmp_path / case.name)
    before = everything()

    result = import_oneroster(
        source,
        district_slug=slug,
        district_name=options.get("district_name", ""),
        encoding=options.get("encoding"),
    )

    problems = lines(result)
    found = kinds(result)
    for text in expected.get("errors", []):
        assert any(text in line for line in problems), (
            f"no error contains {text!r}; errors: {problems}"
        )
    for text in expected.get("absent_from_errors", []):
        assert not any(text in line for line in problems), (
            f"an error contains {text!r}; errors: {problems}"
        )
    if not expected["ok"]:
        assert not result.ok, f"imported, but should be refused; warnings: {sorted(found)}"
        assert everything() == before, "a refused import wrote rows"
        assert not District.objects.filter(slug=slug).exists()
        if "warnings" in expected:
            assert found == set(expected["warnings"])
        return

    assert result.ok, f"refused: {problems}"
    assert found == set(expected.get("warnings", [])), (
        f"warning kinds {sorted(found)}; examples: "
        + "; ".join(f"{w['kind']}: {w['examples'][:2]}" for w in result.warnings)
    )
    assert result.summary.get("format") == expected["format"]
    district = District.objects.get(slug=slug)
    if "district" in expected:
        assert {"name": district.name, "sourced_id": district.sourced_id} == expected["district"]

    counts = {name: m.objects.filter(district=district).count() for name, m in MODELS.items()}
    counts["active_staff"] = Staff.objects.filter(district=district, is_active=True).count()
    wanted = expected.get("counts", {})
    assert {k: counts[k] for k in wanted} == wanted

    staff = {s.sourced_id: s for s in Staff.objects.filter(district=district)}
    for sid, roles in expected.get("roles", {}).items():
        assert sid in staff, f"{sid} was not imported as staff; staff: {sorted(staff)}"
        got = sorted(Assignment.objects.filter(staff=staff[sid]).values_list("role", flat=True))
        assert got == sorted(roles), f"{sid}: roles {got}"
    for sid, name in expected.get("names", {}).items():
        assert sid in staff, f"{sid} was not imported as staff; staff: {sorted(staff)}"
        assert f"{staff[sid].first_name} {staff[sid].last_name}" == name
    for sid, (start, end) in expected.get("dates", {}).items():
        assert sid in staff, f"{sid} was not imported as staff; staff: {sorted(staff)}"
        got = [
            [iso(a.start_date), iso(a.end_date)]
            for a in Assignment.objects.filter(staff=staff[sid])
        ]
        assert got == [[start, end]], f"{sid}: assignment dates {got}"


def test_the_corpus_has_a_case_per_quirk():
    assert len(CASES) >= 36
    names = [c.name for c in CASES]
    assert len({n.split("-", 1)[0] for n in names}) == len(names), "case numbers repeat"
    for case in CASES:
        expected = expected_of(case)
        assert expected.get("about"), f"{case.name}: say what the quirk is"
        assert expected["ok"] or expected.get("errors"), f"{case.name}: name its errors"
        assert not expected["ok"] or expected.get("format"), f"{case.name}: name its format"
        assert any(export_files(case)), f"{case.name}: no export files"
