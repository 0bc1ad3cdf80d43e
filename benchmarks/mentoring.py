"""Time the mentor programme's reads and confirmations at district scale, on SQLite and PostgreSQL.

    python benchmarks/mentoring.py [--schools 150 --teachers 30 --new 4 --logs 16]
        [--active 500 --proposed 70] [--only sqlite|postgresql]

Builds a district in a fresh throwaway database, in bulk: a principal and `--teachers`
teachers with logins at each school (`--new` of them new teachers), a mentor coordinator, a
mentor-training and an orientation offering with their completions, about 400 trained mentors
(two or three a school), about 500 active matches with `--logs` logs each, about 70 proposed
matches and the rest of the new teachers unmatched. Then times: `people` + `describe` for a
50-row page, `suggestions` for one new teacher, `alerts` for the coordinator, `cadence` over
every active match, `match_confirm` one at a time, and the programme report when it exists.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
SUBJECTS = ["English", "Mathematics", "Science", "Social Studies", "World Languages", "Arts"]
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


def build(args):
    """The district, in bulk where the services are not what is measured."""
    from datetime import date, datetime, timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from cadre.catalog.models import Completion, Offering, Registration, Session
    from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
    from cadre.funding.models import FundingSource, Use
    from cadre.mentoring.models import Log, Match, Mentor, Training

    User = get_user_model()
    district = District.objects.create(name="Bench", slug="bench")
    today = district.today()
    first = today.year if today.month >= 7 else today.year - 1
    last_year, year = [
        SchoolYear.objects.create(
            district=district,
            name=f"{y}–{(y + 1) % 100:02d}",
            start_date=date(y, 7, 1),
            end_date=date(y + 1, 6, 30),
            is_current=y == first,
        )
        for y in (first - 1, first)
    ]
    schools = School.objects.bulk_create(
        [
            School(district=district, name=f"School {i}", code=f"S{i:03d}")
            for i in range(args.schools)
        ]
    )
    # One hash for every login: hashing 4,500 passwords would time Argon2, not the app.
    password = make_password("not-a-real-password")
    people = [
        ("admin", None, Role.DISTRICT_ADMIN, 3600),
        ("coord", None, Role.MENTOR_COORDINATOR, 3600),
    ]
    for s, school in enumerate(schools):
        people.append((f"p{s}", school, Role.PRINCIPAL, 3600))
        for t in range(args.teachers):
            days = (t * 13) % 80 if t < args.new else 1800 + t * 40
            people.append((f"t{s}-{t}", school, Role.TEACHER, days))
    users = User.objects.bulk_create(
        [User(email=f"{key}@bench.example", password=password) for key, *_ in people],
        batch_size=2000,
    )
    staff = Staff.objects.bulk_create(
        [
            Staff(
                district=district,
                user=user,
                first_name=key,
                last_name=f"Bench{i % 97:02d}",
                email=user.email,
                employee_id=key,
                bargaining_unit="Certificated",
                contracted_days=days,
                hire_date=today - timedelta(days=40 + i % 100) if days < 90 else date(2015, 8, 1),
                subjects=[SUBJECTS[i % len(SUBJECTS)]],
                grade_bands=["9-12"],
            )
            for i, ((key, _, _, days), user) in enumerate(zip(people, users, strict=True))
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
                start_date=person.hire_date,
            )
            for (_, school, role, _), person in zip(people, staff, strict=True)
        ],
        batch_size=2000,
    )
    admin, coordinator = staff[0], staff[1]
    by_school: dict[int, dict[str, list]] = {}
    for (_, school, role, days), person in zip(people, staff, strict=True):
        if role == Role.TEACHER:
            group = by_school.setdefault(school.pk, {"new": [], "old": []})
            group["new" if days < 90 else "old"].append(person)

    # Training: completions of the mentor training (the mentors, and some candidates) and of
    # the orientation (half the new teachers).
    offerings = {}
    for kind, title in (
        (Training.Kind.MENTOR, "Mentor training"),
        (Training.Kind.ORIENTATION, "Orientation"),
    ):
        offering = Offering.objects.create(
            district=district,
            title=title,
            description=title,
            format=Offering.Format.IN_PERSON,
            structure=Offering.Structure.WORKSHOP,
            status=Offering.Status.PUBLISHED,
            category="general",
            capacity=5000,
        )
        Training.objects.create(district=district, offering=offering, kind=kind)
        offerings[kind] = offering
    mentors_staff, candidates, trained_new = [], [], []
    for s, school in enumerate(schools):
        group = by_school[school.pk]
        n = 2 if s % 3 == 0 else 3
        mentors_staff += group["old"][:n]
        candidates += group["old"][n : n + 1]
        trained_new += group["new"][: max(1, 2 * len(group["new"]) // 3)]
    day = year.start_date + timedelta(days=40)
    start = datetime.combine(day, datetime.min.time(), tzinfo=district.tz).replace(hour=8)
    for kind, people_done in (
        (Training.Kind.MENTOR, mentors_staff + candidates),
        (Training.Kind.ORIENTATION, trained_new),
    ):
        session = Session.objects.create(
            district=district,
            offering=offerings[kind],
            school_year=year,
            name="Cohort",
            capacity=5000,
            status=Session.Status.CLOSED,
            starts_at=start,
            ends_at=start + timedelta(hours=6),
            minutes=360,
        )
        regs = Registration.objects.bulk_create(
            [
                Registration(
                    district=district,
                    session=session,
                    staff=p,
                    status=Registration.Status.COMPLETED,
                )
                for p in people_done
            ],
            batch_size=2000,
        )
        Completion.objects.bulk_create(
            [
                Completion(
                    district=district,
                    registration=r,
                    staff_id=r.staff_id,
                    offering=offerings[kind],
                    school_year=year,
                    completed_on=day,
                    minutes=360,
                    clock_hours=Decimal("6.00"),
                    category="general",
                )
                for r in regs
            ],
            batch_size=2000,
        )
    mentors = Mentor.objects.bulk_create(
        [
            Mentor(
                district=district,
                staff=p,
                caseload_cap=[3, 3, 2, 4][i % 4],
                availability="Tuesdays after school",
            )
            for i, p in enumerate(mentors_staff)
        ],
        batch_size=2000,
    )
    source = FundingSource.objects.create(
        district=district,
        name="General fund PD",
        kind=FundingSource.Kind.GENERAL,
        allowed_uses=[Use.STIPEND],
    )
    school_mentors: dict[int, list[Mentor]] = {}
    staff_school = {
        p.pk: school.pk for (_, school, _, _), p in zip(people, staff, strict=True) if school
    }
    for m in mentors:
        school_mentors.setdefault(staff_school[m.staff_id], []).append(m)

    # Matches: the first ~500 new teachers active, the next ~70 proposed, the rest unmatched;
    # each school's new teachers go to its own mentors, within their caps.
    new_teachers = [p for school in schools for p in by_school[school.pk]["new"]]
    load = {m.pk: 0 for m in mentors}
    matches = []
    n_active = args.active
    n_proposed = args.proposed
    for i, person in enumerate(new_teachers[: n_active + n_proposed]):
        pool = school_mentors[staff_school[person.pk]]
        mentor = min(pool, key=lambda m: (load[m.pk] / m.caseload_cap, m.pk))
        if load[mentor.pk] >= mentor.caseload_cap:
            mentor = min(mentors, key=lambda m: (load[m.pk] / m.caseload_cap, m.pk))
        load[mentor.pk] += 1
        active = i < n_active
        matches.append(
            Match(
                district=district,
                mentor=mentor,
                mentee=person,
                school_year=year,
                school_id=staff_school[person.pk],
                source=source,
                status=Match.Status.ACTIVE if active else Match.Status.PROPOSED,
                proposed_by=coordinator.user,
                confirmed_by=coordinator.user if active else None,
                started_on=max(year.start_date, today - timedelta(days=60 + i % 50))
                if active
                else None,
            )
        )
    matches = Match.objects.bulk_create(matches, batch_size=2000)
    active_matches = [m for m in matches if m.status == Match.Status.ACTIVE]
    logs = []
    for i, m in enumerate(active_matches):
        span = max((today - m.started_on).days, 1)
        behind = i % 7 == 0  # one pair in seven logs little
        for k in range(args.logs):
            logs.append(
                Log(
                    district=district,
                    match=m,
                    met_on=m.started_on + timedelta(days=k * span // args.logs),
                    minutes=20 if behind else 75,
                    kind=Log.Kind.values[k % len(Log.Kind.values)],
                    focus="Planned the next unit together.",
                    next_steps="Try the launch task.",
                    logged_by_id=m.mentor.staff.user_id,
                )
            )
    Log.objects.bulk_create(logs, batch_size=2000)
    return {
        "district": district,
        "year": year,
        "last_year": last_year,
        "admin": admin,
        "coordinator": coordinator,
        "staff": len(staff),
        "new": len(new_teachers),
        "mentors": len(mentors),
        "candidates": len(candidates),
        "active": len(active_matches),
        "proposed": [m for m in matches if m.status == Match.Status.PROPOSED],
        "unmatched": new_teachers[n_active + n_proposed :],
        "logs": len(logs),
        "source": source,
    }


def child(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from cadre.districts.access import actor_for
    from cadre.mentoring import selectors, services
    from cadre.mentoring.models import Match

    with scopes_disabled():
        started = time.perf_counter()
        w = build(args)
        district, year = w["district"], w["year"]
        print(
            f"  setup: {w['staff']:,} staff with logins in {args.schools} schools, "
            f"{w['new']:,} new teachers, {w['mentors']:,} mentors "
            f"(+{w['candidates']} trained candidates), "
            f"{w['active']:,} active and {len(w['proposed'])} proposed matches, {w['logs']:,} "
            f"logs: {time.perf_counter() - started:6.1f} s",
            flush=True,
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A live database has planner statistics; bulk-loaded tables have none yet.
                cursor.execute("ANALYZE")
        coordinator = actor_for(w["coordinator"].user)
        today = coordinator.today

        def measure(label, fn, describe_result=lambda r: ""):
            fn()  # warm: content types, the actor's cached properties
            with CaptureQueriesContext(connection) as ctx:
                fn()
            seconds, result = timed(fn)
            extra = describe_result(result)
            print(
                f"  {label}: {seconds * 1000:6.0f} ms, {len(ctx.captured_queries)} queries"
                + (f" ({extra})" if extra else ""),
                flush=True,
            )
            return result

        def page(state=""):
            qs = selectors.people(coordinator, year, state=state)
            return qs.count(), selectors.describe(coordinator, year, list(qs[:50]))

        measure(
            "people + describe, coordinator, first 50 of everyone (with the count)",
            page,
            lambda r: f"{r[0]:,} in the programme, {len(r[1])} rows",
        )
        measure(
            "people + describe, coordinator, the overdue filter",
            lambda: page("overdue"),
            lambda r: f"{r[0]:,} overdue, {len(r[1])} rows",
        )
        mentee = w["unmatched"][0] if w["unmatched"] else w["proposed"][0].mentee
        measure(
            "suggestions for one new teacher",
            lambda: selectors.suggestions(coordinator, mentee),
            lambda r: f"{len(r)} suggested, top: {', '.join(r[0].reasons) if r else '-'}",
        )
        measure(
            "alerts, coordinator",
            lambda: selectors.alerts(coordinator, year),
            lambda r: f"{r.overdue} overdue, {len(r.over_cap)} over cap, {len(r.behind)} behind",
        )
        active = list(selectors.matches(coordinator, year=year, status=Match.Status.ACTIVE))
        measure(
            f"cadence over all {len(active)} active matches",
            lambda: selectors.cadence(district, active, today),
            lambda r: f"{sum(1 for c in r.values() if c.behind)} behind",
        )
        measure(
            "matches + with_cadence, coordinator, all active (list and figures)",
            lambda: selectors.with_cadence(
                coordinator,
                list(selectors.matches(coordinator, year=year, status=Match.Status.ACTIVE)),
            ),
            lambda r: f"{len(r)} pairs",
        )
        report = getattr(selectors, "report", None)
        label = "selectors.report"
        if report is None:
            try:
                from cadre.mentoring.report import build as report

                label = "report.build"
            except ImportError:
                report = None
        if report is not None:
            measure(f"programme report ({label})", lambda: report(coordinator, year))
        else:
            print("  programme report: not there yet, skipped", flush=True)

        proposed = w["proposed"]
        started = time.perf_counter()
        with Statements(connection) as sql:
            for m in proposed:
                services.match_confirm(match=m, actor=coordinator.user)
        seconds = time.perf_counter() - started
        confirmed = Match.objects.filter(
            pk__in=[m.pk for m in proposed], status=Match.Status.ACTIVE
        ).count()
        print(
            f"  {len(proposed)} match_confirm, one at a time: {seconds:6.2f} s, "
            f"{len(proposed) / seconds:,.0f}/s ({sql.n / len(proposed):.0f} statements each), "
            f"{confirmed} confirmed",
            flush=True,
        )


def run(name: str, env: dict, args) -> None:
    print(f"{name}:", flush=True)
    started = time.perf_counter()
    flags = []
    for key in ("schools", "teachers", "new", "active", "proposed", "logs"):
        flags += [f"--{key}", str(getattr(args, key))]
    subprocess.run(
        [sys.executable, __file__, "--child", *flags],
        env={**os.environ, "DEBUG": "1", **env},
        check=True,
    )
    print(f"  ({time.perf_counter() - started:.0f} s in all, migrations included)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--teachers", type=int, default=30, help="per school")
    parser.add_argument("--new", type=int, default=4, help="new teachers per school")
    parser.add_argument("--active", type=int, default=500, help="active matches")
    parser.add_argument("--proposed", type=int, default=70, help="proposed, then confirmed")
    parser.add_argument("--logs", type=int, default=16, help="per active match")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            run("SQLite", {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}, args)
    if args.only == "sqlite":
        return
    name = f"cadre_bench_mentoring_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        run("PostgreSQL", {"DATABASE_URL": f"{PG}/{name}"}, args)
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


if __name__ == "__main__":
    main()
