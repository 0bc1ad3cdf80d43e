"""Time `import_oneroster` on a large export, on SQLite and on PostgreSQL.

    python benchmarks/import_oneroster.py [--schools 150 --staff 15000 --enrollments 300000]

Each database gets a fresh, migrated, throwaway database. Prints rows per second and the
peak memory (max RSS) of the importing process, for a first import and a re-import.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
sys.path.insert(0, str(ROOT))


def child(path: str) -> None:
    """Runs in a fresh process, so the peak memory is the import's own."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cadre.districts.oneroster import import_oneroster

    for label in ("first import", "re-import"):
        started = time.perf_counter()
        result = import_oneroster(path, district_slug="bench")
        seconds = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        rows = int(os.environ["BENCH_ROWS"])
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  {label:<13} {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s  "
            f"peak memory {peak:,.0f} MB",
            flush=True,
        )


def run(name: str, env: dict, path: Path, rows: int) -> None:
    print(f"{name}:", flush=True)
    subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        cwd=ROOT,
        check=True,
        env=os.environ | env | {"DEBUG": "1", "BENCH_ROWS": str(rows)},
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--staff", type=int, default=15000)
    parser.add_argument("--enrollments", type=int, default=300000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        return child(args.child)
    from generate_oneroster import generate

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.zip"
        stats = generate(args.schools, args.staff, args.enrollments, path)
        print(
            f"Export: {args.schools} schools, {args.staff:,} staff, "
            f"{stats['enrollments']:,} enrollments, {stats['rows']:,} rows in all"
        )
        run("SQLite", {"CADRE_DATA_DIR": tmp, "DATABASE_URL": ""}, path, stats["rows"])
        db = f"cadre_bench_{os.getpid()}"
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
                stats["rows"],
            )
        finally:
            subprocess.run(
                ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
                check=False,
            )
    return None


if __name__ == "__main__":
    main()
