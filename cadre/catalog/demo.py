"""The demo district's catalogue: partners with contacts and agreements, 120 offerings (30
topics, each as a workshop, a webinar, a self-paced course and a series), sessions across the
year, and registrations, attendance and completions that a district would have by late
autumn. Everything goes through the services, so seats, the ledger, the audit trail and the
transcripts hold.

Dates are relative to the day the demo is built: past sessions are closed with their credit
awarded, upcoming ones take registrations, one is full with a waitlist, one needs approval.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from cadre.catalog import notices
from cadre.catalog.demo_data import PARTNERS, TOPICS, VARIANTS
from cadre.catalog.models import Offering, Registration, Session
from cadre.catalog.services import attendance as attending
from cadre.catalog.services import offerings as catalog
from cadre.catalog.services import registration as registering
from cadre.catalog.services import transcript as transcripts
from cadre.districts.access import actor_for
from cadre.districts.demo import account
from cadre.districts.models import Assignment, Role, School, SchoolYear, Staff
from cadre.funding.models import FundingSource
from cadre.planning.models import Goal

D = Decimal
ONLINE = {"live_online", "virtual_coaching"}
DESCRIPTION = (
    "{title}. Participants learn the research behind the practice, see it modelled, plan how "
    "to use it in their own classes, and leave with ready-to-use materials."
)


def _at(district, day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=district.tz)


def build(b, result) -> None:
    with notices.muted():  # the demo's people have no inboxes
        _build(b)


def _build(b) -> None:
    district = b.district
    rng = b.rng
    today = district.today()
    admin = actor_for(account(b, "admin").user)  # the catalogue services take either
    admin_user = admin.user
    principal = account(b, "principal")
    teacher = account(b, "teacher")
    coach = account(b, "coach")
    first_school = principal.assignments.get().school

    focus = {f.name: f for f in catalog.focus_areas_ensure(district)}
    partners = {}
    year_start = (
        today.replace(month=7, day=1)
        if today.month >= 7
        else today.replace(year=today.year - 1, month=7, day=1)
    )
    for key, name, kind, website, contact, agreement in PARTNERS:
        partner = catalog.partner_create(
            district=district,
            actor=admin,
            data={"name": name, "kind": kind, "website": website, "description": ""},
        )
        person, title, email = contact
        catalog.contact_create(
            partner=partner,
            actor=admin,
            data={"name": person, "title": title, "email": email.format(domain=b.domain)},
        )
        a_title, scope, cost, credit_kind, credits = agreement
        catalog.agreement_create(
            partner=partner,
            actor=admin,
            data={
                "title": a_title,
                "start_date": year_start,
                "end_date": year_start.replace(year=year_start.year + 1) - timedelta(days=1),
                "scope": scope,
                "cost": cost,
                "credit_kind": credit_kind,
                "credits": credits,
            },
        )
        partners[key] = partner

    goals = {
        g.code: g
        for g in Goal.objects.filter(
            district=district, plan__level="district", plan__status="published"
        )
    }
    sources = {s.kind: s for s in FundingSource.objects.filter(district=district)}
    # Every session is of the current school year until its first meeting says otherwise.
    current = SchoolYear.objects.get(district=district, is_current=True)
    # The demo coach account facilitates the first topic's runs, so it has rosters to take.
    coaches = [coach] + [
        a.staff
        for a in Assignment.objects.filter(district=district, role=Role.INSTRUCTIONAL_COACH)
        .exclude(staff=coach)
        .select_related("staff")
    ]
    teachers = list(
        Staff.objects.filter(
            district=district,
            is_active=True,
            assignments__role=Role.TEACHER,
            assignments__school__isnull=False,
        )
        .exclude(pk=teacher.pk)
        .distinct()
        .order_by("pk")
    )

    sessions: list[tuple[Session, str]] = []  # (session, "past" | "upcoming" | "self")
    for t, (title, areas, codes, partner_key, subjects, roles, category) in enumerate(TOPICS):
        for v, (suffix, fmt, structure, count, minutes) in enumerate(VARIANTS):
            if v == 1 and t % 5 == 4:
                suffix, fmt = " (virtual coaching)", "virtual_coaching"
            fee = D(0)
            source = None
            if partner_key in {"solution_tree", "kagan", "wellness"} and fmt != "self_paced":
                fee = D(rng.choice([75, 120, 149, 249]))
                source = sources.get(FundingSource.Kind.TITLE_II_A)
            credit_kind, credits = "", D(0)
            if partner_key in {"wwu", "equity"} and fmt == "blended":
                # University credit, paid by the participant (from ISD, say).
                fee = D(350)
                credit_kind, credits = (
                    ("quarter", D(2))
                    if partner_key == "wwu"
                    else (
                        "semester",
                        D(1),
                    )
                )
            offering = catalog.offering_create(
                district=district,
                actor=admin,
                data={
                    "title": f"{title}{suffix}",
                    "description": DESCRIPTION.format(title=title),
                    "format": fmt,
                    "structure": structure,
                    "roles": roles,
                    "subjects": subjects,
                    "grade_bands": ["9-12"],
                    "focus_areas": [focus[a] for a in areas if a in focus],
                    "goals": [goals[c] for c in codes if c in goals],
                    "partner": partners.get(partner_key),
                    "facilitators": [coaches[(t + v) % len(coaches)]],
                    "cost": fee,
                    "source": source,
                    "approval": "supervisor" if t % 7 == 3 and v == 0 else "none",
                    "capacity": 12 if t == 0 and v == 0 else rng.choice([20, 25, 30, 40]),
                    "category": category,
                    "credit_kind": credit_kind,
                    "credits": credits,
                    "min_attendance_percent": 80,
                },
            )
            if (t + v) % 29 == 28:
                continue  # a few drafts still being written
            catalog.offering_publish(offering=offering, actor=admin)
            if fmt == "self_paced":
                session = catalog.session_create(
                    offering=offering,
                    actor=admin,
                    data={"name": "Open enrolment", "school_year": current},
                )
                catalog.meetings_create(
                    session=session,
                    actor=admin,
                    data=[{"title": f"Module {m + 1}", "minutes": minutes} for m in range(count)],
                )
                sessions.append((session, "self"))
                continue
            room = f"District PD Center, room {100 + t}"
            join = f"https://meet.example.org/{b.label}-{t}-{v}"
            past_day = today - timedelta(days=14 + (t * 5 + v * 3) % 70)
            next_day = today + timedelta(days=3 + (t * 4 + v * 5) % 100)
            plan = [("past", past_day), ("upcoming", next_day)]
            if fmt == "blended":
                plan = [("upcoming", today - timedelta(days=20 + t % 10))]
            for when, day in plan:
                session = catalog.session_create(
                    offering=offering,
                    actor=admin,
                    data={
                        "name": "Fall" if when == "past" else "Winter",
                        "location": "" if fmt in ONLINE else room,
                        "facilitators": [coaches[(t + v) % len(coaches)]],
                        "school_year": current,
                    },
                )
                sessions.append((session, when))
                start_hour = 16 if fmt in ONLINE else 8
                meetings = []
                for m in range(count):
                    day_m = day + timedelta(days=21 * m)
                    meetings.append(
                        {
                            "starts_at": _at(district, day_m, start_hour, 30),
                            "ends_at": _at(district, day_m, start_hour, 30)
                            + timedelta(minutes=minutes + (30 if minutes >= 180 else 0)),
                            "break_minutes": 30 if minutes >= 180 else 0,
                            "join_url": join if fmt != "in_person" else "",
                            "location": "" if fmt in ONLINE else room,
                        }
                    )
                session.demo_meetings = meetings  # added after the registrations

    people = iter(_cycle(teachers, rng))
    teacher_done = False  # the demo teacher completes one past workshop
    for session, when in sessions:
        offering = session.offering
        if when == "self":
            _fill(session, people, rng.randint(4, 12))
            continue
        size = min(session.capacity, rng.randint(6, 18))
        if offering.title.startswith(TOPICS[0][0]) and offering.format == "in_person":
            size = session.capacity + 5 if when == "upcoming" else size  # full, with a waitlist
        teachers_turn = when == "past" and not teacher_done and offering.format == "in_person"
        if teachers_turn:
            size = min(size, session.capacity - 1)  # her seat, whatever the draw
        _fill(session, people, size)
        if teachers_turn:
            registering.registration_create(session=session, staff=teacher, actor=teacher.user)
            teacher_done = True
        catalog.meetings_create(session=session, actor=admin, data=session.demo_meetings)
        session.refresh_from_db()
        if when == "past":
            marks = []
            meetings = list(session.meetings.all())
            for reg in session.registrations.filter(status=Registration.Status.REGISTERED):
                for meeting in meetings:
                    # The demo teacher is always there: she completes the workshop.
                    present = rng.random() < 0.9 or reg.staff_id == teacher.pk
                    marks.append((meeting, reg, present))
            # The facilitator's roster for the whole session, marked at once.
            attending.attendance_mark_many(session=session, marks=marks, actor=admin_user)
            attending.session_close(session=session, actor=admin_user)

    _approvals(district, sessions, people, principal, teacher)
    _the_teacher(district, sessions, teacher)
    _whole_group(district, principal, first_school)
    _external_hours(district, teacher, principal)


def _cycle(people: list[Staff], rng):
    while True:
        order = people[:]
        rng.shuffle(order)
        yield from order


def _fill(session: Session, people, n: int) -> None:
    """`n` draws of people who sign up for the session themselves (a person drawn twice signs
    up once), taken in as one list."""
    taken: dict[int, Staff] = {}
    for _ in range(n):
        person = next(people)
        taken.setdefault(person.pk, person)
    registering.registrations_create(
        session=session, people=list(taken.values()), actor=registering.SELF
    )


def _approvals(district, sessions, people, principal, teacher) -> None:
    """Requests waiting for principals on the offerings that need approval. At the demo
    principal's school, four teachers ask for the first such session: one is approved, one
    denied, and two wait."""
    school_id = principal.assignments.get().school_id
    asking = [
        a.staff
        for a in Assignment.objects.filter(
            district=district, school_id=school_id, role=Role.TEACHER
        )
        .exclude(staff=teacher)
        .select_related("staff")
        .order_by("staff_id")
    ]
    first = True
    for session, when in sessions:
        if when != "upcoming" or session.offering.approval == Offering.Approval.NONE:
            continue
        if first:
            first = False
            held = set(session.registrations.values_list("staff_id", flat=True))
            for person in [p for p in asking if p.pk not in held][:4]:
                registering.registration_create(session=session, staff=person, actor=person.user)
        mine = list(
            session.registrations.filter(
                status=Registration.Status.REQUESTED, school_id=school_id
            ).order_by("pk")
        )
        if mine:
            registering.registration_approve(registration=mine[0], actor=principal.user)
        if len(mine) > 1:
            registering.registration_deny(
                registration=mine[1],
                actor=principal.user,
                reason="We have this in our own PLC plan this semester.",
            )


def _the_teacher(district, sessions, teacher) -> None:
    """The demo teacher (who completed a past workshop above): two upcoming sessions, a place
    on a waitlist, and a self-paced course half done."""
    upcoming = [s for s, w in sessions if w == "upcoming" and s.offering.approval == "none"]
    selfpaced = [s for s, w in sessions if w == "self"]
    full = next(
        (
            s
            for s in upcoming
            if s.registrations.filter(status=Registration.Status.WAITLISTED).exists()
        ),
        None,
    )
    if full is not None:
        registering.registration_create(session=full, staff=teacher, actor=teacher.user)
    for session in upcoming[:2]:
        if session != full:
            registering.registration_create(session=session, staff=teacher, actor=teacher.user)
    credit = next(
        (s for s, w in sessions if s.offering.credit_kind and not s.offering.source), None
    )
    if credit is not None:
        # The university-credit fee comes from the teacher's ISD allotment.
        from cadre.growth import services as growth

        growth.isd_request_create(
            staff=teacher,
            actor=teacher.user,
            data={
                "offering": credit.offering,
                "start_date": credit.starts_at.astimezone(district.tz).date(),
                "end_date": credit.ends_at.astimezone(district.tz).date(),
                "hours": D(6),
                "rationale": "Graduate credit toward my reading endorsement.",
            },
        )
    if selfpaced:
        reg = registering.registration_create(
            session=selfpaced[0], staff=teacher, actor=teacher.user
        )
        for module in list(selfpaced[0].meetings.all())[:2]:
            attending.module_attest(
                meeting=module,
                registration=reg,
                actor=teacher.user,
                evidence="Watched the videos and wrote the reflection in my notebook.",
            )


def _whole_group(district, principal, school: School) -> None:
    """The demo principal assigns a day of whole-school learning to Riverbend High's staff."""
    offering = catalog.offering_create(
        district=district,
        actor=actor_for(principal.user),
        data={
            "title": "Riverbend High: belonging and safety day",
            "description": "The whole staff's day on advisory, restorative circles and safety.",
            "format": "in_person",
            "structure": "workshop",
            "school": school,
            "capacity": 400,
            "category": "general",
        },
    )
    catalog.offering_publish(offering=offering, actor=actor_for(principal.user))
    session = catalog.session_create(
        offering=offering,
        actor=actor_for(principal.user),
        data={"name": "Staff day", "location": "Riverbend High library", "capacity": 400},
    )
    day = district.today() + timedelta(days=30)
    catalog.meeting_create(
        session=session,
        actor=actor_for(principal.user),
        data={
            "starts_at": _at(district, day, 8),
            "ends_at": _at(district, day, 15),
            "break_minutes": 60,
        },
    )
    registering.session_assign(session=session, actor=principal.user, school=school)


def _external_hours(district, teacher, principal) -> None:
    """The demo teacher's conference hours: one approved, one waiting for the principal."""
    today = district.today()
    entries = [
        ("State reading conference", "State Literacy Association", 12, "general"),
        ("Equity in math summit", "Center for Equity in Education", 6, "equity"),
    ]
    for i, (title, provider, hours, category) in enumerate(entries):
        entry = transcripts.external_hours_create(
            staff=teacher,
            actor=teacher.user,
            data={
                "title": title,
                "provider": provider,
                "completed_on": today - timedelta(days=40 + 10 * i),
                "hours": D(hours),
                "category": category,
                "evidence": "Certificate of attendance, number 2026-" + str(4410 + i),
            },
        )
        if i == 0:
            transcripts.external_hours_approve(entry=entry, actor=principal.user)
