"""Check a whole roster export in one pass, then write all of it in one transaction, or nothing.

Errors are what would make Cadre's data wrong (an unreadable file, a missing column Cadre
needs, two people with one sign-in address); any error means nothing is written. Warnings are
what Cadre can import safely and says so (a reference to a class the export lacks, an extension
column, a duplicate enrollment); they are grouped by kind on the result page.

Which role counts: a person's role in users.csv (OneRoster 1.0 and 1.1) or roles.csv (1.2, School
Data Sync) decides whether they are staff. An enrollment that gives a person another role (a
student enrolled as a teacher) is skipped with a warning.

Files are read as streams and rows kept compactly: people, roles and classes in memory; student
enrollments, most of the rows, never as objects. A district's first enrollments go straight to
their table as they are read (with each enrollment's key and a hash of each class and student
pair held to find repeats, about 150 bytes an enrollment); later ones go into a temporary table
compared with Cadre's in SQL (a small hash an enrollment).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django_scopes import scopes_disabled

from cadre.core import bulk
from cadre.core.tabular import Archive, Columns, Problem, Report, Table, norm, read_table
from cadre.districts.models import (
    Department,
    District,
    RosterClass,
    School,
    Staff,
    StudentEnrollment,
)
from cadre.districts.oneroster import spec
from cadre.districts.oneroster.formats import READ, SDS21, Format, recognise

Progress = Callable[[str, int, int], None]
STAGING = "cadre_roster_students"
IMPORTER_VERSION = 1  # raise when a change reads the same files differently
MASS_DEACTIVATION_SHARE = 0.5  # a bulk export that would deactivate more staff is refused
MASS_DEACTIVATION_MIN = 10


@dataclass
class ImportResult:
    ok: bool
    dry_run: bool
    version: str
    district: District | None
    summary: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    report: Report = field(default_factory=Report)

    @property
    def warnings(self) -> list[dict]:
        return self.report.warnings_json()


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }

    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)


def pseudonym(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


def pseudonymiser(secret: str) -> Callable[[str], str]:
    """`pseudonym` for many values: HMAC-SHA256 from the key's two padded states, copied for
    each value (twice as fast as `hmac.new` each time; the same digests)."""
    key = secret.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
    outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def keyed(value: str) -> str:
        i = inner.copy()
        i.update(value.encode())
        o = outer.copy()
        o.update(i.digest())
        return o.hexdigest()

    return keyed


class Org:
    __slots__ = ("line", "kind", "name", "code", "active", "parent")

    def __init__(self, line, kind, name, code, active, parent):
        self.line, self.kind, self.name, self.code = line, kind, name, code
        self.active, self.parent = active, parent


class Person:
    __slots__ = ("line", "active", "first", "last", "email", "identifier")

    def __init__(self, line, active, first, last, email, identifier):
        self.line, self.active, self.first, self.last = line, active, first, last
        self.email, self.identifier = email, identifier


class Class:
    __slots__ = ("line", "title", "school", "active")

    def __init__(self, line, title, school, active):
        self.line, self.title, self.school, self.active = line, title, school, active


@dataclass(slots=True)
class RoleRow:
    key: str
    user: str
    role: str  # normalised OneRoster role
    org: str
    file: str
    line: int
    column: str
    active: bool
    begin: date | None = None
    end: date | None = None


class Importer:
    def __init__(
        self,
        source,
        *,
        district_slug: str,
        district_name: str = "",
        dry_run: bool = False,
        actor=None,
        progress: Progress | None = None,
        encoding: str | None = None,
        allow_mass_deactivation: bool = False,
    ):
        self.source = source
        self.slug = district_slug
        self.district_name = district_name.strip()
        self.dry_run = dry_run
        self.actor = actor
        self.progress = progress or (lambda stage, done, total: None)
        self.encoding = encoding
        self.allow_mass_deactivation = allow_mass_deactivation
        self.report = Report()
        self.fmt = Format()
        self.unreadable: set[str] = set()  # stems whose rows could not be read
        self.skipped_users = 0
        self.ignored_orgs = 0
        self.staged = 0
        self.today = timezone.localdate()
        self.read_bytes = 0
        self.total_bytes = 1
        self.unchanged = False
        self.class_warnings: list[dict] = []
        self.direct: int | None = None

    # --- helpers ---------------------------------------------------------------------------

    def error(self, file: str, line, column, reason: str) -> None:
        self.report.error(file, line, column, reason)

    def replay(self, warnings: list[dict]) -> None:
        """The warnings the same files gave last time, for the parts not read again."""
        for w in warnings:
            examples = w["examples"] or [{"file": "", "line": None, "column": None, "reason": ""}]
            for n, e in enumerate(examples):
                self.report.warn(
                    w["kind"],
                    w["summary"],
                    e["file"],
                    e["line"],
                    e["column"],
                    e["reason"],
                    count=w["count"] - len(examples) + 1 if n == 0 else 1,
                )

    def warn(self, kind: str, summary: str, file="", line=None, column=None, reason="") -> None:
        self.report.warn(kind, summary, file, line, column, reason)

    def name(self, stem: str) -> str:
        return self.fmt.files.get(stem, f"{stem}.csv")

    def mode(self, stem: str) -> str:
        return self.fmt.mode(stem)

    def table(self, stem: str, columns) -> tuple[Table, Columns] | None:
        """Open one file Cadre reads, with its columns found; None (said) when it cannot be."""
        if self.mode(stem) == "absent":
            return None
        name = self.name(stem)
        if self.archive.size(name) == 0:  # an empty file holds no rows
            self.warn(
                "empty-file",
                "Empty files (not even a header) were read as holding no rows",
                name,
                reason=f"{name} is empty.",
            )
            return None
        table = read_table(
            self.archive.open(name), file=name, report=self.report, encoding=self.encoding
        )
        if table is None:
            self.unreadable.add(stem)
            return None
        known = spec.KNOWN.get(stem, set())
        cols = Columns(table.header, columns, file=name, report=self.report, known=known)
        if not cols.ok:
            self.unreadable.add(stem)
            table._text.close()
            return None
        for header in cols.unread:
            if spec.extension(header):
                self.warn(
                    "extension-column",
                    "Extension columns Cadre does not read",
                    name,
                    1,
                    header,
                    f"{header} was not read.",
                )
            elif norm(header) not in known:
                self.warn(
                    "unknown-column",
                    "Columns Cadre does not know were not read",
                    name,
                    1,
                    header,
                    f"{header} is not a OneRoster column of {name}; it was not read.",
                )
        return table, cols

    def rows(self, stem: str, table: Table):
        """The rows of a table, with progress by bytes read."""
        size = self.archive.size(table.file)
        stage = f"Checking {table.file}"
        before = self.read_bytes

        def tick(count: int) -> None:
            done = before + min(size, count * 80)
            self.read_bytes = done
            self.progress(stage, done // 1024, self.total_bytes // 1024)
            if table.broken:
                self.unreadable.add(stem)

        return table.rows(tick)

    def status(self, value: str, file: str, line: int) -> bool | None:
        """True for active, False for tobedeleted; None (an error) for anything else."""
        found = spec.STATUSES.get(value.lower())
        if found is None:
            self.error(
                file, line, "status", f'Unknown status "{value}": expected active or tobedeleted.'
            )
            return None
        return found == "active"

    # --- reading and checking --------------------------------------------------------------

    def open(self) -> bool:
        """The archive and what kind of export it is; False (said) when it cannot be read."""
        self.progress("Reading the files", 0, 1)
        self.archive = Archive(
            self.source,
            report=self.report,
            max_unpacked=settings.IMPORT_MAX_UNPACKED_BYTES,
        )
        if not self.archive.readable:
            return False
        self.fmt = recognise(self.archive, self.report)
        if not self.fmt.version:
            return False
        self.total_bytes = max(
            1,
            sum(self.archive.size(self.name(s)) for s in READ if self.mode(s) != "absent"),
        )
        return True

    def import_all(self, writer) -> None:
        """Check every file and, while nothing is wrong, write as it goes, all inside the
        caller's transaction: once a problem is found, the rest is only checked, and the
        caller rolls everything back. Writing as it goes lets a district's first import send
        its enrollments straight to their table while they are read."""
        self.load_existing()
        self.digests = self.fingerprint()
        self.check_orgs()
        self.check_roles()
        self.check_users()
        self.check_people()
        self.check_assignments()
        self.check_mass_deactivation()
        if self.report.ok:
            writer.people()
        if self.same_as_last_time():
            self.replay(self.last["warnings"])
            if self.report.ok:
                writer.as_last_time()
        else:
            before = self.report.snapshot()
            self.read_references()
            self.check_classes()
            direct = self.report.ok and writer.classes()
            self.check_enrollments(writer if direct else None)
            self.class_warnings = self.report.since(before)
            if self.report.ok:
                writer.teaching()
                writer.students()
        if self.report.ok:
            writer.audit()
            writer.remember()

    # Classes and enrollments are written by imports alone. When every file is the same, byte
    # for byte, as in the last import, they are what that import left: they are not read or
    # compared again (most rows of an export are enrollments). People, roles and schools,
    # which administrators can edit in Cadre, are always compared.

    def fingerprint(self) -> dict:
        """What decides the classes and enrollments an import writes: each file read (and the
        courses and terms its warnings name), the encoding asked for, and this importer's
        version, so that a fix to it reaches a re-import of the same files."""
        stems = [*READ, "courses", "academicsessions"]
        files = {
            stem: {"content": self.archive.signature(self.name(stem)), "mode": self.mode(stem)}
            for stem in stems
            if stem in self.fmt.files and self.fmt.modes.get(stem, "bulk") != "absent"
        }
        return {
            "version": self.fmt.version,
            "importer": IMPORTER_VERSION,
            "encoding": self.encoding or "",
            "files": files,
        }

    def same_as_last_time(self) -> bool:
        self.last = (self.district.roster_state if self.district else None) or {}
        self.unchanged = bool(self.last) and self.last.get("digests") == self.digests
        return self.unchanged

    def load_existing(self) -> None:
        # Locked for the import's transaction: a second import of the district waits for it.
        d = District.objects.select_for_update().filter(slug=self.slug).first()
        self.district = self.existing_district = d
        self.secret = (
            d.pseudonym_secret if d else District._meta.get_field("pseudonym_secret").get_default()
        )
        self.db_schools: dict[str, int] = {}
        self.db_departments: dict[str, int | None] = {}  # sid → its school's pk
        self.db_staff: dict[str, int] = {}
        self.db_active: set[str] = set()  # staff sourcedIds active now
        self.db_signin: dict[str, tuple[str, str]] = {}  # sid → (sign-in email, employee id)
        self.aliases: dict[str, str] = {}  # another sourcedId of a person → their sourcedId
        self.db_classes: dict[str, int] = {}  # sid → pk
        if d is None:
            return
        self.db_schools = dict(
            School.objects.filter(district=d).exclude(sourced_id="").values_list("sourced_id", "pk")
        )
        self.db_departments = dict(
            Department.objects.filter(district=d).values_list("sourced_id", "school_id")
        )
        for sid, pk, others, active, email, employee_id in (
            Staff.objects.filter(district=d)
            .exclude(sourced_id="")
            .values_list(
                "sourced_id", "pk", "other_sourced_ids", "is_active", "user__email", "employee_id"
            )
        ):
            self.db_staff[sid] = pk
            self.db_signin[sid] = (email or "", employee_id)
            if active:
                self.db_active.add(sid)
            for other in others or ():
                self.aliases[other] = sid
        self.db_classes = dict(
            RosterClass.objects.filter(district=d).values_list("sourced_id", "pk")
        )

    # orgs ----------------------------------------------------------------------------------

    def check_orgs(self) -> None:
        self.orgs: dict[str, Org] = {}
        opened = self.table("orgs", spec.ORGS)
        if opened:
            table, cols = opened
            file = table.file
            sid_, status_, name_, type_, code_, parent_ = (
                cols.getter(c)
                for c in ("sourcedId", "status", "name", "type", "identifier", "parentSourcedId")
            )
            for line, f in self.rows("orgs", table):
                sid = sid_(f)
                active = self.status(status_(f), file, line)
                kind = spec.role_key(type_(f))
                if kind in spec.SCHOOL_TYPES:
                    kind = "school"
                elif kind in spec.OUTSIDE_TYPES:
                    kind = "state"
                if not sid or len(sid) > 255:
                    self.error(
                        file,
                        line,
                        "sourcedId",
                        "sourcedId is empty." if not sid else "sourcedId is over 255 characters.",
                    )
                    continue
                if kind not in spec.ORG_TYPES and not kind.startswith("ext:"):
                    self.error(
                        file,
                        line,
                        "type",
                        f'Unknown org type "{type_(f)}": expected district, school, department, '
                        "local, state or national.",
                    )
                    continue
                org = Org(line, kind, name_(f), code_(f), active, spec.split_ids(parent_(f))[:1])
                org.parent = org.parent[0] if org.parent else ""
                if sid in self.orgs:
                    self.duplicate(file, line, sid, self.orgs[sid], org, Org.__slots__[1:])
                    continue
                if active is not None:
                    self.orgs[sid] = org
        self.find_district_org()
        for sid, org in self.orgs.items():
            if (
                org.kind in {"state", "national"}
                or org.kind.startswith("ext:")
                or org.kind == "local"
                and sid != self.district_org
            ):
                self.ignored_orgs += 1
            elif org.kind == "school" and org.parent and not self.known_org(org.parent):
                self.warn(
                    "orphan-parent",
                    "Schools whose parent org is not in the export or in Cadre were placed in "
                    "the district",
                    self.name("orgs"),
                    org.line,
                    "parentSourcedId",
                    f'The parent org "{org.parent}" is not in the export or in Cadre.',
                )
            elif org.kind == "department" and not self.school_of(sid):
                self.warn(
                    "department-without-school",
                    "Departments under no school were kept at the district level",
                    self.name("orgs"),
                    org.line,
                    "parentSourcedId",
                    f"The department {org.name or sid} is under no school; its staff work at "
                    "the district level.",
                )

    def duplicate(self, file: str, line: int, sid: str, first, again, fields) -> None:
        """The same id twice: the same values are a warning, different ones an error."""
        if all(getattr(first, f) == getattr(again, f) for f in fields):
            self.warn(
                "duplicate-row",
                "Rows repeated exactly were read once",
                file,
                line,
                "sourcedId",
                f'"{sid}" repeats line {first.line}.',
            )
        else:
            self.error(
                file,
                line,
                "sourcedId",
                f'Duplicate sourcedId "{sid}" with other values than line {first.line}.',
            )

    def find_district_org(self) -> None:
        """The district's own org: of type district, or (OneRoster 1.0, which has no district
        type) the one local org that schools hang from."""
        file = self.name("orgs")
        districts = [s for s, o in self.orgs.items() if o.kind == "district"]
        if not districts:
            parents = {o.parent for o in self.orgs.values() if o.kind == "school"}
            districts = [s for s in parents if self.orgs.get(s) and self.orgs[s].kind == "local"]
        if len(districts) > 1:
            self.error(
                file,
                self.orgs[districts[1]].line,
                "type",
                "The export holds more than one district; import one district at a time.",
            )
        self.district_org = districts[0] if districts else ""
        d = self.district
        if d and self.district_org and d.sourced_id and d.sourced_id != self.district_org:
            self.error(
                file,
                self.orgs[self.district_org].line,
                "sourcedId",
                f'This export is for the district "{self.district_org}", but {d.name} was '
                f'imported from "{d.sourced_id}".',
            )
        if (
            not self.district_org
            and self.mode("orgs") != "absent"
            and "orgs" not in self.unreadable
        ):
            where = d.name if d else self.new_district_name()
            self.warn(
                "no-district-org",
                "The export has no district org (a school-level export)",
                file,
                reason=f"Its schools were placed in {where}.",
            )

    def new_district_name(self) -> str:
        if self.district_name:
            return self.district_name
        if self.district_org and self.orgs[self.district_org].name:
            return self.orgs[self.district_org].name
        return capfirst(self.slug.replace("-", " ").replace("_", " "))

    def known_org(self, sid: str) -> bool:
        return (
            sid in self.orgs
            or sid in self.db_schools
            or sid in self.db_departments
            or bool(self.district and sid == self.district.sourced_id)
            or "orgs" in self.unreadable
        )

    def school_of(self, sid: str) -> str | None:
        """The school an org stands for: itself, a department's school, or none."""
        org = self.orgs.get(sid)
        if org:
            if org.kind == "school":
                return sid
            if org.kind == "department":
                parent = self.orgs.get(org.parent)
                if parent and parent.kind == "school":
                    return org.parent
                return org.parent if org.parent in self.db_schools else None
            return None
        if sid in self.db_schools:
            return sid
        if sid in self.db_departments and self.db_departments[sid]:
            return next(
                (s for s, pk in self.db_schools.items() if pk == self.db_departments[sid]), None
            )
        return None

    def is_district(self, sid: str) -> bool:
        """The district's own org. Orgs above or beside it (a state, a region) are known but
        are not the district: an administrator there is no district administrator here."""
        if sid == self.district_org:
            return True
        return bool(self.district and sid == self.district.sourced_id)

    def outside(self, sid: str) -> bool:
        """An org above or beside the district (state, national, a region): known, not kept."""
        org = self.orgs.get(sid)
        if not org or self.is_district(sid):
            return False
        return org.kind in {"local", "state", "national"} or ":" in org.kind

    # roles (OneRoster 1.2, School Data Sync) ----------------------------------------------------

    def check_roles(self) -> None:
        """In 1.2 and SDS a person is staff when roles.csv gives them a staff role."""
        self.role_rows: list[RoleRow] = []
        self.staff_ids: set[str] = set()
        self.other_ids: set[str] = set()
        if self.fmt.version not in {"1.2", SDS21}:
            return
        opened = self.table("roles", spec.ROLES)
        if not opened:
            return
        table, cols = opened
        file = table.file
        g = {
            c: cols.getter(c)
            for c in (
                "sourcedId",
                "status",
                "userSourcedId",
                "role",
                "orgSourcedId",
                "beginDate",
                "endDate",
            )
        }
        seen: dict[str, int] = {}
        role_, user_, others = g["role"], g["userSourcedId"], self.other_ids
        other_roles = spec.OTHER_ROLES
        for line, f in self.rows("roles", table):
            written = role_(f)
            user = user_(f)
            if written.lower() in other_roles and user:  # most rows: students, parents
                others.add(user)
                continue
            active = self.status(g["status"](f), file, line)
            role = spec.role_key(written)
            org = g["orgSourcedId"](f)
            if not user:
                self.error(file, line, "userSourcedId", "userSourcedId is empty.")
                continue
            kind = self.role_kind(role, file, line, written)
            if kind != "staff":
                if kind == "other":
                    self.other_ids.add(user)
                continue
            key = g["sourcedId"](f) or f"{user}:{org}:{role}"
            if key in seen:
                self.warn(
                    "duplicate-role",
                    "Roles listed twice were read once",
                    file,
                    line,
                    "sourcedId",
                    f'The role "{key}" repeats line {seen[key]}.',
                )
                continue
            seen[key] = line
            begin = self.date(g["beginDate"](f), file, line, "beginDate")
            end = self.date(g["endDate"](f), file, line, "endDate")
            if begin and end and end < begin:
                self.error(file, line, "endDate", "The role ends before it begins.")
                continue
            if active is None:
                continue
            self.staff_ids.add(user)
            self.role_rows.append(
                RoleRow(key, user, role, org, file, line, "orgSourcedId", active, begin, end)
            )

    def role_kind(self, role: str, file: str, line: int, written: str) -> str:
        """ "staff", "other" (students, parents… never stored) or "" (skipped, said)."""
        if role in spec.STAFF_ROLES or role in spec.SDS_STAFF_ROLES:
            return "staff"
        if role in spec.OTHER_ROLES:
            return "other"
        if spec.is_extension_role(role):
            self.warn(
                "extension-role",
                "People with only extension (ext:) roles were not imported as staff",
                file,
                line,
                "role",
                f'The role "{written}" is an extension role.',
            )
            return "other"
        self.warn(
            "unknown-role",
            "Roles that are not OneRoster roles were skipped (people with no other role were "
            "not imported)",
            file,
            line,
            "role",
            f'"{written}" is not a OneRoster role.' if written else "The role is empty.",
        )
        return "other"

    def date(self, value: str, file: str, line: int, column: str) -> date | None:
        found, reason = spec.date_or_problem(value)
        if reason:
            self.error(file, line, column, reason)
        return found

    # users -------------------------------------------------------------------------------

    def check_users(self) -> None:
        self.people: dict[str, Person] = {}
        self.others: set[str] = set(self.other_ids)
        by_roles = self.fmt.version in {"1.2", SDS21}
        opened = self.table("users", spec.USERS)
        if not opened:
            return
        table, cols = opened
        file = table.file
        if not by_roles:
            for column in ("role", "orgSourcedIds"):
                if not cols.has(column):
                    self.error(
                        file,
                        1,
                        column,
                        f'The column "{column}" is missing: in OneRoster 1.0 and 1.1 it says '
                        "who is staff and where they work.",
                    )
                    self.unreadable.add("users")
            if "users" in self.unreadable:
                return
        g = {
            c: cols.getter(c)
            for c in (
                "sourcedId",
                "status",
                "enabledUser",
                "givenName",
                "familyName",
                "email",
                "identifier",
                "role",
                "orgSourcedIds",
            )
        }
        sid_, role_ = g["sourcedId"], g["role"]
        staff_ids, others = self.staff_ids, self.others
        roles_bulk = self.mode("roles") == "bulk"
        seen: dict[str, int] = {}
        for line, f in self.rows("users", table):
            sid = sid_(f)
            if not sid:
                self.error(file, line, "sourcedId", "sourcedId is empty.")
                continue
            if sid in seen:
                first = self.people.get(sid)
                if first is not None:  # students and parents listed twice keep nothing
                    again = self.person(g, f, line, file)
                    if again is not None:
                        self.duplicate(file, line, sid, first, again, Person.__slots__[1:])
                continue
            seen[sid] = line
            if by_roles:
                # Staff by a role in this export, or, when roles.csv brings only changes,
                # already staff in Cadre.
                if sid not in staff_ids and (
                    roles_bulk or self.canonical(sid) not in self.db_staff or sid in others
                ):
                    others.add(sid)
                    continue
            else:
                written = role_(f)
                kind = self.role_kind(spec.role_key(written), file, line, written)
                if kind != "staff":
                    others.add(sid)
                    continue
            person = self.person(g, f, line, file)
            if person is None:
                continue
            self.people[sid] = person
            if not by_roles:
                role = spec.role_key(role_(f))
                for org in spec.split_ids(g["orgSourcedIds"](f)):
                    self.role_rows.append(
                        RoleRow(
                            f"{sid}:{org}:{role}",
                            sid,
                            role,
                            org,
                            file,
                            line,
                            "orgSourcedIds",
                            person.active,
                        )
                    )
        if by_roles and "users" not in self.unreadable and self.mode("users") == "bulk":
            for user in sorted(staff_ids - set(self.people)):
                if user not in self.db_staff and user not in self.aliases:
                    self.warn(
                        "role-without-user",
                        "Roles of people who are not in users.csv or in Cadre were skipped",
                        self.name("roles"),
                        None,
                        "userSourcedId",
                        f'"{user}" has a role but is not in users.csv.',
                    )

    def person(self, g, f, line: int, file: str) -> Person | None:
        active = self.status(g["status"](f), file, line)
        enabled = spec.boolean(g["enabledUser"](f))
        if active is None:
            return None
        first, last = g["givenName"](f), g["familyName"](f)
        if not first and not last:
            self.error(file, line, "givenName", "A staff member needs a name.")
            return None
        email = g["email"](f).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.warn(
                    "bad-email",
                    "Addresses that are not email addresses were left out (those people "
                    "cannot sign in until one is added)",
                    file,
                    line,
                    "email",
                    f'"{email}" is not an email address.',
                )
                email = ""
        return Person(line, active and enabled is not False, first, last, email, g["identifier"](f))

    def check_people(self) -> None:
        """One sign-in address and one employee number per person, in the file and in Cadre.

        Two ids with one address and one name are one person listed twice (OneRoster 1.1 asks
        for a record per school): they are kept as one, under the id Cadre already has for them
        (else the first), with the other kept beside it so later exports may use either. The
        person is active if either record is."""
        file = self.name("users")
        self.skipped_users = len(self.others)
        people: dict[str, Person] = {}
        for sid, p in self.people.items():  # an id Cadre knows as another's: that person
            c = self.canonical(sid)
            people[c] = self.combine(people[c], p) if c in people else p
        by_email: dict[str, str] = {}
        for sid, p in list(people.items()):
            first = by_email.get(p.email) if p.email else None
            if first is None:
                if p.email:
                    by_email[p.email] = sid
                continue
            a = people[first]
            both_known = first in self.db_staff and sid in self.db_staff
            if (a.first, a.last) != (p.first, p.last) or both_known:
                self.error(
                    file,
                    p.line,
                    "email",
                    f'{p.email} is also the email of "{first}" (line {a.line}): one address signs '
                    "in one person.",
                )
                continue
            keep, drop = (sid, first) if sid in self.db_staff else (first, sid)
            people[keep] = self.combine(people[keep], people.pop(drop))
            for other, target in list(self.aliases.items()):
                if target == drop:
                    self.aliases[other] = keep
            self.aliases[drop] = keep
            by_email[p.email] = keep
            self.warn(
                "same-person",
                "People listed under more than one id (same email and name) were kept as one "
                "person",
                file,
                p.line,
                "sourcedId",
                f'"{sid}" is the same person as "{first}" (line {a.line}).',
            )
        self.people = people
        by_id: dict[str, str] = {}
        for sid, p in people.items():
            if len(sid) > 255:
                self.error(
                    file, p.line, "sourcedId", "The sourcedId is longer than 255 characters."
                )
            if not p.identifier:
                continue
            if len(p.identifier) > 50:
                self.error(
                    file, p.line, "identifier", "The identifier is longer than 50 characters."
                )
            elif p.identifier in by_id:
                other = by_id[p.identifier]
                self.error(
                    file,
                    p.line,
                    "identifier",
                    f'The identifier "{p.identifier}" is also used by "{other}" '
                    f"(line {people[other].line}).",
                )
            by_id.setdefault(p.identifier, sid)
        self.check_against_db(by_email, by_id)

    @staticmethod
    def combine(a: Person, b: Person) -> Person:
        """One person from two records of them: active if either is."""
        return Person(
            a.line, a.active or b.active, a.first, a.last, a.email, a.identifier or b.identifier
        )

    def canonical(self, sid: str) -> str:
        return self.aliases.get(sid, sid)

    def check_against_db(self, emails: dict[str, str], ids: dict[str, str]) -> None:
        from cadre.districts.signin import refused

        file = self.name("users")
        # A person keeping the address and number they have needs no look-up.
        known = self.db_signin
        emails = {e: s for e, s in emails.items() if known.get(s, ("",))[0] != e}
        ids = {i: s for i, s in ids.items() if known.get(s, ("", ""))[1] != i}
        for email, sid in refused(emails, district=self.district):
            self.error(
                file,
                self.people[sid].line,
                "email",
                f"{email} already signs in as another person in Cadre.",
            )
        if self.district and ids:
            taken = dict(
                bulk.fetch_in(
                    f"SELECT employee_id, sourced_id FROM {Staff._meta.db_table} "  # noqa: S608
                    "WHERE district_id = %s AND employee_id {in}",
                    list(ids),
                    [self.district.pk],
                )
            )
            for identifier, sid in ids.items():
                if identifier in taken and taken[identifier] != sid:
                    self.error(
                        file,
                        self.people[sid].line,
                        "identifier",
                        f'The employee number "{identifier}" belongs to another person in Cadre'
                        + (" (added by hand)." if not taken[identifier] else "."),
                    )

    # assignments -------------------------------------------------------------------------

    def check_assignments(self) -> None:
        from cadre.districts.models import Role

        self.assignments: dict[str, dict] = {}
        for r in self.role_rows:
            user = self.canonical(r.user)
            if user not in self.people and user not in self.db_staff:
                continue  # said when users.csv was read
            if not self.known_org(r.org) and not self.is_district(r.org):
                self.warn(
                    "orphan-org",
                    "Roles at orgs that are not in the export or in Cadre were skipped",
                    r.file,
                    r.line,
                    r.column,
                    f'The org "{r.org}" is not in orgs.csv or in Cadre.',
                )
                continue
            school = self.school_of(r.org)
            at_district = self.is_district(r.org)
            role = spec.cadre_role(r.role, school=bool(school), district=at_district)
            if r.role in {"administrator", "districtadministrator"} and self.outside(r.org):
                self.warn(
                    "admin-outside",
                    "Administrators at orgs above the district (a state, a region) were kept "
                    "with the role Other",
                    r.file,
                    r.line,
                    r.column,
                    f'"{r.org}" is not this district, so its administrator is not one here.',
                )
                role = Role.OTHER
            if role in {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL} and not school:
                self.warn(
                    "leader-without-school",
                    "Principals placed at no school were kept with the role Other",
                    r.file,
                    r.line,
                    r.column,
                    f'The principal role at "{r.org}" names no school.',
                )
                role = Role.OTHER
            key = r.key if user == r.user else f"{user}:{r.org}:{r.role}"
            if key in self.assignments:
                continue
            self.assignments[key] = {
                "user": user,
                "role": role,
                "school": school,
                "active": r.active,
                "begin": r.begin,
                "end": r.end,
            }

    # classes and enrollments -----------------------------------------------------------------

    def read_references(self) -> None:
        """The ids of courses and terms, when the export has them: classes that point at
        missing ones are said (Cadre does not use them)."""
        self.course_ids: set[str] | None = None
        self.term_ids: set[str] | None = None
        for stem, attr in (("courses", "course_ids"), ("academicsessions", "term_ids")):
            if stem not in self.fmt.files or self.fmt.modes.get(stem, "bulk") != "bulk":
                continue
            with self.archive.open(self.fmt.files[stem]) as stream:
                quiet = Report()
                table = read_table(stream, file=self.fmt.files[stem], report=quiet)
                if table is None:
                    continue
                cols = Columns(table.header, spec.IDS, file=table.file, report=quiet)
                if cols.ok:
                    get = cols.getter("sourcedId")
                    setattr(self, attr, {get(f) for _, f in table.rows()})

    def check_classes(self) -> None:
        self.classes: dict[str, Class] = {}
        opened = self.table("classes", spec.CLASSES)
        if not opened:
            return
        table, cols = opened
        file = table.file
        sid_, status_, title_, school_, course_, terms_ = (
            cols.getter(c)
            for c in (
                "sourcedId",
                "status",
                "title",
                "schoolSourcedId",
                "courseSourcedId",
                "termSourcedIds",
            )
        )
        courses, terms = self.course_ids, self.term_ids
        for line, f in self.rows("classes", table):
            sid = sid_(f)
            active = self.status(status_(f), file, line)
            if not sid:
                self.error(file, line, "sourcedId", "sourcedId is empty.")
                continue
            org = school_(f)
            school = self.school_of(org)
            if not school and org and not self.is_district(org) and not self.known_org(org):
                self.warn(
                    "class-orphan-school",
                    "Classes whose school is not in the export or in Cadre were kept without a "
                    "school",
                    file,
                    line,
                    "schoolSourcedId",
                    f'The school "{org}" is not in orgs.csv or in Cadre.',
                )
            course = course_(f)
            if courses is not None and course and course not in courses:
                self.warn(
                    "orphan-course",
                    "Classes name courses the export does not have (Cadre does not use courses)",
                    file,
                    line,
                    "courseSourcedId",
                    f'The course "{course}" is not in courses.csv.',
                )
            if terms is not None:
                for term in spec.split_ids(terms_(f)):
                    if term not in terms:
                        self.warn(
                            "orphan-term",
                            "Classes name terms the export does not have (Cadre does not use "
                            "terms)",
                            file,
                            line,
                            "termSourcedIds",
                            f'The term "{term}" is not in academicSessions.csv.',
                        )
            if len(sid) > 255:
                self.error(file, line, "sourcedId", "The sourcedId is over 255 characters.")
                continue
            row = Class(line, title_(f), school, active)
            if sid in self.classes:
                self.duplicate(file, line, sid, self.classes[sid], row, Class.__slots__[1:])
                continue
            if active is not None:
                self.classes[sid] = row

    def check_enrollments(self, writer=None) -> None:
        """Teachers' enrollments are kept in memory (a few per teacher). Students' are keyed
        by pseudonyms as they are read and go straight into their table when `writer` says
        the district has none yet (its first import); otherwise into a temporary table that
        the writer compares with Cadre's in SQL."""
        self.teaching: dict[str, tuple] = {}  # sid → (class, staff sid, active, line)
        self.staging = False
        self.direct: int | None = None  # students written straight to their table
        self.maybe_duplicates = False
        opened = self.table("enrollments", spec.ENROLLMENTS)
        if not opened:
            return
        table, cols = opened
        if writer is not None:
            self.direct = bulk.insert_rows(
                StudentEnrollment._meta.db_table,
                ["district_id", "roster_class_id", "student_key", "enrollment_key", "is_active"],
                self.student_rows(table, cols, writer),
                plain=True,  # numbers, hex digests and booleans
            )
            if self.wake:
                StudentEnrollment.objects.filter(
                    district_id=writer.d.pk, enrollment_key__in=self.wake
                ).update(is_active=True)
            if self.maybe_duplicates:
                self.direct -= writer.drop_duplicate_students(table.file)
            return
        bulk.execute(f"DROP TABLE IF EXISTS {STAGING}")
        bulk.execute(
            f"CREATE TEMPORARY TABLE {STAGING} (key varchar(64), class_sid varchar(255), "
            "student varchar(64), active boolean, line integer)"
        )
        self.staging = True
        self.staged = bulk.insert_rows(
            STAGING,
            ["key", "class_sid", "student", "active", "line"],
            self.student_rows(table, cols),
        )
        if not bulk.is_postgres():  # PostgreSQL hash-joins; SQLite looks keys up one by one
            bulk.execute(f"CREATE INDEX {STAGING}_key ON {STAGING} (key)")
        bulk.analyze(STAGING)  # temporary tables are never analysed by autovacuum
        if self.maybe_duplicates:
            self.drop_duplicate_students(table.file)

    def drop_duplicate_students(self, file: str) -> None:
        """Keep one of each enrollment listed twice: by its id, or as the same student in the
        same class under another id (a drop and re-add). An active one wins, then the first."""
        bulk.execute(f"CREATE INDEX {STAGING}_pair ON {STAGING} (class_sid, student)")
        for group, column in (("key", "sourcedId"), ("class_sid, student", "userSourcedId")):
            duplicates = bulk.fetch(
                f"SELECT MIN(line), MAX(line), COUNT(*) FROM {STAGING} "  # noqa: S608
                f"GROUP BY {group} HAVING COUNT(*) > 1 ORDER BY MIN(line)"
            )
            for first, last, count in duplicates:
                self.report.warn(
                    "duplicate-enrollment",
                    "Enrollments listed twice were read once",
                    file,
                    last,
                    column,
                    f"This enrollment repeats line {first}.",
                    count=count - 1,
                )
            if duplicates:
                self.staged -= bulk.execute(
                    f"DELETE FROM {STAGING} WHERE EXISTS (SELECT 1 FROM {STAGING} o "  # noqa: S608
                    f"WHERE ({' AND '.join(f'o.{c} = {STAGING}.{c}' for c in group.split(', '))}) "
                    f"AND (o.active > {STAGING}.active OR (o.active = {STAGING}.active "
                    f"AND o.line < {STAGING}.line)))"
                )

    def student_rows(self, table: Table, cols: Columns, writer=None):
        """Check each enrollment; yield students' as (key, class, student key, active, line),
        or, with `writer`, as rows of their own table (each id once: an active one wins).
        This loop runs once per enrollment, hundreds of thousands of times: it keeps to
        local names and leaves the rare cases to `enrollment_problem`."""
        file = table.file
        i_sid, i_status, i_class, i_user, i_role, i_begin, i_end = (
            cols.index[c]
            for c in (
                "sourcedId",
                "status",
                "classSourcedId",
                "userSourcedId",
                "role",
                "beginDate",
                "endDate",
            )
        )
        classes, db_classes = self.classes, self.db_classes
        people, db_staff, others = self.people, self.db_staff, self.others
        users_known = self.mode("users") == "bulk" and "users" not in self.unreadable
        classes_known = "classes" not in self.unreadable
        keyed = pseudonymiser(self.secret)
        students: dict[str, str] = {}
        teaching = self.teaching
        taught: set[tuple[str, str]] = set()
        # Cheap hashes of keys and of (class, student) pairs: a repeat of either makes the
        # staging table look for duplicates in SQL, which most exports never need.
        seen: set[int] = set()
        self.maybe_duplicates = False
        # Written straight to their table: each id once, so the ids seen so far.
        direct: set[str] | None = set() if writer is not None else None
        asleep: set[str] = set()  # written inactive, woken by an active repeat
        wake: list[str] = []
        district = writer.d.pk if writer is not None else None
        class_pks = writer.class_pks if writer is not None else {}
        statuses = spec.STATUSES
        canonical = self.aliases.get
        problem = self.enrollment_problem
        staff_ids = {*people, *db_staff, *self.aliases}  # anyone a student row may not be
        known_classes = class_pks if writer is not None else {**db_classes, **classes}
        good_dates: set[str] = set()
        for line, f in self.rows("enrollments", table):
            cls = f[i_class].strip()
            user = f[i_user].strip()
            role = f[i_role].strip().lower()
            sid = f[i_sid].strip() if i_sid is not None else ""
            status = statuses.get(f[i_status].strip().lower()) if i_status is not None else "active"
            if status is None:
                self.status(f[i_status].strip(), file, line)
                continue
            if (i_begin is not None and f[i_begin]) or (i_end is not None and f[i_end]):
                for column, at in (("beginDate", i_begin), ("endDate", i_end)):
                    if at is None or f[at] in good_dates:
                        continue
                    if f[at].strip():
                        try:
                            spec.parse_date(f[at])
                        except ValueError:
                            problem("bad-date", file, line, column, f[at].strip())
                            continue
                        good_dates.add(f[at])  # a term's few dates repeat on every row
            if not sid:
                sid = f"{cls}|{user}|{role}"  # School Data Sync enrollments have no id
            if cls not in known_classes:
                if classes_known:
                    problem("orphan-class", file, line, "classSourcedId", cls)
                continue
            if not user:
                self.error(file, line, "userSourcedId", "userSourcedId is empty.")
                continue
            if role == "student":
                if user in staff_ids:
                    problem("staff-as-student", file, line, "role", user)
                    continue
                if users_known and user not in others:
                    problem("orphan-student", file, line, "userSourcedId", user)
                key = students.get(user)
                if key is None:
                    key = students[user] = keyed(user)
                enrollment = keyed(sid)
                active = status == "active"
                if direct is None:
                    a, b = hash(enrollment), hash((cls, key))
                    if a in seen or b in seen:
                        self.maybe_duplicates = True
                    seen.add(a)
                    seen.add(b)
                    yield (enrollment, cls, key, active, line)
                    continue
                if enrollment in direct:
                    problem("repeated", file, line, "sourcedId", "")
                    if active and enrollment in asleep:
                        wake.append(enrollment)
                    continue
                direct.add(enrollment)
                if not active:
                    asleep.add(enrollment)
                pair = hash((cls, key))
                if pair in seen:
                    self.maybe_duplicates = True
                seen.add(pair)
                yield (district, known_classes[cls], key, enrollment, active)
            elif role == "teacher":
                staff = canonical(user, user)
                if staff not in people and staff not in db_staff:
                    kind = "student-as-teacher" if user in others else "orphan-teacher"
                    problem(kind, file, line, "userSourcedId", user)
                    continue
                sid = sid[:255]
                if sid in teaching or (cls, staff) in taught:
                    first = teaching.get(sid) or next(
                        t for t in teaching.values() if (t[0], t[1]) == (cls, staff)
                    )
                    problem("duplicate-teacher", file, line, "sourcedId", first[3])
                    continue
                taught.add((cls, staff))
                teaching[sid] = (cls, staff, status == "active", line)
            else:
                problem("other-role", file, line, "role", f[i_role].strip())
        self.wake = wake  # written once the rows are (no query may run inside a COPY)

    def enrollment_problem(self, kind: str, file: str, line: int, column: str, value) -> None:
        mismatch = (
            "role-mismatch",
            "Enrollments whose role differs from the person's role in the users or roles file "
            "were skipped (that role wins)",
        )
        found = {
            "bad-date": (
                "bad-enrollment-date",
                "Enrollment dates Cadre could not read were ignored (Cadre does not use them)",
                f'"{value}" is not a date.',
            ),
            "orphan-class": (
                "orphan-class",
                "Enrollments in classes that are not in the export or in Cadre were skipped",
                f'The class "{value}" is not in classes.csv or in Cadre.',
            ),
            "staff-as-student": (
                *mismatch,
                f'"{value}" is staff in the users or roles file but a student here.',
            ),
            "student-as-teacher": (
                *mismatch,
                "A student in the users or roles file is a teacher here.",
            ),
            "orphan-student": (
                "orphan-student",
                "Student enrollments that name people missing from users.csv were imported "
                "(only a pseudonymous key is kept)",
                "This student is not in users.csv.",
            ),
            "orphan-teacher": (
                "orphan-teacher",
                "Teacher enrollments that name people missing from users.csv and Cadre were "
                "skipped",
                f'The teacher "{value}" is not in users.csv or in Cadre.',
            ),
            "duplicate-teacher": (
                "duplicate-enrollment",
                "Enrollments listed twice were read once",
                f"This enrollment repeats line {value}.",
            ),
            "repeated": (
                "duplicate-enrollment",
                "Enrollments listed twice were read once",
                "This enrollment repeats an earlier line.",
            ),
            "other-role": (
                "other-enrollment",
                "Enrollments of aides, administrators and others are not used",
                f'The role "{value}" links no teacher or student.',
            ),
        }[kind]
        self.warn(found[0], found[1], file, line, column, found[2])

    def check_mass_deactivation(self) -> None:
        """A bulk file that would deactivate most staff is more likely a broken export (an
        empty users.csv) than half the district leaving: refuse it unless told otherwise."""
        if self.allow_mass_deactivation or not self.district or self.mode("users") != "bulk":
            return
        if "users" in self.unreadable:
            return
        active = self.db_active
        leaving = len(active - {s for s, p in self.people.items() if p.active})
        if leaving >= MASS_DEACTIVATION_MIN and leaving > MASS_DEACTIVATION_SHARE * len(active):
            self.error(
                self.name("users"),
                None,
                None,
                f"This whole-picture (bulk) export would deactivate {leaving:,} of the "
                f"{len(active):,} active staff imported before. If that is right, import it "
                "again allowing mass deactivation.",
            )

    # --- the whole run ---------------------------------------------------------------------------

    def run(self) -> ImportResult:
        from cadre.districts.oneroster.writer import Writer

        with scopes_disabled():
            try:
                if self.open():
                    writer = Writer(self)
                    try:
                        with transaction.atomic():
                            self.import_all(writer)
                            if not self.report.ok or self.dry_run:
                                raise _Undo  # the same writes, counted, then undone
                    except _Undo:
                        self.district = self.existing_district
                    else:
                        writer.after()
            finally:
                if getattr(self, "staging", False):
                    bulk.execute(f"DROP TABLE IF EXISTS {STAGING}")
                if hasattr(self, "archive"):
                    self.archive.close()
        return self.result()

    def result(self) -> ImportResult:
        tallies = getattr(self, "tallies", {})
        summary = {k: t.as_dict() for k, t in tallies.items()}
        summary["skipped_non_staff_users"] = self.skipped_users
        summary["ignored_orgs"] = self.ignored_orgs
        summary["format"] = self.fmt.label
        if self.fmt.source:
            summary["source"] = self.fmt.source
        district = self.district if getattr(self, "district", None) else None
        ok = self.report.ok and bool(self.fmt.version)
        return ImportResult(
            ok=ok,
            dry_run=self.dry_run,
            version=self.fmt.version,
            district=district if district and district.pk and ok else self.existing_or_none(),
            summary=summary,
            problems=self.report.errors
            + [Problem(**p) for p in self.report.errors_json()[len(self.report.errors) :]],
            report=self.report,
        )

    def existing_or_none(self) -> District | None:
        d = getattr(self, "existing_district", None)
        return d if d and d.pk else None


class _Undo(Exception):
    pass


def import_oneroster(
    source,
    *,
    district_slug: str,
    district_name: str = "",
    dry_run: bool = False,
    actor=None,
    progress: Progress | None = None,
    encoding: str | None = None,
    allow_mass_deactivation: bool = False,
) -> ImportResult:
    """Import a OneRoster 1.0, 1.1 or 1.2, or School Data Sync v2.1, CSV export (a zip path, a
    zip file object, or a folder) into the district with this slug, creating it if needed."""
    return Importer(
        source,
        district_slug=district_slug,
        district_name=district_name,
        dry_run=dry_run,
        actor=actor,
        progress=progress,
        encoding=encoding,
        allow_mass_deactivation=allow_mass_deactivation,
    ).run()


__all__ = ["ImportResult", "Problem", "import_oneroster", "pseudonym"]
