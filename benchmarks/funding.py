"""Time the funding ledger at district scale, on SQLite and on PostgreSQL.

    python benchmarks/funding.py [--schools 1000 --postings 20000]

Builds a district with three budgets per school (general fund, Title I, Title II-A) in a
fresh throwaway database, then times: postings through the service (each locks its budget,
checks it, writes the entry and its audit event), parallel postings from 8 threads, the
monitoring summary by source over every budget, and `reconcile_ledger`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
sys.path.insert(0, str(ROOT))


def child(schools: int, postings: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from cadre.districts.models import District, School
    from cadre.funding import selectors
    from cadre.funding.models import Budget, FundingSource, Use
    from cadre.funding.reconcile import reconcile
    from cadre.funding.services import fiscal_years, ledger

    with scopes_disabled():
        district = District.objects.create(name="Bench", slug="bench")
        year = fiscal_years.fiscal_year_for(district=district, on=district.today())
        rows = School.objects.bulk_create(
            [School(district=district, name=f"School {i}") for i in range(schools)]
        )
        sources = [
            FundingSource.objects.create(
                district=district, name=name, kind="general", allowed_uses=list(Use.values)
            )
            for name in ("General fund", "Title I", "Title II-A")
        ]
        budgets = Budget.objects.bulk_create(
            [
                Budget(
                    district=district,
                    source=s,
                    fiscal_year=year,
                    school=school,
                    amount=Decimal("1000000"),
                    hours=Decimal("1000"),
                    days=Decimal("100"),
                )
                for school in rows
                for s in sources
            ],
            batch_size=2000,
        )
        started = time.perf_counter()
        for i in range(postings):
            ledger.budget_encumber(
                budget=budgets[i % len(budgets)],
                use=Use.REGISTRATION,
                amount=Decimal("125.00"),
                hours=Decimal("6"),
                actor=None,
            )
        seconds = time.perf_counter() - started
        print(
            f"  {postings:,} postings, one at a time: {seconds:6.1f} s, "
            f"{postings / seconds:,.0f}/s",
            flush=True,
        )

        if connection.vendor == "postgresql":
            hot = budgets[0]
            per_thread = 250

            def work():
                with scopes_disabled():
                    for _ in range(per_thread):
                        ledger.budget_encumber(
                            budget=hot, use=Use.MATERIALS, amount=Decimal("1"), actor=None
                        )
                connection.close()

            threads = [threading.Thread(target=work) for _ in range(8)]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - started
            total = per_thread * len(threads)
            print(
                f"  {total:,} postings to ONE budget from 8 threads: {seconds:6.1f} s, "
                f"{total / seconds:,.0f}/s (they queue on its row lock)",
                flush=True,
            )

        qs = Budget.objects.filter(district=district)
        started = time.perf_counter()
        summary, total = selectors.summary_by_source(qs)
        seconds = time.perf_counter() - started
        print(
            f"  summary by source over {len(budgets):,} budgets: {seconds * 1000:6.0f} ms "
            f"(total committed ${total.amount['committed']:,.2f})",
            flush=True,
        )
        started = time.perf_counter()
        problems = reconcile(district)
        seconds = time.perf_counter() - started
        print(f"  reconcile_ledger: {seconds:6.1f} s, {len(problems)} problems", flush=True)


def run(name: str, env: dict, args) -> None:
    print(f"{name}:", flush=True)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--schools",
            str(args.schools),
            "--postings",
            str(args.postings),
        ],
        env={**os.environ, "DEBUG": "1", **env},
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--postings", type=int, default=20000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.schools, args.postings)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, args)
    name = f"cadre_bench_funding_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        run("PostgreSQL", {"DATABASE_URL": f"{PG}/{name}"}, args)
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


if __name__ == "__main__":
    main()
