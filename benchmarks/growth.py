"""Time professional goals, ISD and the alignment view at district scale, on SQLite and PostgreSQL.

    python benchmarks/growth.py [--schools 150 --teachers 30 --requests 500 --goals 500]

Builds a district in a fresh throwaway database: a principal and `--teachers` teachers with
logins at each school, a published district plan and a published plan per school aligned to it,
one professional goal per teacher aligned to a school goal (two in three submitted, the rest
drafts), and an ISD source with a district budget and a default allotment. Then times: ISD
approvals through the service one at a time, approvals from 8 threads at once (PostgreSQL
only), goal approvals, `alignment_tree` for the district administrator and for one principal
with the alignment page's query count, and the daily `send_reminders`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
THREADS = 8
sys.path.insert(0, str(ROOT))


class Statements:
    """Counts the SQL statements run inside it (DEBUG's query log keeps only the last 9,000)."""

    def __init__(self, connection):
        self.connection, self.n = connection, 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrap = self.connection.execute_wrapper(self)
        self._wrap.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrap.__exit__(*exc)


def timed(fn, runs: int = 3) -> tuple[float, object]:
    """The median wall time of `runs` calls, in seconds, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def build(schools: int, teachers: int):
    """The district, in bulk where the services are not what is measured."""
    from datetime import date, timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
    from cadre.funding.models import Budget, FundingSource, Use
    from cadre.funding.services import fiscal_years
    from cadre.growth import services
    from cadre.growth.models import ProfessionalGoal
    from cadre.planning import services as planning
    from cadre.planning.models import Goal, StrategicPlan

    User = get_user_model()
    district = District.objects.create(name="Bench", slug="bench")
    today = district.today()
    first = today.year if today.month >= 7 else today.year - 1
    year = SchoolYear.objects.create(
        district=district,
        name=f"{first}–{(first + 1) % 100:02d}",
        start_date=date(first, 7, 1),
        end_date=date(first + 1, 6, 30),
        is_current=True,
    )
    rows = School.objects.bulk_create(
        [School(district=district, name=f"School {i}", code=f"S{i:03d}") for i in range(schools)]
    )
    # One hash for every login: hashing 4,500 passwords would time Argon2, not the app.
    password = make_password("not-a-real-password")
    people = [("admin", None, Role.DISTRICT_ADMIN)]
    for s, school in enumerate(rows):
        people.append((f"p{s}", school, Role.PRINCIPAL))
        people += [(f"t{s}-{t}", school, Role.TEACHER) for t in range(teachers)]
    users = User.objects.bulk_create(
        [User(email=f"{key}@bench.example", password=password) for key, _, _ in people],
        batch_size=2000,
    )
    staff = Staff.objects.bulk_create(
        [
            Staff(
                district=district,
                user=user,
                first_name=key,
                last_name="Bench",
                email=user.email,
                employee_id=key,
                bargaining_unit="Certificated",
            )
            for (key, _, _), user in zip(people, users, strict=True)
        ],
        batch_size=2000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                district=district,
                staff=person,
                school=school,
                role=role,
                start_date=date(2020, 8, 20),
            )
            for (_, school, role), person in zip(people, staff, strict=True)
        ],
        batch_size=2000,
    )
    admin = staff[0]
    principals = {
        school.pk: person
        for (_, school, role), person in zip(people, staff, strict=True)
        if role == Role.PRINCIPAL
    }
    teacher_rows = [
        (person, school)
        for (_, school, role), person in zip(people, staff, strict=True)
        if role == Role.TEACHER
    ]

    # The district plan through the services (it is small); the school plans in bulk.
    plan = planning.plan_create(
        district=district,
        actor=admin.user,
        data={"level": "district", "title": "District plan", "first_year": year, "last_year": year},
    )
    district_goals = [
        planning.goal_create(
            plan=plan,
            actor=admin.user,
            data={"code": f"D{i}", "title": f"District goal {i}", "measure": "m", "target": "t"},
        )
        for i in range(1, 5)
    ]
    planning.plan_publish(plan=plan, actor=admin.user)
    now = timezone.now()
    plans = StrategicPlan.objects.bulk_create(
        [
            StrategicPlan(
                district=district,
                level=StrategicPlan.Level.SCHOOL,
                school=school,
                title=f"{school.name} site plan",
                first_year=year,
                last_year=year,
                status=StrategicPlan.Status.PUBLISHED,
                published_at=now,
                published_by=admin.user,
            )
            for school in rows
        ],
        batch_size=2000,
    )
    school_goals = Goal.objects.bulk_create(
        [
            Goal(
                district=district,
                plan=p,
                code=f"{school.code}-{g}",
                title=f"School goal {g}",
                measure="m",
                target="t",
            )
            for p, school in zip(plans, rows, strict=True)
            for g in range(1, 4)
        ],
        batch_size=2000,
    )
    Goal.aligns_to.through.objects.bulk_create(
        [
            Goal.aligns_to.through(from_goal_id=g.pk, to_goal_id=district_goals[i % 4].pk)
            for i, g in enumerate(school_goals)
        ],
        batch_size=2000,
    )
    by_school = {}
    for g in school_goals:
        by_school.setdefault(g.plan.school_id, []).append(g)

    goals = ProfessionalGoal.objects.bulk_create(
        [
            ProfessionalGoal(
                district=district,
                staff=person,
                school=school,
                school_year=year,
                title=f"Goal of {person.first_name}",
                statement="Raise reading",
                activities="Reading institute; two coaching cycles",
                evidence="Screener growth",
                status="submitted" if i % 3 else "draft",
                submitted_at=now if i % 3 else None,
            )
            for i, (person, school) in enumerate(teacher_rows)
        ],
        batch_size=2000,
    )
    ProfessionalGoal.aligns_to.through.objects.bulk_create(
        [
            ProfessionalGoal.aligns_to.through(
                professionalgoal_id=g.pk, goal_id=by_school[g.school_id][i % 3].pk
            )
            for i, g in enumerate(goals)
        ],
        batch_size=2000,
    )

    source = FundingSource.objects.create(
        district=district,
        name="ISD contract funds",
        kind=FundingSource.Kind.ISD,
        allowed_uses=[Use.REGISTRATION, Use.MATERIALS, Use.TRAVEL],
    )
    budget = Budget.objects.create(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=today),
        amount=Decimal("10000000"),
        hours=Decimal("1000000"),
    )
    services.allotment_create(
        district=district,
        actor=admin.user,
        data={
            "school_year": year,
            "source": source,
            "amount": Decimal("1500"),
            "hours": Decimal("30"),
        },
    )
    SchoolYear.objects.filter(pk=year.pk).update(goals_due=today + timedelta(days=7))
    return {
        "district": district,
        "year": year,
        "admin": admin,
        "principals": principals,
        "teachers": teacher_rows,
        "goals": goals,
        "budget": budget,
        "staff": len(staff),
    }


def child(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from decimal import Decimal

    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from cadre.districts.access import actor_for
    from cadre.districts.models import District
    from cadre.funding.models import Budget, LedgerEntry
    from cadre.growth import services
    from cadre.growth.alignment import alignment_tree
    from cadre.growth.models import IsdRequest, ProfessionalGoal
    from cadre.growth.reminders import send_reminders

    with scopes_disabled():
        started = time.perf_counter()
        w = build(args.schools, args.teachers)
        district, year, goals = w["district"], w["year"], w["goals"]
        print(
            f"  setup: {w['staff']:,} staff with logins, {len(goals):,} professional goals, "
            f"{args.schools:,} school plans: {time.perf_counter() - started:6.1f} s",
            flush=True,
        )
        teachers, principals = w["teachers"], w["principals"]
        goal_of = {g.staff_id: g for g in goals}
        today = district.today()

        def create(i: int) -> IsdRequest:
            person, _ = teachers[i % len(teachers)]
            return services.isd_request_create(
                staff=person,
                actor=person.user,
                data={
                    "kind": "conference",
                    "title": f"Literacy conference {i}",
                    "provider": "CRA",
                    "start_date": today,
                    "end_date": today,
                    "cost": Decimal("200"),
                    "hours": Decimal("6"),
                    "goal": goal_of[person.pk],
                    "rationale": "It serves my goal",
                },
            )

        def approve(request: IsdRequest) -> None:
            services.isd_approve(request=request, actor=principals[request.school_id].user)

        started = time.perf_counter()
        with Statements(connection) as sql:
            requests = [create(i) for i in range(args.requests)]
        seconds = time.perf_counter() - started
        print(
            f"  {args.requests:,} ISD requests created through the service: {seconds:6.1f} s, "
            f"{args.requests / seconds:,.0f}/s ({sql.n / args.requests:.0f} statements each)",
            flush=True,
        )
        started = time.perf_counter()
        with Statements(connection) as sql:
            for r in requests:
                approve(r)
        seconds = time.perf_counter() - started
        print(
            f"  {args.requests:,} ISD approvals, one at a time: {seconds:6.1f} s, "
            f"{args.requests / seconds:,.0f}/s ({sql.n / args.requests:.0f} statements each)",
            flush=True,
        )

        if connection.vendor == "postgresql":
            total = THREADS * args.per_thread
            batch = [create(args.requests + i) for i in range(total)]
            errors = []

            def work(mine):
                with scopes_disabled():
                    try:
                        for r in mine:
                            approve(r)
                    except Exception as exc:  # reported below, and the count shows the loss
                        errors.append(repr(exc))
                connection.close()

            threads = [
                threading.Thread(target=work, args=(batch[t::THREADS],)) for t in range(THREADS)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - started
            approved = IsdRequest.objects.filter(
                pk__in=[r.pk for r in batch], status=IsdRequest.Status.APPROVED
            ).count()
            budget = Budget.objects.get(pk=w["budget"].pk)
            entries = LedgerEntry.objects.filter(budget=budget).count()
            expected = args.requests + total
            print(
                f"  {total:,} ISD approvals from {THREADS} threads (different requests): "
                f"{seconds:6.1f} s, {total / seconds:,.0f}/s; {approved:,} of {total:,} approved, "
                f"{entries:,} encumbrances for {expected:,} approvals, budget committed "
                f"${budget.committed_amount:,.2f} (expected ${200 * expected:,.2f})"
                + (f"; errors: {errors[:3]}" if errors else ""),
                flush=True,
            )

        submitted = [g for g in goals if g.status == ProfessionalGoal.Status.SUBMITTED]
        chosen = submitted[: args.goals]
        started = time.perf_counter()
        with Statements(connection) as sql:
            for g in chosen:
                services.goal_approve(goal=g, actor=principals[g.school_id].user)
        seconds = time.perf_counter() - started
        print(
            f"  {len(chosen):,} goal approvals, one at a time: {seconds:6.1f} s, "
            f"{len(chosen) / seconds:,.0f}/s ({sql.n / len(chosen):.0f} statements each)",
            flush=True,
        )

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A live database has planner statistics; bulk-loaded tables have none yet.
                cursor.execute("ANALYZE")
        admin = actor_for(w["admin"].user)
        school_id, principal_staff = next(iter(principals.items()))
        principal = actor_for(principal_staff.user)
        for label, actor, summary in (
            ("district admin, whole district listed", admin, False),
            ("district admin, whole district counted (the page)", admin, True),
            ("one principal", principal, False),
        ):
            seconds, (tree, unplaced) = timed(
                lambda actor=actor, summary=summary: alignment_tree(
                    actor, year, school=None, program=None, summary=summary
                )
            )
            unplaced = unplaced if summary else len(unplaced)
            shown = sum(n.personal_count for n in tree) + unplaced
            print(
                f"  alignment_tree, {label}: {seconds * 1000:6.0f} ms "
                f"({len(tree)} district goals, {sum(len(n.children) for n in tree):,} school "
                f"goals, {shown:,} personal goals)",
                flush=True,
            )

        client = Client(HTTP_HOST="localhost")
        for label, user, query in (
            ("one principal", principal_staff.user, ""),
            ("admin, one school", w["admin"].user, f"?school={school_id}"),
            ("admin, whole district", w["admin"].user, ""),
        ):
            client.force_login(user)
            client.get("/alignment/" + query)  # warm: sessions, content types, templates
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get("/alignment/" + query)
                seconds = time.perf_counter() - started
            assert response.status_code == 200, response.status_code
            print(
                f"  alignment page, {label}: {len(ctx.captured_queries)} queries, "
                f"{seconds * 1000:6.0f} ms, {len(response.content) / 1024:,.0f} KB",
                flush=True,
            )
        district = District.objects.get(pk=district.pk)
        mail.outbox = []
        for label in ("send_reminders", "send_reminders again (all sent today)"):
            started = time.perf_counter()
            with Statements(connection) as sql:
                sent = send_reminders(district)
            seconds = time.perf_counter() - started
            print(
                f"  {label}: {seconds:6.1f} s, {sent['goal_due']:,} goal-due and "
                f"{sent['pending']:,} waiting-for-you emails; {len(mail.outbox):,} in the outbox; "
                f"{sql.n:,} statements",
                flush=True,
            )
            mail.outbox = []


def run(name: str, env: dict, args) -> None:
    print(f"{name}:", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--schools",
            str(args.schools),
            "--teachers",
            str(args.teachers),
            "--requests",
            str(args.requests),
            "--per-thread",
            str(args.per_thread),
            "--goals",
            str(args.goals),
        ],
        env={
            **os.environ,
            "DEBUG": "1",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            **env,
        },
        check=True,
    )
    print(f"  ({time.perf_counter() - started:.0f} s in all, migrations included)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--teachers", type=int, default=30, help="per school")
    parser.add_argument("--requests", type=int, default=500, help="approved one at a time")
    parser.add_argument(
        "--per-thread", type=int, default=50, help=f"approvals per thread, {THREADS} threads"
    )
    parser.add_argument("--goals", type=int, default=500, help="goal approvals")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, args)
    name = f"cadre_bench_growth_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        run("PostgreSQL", {"DATABASE_URL": f"{PG}/{name}"}, args)
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


if __name__ == "__main__":
    main()
