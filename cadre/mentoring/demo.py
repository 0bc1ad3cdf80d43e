"""The demo district's mentor programme: a coordinator, mentor training and new-teacher
orientation in the catalogue, trained mentors at every school, and the year's new teachers
matched (most active with weeks of logs, some proposed, a few ended and re-matched, some pairs
behind the weekly cadence, a few still unmatched), extended support, onboarding checklists,
last year's pairs, and stipends proposed, approved and paid.

Everything goes through the services, so the catalogue's completions, the ledger and the
audit trail hold. Dates are relative to the day the demo is built, inside the current year.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from cadre.catalog import notices
from cadre.catalog.models import Offering
from cadre.catalog.services import attendance as attending
from cadre.catalog.services import offerings as catalog
from cadre.catalog.services import registration as registering
from cadre.districts import services as districts
from cadre.districts.access import actor_for
from cadre.districts.demo import account
from cadre.districts.models import Assignment, Role, School, SchoolYear, Staff
from cadre.funding.models import FundingSource
from cadre.funding.services import stipends
from cadre.mentoring import services
from cadre.mentoring.demo_data import (
    AVAILABILITY,
    LOGS,
    MINUTES_BEHIND,
    MINUTES_ON_TRACK,
    REFLECTIONS,
)
from cadre.mentoring.models import Match, Mentor, OnboardingTask, Training

Kind = FundingSource.Kind
Reason = Match.EndReason


def _at(district, day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=district.tz)


@dataclass
class Ctx:
    district: object
    rng: object
    today: date
    year: SchoolYear
    last_year: SchoolYear
    coordinator: object  # users
    admin: object
    principal: Staff
    ap: Staff
    business: object
    sources: dict
    school_of: dict[int, School] = field(default_factory=dict)
    load: dict[int, int] = field(default_factory=dict)  # mentor pk -> open matches


def _login(b, staff: Staff) -> None:
    user = staff.user
    user.password = b.password  # the demo password, hashed once for the whole build
    user.save(update_fields=["password"])


def build(b, result) -> None:
    with notices.muted():  # the demo's people have no inboxes
        _build(b, result)


def _build(b, result) -> None:
    district = b.district
    today = district.today()
    years = list(SchoolYear.objects.filter(district=district).order_by("start_date"))
    year = next(y for y in years if y.is_current)
    admin = account(b, "admin")
    coordinator = districts.staff_create(
        district=district,
        actor=admin.user,
        data={
            "employee_id": "E20001",
            "first_name": "Dolores",
            "last_name": "Whitehorse",
            "email": b.email("coordinator"),
            "hire_date": date(2012, 8, 15),
            "contracted_days": 2600,
            "bargaining_unit": "Certificated",
            "subjects": ["English"],
            "grade_bands": ["9-12"],
        },
    )
    _login(b, coordinator)
    districts.assignment_create(
        district=district,
        actor=admin.user,
        data={
            "staff": coordinator,
            "role": Role.MENTOR_COORDINATOR,
            "start_date": date(2024, 7, 1),
        },
    )
    result.accounts.append(("Mentor coordinator", coordinator.email, coordinator.full_name))
    c = Ctx(
        district=district,
        rng=b.rng,
        today=today,
        year=year,
        last_year=years[0] if years[0] != year else None,
        coordinator=coordinator.user,
        admin=admin.user,
        principal=account(b, "principal"),
        ap=account(b, "ap"),
        business=account(b, "business").user,
        sources={s.kind: s for s in FundingSource.objects.filter(district=district)},
    )
    for a in Assignment.objects.filter(
        district=district, role=Role.TEACHER, school__isnull=False
    ).select_related("school"):
        c.school_of.setdefault(a.staff_id, a.school)

    teachers = list(
        Staff.objects.filter(district=district, is_active=True, pk__in=list(c.school_of))
        .select_related("district", "user")
        .order_by("pk")
    )
    newteacher = next(t for t in teachers if t.email == b.email("newteacher"))
    teacher = next(t for t in teachers if t.email == b.email("teacher"))
    new = [t for t in teachers if t.is_new_teacher]
    # Teachers the HR data left out have unknown experience: neither new nor veterans.
    known = [t for t in teachers if t.experience_known]
    second_year = [t for t in known if 180 <= (t.contracted_days or 0) < 360 and t != teacher][:14]
    taken = {t.pk for t in new} | {t.pk for t in second_year} | {teacher.pk}
    veterans = [t for t in known if (t.contracted_days or 0) >= 900 and t.pk not in taken]
    returning = veterans.pop()  # back in the classroom: extended support

    # The mentors: a veteran mathematics teacher at the demo's first school gets a login and
    # mentors the demo's new teacher; then four more there and two or three at every other
    # school, chosen for the subjects its new teachers teach.
    first_school = c.school_of[newteacher.pk]
    mentor_account = next(
        v
        for v in veterans
        if c.school_of[v.pk] == first_school and "Mathematics" in v.subjects and not v.user_id
    )
    mentor_account = districts.staff_update(
        staff=mentor_account, actor=admin.user, data={"email": b.email("mentor")}
    )
    _login(b, mentor_account)
    result.accounts.append(("Mentor", mentor_account.email, mentor_account.full_name))
    chosen = [mentor_account]
    by_school: dict[int, list[Staff]] = {}
    for v in veterans:
        if v.pk != mentor_account.pk and not v.user_id:
            by_school.setdefault(c.school_of[v.pk].pk, []).append(v)
    for school_id, pool in sorted(by_school.items()):
        wanted = [s for t in new if c.school_of[t.pk].pk == school_id for s in t.subjects]
        count = 4 if school_id == first_school.pk else c.rng.choice([2, 3, 3])
        picks = []
        for subject in wanted + [None] * count:
            if len(picks) >= count:
                break
            match = next(
                (v for v in pool if v not in picks and (subject is None or subject in v.subjects)),
                None,
            )
            if match is not None:
                picks.append(match)
        chosen += picks
    # Trained this summer but not (yet) mentoring: the coordinator's candidates; and one who
    # missed a day of the training and has not completed it.
    spare = [v for v in veterans if v not in chosen and not v.user_id]
    candidates, missed = spare[:3], spare[3]
    stepping_down = spare[4]  # mentors one new teacher, then takes a district role

    # The pair sign in to write and reflect on their logs: everyone in the programme gets a
    # login, as a roster import gives one (they choose a password through "forgot password").
    _give_logins([*chosen, stepping_down, *new, *second_year])
    _training(c, account(b, "coach"), chosen, candidates, missed, stepping_down, new)
    mentors = _mentors(c, chosen + [stepping_down])
    _extended(c, teacher, returning)
    if c.last_year is not None:
        _last_year(c, second_year, mentors[: len(mentors) // 2])
    _this_year(c, mentors, new, newteacher, teacher, returning, stepping_down)


def _give_logins(people: list[Staff]) -> None:
    User = get_user_model()
    without = [p for p in people if not p.user_id and p.email]
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(email=p.email.lower(), password=unusable) for p in without]
    )
    for person, user in zip(without, users, strict=True):
        person.user = user
    Staff.objects.bulk_update(without, ["user"])


# --- training ------------------------------------------------------------------------------


def _training(c: Ctx, coach: Staff, mentors, candidates, missed, stepping_down, new) -> None:
    district = c.district
    admin = actor_for(c.admin)
    base = {
        "format": "in_person",
        "structure": "series",
        "roles": ["teacher"],
        "subjects": [],
        "grade_bands": ["9-12"],
        "facilitators": [coach],
        "capacity": 60,
        "category": "general",
        "min_attendance_percent": 80,
    }
    mentoring = catalog.offering_create(
        district=district,
        actor=admin,
        data={
            **base,
            "title": "Mentor training: supporting new teachers",
            "description": "Two days for experienced teachers who will mentor: the new-teacher "
            "year, coaching conversations, observing and giving feedback, and the logs.",
        },
    )
    orientation = catalog.offering_create(
        district=district,
        actor=admin,
        data={
            **base,
            "title": "New-teacher orientation: welcome to Riverbend Union",
            "description": "Two days before school starts: the district, its students and "
            "families, systems and routines, and meeting your mentor.",
            "capacity": 80,
        },
    )
    for offering in (mentoring, orientation):
        catalog.offering_publish(offering=offering, actor=admin)
    services.training_add(
        district=district, actor=c.coordinator, offering=mentoring, kind=Training.Kind.MENTOR
    )
    services.training_add(
        district=district, actor=c.coordinator, offering=orientation, kind=Training.Kind.ORIENTATION
    )
    classroom = Offering.objects.filter(
        district=district,
        title="Classroom management for new teachers: workshop",
        status=Offering.Status.PUBLISHED,
    ).first()
    if classroom is not None:
        services.training_add(
            district=district,
            actor=c.coordinator,
            offering=classroom,
            kind=Training.Kind.ORIENTATION,
        )

    half = (len(mentors) + 1) // 2
    first_day = date(c.year.start_date.year, 8, 13)  # after the last of the summer's hires
    cohorts = [
        (mentoring, "Summer cohort", [first_day - timedelta(days=31 - d) for d in (0, 1)], []),
        (
            mentoring,
            "Back-to-school cohort",
            [first_day - timedelta(days=d) for d in (4, 3)],
            [missed],
        ),
        (orientation, "August orientation", [first_day, first_day + timedelta(days=1)], []),
    ]
    if c.last_year is not None:
        last = date(c.last_year.start_date.year, 8, 5)
        cohorts.insert(0, (mentoring, "2025 cohort", [last, last + timedelta(days=1)], []))
        groups = [mentors[:half], mentors[half:] + [stepping_down], candidates + [missed], new]
    else:
        groups = [mentors[:half], mentors[half:] + [stepping_down] + candidates + [missed], new]
        cohorts = cohorts[1:]
    for (offering, name, days, absent), people in zip(cohorts, groups, strict=True):
        if offering == orientation:
            # Most new teachers came both days; a few missed one and still owe it.
            absent = people[3::9]
        _session(c, admin, offering, name, days, people, absent)


def _session(c: Ctx, admin, offering, name, days, people, absent) -> None:
    session = catalog.session_create(
        offering=offering,
        actor=admin,
        data={"name": name, "location": "District PD Center, room 210"},
    )
    # Each registers themselves, as the people who sign up do.
    regs = registering.registrations_create(session=session, people=people, actor=registering.SELF)
    meetings = [
        catalog.meeting_create(
            session=session,
            actor=admin,
            data={
                "starts_at": _at(c.district, day, 8),
                "ends_at": _at(c.district, day, 15),
                "break_minutes": 60,
                "location": "District PD Center, room 210",
            },
        )
        for day in days
    ]
    absent_ids = {p.pk for p in absent}
    attending.attendance_mark_many(
        session=session,
        marks=[
            (meeting, reg, not (reg.staff_id in absent_ids and i == 1))
            for reg in regs
            for i, meeting in enumerate(meetings)
        ],
        actor=c.admin,
    )
    attending.session_close(session=session, actor=c.admin)


# --- mentors -------------------------------------------------------------------------------


def _mentors(c: Ctx, staff: list[Staff]) -> list[Mentor]:
    out = []
    for i, person in enumerate(staff):
        cap = 3 if i == 0 else c.rng.choice([1, 2, 2, 3, 3, 3, 4, 5])
        mentor = services.mentor_create(
            district=c.district,
            actor=c.coordinator,
            staff=person,
            data={
                "caseload_cap": cap,
                "availability": c.rng.choice(AVAILABILITY) if i else "Tuesdays after school",
            },
        )
        c.load[mentor.pk] = 0
        out.append(mentor)
    return out


def _extended(c: Ctx, teacher: Staff, returning: Staff) -> None:
    services.extended_support_grant(
        district=c.district,
        actor=c.coordinator,
        staff=teacher,
        reason="Just over the 90-day line (mostly substitute days), and in a first contracted "
        "year teaching English 9; the principal asked for a mentor.",
        source=c.sources[Kind.STATE_GRANT],
    )
    services.extended_support_grant(
        district=c.district,
        actor=c.coordinator,
        staff=returning,
        reason="Back in the classroom after eight years as a district TOSA, with a new "
        "course to teach this year.",
        source=c.sources[Kind.GENERAL],
    )


# --- matches -------------------------------------------------------------------------------


def _pick(c: Ctx, mentors: list[Mentor], mentee: Staff, exclude=()) -> Mentor:
    """The mentor a coordinator would choose: same school and subject, then same school,
    then anyone with room; the most spare places first."""
    school = c.school_of.get(mentee.pk)
    subjects = set(mentee.subjects)

    def key(m: Mentor):
        return (
            c.school_of.get(m.staff_id) == school,
            bool(subjects & set(m.staff.subjects)),
            m.caseload_cap - c.load[m.pk],
        )

    room = [
        m for m in mentors if m.is_active and c.load[m.pk] < m.caseload_cap and m.pk not in exclude
    ]
    return max(room, key=key)


def _propose(c: Ctx, mentor: Mentor, mentee: Staff, *, year=None, actor=None, source=None):
    same = c.school_of.get(mentee.pk) == c.school_of.get(mentor.staff_id)
    shared = sorted(set(mentee.subjects) & set(mentor.staff.subjects))
    note = ", ".join(
        [w for w in ["same school" if same else "", "same subject" if shared else ""] if w]
    )
    c.load[mentor.pk] = c.load.get(mentor.pk, 0) + 1
    return services.match_propose(
        district=c.district,
        actor=actor or c.coordinator,
        mentor=mentor,
        mentee=mentee,
        note=(note.capitalize() + ".") if note else "Closest match with room this term.",
        source=source,
        school_year=year,
    )


def _source(c: Ctx):
    roll = c.rng.random()
    if roll < 0.6:
        return c.sources[Kind.TITLE_II_A]
    return c.sources[Kind.STATE_GRANT] if roll < 0.85 else c.sources[Kind.GENERAL]


def _end(c: Ctx, match: Match, reason: str, note: str, on: date) -> Match:
    c.load[match.mentor_id] -= 1
    return services.match_end(
        match=match, actor=c.coordinator, reason=reason, note=note, ended_on=on
    )


def _logs(c: Ctx, match: Match, *, until: date, behind=False, reflects=0.0, every=None):
    """Contacts from the start to `until`: about weekly for a pair on track, every two or
    three weeks (and short) for one behind; the new teacher reflects on some."""
    mentor_user = match.mentor.staff.user
    mentee_user = match.mentee.user
    low, high = every or ((13, 24) if behind else (4, 8))
    day = match.started_on + timedelta(days=c.rng.randint(1, 4))
    rows, reflections = [], []
    while day <= until:
        kind, focus, next_steps = c.rng.choice(LOGS)
        rows.append(
            {
                "met_on": day,
                "minutes": c.rng.choice(MINUTES_BEHIND if behind else MINUTES_ON_TRACK),
                "kind": kind,
                "focus": focus,
                "next_steps": next_steps,
            }
        )
        if c.rng.random() < reflects:
            reflections.append((len(rows) - 1, c.rng.choice(REFLECTIONS)))
        day += timedelta(days=c.rng.randint(low, high))
    made = services.log_create_many(match=match, actor=mentor_user, rows=rows)
    for i, text in reflections:
        services.log_reflect(log=made[i], actor=mentee_user, reflection=text)
    return made


def _last_year(c: Ctx, mentees: list[Staff], mentors: list[Mentor]) -> None:
    """Last year's pairs, for the programme's retention figure: these teachers were new then
    (their days as the roster had them that year); most completed the year, one left."""
    year = c.last_year
    start = date(year.start_date.year, 9, 2)
    end = date(year.end_date.year, 6, 5)
    pairs = []
    for person in mentees:
        then = copy.copy(person)
        then.contracted_days, then.substitute_days = 0, c.rng.randint(0, 40)
        match = _propose(
            c, _pick(c, mentors, then), then, year=year, source=c.sources[Kind.TITLE_II_A]
        )
        started = start + timedelta(days=c.rng.randint(0, 20))
        pairs.append(
            (then, services.match_confirm(match=match, actor=c.coordinator, started_on=started))
        )
    left = []
    for i, (then, match) in enumerate(pairs):
        person = mentees[i]
        if i == 1:  # reassigned in November to a mentor in the same department
            _logs(c, match, until=date(year.start_date.year, 11, 10), every=(14, 21))
            _end(
                c,
                match,
                Reason.REASSIGNED,
                "Moved to a mentor in the same department.",
                date(year.start_date.year, 11, 12),
            )
            mentor = _pick(c, mentors, then, exclude={match.mentor_id})
            match = _propose(c, mentor, then, year=year, source=c.sources[Kind.TITLE_II_A])
            match = services.match_confirm(
                match=match, actor=c.coordinator, started_on=date(year.start_date.year, 11, 13)
            )
        if i == 2:  # left mid-year
            ended = date(year.end_date.year, 2, 13)
            _logs(c, match, until=ended, every=(14, 21))
            _end(c, match, Reason.MENTEE_LEFT, "Resigned to move closer to family.", ended)
            left.append(person)
            continue
        _logs(c, match, until=end, every=(14, 24), reflects=0.2)
        _end(c, match, Reason.COMPLETED, "", end)
    for person in left:
        districts.staff_deactivate(staff=person, actor=c.admin, reason="Resigned, February")


def _this_year(c: Ctx, mentors, new, newteacher, teacher, returning, stepping_down) -> None:
    today, rng = c.today, c.rng
    last_day = min(today, c.year.end_date)
    first_school = c.school_of[newteacher.pk]
    principal_user = c.principal.user
    by_staff = {m.staff_id: m for m in mentors}
    mentor_account = mentors[0]
    regular = [m for m in mentors if m.staff_id != stepping_down.pk]
    english = next(
        (
            m
            for m in regular
            if c.school_of.get(m.staff_id) == first_school and "English" in m.staff.subjects
        ),
        None,
    )

    def start_for(person: Staff) -> date:
        begin = max(person.hire_date or c.year.start_date, date(c.year.start_date.year, 8, 17))
        return min(begin + timedelta(days=rng.randint(3, 30)), last_day - timedelta(days=21))

    others = [t for t in new if t.pk != newteacher.pk]
    rng.shuffle(others)
    first = [t for t in others if c.school_of[t.pk] == first_school]
    elsewhere = [t for t in others if c.school_of[t.pk] != first_school]
    # The plan for each new teacher (most active); the first school's shows every case.
    # first[:1] and elsewhere[:2] stay unmatched past the 30 days: the coordinator's alert.
    proposed = first[1:2] + elsewhere[2:7]
    reassigned, mentor_left, not_confirmed, mentee_left = elsewhere[7:11]
    behind = set(t.pk for t in first[2:3] + elsewhere[11:17])
    active = first[2:] + elsewhere[11:]
    paying: list[Match] = []  # active pairs whose stipends are proposed so far

    def confirm(match, started, source=None):
        return services.match_confirm(
            match=match, actor=c.coordinator, source=source or _source(c), started_on=started
        )

    # The demo's new teacher and the demo mentor: weekly since August, with reflections.
    match = _propose(c, mentor_account, newteacher, actor=principal_user)
    match = confirm(match, start_for(newteacher), c.sources[Kind.TITLE_II_A])
    _logs(c, match, until=last_day, reflects=0.6, every=(5, 8))
    paying.append(match)

    # Extended support: the demo teacher is active with an English mentor at her school; the
    # returning teacher's match waits for the coordinator.
    mentor = english or _pick(c, regular, teacher)
    match = _propose(c, mentor, teacher, actor=principal_user)
    match = confirm(match, last_day - timedelta(days=40), c.sources[Kind.STATE_GRANT])
    _logs(c, match, until=last_day, reflects=0.5)
    _propose(c, _pick(c, regular, returning), returning, source=c.sources[Kind.GENERAL])

    for person in active:
        mentor = _pick(c, regular, person)
        actor = principal_user if c.school_of[person.pk] == first_school else None
        match = confirm(_propose(c, mentor, person, actor=actor), start_for(person))
        slow = person.pk in behind
        _logs(c, match, until=last_day, behind=slow, reflects=0 if slow else rng.choice([0, 0.3]))
        if len(paying) < 8 and not slow:
            paying.append(match)
    for person in proposed:
        actor = principal_user if c.school_of[person.pk] == first_school else None
        _propose(c, _pick(c, regular, person), person, actor=actor, source=_source(c))

    ended: list[Match] = []
    # Reassigned after a month to a mentor in the same department.
    started = start_for(reassigned)
    match = confirm(_propose(c, _pick(c, regular, reassigned), reassigned), started)
    switch = min(started + timedelta(days=30), last_day - timedelta(days=10))
    _logs(c, match, until=switch - timedelta(days=1))
    ended.append(
        _end(c, match, Reason.REASSIGNED, "Moved to a mentor who teaches the same course.", switch)
    )
    mentor = _pick(c, regular, reassigned, exclude={match.mentor_id})
    match = confirm(_propose(c, mentor, reassigned), switch)
    _logs(c, match, until=last_day)

    # The mentor who took a role at the district office mid-term.
    started = start_for(mentor_left)
    match = confirm(_propose(c, by_staff[stepping_down.pk], mentor_left), started)
    left_on = max(started + timedelta(days=14), last_day - timedelta(days=25))
    _logs(c, match, until=left_on)
    ended.append(
        _end(c, match, Reason.MENTOR_LEFT, "Took a TOSA role at the district office.", left_on)
    )
    services.mentor_update(
        mentor=by_staff[stepping_down.pk],
        actor=c.coordinator,
        data={"is_active": False, "is_available": False, "availability": ""},
    )
    match = confirm(_propose(c, _pick(c, regular, mentor_left), mentor_left), left_on)
    _logs(c, match, until=last_day)

    # Proposed to a mentor whose schedule did not allow it, then matched with another.
    started = start_for(not_confirmed)
    first_try = _propose(c, _pick(c, regular, not_confirmed), not_confirmed)
    _end(
        c,
        first_try,
        Reason.NOT_CONFIRMED,
        "Coaches two sports this season; no time to meet.",
        started - timedelta(days=3),
    )
    mentor = _pick(c, regular, not_confirmed, exclude={first_try.mentor_id})
    match = confirm(_propose(c, mentor, not_confirmed), started)
    _logs(c, match, until=last_day)

    # A new teacher who resigned a few weeks ago.
    started = start_for(mentee_left)
    match = confirm(_propose(c, _pick(c, regular, mentee_left), mentee_left), started)
    gone = max(started + timedelta(days=21), last_day - timedelta(days=14))
    _logs(c, match, until=gone)
    ended.append(_end(c, match, Reason.MENTEE_LEFT, "Resigned to move out of state.", gone))

    _caseloads(c, regular)
    _onboarding(c, [newteacher, *first, *elsewhere, teacher], first_school)
    _stipends(c, ended + paying, ended)
    districts.staff_deactivate(staff=mentee_left, actor=c.admin, reason="Resigned")


def _caseloads(c: Ctx, mentors: list[Mentor]) -> None:
    """Full mentors stop taking new mentees; one lowered her cap below her caseload (the
    over-cap alert)."""
    full = [m for m in mentors if c.load[m.pk] >= m.caseload_cap]
    for mentor in full[1:4]:
        services.mentor_update(
            mentor=mentor,
            actor=c.coordinator,
            data={"is_available": False, "availability": "Full for this year"},
        )
    active = {m.pk: services.caseload(m) for m in mentors[1:]}
    heavy = max(mentors[1:], key=lambda m: (active[m.pk], -m.pk))
    if active[heavy.pk] >= 2:
        services.mentor_update(
            mentor=heavy,
            actor=c.coordinator,
            data={"caseload_cap": active[heavy.pk] - 1, "is_available": False},
        )
    for mentor in [m for m in mentors if c.load[m.pk] == 0][:1]:
        services.mentor_update(
            mentor=mentor,
            actor=c.coordinator,
            data={"is_available": False, "availability": "On leave until January"},
        )


def _onboarding(c: Ctx, people: list[Staff], first_school: School) -> None:
    """The principal's checklists at the first school (the assistant principal opened one);
    the coordinator opened most others. Earlier steps are done, later ones still open."""
    services.onboarding_item_create(
        district=c.district,
        actor=c.coordinator,
        data={"title": "First meeting with the mentor", "position": 5},
    )
    at_first_count = 0
    for i, person in enumerate(people):
        if not person.is_active:
            continue
        at_first = c.school_of.get(person.pk) == first_school
        if not at_first and c.rng.random() < 0.35:
            continue
        opener = c.coordinator
        if at_first:
            at_first_count += 1
            opener = c.ap.user if at_first_count == 3 else c.principal.user
        checklist = services.checklist_open(district=c.district, actor=opener, staff=person)
        tasks = list(OnboardingTask.objects.filter(checklist=checklist).order_by("position"))
        for task in tasks[: c.rng.randint(0 if i else 3, len(tasks))]:
            services.task_mark(task=task, actor=opener, done=True)


def _stipends(c: Ctx, matches: list[Match], ended: list[Match]) -> None:
    """Stipends for the ended pairs and some active ones: most approved, the ended pairs'
    and two active pairs' paid in a payroll batch."""
    paid = []
    for i, match in enumerate(matches):
        awards = services.match_stipends(match=match, actor=c.coordinator)
        if i < len(ended) + 5:
            awards = [stipends.award_approve(award=a, actor=c.admin) for a in awards]
            if i < len(ended) + 2:
                paid += awards
    stipends.payroll_batch_create(
        district=c.district,
        actor=c.business,
        awards=paid,
        paid_on=max(c.year.start_date, c.today - timedelta(days=3)),
    )
