"""The demo district's small groups: this year's PLCs at every school (department and
grade-level teams of the school's teachers, facilitated by the school's coach, a teacher
leader or the members themselves), meeting every other week since school began with their
agendas, protocols, attendance, student work (described without names), decisions, next
steps and members' reflections; principals' and assistant principals' check-ins, with some
groups past the district's interval; two lesson-study groups with research lessons at every
stage; two cross-school critical friends groups (one online) and a book study; and last
year's groups, closed with their student-learning evidence and the principal's judgement.
The district counts group meeting time toward clock hours.

The year is planned first (who meets, when, and what they say, from `demo_data.py`), then
every step is taken through the services on the day it happened (`demo.on`), so the services
keep their rules (the facilitator is a member, attendance and reflections are members',
evidence is an aggregate) and write the audit trail. Dates are relative to the day the demo is
built; the randomness is seeded.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from cadre.collaboration.demo_data import (
    ADJUSTMENTS,
    BOOK_STUDY_MEETINGS,
    CHECK_IN_CHANGED,
    CRITICAL_FRIENDS_MEETINGS,
    JUDGEMENT,
    LESSON_STUDY_MEETINGS,
    MEETINGS,
    REFLECTIONS,
    REFLECTIONS_EARLY,
    RESOURCES,
    TEAM,
    Team,
)
from cadre.collaboration.models import (
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Protocol,
    ResearchLesson,
)
from cadre.collaboration.services import check_ins as check_in_services
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import lessons as lesson_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.districts import demo
from cadre.districts import services as districts
from cadre.districts.demo import SEED
from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
from cadre.planning.models import Goal

Kind, Support, Stage = Group.Kind, Group.Support, Group.Stage
STAGES = [Stage.QUESTION, Stage.DATA, Stage.STRATEGY, Stage.IMPLEMENT, Stage.EVIDENCE]


@dataclass
class Roster:
    school: School
    principal: Staff | None = None
    ap: Staff | None = None
    coach: Staff | None = None
    teachers: list[Staff] = field(default_factory=list)

    def by_subject(self, subjects: tuple[str, ...]) -> list[Staff]:
        if not subjects:
            return list(self.teachers)
        return [t for t in self.teachers if set(t.subjects) & set(subjects)]


@dataclass
class Out:
    """The planned year: what `_write` takes through the services, in order."""

    groups: list[Group] = field(default_factory=list)
    members: dict[int, list[tuple[Staff, School | None]]] = field(default_factory=dict)
    goals: dict[int, list[Goal]] = field(default_factory=dict)
    meetings: dict[int, list[tuple[Meeting, dict[int, bool], list[tuple[int, str]]]]] = field(
        default_factory=dict
    )
    check_ins: dict[int, list[CheckIn]] = field(default_factory=dict)
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)
    lessons: dict[int, list[tuple[ResearchLesson, list[Staff]]]] = field(default_factory=dict)
    created: dict[int, date] = field(default_factory=dict)


def _at(district: District, day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=district.tz)


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _school_day(day: date) -> bool:
    """A weekday outside the Thanksgiving, winter and spring breaks."""
    if day.weekday() >= 5:
        return False
    thanks = _thanksgiving(day.year)
    if thanks - timedelta(days=3) <= day <= thanks + timedelta(days=1):
        return False
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2):
        return False
    return not (day.month == 3 and 23 <= day.day <= 27)


def _school_day_before(day: date) -> date:
    while not _school_day(day):
        day -= timedelta(days=1)
    return day


def _school_day_near(day: date, latest: date) -> date:
    """The first school day from `day` on, or the last one before it if that is too late."""
    ahead = day
    while not _school_day(ahead):
        ahead += timedelta(days=1)
    return ahead if ahead <= latest else _school_day_before(day)


def _on_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _rosters(district: District, today: date) -> list[Roster]:
    schools = list(School.objects.filter(district=district).order_by("code"))
    rosters = {s.pk: Roster(school=s) for s in schools}
    assignments = (
        Assignment.objects.current(today)
        .filter(district=district, school__isnull=False, staff__is_active=True)
        .select_related("staff")
        .order_by("staff_id", "pk")
    )
    seen: set[int] = set()
    for a in assignments:
        roster = rosters[a.school_id]
        if a.role == Role.PRINCIPAL:
            roster.principal = roster.principal or a.staff
        elif a.role == Role.ASSISTANT_PRINCIPAL:
            roster.ap = roster.ap or a.staff
        elif a.role == Role.INSTRUCTIONAL_COACH:
            roster.coach = roster.coach or a.staff
        elif a.role == Role.TEACHER and a.staff_id not in seen:
            seen.add(a.staff_id)
            roster.teachers.append(a.staff)
    return [rosters[s.pk] for s in schools]


def build(b, result) -> None:
    district = b.district
    rng = random.Random(f"{SEED}:collaboration")
    today = district.today()
    years = list(SchoolYear.objects.filter(district=district).order_by("start_date"))
    year = next(y for y in years if y.is_current)
    last_year = next((y for y in reversed(years) if y.end_date < year.start_date), None)
    accounts = {
        s.email.split("@")[0]: s
        for s in Staff.objects.filter(district=district, email__endswith=f"@{b.domain}")
        .exclude(user=None)
        .select_related("user")
    }
    admin = accounts["admin"]
    districts.district_update(district=district, actor=admin.user, data={"group_hours": True})
    rosters = _rosters(district, today)
    school_goals: dict[int, list[Goal]] = {}
    for goal in (
        Goal.objects.filter(district=district, plan__school__isnull=False, plan__status="published")
        .select_related("plan")
        .order_by("code")
    ):
        school_goals.setdefault(goal.plan.school_id, []).append(goal)

    out = Out()
    c = _Ctx(district, rng, today, year, last_year, accounts, out, school_goals, b.label)
    first_day = _on_weekday(date(year.start_date.year, 8, 24), 0)  # the Monday of week two
    taken: dict[int, set[int]] = {}  # school -> teachers already in one of this year's PLCs
    for s, roster in enumerate(rosters):
        taken[roster.school.pk] = set()
        if s == 0:
            plan = [
                ("english", Support.COACH),
                ("math", Support.LEADER),
                ("advisory", Support.SELF),
            ]
        else:
            count = rng.choice([1, 2, 2, 3, 3])
            keys = ["english", "math", "science", "history", "sped", "languages", "cte", "advisory"]
            weights = [5, 5, 4, 3, 2, 1, 1, 2]
            chosen: list[str] = []
            while len(chosen) < count:
                key = rng.choices(keys, weights)[0]
                if key not in chosen:
                    chosen.append(key)
            plan = [
                (key, rng.choices([Support.COACH, Support.LEADER, Support.SELF], [2, 4, 2])[0])
                for key in chosen
            ]
        for g, (key, support) in enumerate(plan):
            c.plc(
                roster,
                TEAM[key],
                support,
                start=first_day + timedelta(days=rng.randint(0, 6)),
                check=("regular" if g == 0 else None) if s else ("regular", "regular", "lapsed")[g],
                taken=taken[roster.school.pk],
                first_school=s == 0,
            )
    c.lesson_study(rosters[0], TEAM["english"], first_day, revised=True)
    c.lesson_study(rosters[1], TEAM["math"], first_day, revised=False)
    c.cross_school(rosters, first_day)
    if last_year is not None:
        for s, roster in enumerate(rosters):
            if s % 4 != 3:  # most schools ran a PLC last year
                c.last_year_plc(roster, TEAM[rng.choice(["english", "math", "science", "history"])])
    _write(district, out)


@dataclass
class _Ctx:
    district: District
    rng: random.Random
    today: date
    year: SchoolYear
    last_year: SchoolYear | None
    accounts: dict[str, Staff]
    out: Out
    school_goals: dict[int, list[Goal]]
    label: str  # the district's short name, for its meeting rooms

    def is_account(self, person: Staff, key: str) -> bool:
        """Whether this person is the demo account `key` (`teacher`, `mentor`...)."""
        return key in self.accounts and self.accounts[key].pk == person.pk

    @property
    def last_day(self) -> date:
        """Meetings so far: up to yesterday, within the school year."""
        return min(self.today - timedelta(days=1), self.year.end_date)

    # --- groups ------------------------------------------------------------------------

    def group(self, *, created: date, members: list[tuple[Staff, School | None]], **fields):
        group = Group(district=self.district, **fields)
        group.demo_key = len(self.out.groups)
        self.out.groups.append(group)
        self.out.members[group.demo_key] = members
        self.out.created[group.demo_key] = created
        return group

    def _minutes(self, usual: int) -> int:
        return max(30, usual + self.rng.choice([0, 0, 0, -15, 15]))

    def _attendance(self, members: list[Staff], facilitator: Staff) -> dict[int, bool]:
        """Most come; a coverage duty or a sick day keeps one or two away now and then."""
        present = {m.pk: self.rng.random() > 0.1 for m in members}
        present[facilitator.pk] = self.rng.random() > 0.02
        return present

    def _reflections(self, present: dict[int, bool], chance: float, always=(), pool=None):
        """Some members present write a reflection, each their own."""
        writers = [
            pk
            for pk, here in present.items()
            if here and (pk in always or self.rng.random() < chance)
        ]
        texts = self.rng.sample(pool or REFLECTIONS, k=len(pool or REFLECTIONS))
        return [(pk, texts[i % len(texts)]) for i, pk in enumerate(writers)]

    def _meeting(self, group: Group, held_on: date, minutes: int, by: Staff, **text) -> Meeting:
        return Meeting(
            district=self.district,
            group=group,
            held_on=held_on,
            minutes=minutes,
            recorded_by=by,
            **text,
        )

    def _dates(self, start: date, until: date, every: int, skip: float = 0.06) -> list[date]:
        days, day = [], start
        while day <= until:
            if _school_day(day) and self.rng.random() >= skip:
                days.append(day)
            day += timedelta(days=every)
        return days

    def plc(self, roster: Roster, team: Team, support, *, start, check, taken, first_school):
        rng = self.rng
        pool = [t for t in roster.by_subject(team.subjects) if t.pk not in taken]
        special = []
        if first_school:
            want = {"english": "teacher", "math": "newteacher"}.get(team.key)
            if want:
                special = [t for t in pool if self.is_account(t, want)]
        size = rng.randint(5, 8)
        others = [t for t in pool if t not in special]
        rng.shuffle(others)
        people = special + others[: max(3, size - len(special))]
        if first_school and team.key == "math":
            mentor = next((t for t in pool if self.is_account(t, "mentor")), None)
            if mentor is not None and mentor not in people:
                people.insert(0, mentor)
        if not people:
            return None
        if support == Support.COACH and roster.coach is not None:
            facilitator = roster.coach
        elif support == Support.SELF:  # the members take turns; one keeps the group's records
            facilitator = rng.choice([p for p in people if p not in special] or people)
        else:  # a teacher leader: the mentor account at the first school, else a veteran
            support = Support.LEADER
            mentor = next((p for p in people if self.is_account(p, "mentor")), None)
            facilitator = mentor or max(
                [p for p in people if p not in special] or people, key=_seniority
            )
        taken.update(p.pk for p in people)
        everyone = people if facilitator in people else [facilitator, *people]
        # Progress through the cycle of inquiry: most teams are implementing by December;
        # some are still on data, a few already looking at evidence.
        final = rng.choices([1, 2, 3, 4], [2, 3, 5, 2])[0]
        if first_school:
            final = {"english": 3, "math": 2, "advisory": 1}[team.key]
        weekday = start.weekday() if start.weekday() < 5 else 1
        usual = rng.choice([45, 60, 60, 60, 75, 90])
        group = self.group(
            created=start - timedelta(days=rng.randint(5, 12)),
            members=[(p, roster.school) for p in everyone],
            school_year=self.year,
            school=roster.school,
            name=team.name,
            kind=Kind.PLC,
            focus=team.focus,
            facilitator=facilitator,
            schedule=f"Every other {_WEEKDAYS[weekday]}, {rng.choice(['2:45', '3:00', '3:15'])}",
            meeting_minutes=usual,
            support=support,
            stage=STAGES[final],
            created_by=(
                self.accounts["principal"] if first_school else self.accounts["admin"]
            ).user,
        )
        self.out.goals[group.demo_key] = self._goals(roster, team)
        dates = self._dates(
            _on_weekday(start, weekday), self.last_day, 14, 0 if first_school else 0.06
        )
        self._inquiry_meetings(group, team, everyone, facilitator, dates, final, first_school)
        self._check_ins(group, roster, start, check)
        return group

    def _goals(self, roster: Roster, team: Team) -> list[Goal]:
        goals = self.school_goals.get(roster.school.pk, [])
        if team.goal is None or team.goal >= len(goals):
            return []
        return [goals[team.goal]]

    def _figures(self, people: int) -> dict:
        rng = self.rng
        sections = max(2, people + rng.randint(people // 2, people))
        students = sections * rng.randint(24, 31)
        low = rng.randint(38, 61)
        before = 100 - low
        after = min(95, before + rng.randint(6, 22))
        return {
            "sections": sections,
            "students": students,
            "low": low,
            "got": rng.randint(45, 70),
            "before": before,
            "after": after,
            "samples": 3 * people,
        }

    def _inquiry_meetings(self, group, team, members, facilitator, dates, final, first_school):
        figures = self._figures(len(members))
        words = {
            "course": team.course,
            "task": team.task,
            "assessment": team.assessment,
            "gap": team.gap,
            "gap_title": team.gap[:1].upper() + team.gap[1:],
            "strategy": team.strategy,
            "strategy_title": team.strategy[:1].upper() + team.strategy[1:],
            **figures,
        }
        n = len(dates)
        demo_teacher = {m.pk for m in members if self.is_account(m, "teacher")}
        made = []
        used: dict[str, int] = {}
        for i, day in enumerate(dates):
            stage = STAGES[min(final, (i * (final + 1)) // max(1, n))]
            options = MEETINGS[stage]
            k = used.get(stage, 0)
            used[stage] = k + 1
            agenda, protocol, work, decisions, next_steps = options[k % len(options)]
            present = self._attendance(members, facilitator)
            always = demo_teacher if first_school and i % 2 == 0 else ()
            meeting = self._meeting(
                group,
                day,
                self._minutes(group.meeting_minutes),
                facilitator,
                agenda=agenda.format(**words),
                protocol=protocol,
                student_work=work.format(**words),
                decisions=decisions.format(**words),
                next_steps=next_steps.format(**words),
            )
            pool = REFLECTIONS_EARLY if stage in (Stage.QUESTION, Stage.DATA) else REFLECTIONS
            made.append((meeting, present, self._reflections(present, 0.12, always, pool)))
        self.out.meetings[group.demo_key] = made
        if final == 4:
            self.out.evidence[group.demo_key] = [
                Evidence(
                    district=self.district,
                    measure=team.measure,
                    unit="%",
                    before=figures["before"],
                    after=figures["after"],
                    students=figures["students"],
                    note="From the pre- and post-assessment, scored together.",
                    recorded_by=facilitator,
                )
            ]

    def _check_ins(self, group: Group, roster: Roster, start: date, mode) -> None:
        """`regular`: every three or four weeks, the last within the interval; `lapsed`: one
        or two early in the term, none for longer than the interval; None: chosen here, so
        most groups are regular and some are overdue, a few with no check-in at all."""
        rng, today = self.rng, self.today
        interval = self.district.check_in_days
        if mode is None:
            mode = rng.choices(["regular", "lapsed", "none"], [7, 2, 1])[0]
        leaders = [p for p in (roster.principal, roster.ap) if p is not None]
        if mode == "none" or not leaders:
            return
        days = []
        day = start + timedelta(days=rng.randint(14, 24))
        stop = today - timedelta(days=interval + rng.randint(8, 30)) if mode == "lapsed" else today
        while day <= stop:
            days.append(day)
            day += timedelta(days=rng.randint(18, 27))
        if mode == "regular" and (not days or days[-1] < today - timedelta(days=interval - 4)):
            days.append(today - timedelta(days=rng.randint(2, interval - 6)))
        if mode == "lapsed" and not days:
            days.append(min(stop, start + timedelta(days=14)))
        made = []
        for i, held_on in enumerate(_school_day_near(d, today) for d in days):
            changed = i > 0 and rng.random() < 0.2
            made.append(
                CheckIn(
                    district=self.district,
                    held_on=held_on,
                    by=leaders[0] if rng.random() < 0.75 else leaders[-1],
                    needs_changed=changed,
                    adjustments=rng.choice(CHECK_IN_CHANGED if changed else ADJUSTMENTS),
                    resources=rng.choice(RESOURCES),
                )
            )
        self.out.check_ins[group.demo_key] = made

    # --- lesson study -------------------------------------------------------------------

    def lesson_study(self, roster: Roster, team: Team, first_day: date, *, revised: bool):
        rng, today = self.rng, self.today
        pool = [
            t
            for t in roster.by_subject(team.subjects)
            if not (self.is_account(t, "teacher") or self.is_account(t, "newteacher"))
        ]
        rng.shuffle(pool)
        people = sorted(pool[:4], key=lambda p: -(p.contracted_days or 0))
        if len(people) < 3:
            return
        facilitator = people[0]
        members = people + ([roster.coach] if roster.coach else [])
        start = _on_weekday(first_day + timedelta(days=3), 3)  # Thursdays
        group = self.group(
            created=start - timedelta(days=10),
            members=[(p, roster.school) for p in members],
            school_year=self.year,
            school=roster.school,
            name=f"{team.course} lesson study",
            kind=Kind.LESSON_STUDY,
            focus="Students explain their reasoning to each other, not only to the teacher.",
            facilitator=facilitator,
            schedule="Every other Thursday, 3:00; public lessons on release days",
            meeting_minutes=90,
            support=Support.LEADER,  # a teacher leads; the coach joins as the outside eye
            stage=Stage.IMPLEMENT if revised else Stage.STRATEGY,
            created_by=(self.accounts["principal"] if revised else self.accounts["admin"]).user,
        )
        self.out.goals[group.demo_key] = self._goals(roster, team)
        watchers = [*members, *([roster.principal] if roster.principal else [])]

        def observers(teacher: Staff, count: int | None = None) -> list[Staff]:
            return [p for p in watchers if p != teacher][:count]

        dates = self._dates(start, self.last_day, 14, skip=0)
        # Study, plan, plan, the public lesson and its debrief, then (the first group) the
        # revision, and planning the next lesson.
        phases = [0, 1, 1, 2, 3, 3] if revised else [0, 1, 1, 2]
        made = []
        for i, day in enumerate(dates):
            phase = phases[i] if i < len(phases) else 1
            agenda, work, decisions, next_steps = LESSON_STUDY_MEETINGS[phase]
            present = self._attendance(members, facilitator)
            meeting = self._meeting(
                group,
                day,
                self._minutes(90),
                facilitator,
                agenda=agenda,
                protocol=Protocol.LESSON_STUDY,
                student_work=work.format(course=team.course),
                decisions=decisions,
                next_steps=next_steps,
            )
            made.append((meeting, present, self._reflections(present, 0.2)))
        self.out.meetings[group.demo_key] = made
        taught = dates[3] if len(dates) > 3 else today - timedelta(days=20)
        if revised:
            lessons = [
                (
                    ResearchLesson(
                        district=self.district,
                        title="Making inferences from a short story",
                        goal="Students infer a character's motive and defend it with two "
                        "pieces of evidence, explaining their reasoning to a partner.",
                        plan="Launch (5 min): a one-paragraph scene read aloud. Pairs (15 min): "
                        "decide what the character wants, with evidence. Anticipated: "
                        "students quote without explaining; some infer from outside the text. "
                        "Whole class (15 min): compare two pairs' answers on the board. "
                        "Close: a written inference with one explained quotation.",
                        teacher=people[1],
                        taught_on=taught,
                        debrief="Observers saw 11 of 14 pairs reach a defensible inference; "
                        "talk stalled when partners agreed at once. The comparison came with "
                        "four minutes left, so few students revised their answer.",
                        revision="Compare the two answers at minute 20, not at the end; give "
                        "pairs a frame for disagreeing ('I read it differently because...'); "
                        "second teaching with another section two weeks later.",
                        stage=ResearchLesson.Stage.REVISED,
                    ),
                    observers(people[1]),
                ),
                (
                    ResearchLesson(
                        district=self.district,
                        title="Using evidence in an argument paragraph",
                        goal="Students choose the strongest of three quotations for a claim "
                        "and explain why it is strongest.",
                        plan="Draft: students rank three quotations in pairs, then write. "
                        "Anticipated: ranking by length or position in the text.",
                        teacher=people[2],
                        stage=ResearchLesson.Stage.PLANNING,
                    ),
                    [],
                ),
            ]
        else:
            lessons = [
                (
                    ResearchLesson(
                        district=self.district,
                        title="From tables to rules: linear functions",
                        goal="Students find a rule from a table in more than one way and "
                        "explain why the ways agree.",
                        plan="Launch: a table of phone-plan costs. Pairs find the cost for 30 "
                        "days and then for any number of days. Anticipated: recursive "
                        "counting, guess-and-check, a rate from two rows. Compare the "
                        "strategies in that order.",
                        teacher=people[1],
                        taught_on=taught,
                        debrief="Most pairs reached a recursive rule; four wrote an explicit "
                        "rule. Students who guessed and checked did not connect to the rate "
                        "until the comparison.",
                        stage=ResearchLesson.Stage.DEBRIEFED,
                    ),
                    observers(people[1]),
                ),
                (
                    ResearchLesson(
                        district=self.district,
                        title="Systems of equations in a context",
                        goal="Students decide when two plans cost the same, and defend it "
                        "with a table, a graph or an equation.",
                        plan="Launch: two gym memberships. Pairs decide which is cheaper and "
                        "when. Anticipated: tables that stop too soon; graphs without scale.",
                        teacher=people[2],
                        taught_on=_school_day_before(today - timedelta(days=1)),
                        stage=ResearchLesson.Stage.TAUGHT,
                    ),
                    observers(people[2], 3),
                ),
            ]
        self.out.lessons[group.demo_key] = lessons
        self._check_ins(group, roster, start, "regular")

    # --- across schools ------------------------------------------------------------------

    def cross_school(self, rosters: list[Roster], first_day: date) -> None:
        rng = self.rng
        used: set[int] = set()
        accounts = {p.pk for p in self.accounts.values()}

        def pick(schools: list[Roster], per: int, want=lambda t: True) -> list:
            people = []
            for roster in schools:
                pool = [
                    t
                    for t in roster.teachers
                    if t.pk not in used and t.pk not in accounts and want(t)
                ]
                rng.shuffle(pool)
                for t in pool[:per]:
                    used.add(t.pk)
                    people.append((t, roster.school))
            return people

        specs = [
            (
                "Critical friends: feedback on student writing",
                Kind.CRITICAL_FRIENDS,
                "Feedback that moves student writing forward, in every subject.",
                rosters[2:7],
                lambda t: True,
                True,
                Support.COACH,
            ),
            (
                "Critical friends: early-career dilemmas",
                Kind.CRITICAL_FRIENDS,
                "Teachers in their second and third years bring the dilemmas of their "
                "practice to colleagues from other schools.",
                rosters[7:12],
                lambda t: t.experience_known and 180 <= (t.contracted_days or 0) < 3 * 180,
                False,
                Support.LEADER,
            ),
            (
                "Book study: Make It Stick",
                Kind.BOOK_STUDY,
                "What the science of learning says about retrieval, spacing and "
                "interleaving, and what to change in our classes.",
                [rosters[0], *rosters[10:15]],
                lambda t: True,
                False,
                Support.SELF,
            ),
        ]
        for i, (name, kind, focus, schools, want, virtual, support) in enumerate(specs):
            people = pick(schools, 2, want)
            if len(people) < 4:
                people += pick(schools, 1)
            if support == Support.COACH and schools[0].coach is not None:
                facilitator = schools[0].coach
                people = [(facilitator, schools[0].school), *people]
            else:
                facilitator = max(people, key=lambda p: _seniority(p[0]))[0]
            start = _on_weekday(first_day + timedelta(days=14 + 7 * i), 2 + (i % 2))
            group = self.group(
                created=start - timedelta(days=14),
                members=people,
                school_year=self.year,
                school=None,
                name=name,
                kind=kind,
                focus=focus,
                facilitator=facilitator,
                schedule=(
                    "First Wednesday of the month, 4:00, online"
                    if virtual
                    else "Monthly, 4:00, District PD Center"
                ),
                meeting_minutes=75 if kind == Kind.CRITICAL_FRIENDS else 60,
                is_virtual=virtual,
                meeting_link=(
                    f"https://meet.example.org/{self.label}-cfg-writing" if virtual else ""
                ),
                support=support,
                stage=[Stage.IMPLEMENT, Stage.STRATEGY, Stage.STRATEGY][i],
                created_by=self.accounts["admin"].user,
            )
            members = [p for p, _ in people]
            dates = self._dates(start, self.last_day, 28, skip=0)
            made = []
            for j, day in enumerate(dates):
                present = self._attendance(members, facilitator)
                if kind == Kind.BOOK_STUDY:
                    agenda, decisions, next_steps = BOOK_STUDY_MEETINGS[j % 4]
                    text = {"agenda": agenda, "decisions": decisions, "next_steps": next_steps}
                else:
                    agenda, protocol, work, decisions, next_steps = CRITICAL_FRIENDS_MEETINGS[
                        (j + i) % 4
                    ]
                    text = {
                        "agenda": agenda,
                        "protocol": protocol,
                        "student_work": work,
                        "decisions": decisions,
                        "next_steps": next_steps,
                    }
                meeting = self._meeting(
                    group, day, self._minutes(group.meeting_minutes), facilitator, **text
                )
                made.append((meeting, present, self._reflections(present, 0.2)))
            self.out.meetings[group.demo_key] = made
            # A principal of a school the group serves checks in (the book study: none yet).
            leader_school = next(r for r in schools if r.school == people[-1][1])
            self._check_ins(group, leader_school, start, ["regular", "lapsed", "none"][i])

    # --- last year ------------------------------------------------------------------------

    def last_year_plc(self, roster: Roster, team: Team) -> None:
        rng, year = self.rng, self.last_year
        pool = roster.by_subject(team.subjects)
        rng.shuffle(pool)
        people = [p for p in pool if p.hire_date is None or p.hire_date < year.start_date][
            : rng.randint(4, 7)
        ]
        if len(people) < 3:
            return
        facilitator = (
            roster.coach if rng.random() < 0.3 and roster.coach else max(people, key=_seniority)
        )
        members = people if facilitator in people else [facilitator, *people]
        start = _on_weekday(date(year.start_date.year, 9, 1), rng.choice([1, 2, 3]))
        closed = _on_weekday(date(year.end_date.year, 5, 26), 2)
        figures = self._figures(len(members))
        change = figures["after"] - figures["before"]
        if change >= 12:
            verdict = Group.Effectiveness.EFFECTIVE
        elif change >= 6:
            verdict = Group.Effectiveness.PARTLY
        else:
            verdict = Group.Effectiveness.NOT_EFFECTIVE
        judge = roster.principal or roster.ap
        group = self.group(
            created=start - timedelta(days=7),
            members=[(p, roster.school) for p in members],
            school_year=year,
            school=roster.school,
            name=f"{team.name} ({year.name})",
            kind=Kind.PLC,
            focus=team.focus,
            facilitator=facilitator,
            schedule="Every third Tuesday, 3:15",
            meeting_minutes=60,
            support=Support.COACH if facilitator == roster.coach else Support.LEADER,
            stage=Stage.EVIDENCE,
            status=Group.Status.CLOSED,
            closed_on=closed,
            effectiveness=verdict if judge else "",
            effectiveness_note=JUDGEMENT[verdict] if judge else "",
            judged_by=judge,
            judged_on=closed + timedelta(days=rng.randint(3, 12)) if judge else None,
            created_by=self.accounts["admin"].user,
        )
        dates = self._dates(start, closed - timedelta(days=1), 21, skip=0.05)
        self._inquiry_meetings(group, team, members, facilitator, dates, 4, False)
        self.out.evidence.setdefault(group.demo_key, []).append(
            Evidence(
                district=self.district,
                measure="Share of students passing the end-of-course common final",
                unit="%",
                before=max(20, figures["before"] - rng.randint(0, 6)),
                after=max(25, figures["before"] + change // 2),
                students=figures["students"],
                note="Fall and spring common finals, the same sections.",
                recorded_by=facilitator,
            )
        )
        check = []
        day = start + timedelta(days=20)
        while day < closed:
            check.append(
                CheckIn(
                    district=self.district,
                    held_on=day,
                    by=judge or facilitator,
                    adjustments=rng.choice(ADJUSTMENTS),
                    resources=rng.choice(RESOURCES),
                )
            )
            day += timedelta(days=rng.randint(24, 40))
        if judge:
            self.out.check_ins[group.demo_key] = check


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _seniority(staff: Staff) -> tuple[int, int]:
    """Most contracted days first; unknown experience (no HR data) counts as none."""
    return staff.contracted_days or 0, -staff.pk


# --- writing ---------------------------------------------------------------------------------


def _write(district: District, out: Out) -> None:
    """Take every planned step through the services, on its day (`demo.on`), as the people
    who took it would: a group set up with its goals and members, its meetings recorded with
    who came, members' reflections that evening, leaders' check-ins, research lessons moving
    through their stages, and last year's groups given their evidence, closed and judged."""
    people = {staff.pk: staff for members in out.members.values() for staff, _ in members}
    for planned in out.groups:
        key = planned.demo_key

        def at(day: date, hour: int):
            return demo.on(_at(district, day, hour))

        with at(out.created[key], 9):
            group = group_services.group_create(
                district=district,
                actor=planned.created_by,
                data={name: getattr(planned, name) for name in group_services.GROUP_FIELDS},
                goals=out.goals.get(key) or None,
                members=[staff for staff, _ in out.members[key]],
            )
        facilitator = planned.facilitator.user
        last = out.created[key]
        for meeting, present, reflections in out.meetings.get(key, []):
            last = meeting.held_on
            with at(last, 17):
                made = meeting_services.meeting_create(
                    group=group,
                    actor=facilitator,
                    data={name: getattr(meeting, name) for name in meeting_services.MEETING_FIELDS},
                    present=[people[pk] for pk, here in present.items() if here],
                    recorded_by=meeting.recorded_by,
                )
            with at(last, 20):
                for pk, text in reflections:
                    meeting_services.reflection_save(
                        meeting=made, actor=people[pk].user, staff=people[pk], text=text
                    )
        if planned.stage != group.stage:
            with at(last, 18):
                group = group_services.group_stage(group=group, actor=facilitator, to=planned.stage)
        for check_in in out.check_ins.get(key, []):
            with at(check_in.held_on, 15):
                check_in_services.check_in_create(
                    group=group,
                    actor=check_in.by.user,
                    by=check_in.by,
                    data={
                        name: getattr(check_in, name) for name in check_in_services.CHECK_IN_FIELDS
                    },
                )
        for lesson, observers in out.lessons.get(key, []):
            _lesson(district, group, facilitator, lesson, observers, last)
        ends = planned.closed_on or last
        for evidence in out.evidence.get(key, []):
            with at(ends, 16):
                evidence_services.evidence_add(
                    group=group,
                    actor=evidence.recorded_by.user,
                    data={
                        name: getattr(evidence, name) for name in evidence_services.EVIDENCE_FIELDS
                    },
                    recorded_by=evidence.recorded_by,
                )
        if planned.status == Group.Status.CLOSED:
            with at(planned.closed_on, 17):
                group = group_services.group_close(
                    group=group, actor=planned.created_by, closed_on=planned.closed_on
                )
        if planned.effectiveness:
            judge = planned.judged_by
            with at(planned.judged_on, 10):
                group_services.group_judge(
                    group=group,
                    actor=judge.user,
                    by=judge,
                    effectiveness=planned.effectiveness,
                    note=planned.effectiveness_note,
                )


def _lesson(district, group, actor, lesson: ResearchLesson, observers, last: date) -> None:
    """A research lesson written up as planned (on the day it was taught, or at the group's
    last meeting), then moved a stage at a time to where it stands."""
    day = lesson.taught_on or last
    with demo.on(_at(district, day, 18)):
        made = lesson_services.research_lesson_create(
            group=group,
            actor=actor,
            data={name: getattr(lesson, name) for name in lesson_services.LESSON_FIELDS},
            observers=observers,
        )
        order = list(ResearchLesson.Stage.values)
        for stage in order[1 : order.index(lesson.stage) + 1]:
            made = lesson_services.research_lesson_stage(lesson=made, actor=actor, to=stage)
