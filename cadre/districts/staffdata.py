"""HR and payroll data: staff experience, hire dates, bargaining units, FTE and emails.

OneRoster carries no teaching experience, so every rostered person starts with experience
*unknown* (not zero: unknown people are not new teachers). A CSV from HR or payroll fills it in.

- Rows are matched to staff by OneRoster sourcedId, employee number or email, whichever the
  file has; a row that names two different people is an error.
- Headers are matched by the names payroll systems write (see `COLUMNS`), without regard to
  case, spaces or punctuation; `mapping` (`--map COLUMN=FIELD`) names any other header.
- A blank cell changes nothing. Days are whole days (a half day is dropped); years of
  experience count at the district's days per year; FTE is read as a fraction (up to 2: 1.0,
  0.5), a percentage (up to 200, or with %: 100, 50%) or per mille (1000).
- The same guarantees as the roster: every problem reported as file:line: column: reason,
  all or nothing, a re-import of the same file changes nothing, every change audited.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from cadre.core import bulk, trail
from cadre.core.tabular import (
    Archive,
    Column,
    Columns,
    Problem,
    Report,
    norm,
    parse_date,
    read_table,
)
from cadre.districts.models import District, Staff
from cadre.districts.signin import logins

Progress = Callable[[str, int, int], None]
C = Column

COLUMNS = [
    C(
        "sourced_id",
        ("sourcedId", "OneRoster ID", "OneRosterID", "OneRoster sourcedId", "SourcedID"),
    ),
    C(
        "employee_id",
        (
            "employee number",
            "Employee Number",
            "Employee ID",
            "EmployeeID",
            "Employee No",
            "Emp No",
            "Emp #",
            "Emp ID",
            "Employee #",
            "EMPLID",
            "File #",
            "File Number",
            "Personnel ID",
            "Payroll ID",
            "Staff Number",
            "Worker ID",
            "HRID",
            "Human Resources System ID",
            "Local Staff ID",
            "Teacher Number",
            "Identifier",
            "Employee",
        ),
    ),
    C(
        "email",
        (
            "Email Address",
            "E-mail",
            "Work Email",
            "District Email",
            "Staff Email",
            "Primary Work Email",
            "EmailAddress",
            "Electronic Mail Address",
            "EMail Addr",
        ),
    ),
    C(
        "contracted_days",
        (
            "contracted days",
            "Contracted Days To Date",
            "Contracted Teaching Days",
            "Contract Days To Date",
            "Total Contracted Days",
            "Teaching Days",
            "Experience Days",
            "Days Experience",
            "Days of Experience",
            "Certificated Days",
        ),
    ),
    C(
        "substitute_days",
        (
            "substitute days",
            "Substitute Days To Date",
            "Sub Days",
            "Days Subbed",
            "Substitute Days Worked",
            "Total Substitute Days",
        ),
    ),
    C(
        "experience_years",
        (
            "years of experience",
            "Years Experience",
            "Years' Experience",
            "Total Years Experience",
            "Total Years of Experience",
            "Teaching Experience Years",
            "Years Teaching",
            "Years of Teaching",
            "Total Years of Service",
            "Total Years of Edu Service",
            "Years of Prior Teaching Experience",
        ),
    ),
    C(
        "hire_date",
        (
            "hire date",
            "HireDate",
            "HIRE_DT",
            "Original Hire Date",
            "Original Hire",
            "ORIG_HIRE_DT",
            "Date of Hire",
            "Date Hired",
            "DOH",
            "Employment Start Date",
            "Staff Employment Start Date",
            "Start Date",
        ),
    ),
    C(
        "bargaining_unit",
        (
            "bargaining unit",
            "Barg Unit",
            "Bargaining Group",
            "Bargaining Unit Code",
            "Union",
            "Union Code",
            "UNION_CD",
            "BU",
            "Group/BU",
            "Group/BU Code",
            "Employee Group",
            "Association",
        ),
    ),
    C(
        "fte",
        (
            "FTE",
            "Full Time Equivalency",
            "Full-Time Equivalent",
            "FTE %",
            "FTE Percent",
            "Percent Time",
            "Percent Time Employed",
            "Percent Day Employed",
            "Full Time Percentage",
            "Assignment FTE",
            "Contract FTE",
        ),
    ),
    C("first_name", ("First Name", "givenName", "First", "FirstName")),
    C("last_name", ("Last Name", "familyName", "Last", "LastName", "Surname")),
]
FIELDS = [c.name for c in COLUMNS]
KEYS = ("sourced_id", "employee_id", "email")
DATA = (
    "contracted_days",
    "substitute_days",
    "experience_years",
    "hire_date",
    "bargaining_unit",
    "fte",
    "email",
)
WRITES = [
    "contracted_days",
    "substitute_days",
    "hire_date",
    "bargaining_unit",
    "fte",
    "email",
    "user_id",
]
LABELS = {
    "sourced_id": "sourcedId",
    "employee_id": "employee number",
    "email": "email",
    "contracted_days": "contracted days",
    "substitute_days": "substitute days",
    "experience_years": "years of experience",
    "hire_date": "hire date",
    "bargaining_unit": "bargaining unit",
    "fte": "FTE",
}


@dataclass
class ImportResult:
    ok: bool
    dry_run: bool
    summary: dict = field(default_factory=dict)
    report: Report = field(default_factory=Report)

    @property
    def problems(self) -> list[Problem]:
        return [Problem(**p) for p in self.report.errors_json()]

    @property
    def warnings(self) -> list[dict]:
        return self.report.warnings_json()


ALIASES = {
    "sourcedid": "sourced_id",
    "employeenumber": "employee_id",
    "employeeid": "employee_id",
    "yearsofexperience": "experience_years",
    "experienceyears": "experience_years",
    "contracteddays": "contracted_days",
    "substitutedays": "substitute_days",
    "hiredate": "hire_date",
    "bargainingunit": "bargaining_unit",
    "firstname": "first_name",
    "lastname": "last_name",
}


def parse_mapping(items) -> dict[str, str]:
    """`COLUMN=FIELD` pairs (from `--map`) → header → field; ValueError names a bad one.
    FIELD is a field name (`substitute_days`) or its words (`substitute days`)."""
    mapping = {}
    for item in items or ():
        column, sep, name = str(item).rpartition("=")
        key = norm(name)
        name = ALIASES.get(key) or next((f for f in FIELDS if norm(f) == key), "")
        if not sep or not column.strip() or name not in FIELDS:
            raise ValueError(f'"{item}" is not COLUMN=FIELD with FIELD one of {", ".join(FIELDS)}.')
        mapping[column.strip()] = name
    return mapping


def _days(value: str) -> int:
    number = float(value.replace(",", ""))
    if number < 0 or math.isnan(number) or number > 100_000:
        raise ValueError(value)
    return int(number)  # a half day is dropped


def _years(value: str) -> float:
    number = float(value.replace(",", ""))
    if number < 0 or math.isnan(number) or number > 80:
        raise ValueError(value)
    return number


def _fte_number(value: str) -> tuple[Decimal, bool]:
    percent = value.endswith("%")
    number = Decimal(value.rstrip("%").strip().replace(",", "."))
    if number < 0 or not number.is_finite():
        raise InvalidOperation(value)
    return number, percent


class StaffDataImport:
    def __init__(
        self,
        source,
        *,
        district: District,
        dry_run: bool = False,
        actor=None,
        progress: Progress | None = None,
        encoding: str | None = None,
        mapping: dict[str, str] | None = None,
        file_name: str = "",
    ):
        self.source = source
        self.district = district
        self.dry_run = dry_run
        self.actor = actor
        self.progress = progress or (lambda stage, done, total: None)
        self.encoding = encoding
        self.mapping = mapping or {}
        self.file_name = file_name
        self.report = Report()
        self.label = file_name
        self.summary = {"rows": 0, "matched": 0, "updated": 0, "unchanged": 0, "not_found": 0}

    def run(self) -> ImportResult:
        """Check and write in one transaction, the district locked (a roster import of the
        same district waits, and so does a second HR import); a problem or a dry run rolls
        every write back."""
        with scopes_disabled():
            try:
                with transaction.atomic():
                    District.objects.select_for_update().filter(pk=self.district.pk).first()
                    wanted = self.read()
                    if self.report.ok and wanted is not None:
                        self.write(wanted)
                    if not self.report.ok or self.dry_run:
                        raise _Rollback
            except _Rollback:
                pass
            else:
                if self.summary["updated"] > 1000:
                    bulk.analyze(Staff._meta.db_table)
            self.progress("Done", 1, 1)
        return ImportResult(
            ok=self.report.ok, dry_run=self.dry_run, summary=self.summary, report=self.report
        )

    # --- reading ------------------------------------------------------------------------------

    def read(self) -> dict[int, dict] | None:
        self.progress("Reading the file", 0, 1)
        archive = Archive(
            self.source,
            report=self.report,
            max_unpacked=settings.IMPORT_MAX_UNPACKED_BYTES,
            label=self.file_name,
        )
        if not archive.readable:
            return None
        try:
            names = [n for n in archive.names() if n.endswith((".csv", ".txt", ".tsv"))]
            if len(names) != 1:
                self.report.error(
                    self.file_name or archive.label,
                    None,
                    None,
                    "Upload one CSV file of HR data"
                    + (f" (this upload has {len(names)})." if names else "."),
                )
                return None
            name = names[0]
            label = self.label = self.file_name or name
            table = read_table(
                archive.open(name), file=label, report=self.report, encoding=self.encoding
            )
            if table is None:
                return None
            unknown_map = [
                h for h in self.mapping if norm(h) not in {norm(x) for x in table.header}
            ]
            for header in unknown_map:
                self.report.error(label, 1, header, f'The file has no column "{header}" to map.')
            cols = Columns(
                table.header, COLUMNS, file=label, report=self.report, mapping=self.mapping
            )
            if not any(cols.has(k) for k in KEYS):
                self.report.error(
                    label,
                    1,
                    None,
                    "The file needs a column that names each person: sourcedId, employee "
                    "number or email (or name one with a column map).",
                )
                return None
            if not any(cols.has(k) for k in DATA):
                self.report.error(
                    label,
                    1,
                    None,
                    "The file has no column Cadre takes from HR data: contracted days, "
                    "substitute days, years of experience, hire date, bargaining unit, FTE or "
                    "email.",
                )
                return None
            for header in cols.unread:
                self.report.warn(
                    "unknown-column",
                    "Columns Cadre does not take from HR data were not read",
                    label,
                    1,
                    header,
                    f'"{header}" was not read (name it with a column map if it should be).',
                )
            return self.check(table, cols, label)
        finally:
            archive.close()

    def check(self, table, cols: Columns, file: str) -> dict[int, dict]:
        d = self.district
        staff = list(
            Staff.objects.filter(district=d).values_list(
                "pk",
                "sourced_id",
                "other_sourced_ids",
                "employee_id",
                "email",
                "first_name",
                "last_name",
                "contracted_days",
                "substitute_days",
                "hire_date",
                "bargaining_unit",
                "fte",
                "user_id",
            )
        )
        by_sid, by_id, by_email = {}, {}, {}
        self.current: dict[int, dict] = {}
        for pk, sid, others, eid, email, first, last, c, s, h, b, f, u in staff:
            for key in [sid, *(others or ())]:
                if key:
                    by_sid[key] = pk
            if eid:
                by_id[eid] = pk
                by_id.setdefault(eid.lstrip("0") or "0", pk)  # Excel drops leading zeros
            if email:
                by_email[email.lower()] = pk
            self.current[pk] = {
                "name": f"{first} {last}".strip(),
                "contracted_days": c,
                "substitute_days": s,
                "hire_date": h,
                "bargaining_unit": b,
                "fte": f,
                "email": email,
                "user_id": u,
            }
        get = {name: cols.getter(name) for name in FIELDS}
        seen: dict[int, tuple[int, dict]] = {}
        emails: dict[str, tuple[int, int]] = {}  # address → (staff pk, line) giving it
        raw_fte: list[tuple[int, int, str]] = []  # (staff pk, line, value)
        per_year = d.experience_days_per_year
        for line, f in table.rows():
            self.summary["rows"] += 1
            keys = {k: get[k](f) for k in KEYS}
            if not any(keys.values()):
                self.report.error(
                    file,
                    line,
                    None,
                    "This row names no one: it has no sourcedId, employee number or email.",
                )
                continue
            found = {}
            if keys["sourced_id"] and keys["sourced_id"] in by_sid:
                found["sourcedId"] = by_sid[keys["sourced_id"]]
            eid = keys["employee_id"]
            if eid and (eid in by_id or (eid.lstrip("0") or "0") in by_id):
                found["employee number"] = by_id.get(eid) or by_id[eid.lstrip("0") or "0"]
            if keys["email"] and keys["email"].lower() in by_email:
                found["email"] = by_email[keys["email"].lower()]
            people = set(found.values())
            if len(people) > 1:
                named = ", ".join(f"{how} {self.current[pk]['name']}" for how, pk in found.items())
                self.report.error(
                    file, line, None, f"This row names more than one person: {named}."
                )
                continue
            if not people:
                self.summary["not_found"] += 1
                who = keys["sourced_id"] or keys["employee_id"] or keys["email"]
                name = f"{get['first_name'](f)} {get['last_name'](f)}".strip()
                self.report.warn(
                    "not-found",
                    "Rows for people who are not staff in Cadre were skipped",
                    file,
                    line,
                    None,
                    f"No staff member has {who}" + (f" ({name})." if name else "."),
                )
                continue
            pk = people.pop()
            values: dict = {}
            for name in ("contracted_days", "substitute_days"):
                value = get[name](f)
                if value:
                    try:
                        values[name] = _days(value)
                    except ValueError:
                        self.report.error(
                            file, line, LABELS[name], f'"{value}" is not a number of days.'
                        )
            years = get["experience_years"](f)
            if years and "contracted_days" not in values:
                try:
                    values["contracted_days"] = round(_years(years) * per_year)
                except ValueError:
                    self.report.error(
                        file,
                        line,
                        LABELS["experience_years"],
                        f'"{years}" is not a number of years.',
                    )
            hired = get["hire_date"](f)
            if hired:
                try:
                    values["hire_date"] = parse_date(hired)
                except ValueError:
                    self.report.error(
                        file,
                        line,
                        LABELS["hire_date"],
                        f'"{hired}" is not a date Cadre can read (such as 2019-08-15 or '
                        "8/15/2019).",
                    )
            unit = get["bargaining_unit"](f)
            if unit:
                values["bargaining_unit"] = unit[:100]
            fte = get["fte"](f)
            if fte:
                raw_fte.append((pk, line, fte))
            email = keys["email"].lower()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    self.report.error(file, line, "email", f'"{email}" is not an email address.')
                else:
                    owner = emails.setdefault(email, (pk, line))
                    if owner[0] != pk:
                        self.report.error(
                            file,
                            line,
                            "email",
                            f"{email} is also given to {self.current[owner[0]]['name']} on line "
                            f"{owner[1]}: one address signs in one person.",
                        )
                    values["email"] = email
            if pk in seen:
                first_line, first_values = seen[pk]
                if first_values != values:
                    self.report.error(
                        file,
                        line,
                        None,
                        f"{self.current[pk]['name']} is also on line {first_line}, with other "
                        "values.",
                    )
                else:
                    self.report.warn(
                        "duplicate-row",
                        "Rows repeated exactly were read once",
                        file,
                        line,
                        None,
                        f"{self.current[pk]['name']} repeats line {first_line}.",
                    )
                continue
            seen[pk] = (line, values)
            if self.summary["rows"] % 5000 == 0:
                self.progress("Checking rows", self.summary["rows"], self.summary["rows"])
        self.read_fte(raw_fte, seen, file)
        self.summary["matched"] = len(seen)
        return {pk: values for pk, (_, values) in seen.items()}

    def read_fte(self, raw: list[tuple[int, int, str]], seen: dict, file: str) -> None:
        """FTE as a fraction (1.0, 0.5), a percentage (100, 50, 50%) or per mille (1000),
        told for each value: up to 2 is a fraction, up to 200 a percentage."""
        for pk, line, value in raw:
            try:
                number, percent = _fte_number(value)
            except (InvalidOperation, ValueError):
                self.report.error(
                    file, line, "FTE", f'"{value}" is not an FTE (such as 1.0 or 100%).'
                )
                continue
            scale = (
                Decimal(100)
                if percent or 2 < number <= 200
                else (Decimal(1000) if number > 200 else Decimal(1))
            )
            fte = (number / scale).quantize(Decimal("0.001"))
            if fte > 2:
                self.report.error(file, line, "FTE", f"An FTE of {fte} is more than 2.")
            elif pk in seen and seen[pk][0] == line:
                seen[pk][1]["fte"] = fte

    # --- writing ------------------------------------------------------------------------------

    def write(self, wanted: dict[int, dict]) -> None:
        from cadre.districts.signin import refused

        self.progress("Writing", 0, 1)
        changed: dict[int, dict] = {}
        new_emails: dict[str, int] = {}
        for pk, values in wanted.items():
            now = self.current[pk]
            diff = {}
            for name, value in values.items():
                if name == "email":
                    if not now["email"]:
                        diff["email"] = ("", value)
                        new_emails[value] = pk
                    elif now["email"].lower() != value:
                        self.report.warn(
                            "email-kept",
                            "Emails that differ from the roster's were not taken (the roster's "
                            "email signs in)",
                            self.label,
                            None,
                            "email",
                            f"{now['name']}: HR has {value}, Cadre keeps {now['email']}.",
                        )
                elif now[name] != value:
                    diff[name] = (now[name], value)
            if diff:
                changed[pk] = diff
        for email, pk in refused(new_emails, district=self.district, key="pk"):
            self.report.error(
                self.label,
                None,
                "email",
                f"{email} (for {self.current[pk]['name']}) already signs in as another person.",
            )
        if not self.report.ok:
            return
        self.summary["updated"] = len(changed)
        self.summary["unchanged"] = len(wanted) - len(changed)
        if changed:
            self._save(changed, new_emails)

    def _save(self, changed: dict[int, dict], new_emails: dict[str, int]) -> None:
        users = logins(list(new_emails))
        now = timezone.now()
        groups: dict[tuple, list[dict]] = {}
        for pk, diff in changed.items():
            values = {name: new for name, (_, new) in diff.items()}
            if "email" in values:
                values["user_id"] = users[values["email"]]
            values["updated_at"] = now
            groups.setdefault(tuple(sorted(values)), []).append({"pk": pk, **values})
        for names, rows in groups.items():
            bulk.update_rows(Staff, list(names), rows)
        trail.record_many(
            district=self.district,
            actor=self.actor,
            events=[
                {
                    "action": trail.Action.IMPORT,
                    "object_type": Staff._meta.label_lower,
                    "object_id": pk,
                    "object_repr": self.current[pk]["name"],
                    "changes": {
                        LABELS.get(n, n): [_text(a), _text(b)] for n, (a, b) in diff.items()
                    },
                    "comment": "From HR data.",
                }
                for pk, diff in changed.items()
            ]
            + [
                {
                    "action": trail.Action.IMPORT,
                    "obj": self.district,
                    "changes": {"staff": {"updated": len(changed)}},
                    "comment": f"HR data import{': ' + self.file_name if self.file_name else ''}.",
                }
            ],
        )


class _Rollback(Exception):
    pass


def _text(value) -> str:
    return "" if value is None else str(value)


def import_staff_data(
    source,
    *,
    district: District,
    dry_run: bool = False,
    actor=None,
    progress: Progress | None = None,
    encoding: str | None = None,
    mapping: dict[str, str] | None = None,
    file_name: str = "",
) -> ImportResult:
    """Import a CSV of HR or payroll data (a path, a file object or a folder) into `district`."""
    return StaffDataImport(
        source,
        district=district,
        dry_run=dry_run,
        actor=actor,
        progress=progress,
        encoding=encoding,
        mapping=mapping,
        file_name=file_name,
    ).run()
