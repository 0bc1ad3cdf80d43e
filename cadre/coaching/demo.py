"""The demo district's coaching and observation: the district's rubric (four domains, ten
components, four levels each with its descriptor), look-fors for five catalogue offerings,
coaching cycles by every school's instructional coach in every stage (the demo coach has one
of each, and coaches the demo teacher), coaching observations rated on the rubric, mentor
observations by the mentor programme's mentors, peer visits in every state, and follow-up
walkthroughs of the teachers who took the offerings, month by month, whose look-for marks give
implementation rates that rise for some strategies and hold for others. The demo teacher and
new teacher each have an observation shared with them to acknowledge.

Every step goes through the services, as the people who take it would, on the day it happened
(`demo.on`): the services keep the rules (the coaching observer is the cycle's coach, a peer
observation follows an accepted visit, a mentor observes a mentee in an active match, a
walkthrough is by a leader or coach, no one observes themselves) and write the audit trail,
which carries no coaching content. What is said and looked for is in `demo_data.py`. Dates are
relative to the day the demo is built; the randomness is seeded.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q
from django.utils import timezone

from cadre.catalog.models import Offering, Registration
from cadre.coaching.demo_data import (
    COMMENTS,
    DECLINES,
    EVIDENCE,
    LABELS,
    LOOK_FORS,
    MENTOR_NOTES,
    PEER_FOCI,
    PERIODS,
    READING,
    RUBRIC,
    RUBRIC_DESCRIPTION,
    RUBRIC_NAME,
    THEMES,
    WALKTHROUGH_NOTES,
)
from cadre.coaching.models import (
    Component,
    Cycle,
    LookFor,
    LookForItem,
    Observation,
    Rubric,
    Visit,
)
from cadre.coaching.services import cycles, lookfors, observations, peer_visits, rubrics
from cadre.districts import demo
from cadre.districts.demo import SEED
from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
from cadre.growth.models import ProfessionalGoal
from cadre.mentoring.models import Match

S = Cycle.Stage
Status = Observation.Status


def _at(district: District, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=district.tz)


def _school_day(day: date) -> bool:
    if day.weekday() >= 5:
        return False
    first = date(day.year, 11, 1)
    thanks = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if thanks - timedelta(days=3) <= day <= thanks + timedelta(days=1):
        return False
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2):
        return False
    return not (day.month == 3 and 23 <= day.day <= 27)


def _back(day: date) -> date:
    """The school day on or before `day`."""
    while not _school_day(day):
        day -= timedelta(days=1)
    return day


def _ahead(day: date) -> date:
    while not _school_day(day):
        day += timedelta(days=1)
    return day


def _near(day: date, latest: date) -> date:
    """The school day on or after `day`, or the one before it if that is after `latest`."""
    ahead = _ahead(day)
    return ahead if ahead <= latest else _back(day)


@dataclass
class Roster:
    school: School
    principal: Staff | None = None
    ap: Staff | None = None
    coach: Staff | None = None
    teachers: list[Staff] = field(default_factory=list)

    @property
    def leads(self) -> list[Staff]:
        """Who may walk through this school's classrooms: its leaders and its coach."""
        return [p for p in (self.principal, self.ap, self.coach) if p is not None]


def _rosters(district: District, today: date) -> tuple[list[Roster], dict[int, Roster]]:
    schools = list(School.objects.filter(district=district).order_by("code"))
    rosters = {s.pk: Roster(school=s) for s in schools}
    of: dict[int, Roster] = {}
    assignments = (
        Assignment.objects.current(today)
        .filter(district=district, school__isnull=False, staff__is_active=True)
        .select_related("staff__user")
        .order_by("staff_id", "pk")
    )
    for a in assignments:
        roster = rosters[a.school_id]
        if a.role == Role.PRINCIPAL:
            roster.principal = roster.principal or a.staff
        elif a.role == Role.ASSISTANT_PRINCIPAL:
            roster.ap = roster.ap or a.staff
        elif a.role == Role.INSTRUCTIONAL_COACH:
            roster.coach = roster.coach or a.staff
        elif a.role == Role.TEACHER and a.staff_id not in of:
            of[a.staff_id] = roster
            roster.teachers.append(a.staff)
    return [rosters[s.pk] for s in schools], of


@dataclass
class Ctx:
    district: District
    rng: random.Random
    today: date
    now: datetime
    year: SchoolYear
    last_year: SchoolYear | None
    accounts: dict[str, Staff]
    rosters: list[Roster]
    school_of: dict[int, Roster]
    components: dict[str, Component]
    rubric: Rubric
    label: str  # the district's short name, for its meeting rooms
    offerings: dict[int, Offering] = field(default_factory=dict)
    attended: list[tuple[int, int, str, date | None]] = field(default_factory=list)

    def at(self, day: date, hour: int, minute: int = 0):
        """Take the steps inside on `day` at that hour (or now, if that is later than now)."""
        return demo.on(_at(self.district, day, hour, minute))

    def observe(
        self,
        *,
        status: str,
        observed_on: date,
        kind: str,
        observer: Staff,
        text: dict,
        ratings: list[tuple[str, int]] = (),
        marks: list[tuple[LookForItem, bool]] = (),
        comment: str = "",
        **fields,
    ) -> Observation:
        """An observation written on the day, then as of today `status`: shared the
        afternoon it was made (or the next day), acknowledged by the teacher a few days
        later."""
        actor = observer.user
        with self.at(observed_on, 10, self.rng.randint(0, 59)):
            obs = observations.observation_create(
                district=self.district,
                actor=actor,
                kind=kind,
                observer=observer,
                observed_on=observed_on,
                **fields,
                data=text,
                ratings={
                    self.components[code].pk: {"level": level, "evidence": EVIDENCE[code]}
                    for code, level in ratings
                },
                marks={item.pk: seen for item, seen in marks},
            )
        if status == Status.DRAFT:
            return obs
        day = observed_on + timedelta(days=self.rng.choice([0, 0, 1]))
        shared = _at(self.district, day, 16, self.rng.randint(0, 59))
        with demo.on(shared):
            obs = observations.observation_share(observation=obs, actor=actor)
        if status == Status.ACKNOWLEDGED:
            later = shared + timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 5))
            with demo.on(later):
                obs = observations.observation_acknowledge(
                    observation=obs, actor=obs.teacher.user, comment=comment
                )
        return obs


def build(b, result) -> None:
    district = b.district
    today = district.today()
    years = list(SchoolYear.objects.filter(district=district).order_by("start_date"))
    year = next(y for y in years if y.is_current)
    accounts = {
        s.email.split("@")[0]: s
        for s in Staff.objects.filter(district=district, email__endswith=f"@{b.domain}")
        .exclude(user=None)
        .select_related("user")
    }
    rosters, school_of = _rosters(district, today)
    rubric, components = _rubric(district, accounts["admin"])
    c = Ctx(
        district=district,
        label=b.label,
        rng=random.Random(f"{SEED}:coaching"),
        today=today,
        now=timezone.now(),
        year=year,
        last_year=next((y for y in reversed(years) if y.end_date < year.start_date), None),
        accounts=accounts,
        rosters=rosters,
        school_of=school_of,
        components=components,
        rubric=rubric,
    )
    c.attended = _attended(c)
    c.offerings = {o.pk: o for o in Offering.objects.filter(district=district)}
    look_fors = _look_fors(c)
    _cycles(c)
    _mentor_observations(c)
    _visits(c)
    _walkthroughs(c, look_fors)


# --- tools ---------------------------------------------------------------------------------


def _attended(c: Ctx) -> list[tuple[int, int, str, date | None]]:
    """Who registered for an offering on one of the topics coached and looked for here:
    (staff, offering, topic, the day its session began, if it has a date), earliest first."""
    topics = sorted({t.topic for t in THEMES if t.topic} | {lf[2] for lf in LOOK_FORS})
    on_topic = Q()
    for topic in topics:
        on_topic |= Q(session__offering__title__startswith=topic)
    rows = (
        Registration.objects.filter(
            on_topic,
            district=c.district,
            status__in=["registered", "completed", "incomplete"],
            session__offering__status=Offering.Status.PUBLISHED,
        )
        .order_by(F("session__starts_at").asc(nulls_last=True), "pk")
        .values_list(
            "staff_id", "session__offering_id", "session__offering__title", "session__starts_at"
        )
    )
    out = []
    for staff_id, offering_id, title, starts in rows:
        topic = next(t for t in topics if title.startswith(t))
        day = starts.astimezone(c.district.tz).date() if starts else None
        out.append((staff_id, offering_id, topic, day))
    return out


def _rubric(district: District, admin: Staff) -> tuple[Rubric, dict[str, Component]]:
    """The district's rubric, as an administrator sets it up: the rubric, then its domains,
    then each component with its four described levels."""
    actor = admin.user
    rubric = rubrics.rubric_create(
        district=district,
        actor=actor,
        data={"name": RUBRIC_NAME, "description": RUBRIC_DESCRIPTION, "is_active": True},
    )
    components = {}
    for number, name, parts in RUBRIC:
        domain = rubrics.domain_create(
            rubric=rubric, actor=actor, data={"number": number, "name": name}
        )
        for code, title, levels in parts:
            components[code] = rubrics.component_create(
                domain=domain,
                actor=actor,
                data={"code": code, "name": title},
                levels=[
                    {"label": label, "descriptor": descriptor}
                    for label, descriptor in zip(LABELS, levels, strict=True)
                ],
            )
    return rubric, components


@dataclass
class Tool:
    look_for: LookFor
    items: list[LookForItem]
    topic: str
    start: float
    growth: float


def _look_fors(c: Ctx) -> list[Tool]:
    """The demo coach's look-fors, each for the workshop on its topic, with their items."""
    titles = [f"{topic}: workshop" for _, _, topic, _, _, _ in LOOK_FORS]
    workshops = {
        o.title: o
        for o in Offering.objects.filter(
            district=c.district, title__in=titles, status=Offering.Status.PUBLISHED
        )
    }
    tools = []
    for title, strategy, topic, texts, start, growth in LOOK_FORS:
        look_for = lookfors.look_for_create(
            district=c.district,
            actor=c.accounts["coach"].user,
            data={
                "title": title,
                "strategy": strategy,
                "offering": workshops.get(f"{topic}: workshop"),
                "is_active": True,
            },
            items=texts,
        )
        items = list(look_for.items.order_by("position"))
        tools.append(Tool(look_for, items, topic, start, growth))
    return tools


# --- coaching cycles -------------------------------------------------------------------------


def _cycles(c: Ctx) -> None:
    rng = c.rng
    goals = {
        g.staff_id: g
        for g in ProfessionalGoal.objects.filter(
            district=c.district, school_year=c.year, status="approved"
        ).order_by("pk")
    }
    taken: dict[tuple[int, str], int] = {}  # (teacher, topic) -> the offering they took
    for staff_id, offering_id, topic, _ in c.attended:
        taken.setdefault((staff_id, topic), offering_id)
    workshops = {
        title.removesuffix(": workshop"): pk
        for pk, title in Offering.objects.filter(
            district=c.district,
            title__in=[f"{t.topic}: workshop" for t in THEMES if t.topic],
            status=Offering.Status.PUBLISHED,
        ).values_list("pk", "title")
    }
    teacher = c.accounts["teacher"]
    skip = {p.pk for p in c.accounts.values()}
    n = 0
    for s, roster in enumerate(c.rosters):
        coach = roster.coach
        if coach is None:
            continue
        pool = [t for t in roster.teachers if t.pk not in skip]
        rng.shuffle(pool)
        # Unknown experience (left out of the HR data) is not early-career.
        early = [t for t in pool if t.experience_known and (t.contracted_days or 0) < 4 * 180]
        rest = [t for t in pool if t not in early]
        if s == 0:
            stages = [S.GOAL_SETTING, S.PRE_CONFERENCE, S.OBSERVATION, S.DEBRIEF, S.REFLECTION]
            stages += [S.CLOSED, S.CLOSED, S.OBSERVATION]
        else:
            stages = rng.choices(
                [
                    S.GOAL_SETTING,
                    S.PRE_CONFERENCE,
                    S.OBSERVATION,
                    S.DEBRIEF,
                    S.REFLECTION,
                    S.CLOSED,
                ],
                [2, 2, 3, 2, 2, 4],
                k=rng.randint(3, 6),
            )
        chosen = (early[:3] + rest)[: len(stages)]
        if s == 0:
            chosen[3:3] = [teacher]  # the demo teacher: debrief, observation to acknowledge
            chosen = chosen[: len(stages)]
        for i, (stage, person) in enumerate(zip(stages, chosen, strict=False)):
            theme = READING if person == teacher else rng.randrange(len(THEMES))
            if person in early and rng.random() < 0.5:
                theme = 2  # routines, for teachers early in their careers
            n += 1
            # The demo coach's: one by video link, and one observation made and one not yet.
            mine = {"virtual": i == 6, "observed": i == 2} if s == 0 else {}
            _cycle(
                c, coach, person, roster, stage, THEMES[theme], n, goals, taken, workshops, **mine
            )
        # Last year's: closed, a few per coach (the demo coach's with the demo teacher).
        if c.last_year is None:
            continue
        before = [
            t
            for t in rest
            if t.hire_date and t.hire_date < c.last_year.start_date and t not in chosen
        ]
        past = ([teacher] if s == 0 else []) + before[: rng.randint(1, 2)]
        for person in past:
            n += 1
            theme = 1 if person == teacher else rng.randrange(len(THEMES))
            _cycle(
                c, coach, person, roster, S.CLOSED, THEMES[theme], n, {}, {}, workshops, last=True
            )


def _cycle(
    c, coach, person, roster, stage, theme, n, goals, taken, workshops, *, last=False, **mine
):
    """One cycle taken to `stage` by its coach, step by step on the days they happened: the
    pre-conference notes from the observation on, the coaching observation (a draft, then
    shared, then acknowledged), the debrief notes from the reflection on, and the teacher's
    reflection at the end."""
    rng, today = c.rng, c.today
    year = c.last_year if last else c.year
    order = list(S).index(stage)
    if last:
        started = _ahead(date(year.start_date.year, 9, 8) + timedelta(days=rng.randint(0, 150)))
        closed = _back(started + timedelta(days=rng.randint(35, 60)))
    elif stage == S.CLOSED:
        started = _ahead(today - timedelta(days=rng.randint(60, 100)))
        closed = _back(
            min(today - timedelta(days=3), started + timedelta(days=rng.randint(30, 55)))
        )
    else:
        started = _near(
            today - timedelta(days=[5, 12, 18, 28, 38][order] + rng.randint(0, 6)), today
        )
        closed = None
    offering = None
    if theme.topic:
        offering = taken.get((person.pk, theme.topic))
        if offering is None and rng.random() < 0.4:
            offering = workshops.get(theme.topic)
    virtual = mine.get("virtual", rng.random() < 0.15)
    goal = goals.get(person.pk) if rng.random() < 0.7 or mine else None
    pre = order >= 2 or (order == 1 and rng.random() < 0.5)
    reflects = order >= 5 or (order == 4 and rng.random() < 0.3)
    end = closed or today - timedelta(days=1)
    # The day each stage began: evenly between the start and the end (or yesterday).
    span = max(1, (end - started).days)
    days = [started] + [
        min(end, started + timedelta(days=span * k // 6)) for k in range(1, order + 1)
    ]
    if closed:
        days[-1] = closed
    actor = coach.user

    def advance(to: int) -> None:
        with c.at(days[to], 15, 30):
            cycles.cycle_advance(cycle=cycle, actor=actor)

    with c.at(started, 9):
        cycle = cycles.cycle_create(
            district=c.district,
            actor=actor,
            coach=coach,
            teacher=person,
            goal=theme.goal,
            professional_goal=goal,
            offering=c.offerings.get(offering),
            is_virtual=virtual,
            video_link=f"https://meet.example.org/{c.label}-coaching-{n:03d}" if virtual else "",
            started_on=started,
        )
    if order >= 1:
        advance(1)
    if pre:
        with c.at(days[min(order, 1)], 16):
            cycles.cycle_update(cycle=cycle, actor=actor, data={"pre_conference_notes": theme.pre})
    if order < 2:
        return
    advance(2)
    if order > 2 or mine.get("observed", rng.random() < 0.6):
        if order == 2:
            observed, status = _back(today - timedelta(days=rng.randint(1, 3))), Status.DRAFT
        else:
            observed = _back(started + (end - started) * rng.randint(40, 60) // 100)
            status = Status.SHARED if order == 3 else Status.ACKNOWLEDGED
            if order == 4 and rng.random() < 0.3:
                status = Status.SHARED
        observed = max(observed, days[2])
        base = 2 if order < 5 else 3
        c.observe(
            status=status,
            observed_on=observed,
            kind=Observation.Kind.COACHING,
            observer=coach,
            cycle=cycle,
            rubric=c.rubric,
            focus=theme.focus,
            text={
                "notes": theme.notes,
                "strengths": theme.strengths
                if status != Status.DRAFT or rng.random() < 0.5
                else "",
                "next_steps": theme.next_steps if status != Status.DRAFT else "",
            },
            ratings=[
                (code, max(1, min(4, base + rng.choice([-1, 0, 0, 0, 1]))))
                for code in theme.components
            ],
            comment=theme.comment if rng.random() < 0.6 else "",
        )
        days[3:] = [max(d, observed) for d in days[3:]]
    for to in range(3, order + 1):
        if to == 5 and reflects:
            with c.at(days[4], 17):
                cycles.cycle_reflect(cycle=cycle, actor=person.user, reflection=theme.reflection)
        advance(to)
        if to == 4:
            with c.at(days[4], 16):
                cycles.cycle_update(cycle=cycle, actor=actor, data={"debrief_notes": theme.debrief})
    if order == 4 and reflects:
        with c.at(days[4], 17):
            cycles.cycle_reflect(cycle=cycle, actor=person.user, reflection=theme.reflection)


# --- mentors and peers ---------------------------------------------------------------------------


def _mentor_observations(c: Ctx) -> None:
    """A few mentors observe their mentees: the demo mentor's observation of the demo new
    teacher waits for her acknowledgement; others are acknowledged, one still a draft."""
    rng, today = c.rng, c.today
    matches = list(
        Match.objects.filter(district=c.district, school_year=c.year, status="active")
        .select_related("mentor__staff__user", "mentee__user")
        .order_by("started_on", "pk")
    )
    mentor = c.accounts.get("mentor")
    mine = [m for m in matches if mentor and m.mentor.staff_id == mentor.pk]
    others = [m for m in matches if m not in mine]
    plan = [(m, Status.SHARED) for m in mine[:1]]
    plan += [
        (m, s)
        for m, s in zip(
            others[:4],
            [Status.ACKNOWLEDGED, Status.ACKNOWLEDGED, Status.DRAFT, Status.SHARED],
            strict=False,
        )
    ]
    for match, status in plan:
        observed = _back(
            today - timedelta(days=1 if status == Status.DRAFT else rng.randint(4, 20))
        )
        c.observe(
            status=status,
            observed_on=max(observed, match.started_on),
            kind=Observation.Kind.MENTOR,
            observer=match.mentor.staff,
            teacher=match.mentee,
            rubric=c.rubric,
            focus="Routines and checking for understanding",
            text={
                "notes": MENTOR_NOTES[0],
                "strengths": MENTOR_NOTES[1],
                "next_steps": MENTOR_NOTES[2],
            },
            ratings=[("2b", 3), ("4a", 2)],
            comment="Whiteboards tomorrow!",
        )


def _visits(c: Ctx) -> None:
    """Learning walks: most between colleagues at one school, a few across schools. Every
    state: requested (the demo teacher has one to answer), accepted, declined, done (with
    the visitor's peer observation) and cancelled."""
    rng, today = c.rng, c.today
    teacher, newteacher = c.accounts["teacher"], c.accounts["newteacher"]
    mentor = c.accounts.get("mentor")
    V = Visit.Status
    accounts = {p.pk for p in c.accounts.values()}
    pairs = []
    for roster in c.rosters:
        pool = [t for t in roster.teachers if t.pk not in accounts]
        rng.shuffle(pool)
        for _ in range(2):
            if len(pool) >= 2:
                host = max(pool[:6], key=lambda t: t.contracted_days or 0)
                pool.remove(host)
                visitor = pool.pop(0)
                pairs.append((visitor, host))
    rng.shuffle(pairs)
    first = c.rosters[0]
    english = max(
        (t for t in first.teachers if "English" in t.subjects and t.pk != teacher.pk),
        key=lambda t: (t.contracted_days or 0, -t.pk),
    )
    # visitor, host, state, focus (an index into PEER_FOCI)
    plan = [
        (newteacher, teacher, V.REQUESTED, 0),  # for the demo teacher to answer
        (teacher, english, V.DONE, 7),
    ]
    if mentor is not None:
        plan.append((newteacher, mentor, V.DONE, 6))
    states = [V.REQUESTED] * 4 + [V.ACCEPTED] * 5 + [V.DECLINED] * 3 + [V.DONE] * 9
    states += [V.CANCELLED] * 3
    plan += [(v, h, s, None) for (v, h), s in zip(pairs, states, strict=False)]
    # Two across schools: a teacher goes to see a practice a colleague is known for.
    for i in range(2):
        visitor = c.rosters[3 + i].teachers[-1]
        host = c.rosters[-1 - i].teachers[-2]
        plan.append((visitor, host, [V.DONE, V.ACCEPTED][i], 4 + i))
    for i, (visitor, host, status, topic) in enumerate(plan):
        focus, notes, worked, try_next = PEER_FOCI[i % len(PEER_FOCI) if topic is None else topic]
        if status in (V.REQUESTED, V.ACCEPTED) or (status == V.CANCELLED and i % 2):
            day = _ahead(today + timedelta(days=rng.randint(2, 20)))
        else:
            day = _back(today - timedelta(days=rng.randint(3, 60)))
        if status == V.ACCEPTED and i % 3 == 0:
            day = _back(today - timedelta(days=rng.randint(1, 3)))  # visited, not yet written up
        period = rng.choice(PERIODS)
        # Asked for a week or two ahead (a visit ahead was asked for lately), answered the
        # next day.
        asked = min(day - timedelta(days=rng.randint(5, 12)), today)
        with c.at(asked, 15):
            visit = peer_visits.visit_request(
                district=c.district,
                actor=visitor.user,
                visitor=visitor,
                host=host,
                on=day,
                focus=focus,
                period=period,
            )
        if status == V.REQUESTED:
            continue
        with c.at(min(asked + timedelta(days=1), today), 8):
            visit = peer_visits.visit_respond(
                visit=visit,
                actor=host.user,
                accept=status != V.DECLINED,
                response=rng.choice(DECLINES) if status == V.DECLINED else "",
            )
        if status == V.CANCELLED:
            with c.at(min(asked + timedelta(days=2), today), 12):
                peer_visits.visit_cancel(visit=visit, actor=visitor.user)
        if status != V.DONE:
            continue
        obs_status = [Status.ACKNOWLEDGED, Status.SHARED, Status.ACKNOWLEDGED, Status.DRAFT][i % 4]
        if host == mentor:
            obs_status = Status.ACKNOWLEDGED
        # The visitor writes it up (the visit is done once it is shared).
        c.observe(
            status=obs_status,
            observed_on=day,
            kind=Observation.Kind.PEER,
            observer=visitor,
            visit=visit,
            focus=focus,
            text={"notes": notes, "strengths": worked, "next_steps": try_next},
            comment="Come back any time.",
        )


# --- walkthroughs ----------------------------------------------------------------------------


def _walkthroughs(c: Ctx, tools: list[Tool]) -> None:
    """Follow-up walkthroughs of the teachers who took an offering on a look-for's topic:
    the first a week or three after it, then every month or so. What is seen grows with
    time for some strategies; each teacher implements a little more or less than most."""
    rng, today = c.rng, c.today
    admin, principal = c.accounts["admin"], c.accounts["principal"]
    teacher = c.accounts["teacher"]
    cutoff = today - timedelta(days=7)
    took: dict[tuple[int, int], tuple[int, date]] = {}  # (tool, teacher) -> offering, day
    by_topic = {t.topic: k for k, t in enumerate(tools)}
    for staff_id, offering_id, topic, day in c.attended:
        if topic in by_topic and day and day <= cutoff and staff_id in c.school_of:
            took.setdefault((by_topic[topic], staff_id), (offering_id, day))
    teachers = {t.pk: t for r in c.rosters for t in r.teachers}
    # Until three of an offering's teachers have a shared walkthrough (a rate of fewer is not
    # shown), its teachers are all visited (within the window) and their first walkthrough is
    # shared.
    shown: dict[int, set[int]] = {}
    # Up to the end of last month: the month under way has too few visits yet for its rates
    # to say anything (the demo teacher's, below, is yesterday's).
    stop = min(today.replace(day=1), c.year.end_date)
    for (k, staff_id), (offering, day) in sorted(took.items()):
        tool, person = tools[k], teachers[staff_id]
        roster = c.school_of[staff_id]
        few = len(shown.setdefault(offering, set())) < 3
        if person == teacher or (rng.random() < 0.1 and not few):
            continue  # a few are never visited; the demo teacher's is below
        lean = rng.uniform(-0.15, 0.15)
        visit_on = _ahead(day + timedelta(days=rng.randint(6, 20)))
        if few and visit_on >= stop:
            visit_on = max(_back(stop - timedelta(days=1)), day)
        count = 0
        while visit_on < stop and count < 5:
            observer = rng.choices([*roster.leads, admin], [*([3] * len(roster.leads)), 0.3])[0]
            status = Status.SHARED if few and count == 0 else None
            obs = _walkthrough(
                c, tool, person, roster, offering, observer, visit_on, day, lean, status=status
            )
            if obs.status != Status.DRAFT:
                shown[offering].add(staff_id)
            count += 1
            visit_on = _ahead(visit_on + timedelta(days=rng.randint(14, 30)))
    # The demo teacher's: the principal's visit after her guided-reading workshop, shared.
    reading = next(k for k, t in enumerate(tools) if t.topic == THEMES[READING].topic)
    key = (reading, teacher.pk) if (reading, teacher.pk) in took else None
    if key is not None:
        offering, day = took[key]
        tool = tools[key[0]]
        on = _back(today - timedelta(days=1))
        _walkthrough(
            c,
            tool,
            teacher,
            c.school_of[teacher.pk],
            offering,
            principal,
            max(on, day),
            day,
            0.1,
            status=Status.SHARED,
        )


def _walkthrough(
    c, tool, person, roster, offering, observer, on, after, lean, status=None
) -> Observation:
    rng, today = c.rng, c.today
    months = max(0, (on - after).days) / 30
    n = len(tool.items)
    marks = []
    for i, item in enumerate(tool.items):
        ease = 0.15 - 0.3 * i / max(1, n - 1)  # the first items are the easiest to see
        chance = min(0.95, max(0.05, tool.start + tool.growth * months + ease + lean))
        marks.append((item, rng.random() < chance))
    if status is None:
        age = (today - on).days
        if age > 14:
            status = rng.choices([Status.ACKNOWLEDGED, Status.SHARED, Status.DRAFT], [50, 45, 5])[0]
        else:
            status = rng.choices([Status.SHARED, Status.DRAFT], [65, 35])[0]
    seen = [item.text for item, yes in marks if yes]
    missed = [item.text for item, yes in marks if not yes]
    return c.observe(
        status=status,
        observed_on=on,
        kind=Observation.Kind.WALKTHROUGH,
        observer=observer,
        teacher=person,
        look_for=tool.look_for,
        offering=c.offerings.get(offering),
        focus=tool.look_for.strategy,
        text={
            "notes": rng.choice(WALKTHROUGH_NOTES),
            "strengths": (seen[0] + ".") if seen else "",
            "next_steps": (f"Next: {missed[0][0].lower()}{missed[0][1:]}.") if missed else "",
        },
        marks=marks,
        comment=rng.choice(COMMENTS),
    )
