"""Time the HR-data import of a large district, on SQLite and on PostgreSQL.

    python benchmarks/import_staff_data.py [--staff 15000]

Each database gets a fresh, migrated, throwaway database with a district of `--staff` people
whose experience is unknown (as a roster leaves them; a tenth without email). A payroll-style
CSV (employee number, names, work email, hire date, union, FTE, contracted and substitute
days) then fills them in: the first import changes every person, the second changes nothing.
Prints the time, rows per second and the process's peak memory for each.
"""

import argparse
import csv
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
sys.path.insert(0, str(ROOT))


def hr_file(staff: int, path: Path) -> None:
    rng = random.Random(11)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Employee Number",
            "Last Name",
            "First Name",
            "Work Email",
            "Hire Date",
            "Bargaining Unit",
            "FTE",
            "Contract Days To Date",
            "Sub Days",
        ]
    )
    for i in range(staff):
        writer.writerow(
            [
                f"{i:06d}",
                f"Last{i}",
                f"First{i}",
                f"hr{i}@bench.example",
                f"{rng.randint(1, 12)}/{rng.randint(1, 28)}/{rng.randint(1995, 2026)}",
                rng.choice(["BEA", "CLS", "ADM"]),
                rng.choice(["100", "50", "80"]),
                rng.randint(0, 5000),
                rng.randint(0, 60),
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8")


def child(path: str, staff: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from django_scopes import scopes_disabled

    from cadre.core import bulk
    from cadre.districts.models import District, Staff
    from cadre.districts.staffdata import import_staff_data

    with scopes_disabled():
        district = District.objects.create(name="Benchmark Unified", slug="bench")
        bulk.create_rows(
            Staff,
            [
                {
                    "district_id": district.pk,
                    "sourced_id": f"stf-{i:06d}",
                    "employee_id": f"{i:06d}",
                    "first_name": f"First{i}",
                    "last_name": f"Last{i}",
                    "email": "" if i % 10 == 0 else f"staff{i}@bench.example",
                }
                for i in range(staff)
            ],
        )
        bulk.analyze(Staff._meta.db_table)
    for label in ("first import", "re-import"):
        started = time.perf_counter()
        result = import_staff_data(path, district=district)
        seconds = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  {label:<13} {seconds:6.2f} s  {staff / seconds:9,.0f} rows/s  "
            f"{result.summary['updated']:>6,} updated  peak memory {peak:,.0f} MB",
            flush=True,
        )


def run(name: str, env: dict, path: Path, staff: int) -> None:
    print(f"{name}:", flush=True)
    env = os.environ | env | {"DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        check=True,
        env=env,
    )
    subprocess.run(
        [sys.executable, __file__, "--child", str(path), "--staff", str(staff)],
        cwd=ROOT,
        check=True,
        env=env,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=15000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.staff)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hr.csv"
        hr_file(args.staff, path)
        print(f"HR file: {args.staff:,} rows")
        run("SQLite", {"CADRE_DATA_DIR": tmp, "DATABASE_URL": ""}, path, args.staff)
        db = f"cadre_bench_hr_{os.getpid()}"
        made = subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {db}"], capture_output=True
        )
        if made.returncode:
            print("PostgreSQL: not reachable at 127.0.0.1:5432; skipped.")
            return None
        try:
            run(
                "PostgreSQL",
                {"DATABASE_URL": f"{PG}/{db}", "CADRE_DATA_DIR": tmp},
                path,
                args.staff,
            )
        finally:
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
                check=False,
            )
    return None


if __name__ == "__main__":
    main()
