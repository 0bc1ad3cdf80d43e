"""Validate a whole OneRoster export, then write all of it in one transaction, or nothing."""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event
from cadre.districts.models import (
    Assignment,
    Department,
    District,
    Role,
    RosterClass,
    School,
    Staff,
    StudentEnrollment,
    TeacherClass,
)
from cadre.districts.oneroster.reader import (
    REQUIRED,
    Export,
    Problem,
    check_modified,
    parse_date,
    parse_status,
    read_manifest,
)

ORG_TYPES = {"district", "school", "department", "local", "state", "national"}
# OneRoster role → Cadre role; None means "depends on the org" (1.1 administrator).
STAFF_ROLES = {
    "teacher": Role.TEACHER,
    "aide": Role.PARAEDUCATOR,
    "counselor": Role.COUNSELOR,
    "principal": Role.PRINCIPAL,
    "siteadministrator": Role.ASSISTANT_PRINCIPAL,
    "districtadministrator": Role.DISTRICT_ADMIN,
    "administrator": None,
}
OTHER_ROLES = {"student", "parent", "guardian", "relative", "proctor", "systemadministrator"}
BATCH = 2000

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    ok: bool
    dry_run: bool
    version: str
    district: District | None
    summary: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


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


def _pk(obj) -> int | None:
    return obj.pk if obj is not None else None


def pseudonym(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


class Importer:
    def __init__(
        self, source, *, district_slug: str, dry_run: bool, actor, progress: Progress | None
    ):
        self.source = source
        self.slug = district_slug
        self.dry_run = dry_run
        self.actor = actor
        self.progress = progress or (lambda stage, done, total: None)
        self.problems: list[Problem] = []
        self.version = ""
        self.modes: dict[str, str] = {}
        self.tallies = {
            k: Tally()
            for k in ("schools", "departments", "staff", "assignments", "classes", "enrollments")
        }
        self.skipped_users = 0
        self.ignored_orgs = 0
        self.events: list[AuditEvent] = []
        self.today = timezone.localdate()

    def fail(self, file: str, line, column, reason: str) -> None:
        self.problems.append(Problem(file, line, column, reason))

    # --- reading and checking ------------------------------------------------------------

    def read(self) -> None:
        self.progress("Reading the files", 0, 1)
        self.export = Export(self.source, self.problems)
        if self.problems:
            return
        version, self.modes = read_manifest(self.export)
        self.version = version or ""
        if version is None:
            return
        for name, mode in self.modes.items():
            if mode != "absent" and not self.export.has(name):
                self.fail(
                    "manifest.csv",
                    None,
                    f"file.{name}",
                    f"The manifest lists {name}.csv as {mode}, but the export has no {name}.csv.",
                )
        for name in ("orgs", "users", "classes", "enrollments", "roles"):
            if self.export.has(name) and name not in self.modes:
                self.modes[name] = "bulk"
        if version == "1.2" and self.mode("users") != "absent" and self.mode("roles") == "absent":
            self.fail(
                "manifest.csv",
                None,
                "file.roles",
                "A OneRoster 1.2 export needs roles.csv to give staff their roles.",
            )

    def mode(self, name: str) -> str:
        return self.modes.get(name, "absent") if self.export.has(name) else "absent"

    def rows(self, name: str, required_key: str | None = None):
        if self.mode(name) == "absent":
            return []
        rows = self.export.rows(name, REQUIRED[required_key or name])
        for row in rows:
            check_modified(row, f"{name}.csv", self.problems)
        return rows

    def load_existing(self) -> None:
        self.district = District.objects.filter(slug=self.slug).first()
        self.existing_district = self.district
        d = self.district
        self.secret = d.pseudonym_secret if d else secrets.token_hex(32)
        self.db_schools = (
            {s.sourced_id: s for s in School.objects.filter(district=d).exclude(sourced_id="")}
            if d
            else {}
        )
        self.db_departments = (
            {x.sourced_id: x for x in Department.objects.filter(district=d)} if d else {}
        )
        self.db_staff = (
            {s.sourced_id: s for s in Staff.objects.filter(district=d).exclude(sourced_id="")}
            if d
            else {}
        )
        self.db_classes = (
            {c.sourced_id: c for c in RosterClass.objects.filter(district=d)} if d else {}
        )

    def check_orgs(self) -> None:
        file = "orgs.csv"
        self.orgs: dict[str, dict] = {}
        for row in self.rows("orgs"):
            sid = row["sourcedId"]
            status = parse_status(row, file, self.problems)
            kind = row["type"].lower()
            if not sid:
                self.fail(file, row.line, "sourcedId", "sourcedId is empty.")
            elif sid in self.orgs:
                self.fail(
                    file,
                    row.line,
                    "sourcedId",
                    f'Duplicate sourcedId "{sid}" (first on line {self.orgs[sid]["line"]}).',
                )
            elif kind not in ORG_TYPES:
                self.fail(
                    file,
                    row.line,
                    "type",
                    f'Unknown org type "{row["type"]}": expected '
                    "district, school, department, local, state or national.",
                )
            elif status:
                self.orgs[sid] = {
                    "line": row.line,
                    "type": kind,
                    "name": row["name"],
                    "code": row.values.get("identifier", ""),
                    "status": status,
                    "parent": row["parentSourcedId"],
                }
        districts = [sid for sid, o in self.orgs.items() if o["type"] == "district"]
        if len(districts) > 1:
            self.fail(
                file,
                self.orgs[districts[1]]["line"],
                "type",
                "The export holds more than one district org; import one district at a time.",
            )
        self.district_org = districts[0] if districts else None
        if (
            self.district
            and self.district_org
            and self.district.sourced_id
            and (self.district.sourced_id != self.district_org)
        ):
            self.fail(
                file,
                self.orgs[self.district_org]["line"],
                "sourcedId",
                f'This export is for district "{self.district_org}", but '
                f"{self.district.name} was imported from "
                f'"{self.district.sourced_id}".',
            )
        if self.district is None and not self.district_org:
            self.fail(
                file,
                None,
                None,
                f'There is no district "{self.slug}" yet and the '
                "export has no district org to create it from.",
            )
        for sid, org in self.orgs.items():
            if org["type"] in {"local", "state", "national"}:
                self.ignored_orgs += 1
            elif org["type"] == "school":
                if org["parent"] and not self.is_district(org["parent"]):
                    self.fail(
                        file,
                        org["line"],
                        "parentSourcedId",
                        f'The parent org "{org["parent"]}" is not in this export or in Cadre.',
                    )
            elif org["type"] == "department" and not self.school_of(sid):
                self.fail(
                    file,
                    org["line"],
                    "parentSourcedId",
                    f'A department needs a parent school; "{org["parent"]}" is not a '
                    "school in this export or in Cadre.",
                )

    def is_district(self, sid: str) -> bool:
        org = self.orgs.get(sid)
        if org:
            return org["type"] in {"district", "local", "state", "national"}
        return bool(self.district and sid == self.district.sourced_id)

    def school_of(self, sid: str) -> str | None:
        """The school sourcedId an org stands for (itself, or a department's parent)."""
        org = self.orgs.get(sid)
        if org:
            if org["type"] == "school":
                return sid
            if org["type"] == "department":
                parent = org["parent"]
                return (
                    parent
                    if (
                        self.orgs.get(parent, {}).get("type") == "school"
                        or parent in self.db_schools
                    )
                    else None
                )
            return None
        if sid in self.db_schools:
            return sid
        dept = self.db_departments.get(sid)
        return dept.school.sourced_id if dept else None

    def check_users(self) -> None:
        file = "users.csv"
        key = "users-1.2" if self.version == "1.2" else "users-1.1"
        self.people: dict[str, dict] = {}
        self.others: set[str] = set()
        self.roles: list[dict] = []
        seen: dict[str, int] = {}
        for row in self.rows("users", key):
            sid = row["sourcedId"]
            status = parse_status(row, file, self.problems)
            if not sid:
                self.fail(file, row.line, "sourcedId", "sourcedId is empty.")
                continue
            if sid in seen:
                self.fail(
                    file,
                    row.line,
                    "sourcedId",
                    f'Duplicate sourcedId "{sid}" (first on line {seen[sid]}).',
                )
                continue
            seen[sid] = row.line
            person = {
                "line": row.line,
                "status": status,
                "first": row["givenName"],
                "last": row["familyName"],
                "email": row["email"].lower(),
                "identifier": row["identifier"],
                "enabled": row["enabledUser"].lower() not in {"false", "0", "no"},
            }
            if self.version != "1.2":
                role = row["role"].lower()
                if role in OTHER_ROLES or role.startswith("ext:"):
                    self.others.add(sid)
                    continue
                if role not in STAFF_ROLES:
                    self.fail(file, row.line, "role", f'Unknown role "{row["role"]}".')
                    continue
                for org in [o.strip() for o in row["orgSourcedIds"].split(",") if o.strip()]:
                    self.roles.append(
                        {
                            "key": f"{sid}:{org}:{row['role']}",
                            "user": sid,
                            "role": row["role"],
                            "org": org,
                            "line": row.line,
                            "file": file,
                            "column": "orgSourcedIds",
                            "status": status,
                            "begin": None,
                            "end": None,
                        }
                    )
            self.people[sid] = person
        if self.version == "1.2":
            self.check_roles_12()
        self.check_people()

    def check_roles_12(self) -> None:
        file = "roles.csv"
        staff_ids = set()
        for row in self.rows("roles"):
            status = parse_status(row, file, self.problems)
            role = row["role"]
            low = role.lower()
            begin = parse_date(row, "beginDate", file, self.problems)
            end = parse_date(row, "endDate", file, self.problems)
            if low not in STAFF_ROLES and low not in OTHER_ROLES and not low.startswith("ext:"):
                self.fail(file, row.line, "role", f'Unknown role "{role}".')
                continue
            if low not in STAFF_ROLES:
                continue
            user = row["userSourcedId"]
            if user not in self.people and user not in self.db_staff:
                self.fail(
                    file,
                    row.line,
                    "userSourcedId",
                    f'The user "{user}" is not in users.csv or in Cadre.',
                )
                continue
            staff_ids.add(user)
            self.roles.append(
                {
                    "key": row["sourcedId"] or f"{user}:{row['orgSourcedId']}:{role}",
                    "user": user,
                    "role": role,
                    "org": row["orgSourcedId"],
                    "line": row.line,
                    "file": file,
                    "column": "orgSourcedId",
                    "status": status,
                    "begin": begin,
                    "end": end,
                }
            )
        # In 1.2 a person is staff when some role says so; the rest are never stored.
        for sid in list(self.people):
            if sid not in staff_ids:
                self.others.add(sid)
                del self.people[sid]

    def check_people(self) -> None:
        file = "users.csv"
        self.skipped_users = len(self.others)
        self.roles = [r for r in self.roles if r["user"] not in self.others]
        emails: dict[str, str] = {}  # email → the user sourcedId that has it
        ids: dict[str, str] = {}
        for sid, p in self.people.items():
            if not p["first"] and not p["last"]:
                self.fail(file, p["line"], "givenName", "A staff member needs a name.")
            if p["email"]:
                try:
                    validate_email(p["email"])
                except ValidationError:
                    self.fail(file, p["line"], "email", f'"{p["email"]}" is not an email address.')
                if p["email"] in emails:
                    self.fail(
                        file,
                        p["line"],
                        "email",
                        f'{p["email"]} is also the email of user "{emails[p["email"]]}".',
                    )
                emails.setdefault(p["email"], sid)
            if p["identifier"]:
                if p["identifier"] in ids:
                    self.fail(
                        file,
                        p["line"],
                        "identifier",
                        f"The identifier "
                        f'"{p["identifier"]}" is also used by user "{ids[p["identifier"]]}".',
                    )
                ids.setdefault(p["identifier"], sid)
        self.check_against_db(emails, ids)

    def check_against_db(self, emails: dict[str, str], ids: dict[str, str]) -> None:
        file = "users.csv"
        User = get_user_model()
        self.users = {u.email.lower(): u for u in User.objects.filter(email__in=list(emails))}
        district_id = self.district.pk if self.district else None
        for email, sid, owner_district in Staff.objects.filter(
            user__in=self.users.values()
        ).values_list("user__email", "sourced_id", "district_id"):
            mine = emails.get(email.lower())
            if mine and (sid != mine or owner_district != district_id):
                self.fail(
                    file,
                    self.people[mine]["line"],
                    "email",
                    f"{email} already signs in as another person in Cadre.",
                )
        if self.district:
            taken = dict(
                Staff.objects.filter(district=self.district, employee_id__in=list(ids)).values_list(
                    "employee_id", "sourced_id"
                )
            )
            for identifier, sid in ids.items():
                if identifier in taken and taken[identifier] != sid:
                    self.fail(
                        file,
                        self.people[sid]["line"],
                        "identifier",
                        f'The employee id "{identifier}" belongs to another person in Cadre.',
                    )

    def check_roles(self) -> None:
        self.assignments: dict[str, dict] = {}
        for r in self.roles:
            low = r["role"].lower()
            org = r["org"]
            if (
                not self.orgs.get(org)
                and org not in self.db_schools
                and (org not in self.db_departments)
                and not self.is_district(org)
            ):
                self.fail(
                    r["file"],
                    r["line"],
                    r["column"],
                    f'The org "{org}" is not in orgs.csv or in Cadre.',
                )
                continue
            school = self.school_of(org)
            if low == "administrator":
                role = Role.PRINCIPAL if school else Role.DISTRICT_ADMIN
            else:
                role = STAFF_ROLES[low]
            if role in {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL} and not school:
                role = Role.DISTRICT_ADMIN if low != "siteadministrator" else Role.OTHER
            if r["key"] in self.assignments:
                self.fail(r["file"], r["line"], r["column"], f'Duplicate role "{r["key"]}".')
                continue
            self.assignments[r["key"]] = {
                "user": r["user"],
                "role": role,
                "school": school,
                "status": r["status"],
                "begin": r["begin"],
                "end": r["end"],
            }

    def check_classes(self) -> None:
        file = "classes.csv"
        self.classes: dict[str, dict] = {}
        for row in self.rows("classes"):
            sid = row["sourcedId"]
            status = parse_status(row, file, self.problems)
            school = self.school_of(row["schoolSourcedId"])
            if not sid:
                self.fail(file, row.line, "sourcedId", "sourcedId is empty.")
            elif sid in self.classes:
                self.fail(file, row.line, "sourcedId", f'Duplicate sourcedId "{sid}".')
            elif not school:
                self.fail(
                    file,
                    row.line,
                    "schoolSourcedId",
                    f'The school "{row["schoolSourcedId"]}" is not in orgs.csv or in Cadre.',
                )
            elif status:
                self.classes[sid] = {"title": row["title"], "school": school, "status": status}

    def check_enrollments(self) -> None:
        file = "enrollments.csv"
        self.teaching: dict[str, dict] = {}
        self.students: dict[str, dict] = {}
        users_known = self.mode("users") == "bulk"
        total = 0
        for row in self.rows("enrollments"):
            total += 1
            if total % 20000 == 0:
                self.progress("Checking enrollments", total, total)
            sid, cls, user = row["sourcedId"], row["classSourcedId"], row["userSourcedId"]
            status = parse_status(row, file, self.problems)
            parse_date(row, "beginDate", file, self.problems)
            parse_date(row, "endDate", file, self.problems)
            role = row["role"].lower()
            if not sid:
                self.fail(file, row.line, "sourcedId", "sourcedId is empty.")
                continue
            if cls not in self.classes and cls not in self.db_classes:
                self.fail(
                    file,
                    row.line,
                    "classSourcedId",
                    f'The class "{cls}" is not in classes.csv or in Cadre.',
                )
                continue
            if role == "student":
                if users_known and user not in self.others and user not in self.people:
                    self.fail(
                        file, row.line, "userSourcedId", f'The user "{user}" is not in users.csv.'
                    )
                    continue
                self.students[sid] = {"class": cls, "user": user, "status": status}
            elif role == "teacher":
                if user not in self.people and user not in self.db_staff:
                    self.fail(
                        file,
                        row.line,
                        "userSourcedId",
                        f'The teacher "{user}" is not in users.csv or in Cadre.',
                    )
                    continue
                self.teaching[sid] = {"class": cls, "user": user, "status": status}

    # --- writing ---------------------------------------------------------------------------

    def audit(self, action: str, obj, **kwargs) -> None:
        self.events.append(
            audit_event(
                district=self.district,
                actor=self.actor,
                action=action,
                obj=obj,
                save=False,
                **kwargs,
            )
        )

    def write(self) -> None:
        now = timezone.now()
        if self.district is None:
            org = self.orgs[self.district_org]
            self.district = District.objects.create(
                name=org["name"] or self.slug,
                slug=self.slug,
                sourced_id=self.district_org,
                pseudonym_secret=self.secret,
            )
        elif self.district_org and not self.district.sourced_id:
            self.district.sourced_id = self.district_org
            self.district.save(update_fields=["sourced_id", "updated_at"])
        self.now = now
        self.write_schools()
        self.write_staff()
        self.write_assignments()
        self.write_classes()
        self.write_enrollments()
        AuditEvent.objects.bulk_create(self.events, batch_size=BATCH)

    def sync(
        self,
        model,
        tally: Tally,
        existing: dict,
        wanted: dict,
        fields: list[str],
        *,
        build,
        audit: bool,
        bulk: bool,
        active_field: str = "is_active",
    ):
        """Create, update or deactivate rows keyed by sourced id; only changed rows are saved."""
        created, changed = [], []
        for key, values in wanted.items():
            obj = existing.get(key)
            if obj is None:
                obj = build(key, values)
                created.append(obj)
                existing[key] = obj
                continue
            diff = {f: [getattr(obj, f), v] for f, v in values.items() if getattr(obj, f) != v}
            if not diff:
                tally.unchanged += 1
                continue
            for f, (_, v) in diff.items():
                setattr(obj, f, v)
            obj.updated_at = self.now
            changed.append(obj)
            if values.get(active_field) is False and diff.get(active_field):
                tally.deactivated += 1
            else:
                tally.updated += 1
            if audit:
                self.audit(
                    AuditEvent.Action.IMPORT,
                    obj,
                    changes={f: [str(a), str(b)] for f, (a, b) in diff.items()},
                )
        if bulk:
            for key, obj in existing.items():
                if key not in wanted and getattr(obj, active_field):
                    setattr(obj, active_field, False)
                    obj.updated_at = self.now
                    changed.append(obj)
                    tally.deactivated += 1
                    if audit:
                        self.audit(
                            AuditEvent.Action.TRANSITION,
                            obj,
                            from_state="active",
                            to_state="inactive",
                            comment="Absent from a bulk roster.",
                        )
        tally.created += len(created)
        model.objects.bulk_create(created, batch_size=BATCH)
        if changed:
            stamped = [*fields, "updated_at"] if hasattr(model, "updated_at") else fields
            model.objects.bulk_update(changed, stamped, batch_size=BATCH)
        if audit:
            for obj in created:
                self.audit(AuditEvent.Action.IMPORT, obj, comment="Created from the roster.")

    def write_schools(self) -> None:
        self.progress("Writing schools", 0, 1)
        schools = {
            sid: {"name": o["name"], "code": o["code"], "is_active": o["status"] == "active"}
            for sid, o in self.orgs.items()
            if o["type"] == "school"
        }
        self.sync(
            School,
            self.tallies["schools"],
            self.db_schools,
            schools,
            ["name", "code", "is_active"],
            audit=True,
            bulk=self.mode("orgs") == "bulk",
            build=lambda sid, v: School(district=self.district, sourced_id=sid, **v),
        )
        departments = {
            sid: {
                "name": o["name"],
                "school_id": _pk(self.db_schools.get(o["parent"])),
                "is_active": o["status"] == "active",
            }
            for sid, o in self.orgs.items()
            if o["type"] == "department"
        }
        departments = {k: v for k, v in departments.items() if v["school_id"] is not None}
        self.sync(
            Department,
            self.tallies["departments"],
            self.db_departments,
            departments,
            ["name", "school_id", "is_active"],
            audit=False,
            bulk=self.mode("orgs") == "bulk",
            build=lambda sid, v: Department(district=self.district, sourced_id=sid, **v),
        )

    def write_staff(self) -> None:
        self.progress("Writing staff", 0, max(1, len(self.people)))
        User = get_user_model()
        new_users = []
        for p in self.people.values():
            if p["email"] and p["email"] not in self.users:
                user = User(email=p["email"], password=make_password(None))
                self.users[p["email"]] = user
                new_users.append(user)
        User.objects.bulk_create(new_users, batch_size=BATCH)
        wanted = {}
        for sid, p in self.people.items():
            active = p["status"] == "active" and p["enabled"]
            wanted[sid] = {
                "first_name": p["first"],
                "last_name": p["last"],
                "email": p["email"],
                "employee_id": p["identifier"],
                "is_active": active,
                "user_id": self.users[p["email"]].pk if p["email"] else None,
            }
        fields = ["first_name", "last_name", "email", "employee_id", "is_active", "user_id"]
        self.sync(
            Staff,
            self.tallies["staff"],
            self.db_staff,
            wanted,
            fields,
            audit=True,
            bulk=self.mode("users") == "bulk",
            build=lambda sid, v: Staff(district=self.district, sourced_id=sid, **v),
        )

    def write_assignments(self) -> None:
        self.progress("Writing assignments", 0, max(1, len(self.assignments)))
        self.staff_by_pk = {s.pk: s for s in self.db_staff.values()}
        self.schools_by_pk = {s.pk: s for s in self.db_schools.values()}
        existing = {
            a.sourced_id: a
            for a in Assignment.objects.filter(district=self.district)
            .exclude(sourced_id="")
            .select_related("staff", "school", "program")
        }
        wanted = {}
        for key, a in self.assignments.items():
            staff = self.db_staff[a["user"]]
            end = a["end"]
            if a["status"] == "tobedeleted":
                old = existing.get(key)
                end = (
                    old.end_date
                    if old and old.end_date and old.end_date <= self.today
                    else self.today
                )
            wanted[key] = {
                "staff_id": staff.pk,
                "role": a["role"],
                "school_id": _pk(self.db_schools.get(a["school"])),
                "start_date": a["begin"],
                "end_date": end,
            }
        source = "roles" if self.version == "1.2" else "users"
        bulk = self.mode(source) == "bulk"
        tally = self.tallies["assignments"]
        # Bulk rosters end the assignments they no longer list; history stays.
        if bulk:
            for key, obj in existing.items():
                if key not in wanted and (obj.end_date is None or obj.end_date > self.today):
                    wanted[key] = {"end_date": self.today}
        self.sync(
            Assignment,
            tally,
            existing,
            wanted,
            ["staff_id", "role", "school_id", "start_date", "end_date"],
            audit=True,
            bulk=False,
            build=self.new_assignment,
        )

    def new_assignment(self, key: str, values: dict) -> Assignment:
        assignment = Assignment(district=self.district, sourced_id=key, **values)
        # The audit names the person and the school: give it the rows already in memory.
        assignment.staff = self.staff_by_pk[values["staff_id"]]
        assignment.school = self.schools_by_pk.get(values["school_id"])
        return assignment

    def write_classes(self) -> None:
        self.progress("Writing classes", 0, max(1, len(self.classes)))
        wanted = {
            sid: {
                "title": c["title"],
                "school_id": _pk(self.db_schools.get(c["school"])),
                "is_active": c["status"] == "active",
            }
            for sid, c in self.classes.items()
        }
        self.sync(
            RosterClass,
            self.tallies["classes"],
            self.db_classes,
            wanted,
            ["title", "school_id", "is_active"],
            audit=False,
            bulk=self.mode("classes") == "bulk",
            build=lambda sid, v: RosterClass(district=self.district, sourced_id=sid, **v),
        )

    def write_enrollments(self) -> None:
        total = len(self.teaching) + len(self.students)
        self.progress("Writing enrollments", 0, max(1, total))
        d = self.district
        teaching = {t.sourced_id: t for t in TeacherClass.objects.filter(district=d)}
        wanted = {
            sid: {
                "staff_id": self.db_staff[t["user"]].pk,
                "roster_class_id": self.db_classes[t["class"]].pk,
                "is_active": t["status"] == "active",
            }
            for sid, t in self.teaching.items()
        }
        bulk = self.mode("enrollments") == "bulk"
        self.sync(
            TeacherClass,
            self.tallies["enrollments"],
            teaching,
            wanted,
            ["staff_id", "roster_class_id", "is_active"],
            audit=False,
            bulk=bulk,
            build=lambda sid, v: TeacherClass(district=self.district, sourced_id=sid, **v),
        )
        students = {
            e.enrollment_key: e
            for e in StudentEnrollment.objects.filter(district=d).only(
                "id", "enrollment_key", "roster_class_id", "student_key", "is_active"
            )
        }
        wanted = {}
        for n, (sid, e) in enumerate(self.students.items(), start=1):
            if n % 20000 == 0:
                self.progress("Writing enrollments", len(self.teaching) + n, total)
            wanted[pseudonym(self.secret, sid)] = {
                "roster_class_id": self.db_classes[e["class"]].pk,
                "student_key": pseudonym(self.secret, e["user"]),
                "is_active": e["status"] == "active",
            }
        self.sync(
            StudentEnrollment,
            self.tallies["enrollments"],
            students,
            wanted,
            ["roster_class_id", "student_key", "is_active"],
            audit=False,
            bulk=bulk,
            build=lambda key, v: StudentEnrollment(district=self.district, enrollment_key=key, **v),
        )
        self.progress("Done", total, max(1, total))

    # --- the whole run -------------------------------------------------------------------

    def run(self) -> ImportResult:
        with scopes_disabled():
            self.read()
            if not self.problems:
                self.progress("Checking rows", 0, 1)
                self.load_existing()
                for check in (
                    self.check_orgs,
                    self.check_users,
                    self.check_roles,
                    self.check_classes,
                    self.check_enrollments,
                ):
                    check()
                    if self.export.unreadable:  # later checks would only echo this one
                        break
            if self.problems:
                return self.result(ok=False)
            try:
                with transaction.atomic():
                    self.write()
                    if self.changed():
                        audit_event(
                            district=self.district,
                            actor=self.actor,
                            action=AuditEvent.Action.IMPORT,
                            obj=self.district,
                            changes={k: t.as_dict() for k, t in self.tallies.items()},
                            comment=f"OneRoster {self.version} import.",
                        )
                    if self.dry_run:  # the same writes, counted, then undone
                        raise _Rollback
            except _Rollback:
                self.district = self.existing_district
            return self.result(ok=True)

    def changed(self) -> bool:
        return any(t.created or t.updated or t.deactivated for t in self.tallies.values())

    def result(self, *, ok: bool) -> ImportResult:
        summary = {k: t.as_dict() for k, t in self.tallies.items()}
        summary["skipped_non_staff_users"] = self.skipped_users
        summary["ignored_orgs"] = self.ignored_orgs
        district = getattr(self, "district", None)
        return ImportResult(
            ok=ok,
            dry_run=self.dry_run,
            version=self.version,
            district=district if district and district.pk else None,
            summary=summary,
            problems=self.problems,
        )


class _Rollback(Exception):
    pass


def import_oneroster(
    source,
    *,
    district_slug: str,
    dry_run: bool = False,
    actor=None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a OneRoster 1.1 or 1.2 CSV export (zip path, zip file object, or folder)."""
    return Importer(
        source, district_slug=district_slug, dry_run=dry_run, actor=actor, progress=progress
    ).run()


__all__ = ["ImportResult", "Problem", "import_oneroster"]
