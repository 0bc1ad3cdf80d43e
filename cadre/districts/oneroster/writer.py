"""Write a checked roster export in one transaction: create, update or deactivate each record
by its OneRoster id, saving only rows that changed, and audit each change.

Small tables (schools, staff, assignments, classes) are compared in memory from plain values;
student enrollments are compared in SQL against the temporary table the check filled.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from cadre.core import bulk, trail
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
from cadre.districts.oneroster.formats import SDS21
from cadre.districts.oneroster.importer import STAGING, Tally
from cadre.districts.signin import logins, moved_logins

if TYPE_CHECKING:
    from cadre.districts.oneroster.importer import Importer

ROLE_LABELS = dict(Role.choices)


class Writer:
    def __init__(self, importer: Importer):
        self.i = importer
        self.now = timezone.now()
        self.today = importer.today
        self.events: list[dict] = []
        self.tallies = importer.tallies = {
            k: Tally()
            for k in ("schools", "departments", "staff", "assignments", "classes", "enrollments")
        }

    def people(self) -> None:
        """The district, its schools, staff and their assignments."""
        self.district()
        self.i.progress("Writing schools", 0, 1)
        self.schools()
        self.i.progress("Writing staff", 0, 1)
        self.staff()
        self.assignments()

    def drop_duplicate_students(self, file: str) -> int:
        """After a first import wrote its students straight to their table: keep one of each
        student listed twice in one class under two ids (an active one, else the first)."""
        se = StudentEnrollment._meta.db_table
        d = int(self.d.pk)
        deleted = bulk.execute(
            f"DELETE FROM {se} WHERE district_id = %s AND EXISTS (SELECT 1 FROM {se} o "  # noqa: S608
            f"WHERE o.district_id = %s AND o.roster_class_id = {se}.roster_class_id "
            f"AND o.student_key = {se}.student_key AND (o.is_active > {se}.is_active "
            f"OR (o.is_active = {se}.is_active AND o.id < {se}.id)))",
            [d, d],
        )
        if deleted:
            self.i.report.warn(
                "duplicate-enrollment",
                "Enrollments listed twice were read once",
                file,
                None,
                "userSourcedId",
                "The same student is in the same class under two enrollment ids.",
                count=deleted,
            )
        return deleted

    def after(self) -> None:
        """Once committed: fresh planner statistics where much changed."""
        if any(t.created + t.updated + t.deactivated > 1000 for t in self.tallies.values()):
            bulk.analyze(
                Staff._meta.db_table,
                Assignment._meta.db_table,
                RosterClass._meta.db_table,
                TeacherClass._meta.db_table,
                StudentEnrollment._meta.db_table,
                trail.table(),
            )
        self.i.progress("Done", 1, 1)

    # --- the district ------------------------------------------------------------------------

    def district(self) -> None:
        i = self.i
        if i.district is None:
            i.district = District.objects.create(
                name=i.new_district_name()[:200],
                slug=i.slug,
                sourced_id=i.district_org,
                pseudonym_secret=i.secret,
            )
        elif i.district_org and not i.district.sourced_id:
            i.district.sourced_id = i.district_org
            i.district.save(update_fields=["sourced_id", "updated_at"])
        self.d = i.district

    def as_last_time(self) -> None:
        """The same files as the last import: its classes and enrollments stand as they are."""
        last = self.i.last
        self.tallies["classes"].unchanged += last["classes"]
        self.tallies["enrollments"].unchanged += last["teaching"] + last["students"]

    def remember(self) -> None:
        i = self.i
        if i.unchanged:
            state = i.last
        else:
            state = {
                "digests": i.digests,
                "classes": len(i.classes),
                "teaching": len(i.teaching),
                "students": i.staged if i.direct is None else i.direct,
                "warnings": i.class_warnings,
            }
        if self.d.roster_state != state:
            self.d.roster_state = state
            District.objects.filter(pk=self.d.pk).update(roster_state=state)

    def audit(self) -> None:
        if self.events:
            trail.record_many(district=self.d, actor=self.i.actor, events=self.events)
        if any(t.changed() for t in self.tallies.values()):
            trail.record_many(
                district=self.d,
                actor=self.i.actor,
                events=[
                    {
                        "action": trail.Action.IMPORT,
                        "obj": self.d,
                        "changes": {k: t.as_dict() for k, t in self.tallies.items()},
                        "comment": f"{self.i.fmt.label} import.",
                    }
                ],
            )

    # --- the shared way to sync a table -----------------------------------------------------------

    def sync(
        self,
        model,
        tally: Tally,
        *,
        existing: dict,
        wanted: dict,
        fields: list[str],
        bulk_mode: bool,
        describe=None,
        key_field: str = "sourced_id",
    ) -> dict:
        """Create, update or deactivate rows keyed by `key_field`; only changed rows are saved.
        `existing` maps keys to value dicts with "pk"; `describe(values)` names a row for the
        audit trail (None: not audited). Returns key → pk for every wanted row."""
        stamped = hasattr(model, "updated_at")
        created, changed = [], []
        pks: dict = {}
        for key, values in wanted.items():
            row = existing.get(key)
            if row is None:
                created.append((key, values))
                continue
            pks[key] = row["pk"]
            diff = {f: (row[f], v) for f, v in values.items() if row[f] != v}
            if not diff:
                tally.unchanged += 1
                continue
            changed.append({"pk": row["pk"], **values})
            deactivated = "is_active" in diff and values["is_active"] is False
            if deactivated:
                tally.deactivated += 1
            else:
                tally.updated += 1
            if describe:
                self.events.append(
                    {
                        "action": trail.Action.IMPORT,
                        "object_type": model._meta.label_lower,
                        "object_id": row["pk"],
                        "object_repr": describe({**row, **values}),
                        "changes": {f: [_text(a), _text(b)] for f, (a, b) in diff.items()},
                    }
                )
        if bulk_mode and "is_active" in fields:
            for key, row in existing.items():
                if key in wanted or not row["is_active"]:
                    continue
                changed.append({"pk": row["pk"], "is_active": False})
                tally.deactivated += 1
                if describe:
                    self.events.append(
                        {
                            "action": trail.Action.TRANSITION,
                            "object_type": model._meta.label_lower,
                            "object_id": row["pk"],
                            "object_repr": describe(row),
                            "from_state": "active",
                            "to_state": "inactive",
                            "comment": "Absent from a whole-picture (bulk) roster.",
                        }
                    )
        bulk.create_rows(
            model,
            [{"district_id": self.d.pk, key_field: key, **values} for key, values in created],
        )
        tally.created += len(created)
        if created:
            new = dict(model.objects.filter(district=self.d).values_list(key_field, "pk"))
        for key, values in created:
            pks[key] = new[key]
            if describe:
                self.events.append(
                    {
                        "action": trail.Action.IMPORT,
                        "object_type": model._meta.label_lower,
                        "object_id": new[key],
                        "object_repr": describe(values),
                        "comment": "Created from the roster.",
                    }
                )
        # Each row writes the fields it was given, nothing else: group rows by those fields.
        by_fields: dict[tuple, list] = {}
        for row in changed:
            if stamped:
                row["updated_at"] = self.now
            by_fields.setdefault(tuple(k for k in row if k != "pk"), []).append(row)
        for names, rows in by_fields.items():
            bulk.update_rows(model, list(names), rows)
        return pks

    def values(self, qs, *fields: str, key_field: str = "sourced_id") -> dict:
        return {r[key_field]: r for r in qs.values("pk", key_field, *fields)}

    # --- schools --------------------------------------------------------------------------------

    def schools(self) -> None:
        i, d = self.i, self.d
        bulk_mode = i.mode("orgs") == "bulk"
        wanted = {
            sid: {"name": o.name[:200], "code": o.code[:50], "is_active": o.active}
            for sid, o in i.orgs.items()
            if o.kind == "school"
        }
        existing = self.values(
            School.objects.filter(district=d).exclude(sourced_id=""), "name", "code", "is_active"
        )
        self.school_pks = self.sync(
            School,
            self.tallies["schools"],
            existing=existing,
            wanted=wanted,
            fields=["name", "code", "is_active"],
            bulk_mode=bulk_mode,
            describe=lambda v: v["name"],
        )
        self.school_names = {pk: wanted[k]["name"] for k, pk in self.school_pks.items()}
        self.school_pks.update({k: v for k, v in i.db_schools.items() if k not in self.school_pks})
        self.school_names.update(
            (row["pk"], row["name"])
            for row in existing.values()
            if row["pk"] not in self.school_names
        )
        departments = {
            sid: {
                "name": o.name[:200],
                "school_id": self.school_pks.get(i.school_of(sid) or ""),
                "is_active": o.active,
            }
            for sid, o in i.orgs.items()
            if o.kind == "department"
        }
        self.sync(
            Department,
            self.tallies["departments"],
            existing=self.values(
                Department.objects.filter(district=d), "name", "school_id", "is_active"
            ),
            wanted=departments,
            fields=["name", "school_id", "is_active"],
            bulk_mode=bulk_mode,
        )

    # --- people -------------------------------------------------------------------------------

    def staff(self) -> None:
        """Staff and their sign-ins. A blank email or employee number in the roster leaves the
        one Cadre has (from HR data or an administrator) as it is."""
        i, d = self.i, self.d
        existing = self.values(
            Staff.objects.filter(district=d).exclude(sourced_id=""),
            "first_name",
            "last_name",
            "email",
            "employee_id",
            "is_active",
            "user_id",
            "other_sourced_ids",
        )
        aliases: dict[str, list[str]] = {}
        for other, sid in i.aliases.items():
            aliases.setdefault(sid, []).append(other)
        users = self.users(existing)
        wanted = {}
        for sid, p in i.people.items():
            values = {
                "first_name": p.first[:100],
                "last_name": p.last[:100],
                "is_active": p.active,
                "other_sourced_ids": sorted(
                    set(aliases.get(sid, ()))
                    | set((existing.get(sid) or {}).get("other_sourced_ids") or ())
                ),
            }
            if p.email:
                values["email"] = p.email
                values["user_id"] = users[p.email]
            if p.identifier:
                values["employee_id"] = p.identifier[:50]
            wanted[sid] = values
        self.staff_pks = self.sync(
            Staff,
            self.tallies["staff"],
            existing=existing,
            wanted=wanted,
            fields=[
                "first_name",
                "last_name",
                "email",
                "employee_id",
                "is_active",
                "user_id",
                "other_sourced_ids",
            ],
            bulk_mode=i.mode("users") == "bulk",
            describe=lambda v: f"{v['first_name']} {v['last_name']}".strip(),
        )
        self.staff_pks.update({k: v for k, v in i.db_staff.items() if k not in self.staff_pks})
        self.staff_names = {sid: f"{p.first} {p.last}".strip() for sid, p in i.people.items()}

    def users(self, existing: dict) -> dict[str, int]:
        """The sign-in for each staff email: the person's own login renamed when the roster
        changed their address (so they keep their password) unless another district shares
        it, else `signin.logins`."""
        emails = {p.email: sid for sid, p in self.i.people.items() if p.email}
        moved = {
            email: row["user_id"]
            for email, sid in emails.items()
            if (row := existing.get(sid)) and row["user_id"] and row["email"] != email
        }
        moved = moved_logins(moved, district=self.d)
        return {**logins([e for e in emails if e not in moved]), **moved}

    def assignments(self) -> None:
        i, d = self.i, self.d
        existing = self.values(
            Assignment.objects.filter(district=d).exclude(sourced_id=""),
            "staff_id",
            "role",
            "school_id",
            "start_date",
            "end_date",
        )
        today = self.today
        wanted = {}
        for key, a in i.assignments.items():
            end = a["end"]
            if not a["active"]:
                old = existing.get(key)
                end = (
                    old["end_date"]
                    if old and old["end_date"] and old["end_date"] <= today
                    else ended(a["begin"], today)
                )
            wanted[key] = {
                "staff_id": self.staff_pks[a["user"]],
                "role": a["role"],
                "school_id": self.school_pks.get(a["school"] or ""),
                "start_date": a["begin"],
                "end_date": end,
            }
        # A whole-picture roster ends the assignments it no longer lists; history stays.
        source = "roles" if i.fmt.version in {"1.2", SDS21} else "users"
        if i.mode(source) == "bulk":
            for key, row in existing.items():
                if key not in wanted and (row["end_date"] is None or row["end_date"] > today):
                    wanted[key] = {**_pick(row), "end_date": ended(row["start_date"], today)}
        staff_names = {pk: self.staff_names.get(sid, "") for sid, pk in self.staff_pks.items()}

        def describe(v: dict) -> str:
            place = self.school_names.get(v["school_id"], "District")
            role = ROLE_LABELS.get(v["role"], v["role"])
            return f"{staff_names.get(v['staff_id'], '')} — {role} at {place}"

        self.sync(
            Assignment,
            self.tallies["assignments"],
            existing=existing,
            wanted=wanted,
            fields=["staff_id", "role", "school_id", "start_date", "end_date"],
            bulk_mode=False,
            describe=describe,
        )

    # --- classes and enrollments -------------------------------------------------------------

    def classes(self) -> bool:
        """Write the classes; True when the district has no student enrollments yet, so the
        import may write them straight to their table as it reads them."""
        i, d = self.i, self.d
        wanted = {
            sid: {
                "title": c.title[:255],
                "school_id": self.school_pks.get(c.school or ""),
                "is_active": c.active,
            }
            for sid, c in i.classes.items()
        }
        self.class_pks = self.sync(
            RosterClass,
            self.tallies["classes"],
            existing=self.values(
                RosterClass.objects.filter(district=d), "title", "school_id", "is_active"
            ),
            wanted=wanted,
            fields=["title", "school_id", "is_active"],
            bulk_mode=i.mode("classes") == "bulk",
        )
        # Enrollments may name classes of earlier imports.
        self.class_pks.update((k, v) for k, v in i.db_classes.items() if k not in self.class_pks)
        return not StudentEnrollment.objects.filter(district=d).exists()

    def teaching(self) -> None:
        i, d = self.i, self.d
        wanted = {
            sid: {
                "staff_id": self.staff_pks[staff],
                "roster_class_id": self.class_pks[cls],
                "is_active": active,
            }
            for sid, (cls, staff, active, _) in i.teaching.items()
        }
        self.sync(
            TeacherClass,
            self.tallies["enrollments"],
            existing=self.values(
                TeacherClass.objects.filter(district=d), "staff_id", "roster_class_id", "is_active"
            ),
            wanted=wanted,
            fields=["staff_id", "roster_class_id", "is_active"],
            bulk_mode=i.mode("enrollments") == "bulk",
        )

    def students(self) -> None:
        """Student enrollments, compared in SQL: update the changed and, for a whole-picture
        file, deactivate the ones no longer listed, then insert the new (updates first, so
        they never scan the rows just inserted; a district's first import only inserts)."""
        i = self.i
        tally = self.tallies["enrollments"]
        if i.direct is not None:
            tally.created += i.direct
            return
        if not getattr(i, "staging", False):
            return
        se = StudentEnrollment._meta.db_table
        rc = RosterClass._meta.db_table
        d = self.d.pk
        new_only = ""
        updated = stopped = 0
        if StudentEnrollment.objects.filter(district=self.d).exists():
            changes = (
                f"FROM {STAGING} s JOIN {rc} c ON c.district_id = %s "
                f"AND c.sourced_id = s.class_sid WHERE {se}.district_id = %s "
                f"AND {se}.enrollment_key = s.key"
            )
            # Made inactive by the file (tobedeleted) counts as deactivated; the rest updated.
            stopped = bulk.execute(
                f"UPDATE {se} SET roster_class_id = c.id, student_key = s.student, "  # noqa: S608
                f"is_active = s.active {changes} AND {se}.is_active AND NOT s.active",
                [d, d],
            )
            updated = bulk.execute(
                f"UPDATE {se} SET roster_class_id = c.id, student_key = s.student, "  # noqa: S608
                f"is_active = s.active {changes} AND ({se}.roster_class_id <> c.id "
                f"OR {se}.student_key <> s.student OR {se}.is_active <> s.active)",
                [d, d],
            )
            if i.mode("enrollments") == "bulk":
                tally.deactivated += bulk.execute(
                    f"UPDATE {se} SET is_active = %s WHERE district_id = %s "  # noqa: S608
                    f"AND is_active AND NOT EXISTS (SELECT 1 FROM {STAGING} s "
                    f"WHERE s.key = {se}.enrollment_key)",
                    [False, d],
                )
            new_only = (
                f"WHERE NOT EXISTS (SELECT 1 FROM {se} e WHERE e.district_id = {int(d)} "  # noqa: S608
                "AND e.enrollment_key = s.key)"
            )
        created = bulk.execute(
            f"INSERT INTO {se} (district_id, roster_class_id, student_key, "  # noqa: S608
            f"enrollment_key, is_active) SELECT %s, c.id, s.student, s.key, s.active "
            f"FROM {STAGING} s JOIN {rc} c ON c.district_id = %s AND c.sourced_id = s.class_sid "
            f"{new_only}",
            [d, d],
        )
        tally.created += created
        tally.updated += updated
        tally.deactivated += stopped
        tally.unchanged += i.staged - created - updated - stopped


def ended(start, today):
    """An assignment ended today; one that had not begun ends the day it would have."""
    return max(today, start) if start else today


def _text(value) -> str:
    return "" if value is None else str(value)


def _pick(row: dict) -> dict:
    return {k: row[k] for k in ("staff_id", "role", "school_id", "start_date", "end_date")}
