"""Time the catalogue at a large district's scale, on SQLite and PostgreSQL.

    python benchmarks/catalog.py [--schools 150 --teachers 29 --offerings 1200 --sessions 3000]

Builds, in a fresh throwaway database and in bulk: a district with a principal and `--teachers`
teachers with logins at each school, focus areas and partners, `--offerings` offerings (a
quarter paid from a district budget), `--sessions` sessions of two meetings each (a fifth
over, with completions; a batch meeting within the next day; the rest ahead, one in ten full
with a waitlist), about 50,000 registrations, a person with about 200 transcript lines, a
person with 50 sessions and a calendar feed, and a 60-person session with its facilitator.
Then times: `registration_create` one at a time and from 8 threads racing for one session's
seats (PostgreSQL only), cancellations that promote from the waitlist, the catalogue page
with filters and search and "recommended", the transcript and its PDF, the facilitator's
roster, the iCalendar feed, the meeting reminders twice, and `reconcile` of the ledger.
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

TOPICS = [
    "Literacy",
    "Math discourse",
    "Classroom management",
    "Science inquiry",
    "Digital tools",
    "Equity in grading",
    "Formative assessment",
    "English learners",
    "Co-teaching",
    "Restorative practices",
]
SUBJECTS = ["Math", "ELA", "Science", "Social studies", "Arts"]
BANDS = ["K-2", "3-5", "6-8", "9-12"]


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
    from django.utils import timezone

    from cadre.catalog.models import (
        DEFAULT_FOCUS_AREAS,
        CalendarFeed,
        Category,
        Completion,
        FocusArea,
        Meeting,
        Offering,
        Partner,
        Registration,
        Session,
    )
    from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
    from cadre.funding.models import Budget, FundingSource, Use
    from cadre.funding.services import fiscal_years

    User = get_user_model()
    Status = Registration.Status
    district = District.objects.create(name="Bench", slug="bench")
    today = district.today()
    first = today.year if today.month >= 7 else today.year - 1
    years = [
        SchoolYear.objects.create(
            district=district,
            name=f"{y}–{(y + 1) % 100:02d}",
            start_date=date(y, 7, 1),
            end_date=date(y + 1, 6, 30),
            is_current=y == first,
        )
        for y in range(first - 2, first + 1)
    ]

    def year_of(day: date):
        return next(y for y in years if y.start_date <= day <= y.end_date)

    schools = School.objects.bulk_create(
        [
            School(district=district, name=f"School {i}", code=f"S{i:03d}")
            for i in range(args.schools)
        ]
    )
    # One hash for every login: hashing 4,500 passwords would time Argon2, not the app.
    password = make_password("not-a-real-password")
    people = [("admin", None, Role.DISTRICT_ADMIN)]
    for s, school in enumerate(schools):
        people.append((f"p{s}", school, Role.PRINCIPAL))
        people += [(f"t{s}-{t}", school, Role.TEACHER) for t in range(args.teachers)]
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
                last_name=f"Bench{i % 97:02d}",
                email=user.email,
                employee_id=key,
                bargaining_unit="Certificated",
                subjects=[SUBJECTS[i % len(SUBJECTS)]],
                grade_bands=[BANDS[i % len(BANDS)]],
            )
            for i, ((key, _, _), user) in enumerate(zip(people, users, strict=True))
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
    home = {p.pk: school.pk for (_, school, _), p in zip(people, staff, strict=True) if school}
    teachers = [p for (_, _, role), p in zip(people, staff, strict=True) if role == Role.TEACHER]
    # Four people with a part to play; the rest fill the sessions round robin.
    reader, subscriber, facilitator, browser = teachers[:4]
    pool = teachers[4:]

    focus = FocusArea.objects.bulk_create(
        [FocusArea(district=district, name=name) for name in DEFAULT_FOCUS_AREAS]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(district=district, name=f"Partner {i}", kind=Partner.Kind.EDUCATION)
            for i in range(20)
        ]
    )
    source = FundingSource.objects.create(
        district=district,
        name="Title II-A",
        kind=FundingSource.Kind.TITLE_II_A,
        allowed_uses=[Use.REGISTRATION, Use.SUBSTITUTE],
    )
    budget = Budget.objects.create(
        district=district,
        source=source,
        fiscal_year=fiscal_years.fiscal_year_for(district=district, on=today),
        amount=Decimal("10000000"),
        days=Decimal("100000"),
    )

    formats = [
        Offering.Format.IN_PERSON,
        Offering.Format.LIVE_ONLINE,
        Offering.Format.BLENDED,
        Offering.Format.IN_PERSON,
    ]
    offerings = Offering.objects.bulk_create(
        [
            Offering(
                district=district,
                title=f"{TOPICS[i % len(TOPICS)]} workshop {i}",
                description=f"Practical {TOPICS[(i * 7) % len(TOPICS)].lower()} for every room.",
                format=formats[i % len(formats)],
                structure=Offering.Structure.WORKSHOP,
                status=(Offering.Status.DRAFT if i % 12 == 11 else Offering.Status.PUBLISHED),
                roles=[] if i % 3 else [Role.TEACHER],
                subjects=[] if i % 2 else [SUBJECTS[i % len(SUBJECTS)]],
                grade_bands=[] if i % 5 else [BANDS[i % len(BANDS)]],
                partner=partners[i % len(partners)] if i % 3 == 1 else None,
                cost=Decimal("75") if i % 4 == 0 else Decimal(0),
                source=source if i % 4 == 0 else None,
                substitute_days=Decimal("1") if i % 8 == 0 else Decimal(0),
                category=Category.EQUITY if i % 6 == 5 else Category.GENERAL,
                capacity=25,
            )
            for i in range(args.offerings)
        ],
        batch_size=2000,
    )
    Offering.focus_areas.through.objects.bulk_create(
        [
            Offering.focus_areas.through(offering_id=o.pk, focusarea_id=focus[(i + d) % 6].pk)
            for i, o in enumerate(offerings)
            for d in (0, 2)
        ],
        batch_size=2000,
    )
    Offering.schools.through.objects.bulk_create(
        [
            Offering.schools.through(offering_id=o.pk, school_id=schools[(i + d) % len(schools)].pk)
            for i, o in enumerate(offerings)
            if i % 5 == 0
            for d in range(3)
        ],
        batch_size=2000,
    )
    published = [o for o in offerings if o.status == Offering.Status.PUBLISHED]
    paid = next(o for o in published if o.source_id)

    # Sessions: the first fifth over, then a batch meeting within the next day (the reminders),
    # then the rest ahead over four months; one in ten of those full with a waitlist.
    now = timezone.now().replace(second=0, microsecond=0)
    tz = district.tz
    n_past = args.sessions // 5
    n_soon = 120
    plan = []  # (session, kind, start)
    for k in range(args.sessions):
        offering = published[k % len(published)]
        if k < n_past:
            day = today - timedelta(days=10 + k * 700 // n_past)
            start = datetime.combine(day, datetime.min.time(), tzinfo=tz).replace(hour=9)
            kind = "past"
        elif k < n_past + n_soon:
            start = now + timedelta(hours=2) + timedelta(minutes=(k - n_past) * 9)
            kind = "soon"
        else:
            day = today + timedelta(days=2 + (k * 37) % 118)
            start = datetime.combine(day, datetime.min.time(), tzinfo=tz).replace(hour=15)
            kind = "full" if k % 10 == 0 else "open"
        plan.append((offering, kind, start))
    specials = [
        ("roster", published[1], now + timedelta(days=3), 60),
        ("race", paid, now + timedelta(days=5), 50),
    ]
    sessions = Session.objects.bulk_create(
        [
            Session(
                district=district,
                offering=offering,
                school_year=year_of(start.astimezone(tz).date()),
                name=f"Cohort {k}",
                location=f"Room {k % 40}",
                capacity=20 if kind == "full" else 25,
                status=Session.Status.CLOSED if kind == "past" else Session.Status.SCHEDULED,
                starts_at=start,
                ends_at=start + timedelta(days=7, minutes=180),
                minutes=360,
            )
            for k, (offering, kind, start) in enumerate(plan)
        ]
        + [
            Session(
                district=district,
                offering=offering,
                school_year=year_of(start.astimezone(tz).date()),
                name=name,
                capacity=capacity,
                starts_at=start,
                ends_at=start + timedelta(days=7, minutes=180),
                minutes=360,
            )
            for name, offering, start, capacity in specials
        ],
        batch_size=2000,
    )
    roster_session, race_session = sessions[-2:]
    Meeting.objects.bulk_create(
        [
            Meeting(
                district=district,
                session=s,
                starts_at=s.starts_at + timedelta(days=7 * m),
                ends_at=s.starts_at + timedelta(days=7 * m, minutes=180),
                minutes=180,
            )
            for s in sessions
            for m in range(2)
        ],
        batch_size=2000,
    )
    Session.facilitators.through.objects.bulk_create(
        [
            Session.facilitators.through(session_id=s.pk, staff_id=facilitator.pk)
            for s in (roster_session, sessions[n_past + n_soon + 1])
        ]
    )

    # Registrations, round robin over the pool so nobody is in a session twice.
    regs, taken = [], {}
    cursor = 0
    left = args.registrations - 200 - 50 - 60
    base = n_past * 17 + n_soon * 17
    full = sum(1 for _, kind, _ in plan if kind == "full")
    opened = sum(1 for _, kind, _ in plan if kind == "open")
    per_open = max(0, (left - base - full * 25)) / max(opened, 1)
    spare = 0.0
    for s, (_, kind, _) in zip(sessions, plan, strict=False):
        if kind in ("past", "soon"):
            seated, waiting = 17, 0
        elif kind == "full":
            seated, waiting = 20, 5
        else:
            spare += per_open
            seated = min(int(spare), 24)
            spare -= seated
            waiting = 0
        status = Status.COMPLETED if kind == "past" else Status.REGISTERED
        for j in range(seated + waiting):
            person = pool[(cursor + j) % len(pool)]
            regs.append(
                Registration(
                    district=district,
                    session=s,
                    staff=person,
                    school_id=home[person.pk],
                    status=status if j < seated else Status.WAITLISTED,
                    position=None if j < seated else j - seated + 1,
                )
            )
        taken[s.pk] = (cursor, seated + waiting)
        cursor += seated + waiting
    past = sessions[:n_past]
    regs += [
        Registration(district=district, session=s, staff=reader, status=Status.COMPLETED)
        for s in past[:200]
    ]
    ahead = [s for s, (_, kind, _) in zip(sessions, plan, strict=False) if kind == "open"]
    regs += [
        Registration(district=district, session=s, staff=subscriber, status=Status.REGISTERED)
        for s in ahead[:50]
    ]
    regs += [
        Registration(
            district=district, session=roster_session, staff=person, status=Status.REGISTERED
        )
        for person in pool[-60:]
    ]
    regs = Registration.objects.bulk_create(regs, batch_size=2000)
    by_pk = {s.pk: s for s in sessions}
    Completion.objects.bulk_create(
        [
            Completion(
                district=district,
                registration=r,
                staff_id=r.staff_id,
                offering_id=by_pk[r.session_id].offering_id,
                school_year_id=by_pk[r.session_id].school_year_id,
                completed_on=(by_pk[r.session_id].ends_at.astimezone(tz).date()),
                minutes=360,
                clock_hours=Decimal("6.00"),
                category=by_pk[r.session_id].offering.category,
            )
            for r in regs
            if r.status == Status.COMPLETED
        ],
        batch_size=2000,
    )
    feed = CalendarFeed.objects.create(district=district, staff=subscriber)
    return {
        "district": district,
        "admin": admin,
        "staff": len(staff),
        "pool": pool,
        "reader": reader,
        "subscriber": subscriber,
        "facilitator": facilitator,
        "browser": browser,
        "sessions": sessions,
        "plan": plan,
        "taken": taken,
        "roster_session": roster_session,
        "small_roster": sessions[n_past + n_soon + 1],
        "race_session": race_session,
        "registrations": len(regs),
        "offerings": offerings,
        "focus": focus,
        "schools": schools,
        "feed": feed,
        "budget": budget,
    }


def child(args) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cadre.settings")
    django.setup()
    from datetime import timedelta

    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scopes_disabled

    call_command("migrate", verbosity=0)
    from cadre.catalog.models import Meeting, Notice, Registration
    from cadre.catalog.selectors.offerings import recommended
    from cadre.catalog.selectors.transcript import transcript
    from cadre.catalog.services.registration import registration_cancel, registration_create
    from cadre.catalog.tasks import catalog_reminders
    from cadre.catalog.views.transcript_export import pdf_export
    from cadre.districts.access import actor_for
    from cadre.funding.models import LedgerEntry
    from cadre.funding.reconcile import reconcile

    Status = Registration.Status
    with scopes_disabled():
        started = time.perf_counter()
        w = build(args)
        district = w["district"]
        print(
            f"  setup: {w['staff']:,} staff with logins, {len(w['offerings']):,} offerings, "
            f"{len(w['sessions']):,} sessions, {w['registrations']:,} registrations: "
            f"{time.perf_counter() - started:6.1f} s",
            flush=True,
        )
        pool, taken = w["pool"], w["taken"]
        plan, sessions = w["plan"], w["sessions"]
        open_sessions = [
            s for s, (_, kind, _) in zip(sessions, plan, strict=False) if kind == "open"
        ]
        full_sessions = [
            s for s, (_, kind, _) in zip(sessions, plan, strict=False) if kind == "full"
        ]

        # 1. Registrations one at a time: into open sessions (some fill up and waitlist).
        jobs = []
        per = {}
        for i in range(args.registers):
            if i % 5 == 4:  # one in five joins a full session's waitlist
                s = full_sessions[(i * 3) % len(full_sessions)]
            else:
                s = open_sessions[(i * 7) % len(open_sessions)]
            start, n = taken[s.pk]
            r = per.get(s.pk, 0)
            per[s.pk] = r + 1
            jobs.append((s, pool[(start + n + 1 + r) % len(pool)]))
        started = time.perf_counter()
        with Statements(connection) as sql:
            made = [registration_create(session=s, staff=p, actor=p.user) for s, p in jobs]
        seconds = time.perf_counter() - started
        counts = {}
        for r in made:
            counts[r.status] = counts.get(r.status, 0) + 1
        paid = sum(1 for r in made if r.fee_entry_id)
        print(
            f"  {len(made):,} registrations through registration_create, one at a time: "
            f"{seconds:6.1f} s, {len(made) / seconds:,.0f}/s "
            f"({sql.n / len(made):.0f} statements each); {counts.get(Status.REGISTERED, 0):,} "
            f"registered ({paid:,} with a fee encumbered), "
            f"{counts.get(Status.WAITLISTED, 0):,} waitlisted",
            flush=True,
        )

        # 1b. Eight threads racing for one session's seats (PostgreSQL only).
        if connection.vendor == "postgresql":
            race = w["race_session"]
            racers = pool[: THREADS * args.per_thread]
            errors = []

            def work(mine):
                with scopes_disabled():
                    try:
                        for p in mine:
                            registration_create(session=race, staff=p, actor=p.user)
                    except Exception as exc:  # reported below; the counts show any loss
                        errors.append(repr(exc))
                connection.close()

            threads = [
                threading.Thread(target=work, args=(racers[t::THREADS],)) for t in range(THREADS)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            seconds = time.perf_counter() - started
            rows = list(Registration.objects.filter(session=race).values_list("status", "position"))
            seated = sum(1 for st, _ in rows if st in Registration.HOLDS_SEAT)
            waiting = sorted(pos for st, pos in rows if st == Status.WAITLISTED)
            gapless = waiting == list(range(1, len(waiting) + 1))
            print(
                f"  {len(racers):,} registrations for ONE session of {race.capacity} seats from "
                f"{THREADS} threads: {seconds:6.1f} s, {len(racers) / seconds:,.0f}/s; "
                f"{seated} registered, {len(waiting)} waitlisted, "
                f"{'no overbooking' if seated <= race.capacity else 'OVERBOOKED'}, "
                f"positions {'1..' + str(len(waiting)) + ' gapless' if gapless else 'WITH GAPS'}"
                + (f"; errors: {errors[:3]}" if errors else ""),
                flush=True,
            )

        # 2. Cancellations of seats in full sessions: each promotes the first in line.
        admin_user = w["admin"].user
        victims = []
        for s in full_sessions:
            victims += list(
                Registration.objects.filter(session=s, status=Status.REGISTERED).order_by("pk")[:2]
            )
            if len(victims) >= args.cancels:
                break
        victims = victims[: args.cancels]
        before = Registration.objects.filter(
            session__in=[v.session_id for v in victims], status=Status.WAITLISTED
        ).count()
        started = time.perf_counter()
        with Statements(connection) as sql:
            for v in victims:
                registration_cancel(registration=v, actor=admin_user, reason="Bench")
        seconds = time.perf_counter() - started
        after = Registration.objects.filter(
            session__in=[v.session_id for v in victims], status=Status.WAITLISTED
        ).count()
        gaps = 0
        for sid in {v.session_id for v in victims}:
            line = sorted(
                Registration.objects.filter(session_id=sid, status=Status.WAITLISTED).values_list(
                    "position", flat=True
                )
            )
            gaps += line != list(range(1, len(line) + 1))
        print(
            f"  {len(victims):,} cancellations with waitlist promotion (admin): {seconds:6.1f} s, "
            f"{len(victims) / seconds:,.0f}/s ({sql.n / len(victims):.0f} statements each); "
            f"{before - after:,} promoted, {gaps} waitlists with gaps",
            flush=True,
        )

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A live database has planner statistics; bulk-loaded tables have none yet.
                cursor.execute("ANALYZE")

        # 3. The catalogue page and "recommended".
        browser = w["browser"]
        client = Client(HTTP_HOST="localhost")

        def page(label, url):
            client.get(url)  # warm: sessions, content types, templates
            times = []
            for _ in range(3):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
            print(
                f"  {label}: {statistics.median(times) * 1000:6.0f} ms, "
                f"{len(ctx.captured_queries)} queries, {len(response.content) / 1024:,.0f} KB",
                flush=True,
            )
            return response

        client.force_login(browser.user)
        day = district.today()
        focus = w["focus"][0].pk
        school = w["schools"][0].pk
        for label, url in (
            ("catalogue, first page with recommended", "/catalog/"),
            ("catalogue, page 30", "/catalog/?page=30"),
            ("catalogue, search 'literacy'", "/catalog/?q=literacy"),
            ("catalogue, search with no match", "/catalog/?q=zzzz"),
            (
                "catalogue, format + focus + clock hours",
                f"/catalog/?format=in_person&focus={focus}&credit=clock",
            ),
            (
                "catalogue, dates + school + role + subject",
                f"/catalog/?from={day + timedelta(days=10)}&to={day + timedelta(days=40)}"
                f"&school={school}&role=teacher&subject=Math",
            ),
            ("catalogue, district provider + equity", "/catalog/?provider=district&credit=equity"),
        ):
            page(label, url)
        actor = actor_for(browser.user)
        seconds, picks = timed(lambda: recommended(actor))
        with CaptureQueriesContext(connection) as ctx:
            recommended(actor)
        print(
            f"  recommended (selector): {seconds * 1000:6.0f} ms, {len(ctx.captured_queries)} "
            f"queries, {len(picks)} picks",
            flush=True,
        )

        # 4. The transcript of a person with about 200 lines, and its PDF.
        reader = w["reader"]
        actor = actor_for(reader.user)
        seconds, t = timed(lambda: transcript(actor, reader))
        with CaptureQueriesContext(connection) as ctx:
            transcript(actor, reader)
        print(
            f"  transcript selector, {len(t.lines)} lines in {len(t.blocks)} years: "
            f"{seconds * 1000:6.0f} ms, {len(ctx.captured_queries)} queries",
            flush=True,
        )
        seconds, response = timed(lambda: pdf_export(t))
        print(
            f"  transcript PDF build: {seconds * 1000:6.0f} ms, "
            f"{len(response.content) / 1024:,.0f} KB",
            flush=True,
        )
        client.force_login(reader.user)
        page("transcript page", "/catalog/transcript/")

        # 5. The facilitator's roster.
        client.force_login(w["facilitator"].user)
        page(
            f"roster page, {w['roster_session'].capacity}-person session",
            f"/catalog/sessions/{w['roster_session'].pk}/roster/",
        )
        small = w["small_roster"]
        seated = Registration.objects.filter(
            session=small, status__in=Registration.HOLDS_SEAT
        ).count()
        page(f"roster page, {seated}-person session", f"/catalog/sessions/{small.pk}/roster/")

        # 6. The iCalendar feed of a person with 50 sessions.
        client.logout()
        response = page(
            "iCalendar feed, 50 sessions (no login)", f"/catalog/calendar/{w['feed'].token}.ics"
        )
        print(f"    ({response.content.count(b'BEGIN:VEVENT')} events)", flush=True)

        # 7. Meeting reminders: the task the hourly command queues, run twice.
        due = Meeting.objects.filter(
            district=district,
            starts_at__gt=timezone.now(),
            starts_at__lte=timezone.now() + timedelta(hours=district.catalog_reminder_hours),
        ).count()
        mail.outbox = []
        for label in ("meeting reminders", "meeting reminders again (all sent)"):
            started = time.perf_counter()
            with Statements(connection) as sql:
                sent = catalog_reminders.call(district.pk)
            seconds = time.perf_counter() - started
            print(
                f"  {label}, {due} meetings due: {seconds:6.1f} s, {sent:,} emails, "
                f"{len(mail.outbox):,} in the outbox; {sql.n:,} statements",
                flush=True,
            )
            mail.outbox = []
        reminders = Notice.objects.filter(district=district, kind=Notice.Kind.REMINDER).count()
        print(f"    ({reminders:,} reminder notices recorded)", flush=True)

        # 8. The ledger after all that.
        started = time.perf_counter()
        problems = reconcile(district)
        seconds = time.perf_counter() - started
        entries = LedgerEntry.objects.filter(district=district).count()
        print(
            f"  reconcile, {entries:,} ledger entries: {seconds:6.1f} s, "
            f"{len(problems)} problems" + (f": {problems[:3]}" if problems else ""),
            flush=True,
        )


def run(name: str, env: dict, args) -> None:
    print(f"{name}:", flush=True)
    started = time.perf_counter()
    flags = []
    for key in (
        "schools",
        "teachers",
        "offerings",
        "sessions",
        "registrations",
        "registers",
        "per_thread",
        "cancels",
    ):
        flags += [f"--{key.replace('_', '-')}", str(getattr(args, key))]
    subprocess.run(
        [sys.executable, __file__, "--child", *flags],
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
    parser.add_argument("--teachers", type=int, default=29, help="per school")
    parser.add_argument("--offerings", type=int, default=1200)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--registrations", type=int, default=50000, help="built in bulk")
    parser.add_argument("--registers", type=int, default=1000, help="through the service")
    parser.add_argument(
        "--per-thread", type=int, default=50, help=f"registrations per thread, {THREADS} threads"
    )
    parser.add_argument("--cancels", type=int, default=300)
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
    name = f"cadre_bench_catalog_{os.getpid()}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        run("PostgreSQL", {"DATABASE_URL": f"{PG}/{name}"}, args)
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)


if __name__ == "__main__":
    main()
