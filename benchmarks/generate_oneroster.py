"""Write a large, valid OneRoster 1.2 CSV export (zip) for benchmarks.

    python benchmarks/generate_oneroster.py --schools 150 --staff 15000 \
        --enrollments 300000 --out benchmarks/out/large.zip
"""

import argparse
import csv
import io
import random
import zipfile
from pathlib import Path

USERS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "userMasterIdentifier",
    "preferredGivenName",
    "preferredMiddleName",
    "preferredFamilyName",
    "primaryOrgSourcedId",
    "pronouns",
]
FIRST = ["Maria", "James", "Ana", "David", "Sofia", "Michael", "Priya", "Tuan", "Grace", "Omar"]
LAST = ["Garcia", "Smith", "Nguyen", "Patel", "Johnson", "Lee", "Lopez", "Kim", "Okafor", "Chen"]


def table(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def user(sid, first, last, ident, email, org):
    return [
        sid,
        "active",
        "2026-08-01T00:00:00Z",
        "true",
        sid,
        "",
        first,
        last,
        "",
        ident,
        email,
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        org,
        "",
    ]


def generate(schools: int, staff: int, enrollments: int, out: Path, seed: int = 7) -> dict:
    rng = random.Random(seed)
    school_ids = [f"sch-{i:04d}" for i in range(schools)]
    orgs = [["dist", "active", "2026-08-01", "Benchmark Unified", "district", "BU", ""]]
    orgs += [
        [s, "active", "2026-08-01", f"School {i}", "school", f"S{i}", "dist"]
        for i, s in enumerate(school_ids)
    ]
    users, roles, classes, enrolls = [], [], [], []
    teachers = []
    for i in range(staff):
        sid, school = f"stf-{i:06d}", school_ids[i % schools]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        users.append(user(sid, first, last, f"E{i:06d}", f"staff{i}@bench.example", school))
        role = "principal" if i < schools else "teacher"
        roles.append(
            [
                f"role-{i:06d}",
                "active",
                "2026-08-01",
                sid,
                "primary",
                role,
                "2020-08-01",
                "",
                school,
                "",
            ]
        )
        if role == "teacher":
            teachers.append((sid, school))
    # Two classes per teacher, each with its teacher enrollment; students fill the rest.
    for n, (teacher, school) in enumerate(teachers):
        for k in range(2):
            cls = f"cls-{n:06d}-{k}"
            classes.append(
                [
                    cls,
                    "active",
                    "2026-08-01",
                    f"Class {n}.{k}",
                    "10",
                    "course",
                    "",
                    "scheduled",
                    "",
                    school,
                    "term",
                    "",
                    "",
                    "",
                ]
            )
            enrolls.append(
                [
                    f"enr-t-{n}-{k}",
                    "active",
                    "2026-08-01",
                    cls,
                    school,
                    teacher,
                    "teacher",
                    "true",
                    "",
                    "",
                ]
            )
    students = max(1, (enrollments - len(enrolls)) // 6)
    for s in range(students):
        users.append(user(f"stu-{s:07d}", "Student", "Person", "", "", school_ids[0]))
        roles.append(
            [
                f"srole-{s:07d}",
                "active",
                "2026-08-01",
                f"stu-{s:07d}",
                "primary",
                "student",
                "",
                "",
                school_ids[s % schools],
                "",
            ]
        )
    e = 0
    while len(enrolls) < enrollments:
        cls = classes[e % len(classes)]
        enrolls.append(
            [
                f"enr-s-{e}",
                "active",
                "2026-08-01",
                cls[0],
                cls[9],
                f"stu-{e % students:07d}",
                "student",
                "false",
                "",
                "",
            ]
        )
        e += 1
    files = {
        "manifest.csv": table(
            ["propertyName", "value"],
            [
                ["manifest.version", "1.0"],
                ["oneroster.version", "1.2"],
                ["file.orgs", "bulk"],
                ["file.users", "bulk"],
                ["file.roles", "bulk"],
                ["file.classes", "bulk"],
                ["file.enrollments", "bulk"],
            ],
        ),
        "orgs.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "name",
                "type",
                "identifier",
                "parentSourcedId",
            ],
            orgs,
        ),
        "users.csv": table(USERS, users),
        "roles.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "userSourcedId",
                "roleType",
                "role",
                "beginDate",
                "endDate",
                "orgSourcedId",
                "userProfileSourcedId",
            ],
            roles,
        ),
        "classes.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "grades",
                "courseSourcedId",
                "classCode",
                "classType",
                "location",
                "schoolSourcedId",
                "termSourcedIds",
                "subjects",
                "subjectCodes",
                "periods",
            ],
            classes,
        ),
        "enrollments.csv": table(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "classSourcedId",
                "schoolSourcedId",
                "userSourcedId",
                "role",
                "primary",
                "beginDate",
                "endDate",
            ],
            enrolls,
        ),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    rows = sum(len(x) for x in (orgs, users, roles, classes, enrolls))
    return {"rows": rows, "users": len(users), "enrollments": len(enrolls)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--staff", type=int, default=15000)
    parser.add_argument("--enrollments", type=int, default=300000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/large.zip"))
    args = parser.parse_args()
    stats = generate(args.schools, args.staff, args.enrollments, args.out)
    print(
        f"Wrote {args.out}: {stats['rows']:,} rows ({stats['users']:,} users, "
        f"{stats['enrollments']:,} enrollments)"
    )


if __name__ == "__main__":
    main()
