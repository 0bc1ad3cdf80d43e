"""Time `import_oneroster` on a large export against PostgreSQL's COPY of the same rows.

    python benchmarks/import_oneroster.py [--schools 150 --staff 15000 --enrollments 300000]

Each database gets a fresh, migrated, throwaway database (migrated in its own process). Then one
process per database times, side by side:

- the baseline: PostgreSQL `COPY ... FROM STDIN (FORMAT csv, HEADER)` of every CSV file of the
  export into plain tables of text columns (no keys, no indexes), committed: the fastest the
  database can durably take these rows;
- Cadre's first import of the export, and a re-import of the same file (which changes nothing);

and prints rows per second for each, Cadre's ratio to COPY, and the process's peak memory
(max RSS, Django included). On SQLite there is no COPY: the ratio is to PostgreSQL's.
"""

import argparse
import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
sys.path.insert(0, str(ROOT))


def setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()


def copy_baseline(path: str) -> float:
    """Seconds for PostgreSQL to COPY every CSV of the export into text tables, committed."""
    import psycopg

    with psycopg.connect(os.environ["BENCH_PG"], autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS copy_baseline CASCADE")
        conn.execute("CREATE SCHEMA copy_baseline")
    started = time.perf_counter()
    with psycopg.connect(os.environ["BENCH_PG"]) as conn, zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".csv") or info.filename == "manifest.csv":
                continue
            with archive.open(info) as raw:
                header = next(csv.reader(io.TextIOWrapper(raw, "utf-8")))
            table = f"copy_baseline.{info.filename[:-4].lower()}"
            cols = ", ".join(f'"{c}" text' for c in header)
            conn.execute(f"CREATE TABLE {table} ({cols})")
            with (
                archive.open(info) as raw,
                conn.cursor().copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := raw.read(1 << 20):
                    copy.write(chunk)
        conn.commit()
    seconds = time.perf_counter() - started
    with psycopg.connect(os.environ["BENCH_PG"], autocommit=True) as conn:
        conn.execute("DROP SCHEMA copy_baseline CASCADE")
    return seconds


def child(path: str) -> None:
    """Runs in a fresh process, so the peak memory is the import's own."""
    setup_django()
    from cadre.districts.oneroster import import_oneroster

    rows = int(os.environ["BENCH_ROWS"])
    baseline = float(os.environ["BENCH_COPY"])
    for label in ("first import", "re-import"):
        started = time.perf_counter()
        result = import_oneroster(path, district_slug="bench")
        seconds = time.perf_counter() - started
        assert result.ok, result.problems[:5]
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"  {label:<13} {seconds:6.2f} s  {rows / seconds:9,.0f} rows/s  "
            f"{seconds / baseline:5.1f}× COPY  peak memory {peak:,.0f} MB",
            flush=True,
        )


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        check=True,
        env=env,
    )


def run(name: str, env: dict, path: Path, rows: int) -> None:
    print(f"{name}:", flush=True)
    env = os.environ | env | {"DEBUG": "1", "BENCH_ROWS": str(rows)}
    migrate(env)
    subprocess.run([sys.executable, __file__, "--child", str(path)], cwd=ROOT, check=True, env=env)


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

    db = f"cadre_bench_{os.getpid()}"
    made = subprocess.run(
        ["psql", f"{PG}/postgres", "-qc", f"CREATE DATABASE {db}"], capture_output=True
    )
    if made.returncode:
        print("PostgreSQL is not reachable at 127.0.0.1:5432: it is needed for the baseline.")
        return None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.zip"
            stats = generate(args.schools, args.staff, args.enrollments, path)
            rows = stats["rows"]
            print(
                f"Export: {args.schools} schools, {args.staff:,} staff, "
                f"{stats['enrollments']:,} enrollments, {rows:,} rows in all"
            )
            os.environ["BENCH_PG"] = f"{PG}/{db}"
            baseline = min(copy_baseline(str(path)) for _ in range(3))
            print(
                f"PostgreSQL COPY of the same rows: {baseline:.2f} s, {rows / baseline:,.0f} rows/s"
            )
            os.environ["BENCH_COPY"] = str(baseline)
            run("SQLite", {"CADRE_DATA_DIR": tmp, "DATABASE_URL": ""}, path, rows)
            run("PostgreSQL", {"DATABASE_URL": f"{PG}/{db}", "CADRE_DATA_DIR": tmp}, path, rows)
    finally:
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"],
            check=False,
        )
    return None


if __name__ == "__main__":
    main()
