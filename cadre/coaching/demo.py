"""The demo district's coaching and observation: the district's rubric (four domains, ten
components, four levels each with its descriptor), look-fors for five catalogue offerings,
coaching cycles by every school's instructional coach in every stage (the demo coach has one
of each, and coaches the demo teacher), coaching observations rated on the rubric, mentor
observations by the mentor programme's mentors, peer visits in every state, and follow-up
walkthroughs of the teachers who took the offerings, month by month, whose look-for marks give
implementation rates that rise for some strategies and hold for others. The demo teacher and
new teacher each have an observation shared with them to acknowledge.

The rows are written directly, in bulk, keeping the rules the services keep: the coaching
observer is the cycle's coach, a peer observation comes from an accepted visit and is made by
its visitor, a mentor observes a mentee in an active match, a walkthrough is made by a leader
or the coach of the teacher's school (or an administrator), and no one observes themselves.
Audit entries carry no coaching content. Dates are relative to the day the demo is built.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.audit.services import audit_event, diff, snapshot
from cadre.catalog.models import Offering, Registration
from cadre.coaching.models import (
    Component,
    Cycle,
    Domain,
    Level,
    LookFor,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.coaching.services import CYCLE_AUDITED, OBSERVATION_AUDITED
from cadre.districts.demo import SEED
from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff
from cadre.growth.models import ProfessionalGoal
from cadre.mentoring.models import Match

S = Cycle.Stage
Status = Observation.Status
LABELS = ("Beginning", "Developing", "Proficient", "Accomplished")
RUBRIC_NAME = "Riverbend Framework for Teaching and Learning"
RUBRIC_DESCRIPTION = (
    "The district's shared language for classroom practice, used for coaching, mentoring and "
    "peer observation. It supports growth and is never used for evaluation."
)
# domain number, name, [(code, name, (level 1, 2, 3, 4 descriptors))]
RUBRIC = [
    (
        1,
        "Planning for learning",
        [
            (
                "1a",
                "Clear learning targets",
                (
                    "No target is stated, or the target names an activity rather than what "
                    "students will learn.",
                    "A target is posted but is vague or not referred to; students cannot say "
                    "what they are learning.",
                    "The target says what students will learn, is referred to during the "
                    "lesson, and students can explain it in their own words.",
                    "Students use the target and its success criteria to judge their own "
                    "progress and can say why the learning matters.",
                ),
            ),
            (
                "1b",
                "Tasks aligned to the target",
                (
                    "Tasks keep students busy but do not lead to the target.",
                    "Some tasks match the target; others are loosely connected or below "
                    "grade level.",
                    "Tasks build toward the target at grade-level rigour, in a sensible order.",
                    "Tasks are rigorous and connected; students see how each one builds toward "
                    "the target and the unit.",
                ),
            ),
            (
                "1c",
                "Planning for every learner",
                (
                    "One path through the lesson; IEP accommodations and language needs are "
                    "not reflected in the plan.",
                    "Supports are planned for some students, often by lowering the demand of "
                    "the task.",
                    "Planned supports (scaffolds, grouping, language support, accommodations) "
                    "give every student access to the same grade-level task.",
                    "Several ways in and ways to show learning are built in; students choose "
                    "supports, and the plan anticipates where each group may struggle.",
                ),
            ),
        ],
    ),
    (
        2,
        "Learning environment",
        [
            (
                "2a",
                "Relationships and respect",
                (
                    "Interactions are negative or dismissive; some students are ignored or "
                    "singled out.",
                    "Interactions are polite but uneven; the teacher knows some students well "
                    "and others hardly at all.",
                    "Interactions are warm and respectful; the teacher draws on students' "
                    "names, interests and strengths.",
                    "Students and teacher show mutual respect; students support one another "
                    "and repair harm when it happens.",
                ),
            ),
            (
                "2b",
                "Routines and use of time",
                (
                    "Routines are missing; much of the period is lost to transitions, "
                    "materials or behaviour.",
                    "Some routines exist but need frequent prompting; time is lost at transitions.",
                    "Routines run with little prompting; most of the period is spent on learning.",
                    "Students run the routines themselves, and time is used with purpose "
                    "from bell to bell.",
                ),
            ),
            (
                "2c",
                "Expectations for learning",
                (
                    "Low expectations are conveyed; quality and effort are not expected of "
                    "every student.",
                    "High expectations are stated, but incomplete or careless work is accepted "
                    "from some students.",
                    "High-quality work is expected of every student, with support to revise "
                    "toward it.",
                    "Students hold themselves and each other to high standards and take pride "
                    "in revising their work.",
                ),
            ),
        ],
    ),
    (
        3,
        "Instruction and engagement",
        [
            (
                "3a",
                "Questioning and discussion",
                (
                    "Questions are mostly recall with one right answer, and few students answer.",
                    "Some questions invite thinking, but wait time is short and the same "
                    "students respond.",
                    "Open questions, wait time and structures for talk engage most students in "
                    "explaining their thinking.",
                    "Students pose questions and build on or challenge each other's ideas "
                    "while the teacher steps back.",
                ),
            ),
            (
                "3b",
                "Engagement in rigorous work",
                (
                    "Students are passive or off task; the teacher does most of the thinking.",
                    "Students are compliant and busy, but the work asks little of them.",
                    "Most students work actively on challenging tasks that ask them to "
                    "reason, explain or create.",
                    "Every student is intellectually engaged, persists with challenge and "
                    "extends the work on their own.",
                ),
            ),
            (
                "3c",
                "Academic language and literacy",
                (
                    "Academic language is not taught; reading and writing are avoided or "
                    "replaced by the teacher's summary.",
                    "Key terms are introduced, but students rarely read, write or speak with them.",
                    "Students read complex texts and write and talk in academic language, with "
                    "planned supports.",
                    "Students use the discipline's language precisely and independently and "
                    "help peers use it.",
                ),
            ),
        ],
    ),
    (
        4,
        "Assessment and feedback",
        [
            (
                "4a",
                "Checking for understanding",
                (
                    "Understanding is not checked, or only by asking whether there are questions.",
                    "Understanding is checked with a few students, and the lesson goes on "
                    "whatever the results.",
                    "Frequent checks gather evidence from every student, and instruction is "
                    "adjusted from it.",
                    "Checks run through the lesson; students assess themselves, and teacher "
                    "and students adjust in the moment.",
                ),
            ),
            (
                "4b",
                "Feedback to students",
                (
                    "Feedback is missing, or only a score or general praise.",
                    "Feedback is given but is general or comes too late to use.",
                    "Feedback is specific, timely and tied to the success criteria, with time "
                    "to use it.",
                    "Students give one another useful feedback and use feedback to set their "
                    "own next steps.",
                ),
            ),
        ],
    ),
]
EVIDENCE = {
    "1a": "Target posted and revisited at the midpoint; two students asked could explain it.",
    "1b": "The main task matched the target and built on the warm-up.",
    "1c": "Frames, a partly worked example and seating plan support access to the same task.",
    "2a": "Students greeted by name at the door; respectful tone throughout.",
    "2b": "Warm-up started without prompting; transitions mostly under two minutes.",
    "2c": "Students asked to revise answers that were incomplete, with a model to compare.",
    "3a": "Open questions with wait time; partner talk before whole-class sharing.",
    "3b": "Most pairs reasoned through the task; a few waited to be shown.",
    "3c": "Students read the text in pairs and used two unit words in their answers.",
    "4a": "Whiteboard checks from every student; the teacher re-modelled after the first.",
    "4b": "Specific feedback on one criterion; students revised in the room.",
}


@dataclass(frozen=True)
class Theme:
    goal: str
    pre: str
    focus: str
    notes: str
    strengths: str
    next_steps: str
    debrief: str
    reflection: str
    comment: str
    components: tuple[str, ...]
    topic: str | None  # a catalogue topic the cycle follows up


THEMES = [
    Theme(
        "More students explain their thinking in whole-class discussion, not only the same few.",
        "We will look at who talks and for how long. The teacher tries a turn-and-talk before "
        "each open question and waits five seconds; I script the questions and tally responses "
        "by seat.",
        "Who talks in whole-class discussion",
        "Scripted 14 questions: 9 open, 5 recall. Turn-and-talk used three times. 16 of 29 "
        "students spoke during the period (7 in the baseline). Wait time after open questions "
        "about 4 seconds.",
        "The turn-and-talk before the hardest question brought in students who had not spoken; "
        "'say more' was used well.",
        "Call on students after partner talk to share their partner's idea; keep the question "
        "on the board while they talk.",
        "We read the tally together. The teacher noticed the back row answered only after "
        "partner talk. Partner-then-share becomes the default, with a talk-moves poster.",
        "I had not realised how often I answered my own questions. Partner talk is now my "
        "default before any question I care about.",
        "Thank you. The seat tally was really useful; I will keep one myself for a week.",
        ("3a", "3b"),
        None,
    ),
    Theme(
        "Use quick checks during the lesson to decide when to move on and when to reteach.",
        "The teacher plans three checkpoints with mini whiteboards and an exit ticket. I record "
        "what the teacher does after each check.",
        "Acting on checks for understanding",
        "Three whiteboard checks: about 60%, 75% and 85% correct. After the first the teacher "
        "modelled a new example; after the second, pulled six students to the side table. Exit "
        "ticket collected at the door.",
        "Every student answered each check, and the decision to re-model came from the evidence "
        "in the room.",
        "Plan the 'if not' move for each checkpoint in advance; try hinge questions with two "
        "plausible wrong answers.",
        "We sorted the exit tickets together: 22 of 30 at target. Planned a five-minute "
        "reteach warm-up for the rest.",
        "Planning what I would do if a check went badly made me calmer about stopping the lesson.",
        "Agreed on the hinge questions; I will try them in the next unit.",
        ("4a", "4b", "1a"),
        "Formative assessment that moves learning",
    ),
    Theme(
        "Smooth starts and transitions, so more of the period is spent learning.",
        "Baseline: the start of class took about eight minutes. The teacher teaches an entry "
        "routine with a posted warm-up and a timer; I time each transition.",
        "Entry routine and transitions",
        "Warm-up posted; most students started within two minutes. Three transitions timed at "
        "2:10, 1:40 and 3:30 (the last while handing out lab materials). Attention signal used "
        "four times and followed each time.",
        "The entry routine is in place and students respond to the attention signal.",
        "Set materials out before the bell, or give each table a materials manager.",
        "The teacher compared the timings with the baseline: nearly ten minutes regained. We "
        "planned student jobs for materials.",
        "The timer made the routine visible to the students, not just to me. I have my first "
        "ten minutes back.",
        "Thanks! Table managers start on Monday.",
        ("2b", "2a"),
        "Classroom management for new teachers",
    ),
    Theme(
        "English learners speak and write in the unit's academic language every lesson.",
        "The teacher posts a language objective with sentence frames and plans structured "
        "partner talk. I track which students use the frames.",
        "Structured talk for English learners",
        "Language objective posted with two frames. Partner talk twice; in the second round 9 "
        "of 11 English learners used a frame. New words taught with images and a gesture.",
        "The frames fit the task, and students used them without prompting by the second round.",
        "Add a written frame to the exit ticket so the talk carries into writing.",
        "We read the English learners' exit tickets together: most used one unit word "
        "correctly; few linked two ideas.",
        "Writing a language objective every day felt like extra work at first; now it is how "
        "I plan.",
        "Yes to the written frame. Could we plan the next unit's frames together?",
        ("3c", "1c"),
        "Integrated ELD for English learners",
    ),
    Theme(
        "Tasks that ask students to reason, not only to repeat a procedure.",
        "The teacher replaces a worksheet with one open task and a gallery walk. I note the "
        "kinds of thinking students show.",
        "The thinking the main task asks for",
        "Open task launched in four minutes. Most pairs reached a first answer; five pairs "
        "compared two methods. Gallery walk with sticky-note questions. Two pairs did not "
        "start until prompted.",
        "The task had several ways in, and students explained their methods to each other.",
        "Give a hint card to pairs who have not started after two minutes; choose which "
        "solutions to share, and in what order.",
        "We put three student solutions in order from the photos for the next day's discussion.",
        "Choosing the order of the solutions changed the discussion; students saw how the "
        "ideas connected.",
        "The hint cards worked on Friday: every pair started.",
        ("1b", "3b"),
        None,
    ),
    Theme(
        "Feedback students use: specific, timely and tied to the success criteria.",
        "The teacher tries feedback conferences during writing time instead of written "
        "comments at home. I note what students do after feedback.",
        "Feedback during work time",
        "The teacher conferred with 7 students in 20 minutes; 5 of them revised a sentence "
        "straight away. Success criteria posted as a checklist.",
        "Feedback named one criterion and one next step, and students acted on it in the room.",
        "Peer feedback with the checklist, so more students get feedback in a period.",
        "We planned a peer-feedback protocol with the checklist and sentence starters.",
        "Conferring in class replaced two hours of comments at home, and students used it.",
        "Peer feedback went better than I expected. Thanks for the starters.",
        ("4b", "2c"),
        None,
    ),
    Theme(
        "Every student feels known and is drawn into the work.",
        "The teacher opens with a connection question tied to students' lives and uses warm-up "
        "partners. I track who is drawn in and when.",
        "Drawing every student into the work",
        "The connection question was answered by 21 of 28 students in pairs. Students greeted "
        "by name at the door. Four students took no part until the group task.",
        "The welcome and the connection question set a warm, purposeful tone.",
        "Check in one to one with the four quiet students this week; give them roles in the "
        "group task.",
        "We talked about the four students and planned two-minute check-ins.",
        "The check-ins are small, but I already see a difference with two of the four.",
        "Thanks for noticing the quiet four; the check-ins are going well.",
        ("2a", "2c"),
        "Culturally responsive teaching",
    ),
    Theme(
        "Students read complex texts in class, with a purpose and a guide, instead of my summary.",
        "The teacher sets a purpose, uses a during-reading guide and ends with a question that "
        "needs the text. I note how much of the reading students do themselves.",
        "Students doing the reading",
        "Purpose set in two minutes. Pairs read with the guide for 14 minutes; most annotated "
        "two or more places. Six pairs answered the closing question citing the text.",
        "Students did the reading and the thinking; the guide kept pairs on task.",
        "Model one annotation aloud before pairs start; cut the guide to three prompts.",
        "We looked at the annotations: strong on summary, thin on inference. The next lesson "
        "models an inference annotation.",
        "Letting students do the reading felt slower, but they understood the text better "
        "than when I summarised it.",
        "I will model the inference annotation tomorrow.",
        ("3c", "1a"),
        "Guided reading in the content areas",
    ),
]
READING = 7  # the demo teacher's theme: her professional goal is guided reading

# Look-fors: title, strategy, the catalogue topic (its workshop is the look-for's offering),
# items, and how implementation moves: the share seen at the first walkthrough and its change
# per month after the offering.
LOOK_FORS = [
    (
        "Structured academic talk for English learners",
        "Integrated ELD: structured academic talk",
        "Integrated ELD for English learners",
        [
            "Language objective posted beside the content objective",
            "Sentence frames or stems available for the talk task",
            "Students talk with a partner before sharing with the class",
            "Key vocabulary taught with visuals or gestures",
            "English learners speak in every phase of the lesson",
        ],
        0.22,
        0.2,
    ),
    (
        "Culturally responsive classroom",
        "Culturally responsive teaching",
        "Culturally responsive teaching",
        [
            "Texts or examples reflect students' communities and cultures",
            "Students connect the content to their own experience",
            "Shared participation: call and response, turn-and-talk or circles",
            "A demanding task with scaffolds, not a simplified task",
        ],
        0.3,
        0.14,
    ),
    (
        "Classroom routines and procedures",
        "Routines and procedures",
        "Classroom management for new teachers",
        [
            "Entry routine: students start the warm-up without prompting",
            "Agenda and learning target visible",
            "Transitions take under two minutes",
            "Attention signal used and followed",
            "Positive narration outnumbers corrections",
        ],
        0.62,
        0.02,
    ),
    (
        "Checking for understanding",
        "Formative assessment",
        "Formative assessment that moves learning",
        [
            "Success criteria shared with students",
            "Every student responds (whiteboards, cards or a poll)",
            "Instruction adjusted from the responses",
            "Exit ticket aligned to the learning target",
        ],
        0.5,
        0.0,
    ),
    (
        "Guided reading in the content areas",
        "Before, during and after reading",
        "Guided reading in the content areas",
        [
            "Purpose for reading set before the text",
            "Students annotate or use a reading guide during reading",
            "Questions require evidence from the text",
            "Students discuss the text in pairs or small groups",
        ],
        0.45,
        0.1,
    ),
]
WALKTHROUGH_NOTES = [
    "Ten-minute visit during independent work.",
    "Visited during the launch and the first partner task.",
    "Short visit at the start of the period.",
    "Visited during small-group work; the teacher was with one table.",
    "Visit in the second half of the block.",
]
COMMENTS = [
    "Thanks for the visit.",
    "Good catch on the transitions; working on it.",
    "The frames are new this week, glad they showed.",
    "I usually post the objective; it was a substitute plan day before.",
    "",
    "",
]
MENTOR_NOTES = (
    "Observed the first 30 minutes. Entry routine in place; directions given in three steps "
    "on the board; two transitions under two minutes.",
    "Warm greeting at the door and a calm start; students knew where materials were.",
    "Check for understanding before independent work: a thumbs check missed the students "
    "who were unsure. Try whiteboards.",
)
# focus, notes, what worked, what I will try
PEER_FOCI = [
    (
        "How the discussion is launched",
        "The teacher posed one open question, gave a minute of silent writing, then partner "
        "talk. Almost every student had something to say when the whole class shared.",
        "Silent writing before partner talk: nobody was caught without an idea.",
        "A minute of silent writing before my own discussions.",
    ),
    (
        "Lab safety routines and clean-up",
        "Stations labelled; one student per table checked goggles; clean-up took four minutes "
        "with a visible checklist.",
        "The checklist made clean-up the students' job.",
        "A clean-up checklist and a table captain for my labs.",
    ),
    (
        "Station rotation in a mixed-ability class",
        "Three stations, 15 minutes each: teacher-led, practice, and a challenge task. The "
        "teacher-led station was grouped by the morning's exit ticket.",
        "Grouping from the exit ticket, the same day.",
        "One teacher-led station a week, grouped from exit tickets.",
    ),
    (
        "Whiteboards to check for understanding",
        "Every student answered four questions on whiteboards; the teacher re-grouped two "
        "students after the second question.",
        "Fast, every student, and the teacher acted on it.",
        "Whiteboards in my warm-up every day this week.",
    ),
    (
        "Structured partner talk for English learners",
        "Sentence frames on every table; partners rehearsed before sharing, and the English "
        "learners shared as often as anyone.",
        "The rehearsal step gave everyone a way in.",
        "Frames and rehearsal before whole-class sharing.",
    ),
    (
        "Co-teaching in an inclusion class",
        "One teaches, one assists for the launch; then parallel teaching in two halves of the "
        "room. Both teachers knew every student's accommodations.",
        "Parallel teaching halved the group size for the hard part.",
        "Ask my co-teacher to try parallel teaching for the next lab.",
    ),
    (
        "Number talks as a warm-up",
        "One problem, mental strategies only, four strategies recorded on the board; ten minutes.",
        "Students explained strategies to each other with real interest.",
        "A number talk twice a week in Algebra 1.",
    ),
    (
        "A Socratic seminar",
        "Inner and outer circles; outer circle tracked talk moves on a sheet and gave "
        "feedback at the switch.",
        "The outer circle had a real job.",
        "Talk-move tracking sheets for my next seminar.",
    ),
]
DECLINES = [
    "That week is the state test window; could we try the week after?",
    "I have a substitute that day for a training. Another day?",
    "My class is on a field trip then.",
]
PERIODS = ["1st period", "2nd period", "3rd period", "4th period", "5th period", "6th period"]


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
        .select_related("staff")
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
    attended: list[tuple[int, int, str, date | None]] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    ratings: list[tuple[Observation, str, int]] = field(default_factory=list)
    marks: list[tuple[Observation, LookForItem, bool]] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)

    def observation(self, *, status: str, observed_on: date, **fields) -> Observation:
        """An observation `status` as of today: shared the afternoon it was made (or the
        next day), acknowledged a few days later."""
        shared_at = acknowledged_at = None
        if status != Status.DRAFT:
            day = observed_on + timedelta(days=self.rng.choice([0, 0, 1]))
            shared_at = min(_at(self.district, day, 16, self.rng.randint(0, 59)), self.now)
        if status == Status.ACKNOWLEDGED:
            later = shared_at + timedelta(days=self.rng.randint(1, 4), hours=self.rng.randint(0, 5))
            acknowledged_at = min(later, self.now)
        obs = Observation(
            district=self.district,
            observed_on=observed_on,
            status=status,
            shared_at=shared_at,
            acknowledged_at=acknowledged_at,
            **fields,
        )
        self.observations.append(obs)
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
    look_fors = _look_fors(c)
    _cycles(c)
    _mentor_observations(c)
    _visits(c)
    _walkthroughs(c, look_fors)
    _write(c)


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
    rubric = Rubric.objects.create(
        district=district, name=RUBRIC_NAME, description=RUBRIC_DESCRIPTION
    )
    domains = Domain.objects.bulk_create(
        [
            Domain(district=district, rubric=rubric, number=number, name=name)
            for number, name, _ in RUBRIC
        ]
    )
    components = Component.objects.bulk_create(
        [
            Component(district=district, domain=domain, code=code, name=name)
            for domain, (_, _, parts) in zip(domains, RUBRIC, strict=True)
            for code, name, _ in parts
        ]
    )
    texts = [levels for _, _, parts in RUBRIC for _, _, levels in parts]
    Level.objects.bulk_create(
        [
            Level(
                district=district,
                component=component,
                level=n,
                label=LABELS[n - 1],
                descriptor=descriptor,
            )
            for component, levels in zip(components, texts, strict=True)
            for n, descriptor in enumerate(levels, start=1)
        ]
    )
    audit_event(
        district=district,
        actor=admin.user,
        action=AuditEvent.Action.CREATE,
        obj=rubric,
        changes={"name": [None, rubric.name], "components": [None, len(components)]},
    )
    return rubric, {comp.code: comp for comp in components}


@dataclass
class Tool:
    look_for: LookFor
    items: list[LookForItem]
    topic: str
    start: float
    growth: float


def _look_fors(c: Ctx) -> list[Tool]:
    titles = [f"{topic}: workshop" for _, _, topic, _, _, _ in LOOK_FORS]
    workshops = {
        o.title: o
        for o in Offering.objects.filter(
            district=c.district, title__in=titles, status=Offering.Status.PUBLISHED
        )
    }
    look_fors = LookFor.objects.bulk_create(
        [
            LookFor(
                district=c.district,
                title=title,
                strategy=strategy,
                offering=workshops.get(f"{topic}: workshop"),
            )
            for title, strategy, topic, _, _, _ in LOOK_FORS
        ]
    )
    items = LookForItem.objects.bulk_create(
        [
            LookForItem(district=c.district, look_for=look_for, position=i, text=text)
            for look_for, (_, _, _, texts, _, _) in zip(look_fors, LOOK_FORS, strict=True)
            for i, text in enumerate(texts, start=1)
        ]
    )
    by_look_for: dict[int, list[LookForItem]] = {}
    for item in items:
        by_look_for.setdefault(item.look_for_id, []).append(item)
    coach = c.accounts["coach"].user
    AuditEvent.objects.bulk_create(
        [
            audit_event(
                district=c.district,
                actor=coach,
                action=AuditEvent.Action.CREATE,
                obj=look_for,
                changes={
                    "title": [None, look_for.title],
                    "items": [None, len(by_look_for[look_for.pk])],
                },
                save=False,
            )
            for look_for in look_fors
        ]
    )
    return [
        Tool(look_for, by_look_for[look_for.pk], topic, start, growth)
        for look_for, (_, _, topic, _, start, growth) in zip(look_fors, LOOK_FORS, strict=True)
    ]


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
            demo = {"virtual": i == 6, "observed": i == 2} if s == 0 else {}
            _cycle(
                c, coach, person, roster, stage, THEMES[theme], n, goals, taken, workshops, **demo
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
    c, coach, person, roster, stage, theme, n, goals, taken, workshops, *, last=False, **demo
):
    """One cycle at `stage`, with what the stage has: the pre-conference notes from the
    observation on, the coaching observation (a draft, then shared, then acknowledged), the
    debrief notes from the reflection on, and the teacher's reflection at the end."""
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
    virtual = demo.get("virtual", rng.random() < 0.15)
    cycle = Cycle(
        district=c.district,
        school_year=year,
        school=roster.school,
        coach=coach,
        teacher=person,
        goal=theme.goal,
        professional_goal=goals.get(person.pk) if rng.random() < 0.7 or demo else None,
        offering_id=offering,
        is_virtual=virtual,
        video_link=f"https://meet.example.org/{c.label}-coaching-{n:03d}" if virtual else "",
        stage=stage,
        started_on=started,
        closed_on=closed,
        pre_conference_notes=theme.pre if order >= 2 or (order == 1 and rng.random() < 0.5) else "",
        debrief_notes=theme.debrief if order >= 4 else "",
        reflection=theme.reflection if order >= 5 or (order == 4 and rng.random() < 0.3) else "",
    )
    c.cycles.append(cycle)
    if order < 2:
        return
    if order == 2 and not demo.get("observed", rng.random() < 0.6):
        return  # the observation is scheduled, not yet made
    end = closed or today - timedelta(days=1)
    if order == 2:
        observed, status = _back(today - timedelta(days=rng.randint(1, 3))), Status.DRAFT
    else:
        observed = _back(started + (end - started) * rng.randint(40, 60) // 100)
        status = Status.SHARED if order == 3 else Status.ACKNOWLEDGED
        if order == 4 and rng.random() < 0.3:
            status = Status.SHARED
    obs = c.observation(
        status=status,
        observed_on=max(observed, started),
        school_year=year,
        school=roster.school,
        kind=Observation.Kind.COACHING,
        observer=coach,
        teacher=person,
        cycle=cycle,
        rubric=c.rubric,
        focus=theme.focus,
        notes=theme.notes,
        strengths=theme.strengths if status != Status.DRAFT or rng.random() < 0.5 else "",
        next_steps=theme.next_steps if status != Status.DRAFT else "",
        teacher_comment=theme.comment
        if status == Status.ACKNOWLEDGED and rng.random() < 0.6
        else "",
    )
    base = 2 if order < 5 else 3
    for code in theme.components:
        c.ratings.append((obs, code, max(1, min(4, base + rng.choice([-1, 0, 0, 0, 1])))))


# --- mentors and peers ---------------------------------------------------------------------------


def _mentor_observations(c: Ctx) -> None:
    """A few mentors observe their mentees: the demo mentor's observation of the demo new
    teacher waits for her acknowledgement; others are acknowledged, one still a draft."""
    rng, today = c.rng, c.today
    matches = list(
        Match.objects.filter(district=c.district, school_year=c.year, status="active")
        .select_related("mentor__staff", "mentee")
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
        roster = c.school_of.get(match.mentee_id)
        observed = _back(
            today - timedelta(days=1 if status == Status.DRAFT else rng.randint(4, 20))
        )
        obs = c.observation(
            status=status,
            observed_on=max(observed, match.started_on),
            school_year=c.year,
            school=roster.school if roster else None,
            kind=Observation.Kind.MENTOR,
            observer=match.mentor.staff,
            teacher=match.mentee,
            rubric=c.rubric,
            focus="Routines and checking for understanding",
            notes=MENTOR_NOTES[0],
            strengths=MENTOR_NOTES[1],
            next_steps=MENTOR_NOTES[2],
            teacher_comment="Whiteboards tomorrow!" if status == Status.ACKNOWLEDGED else "",
        )
        c.ratings += [(obs, "2b", 3), (obs, "4a", 2)]


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
            on = _ahead(today + timedelta(days=rng.randint(2, 20)))
        else:
            on = _back(today - timedelta(days=rng.randint(3, 60)))
        if status == V.ACCEPTED and i % 3 == 0:
            on = _back(today - timedelta(days=rng.randint(1, 3)))  # visited, not yet written up
        visit = Visit(
            district=c.district,
            visitor=visitor,
            host=host,
            on=on,
            period=rng.choice(PERIODS),
            focus=focus,
            status=status,
            response=rng.choice(DECLINES) if status == V.DECLINED else "",
        )
        c.visits.append(visit)
        if status != V.DONE:
            continue
        roster = c.school_of.get(host.pk)
        obs_status = [Status.ACKNOWLEDGED, Status.SHARED, Status.ACKNOWLEDGED, Status.DRAFT][i % 4]
        if host == mentor:
            obs_status = Status.ACKNOWLEDGED
        if obs_status == Status.DRAFT:
            visit.status = V.ACCEPTED  # the visit is done when its observation is shared
        visit.observation = c.observation(
            status=obs_status,
            observed_on=on,
            school_year=c.year,
            school=roster.school if roster else None,
            kind=Observation.Kind.PEER,
            observer=visitor,
            teacher=host,
            focus=focus,
            notes=notes,
            strengths=worked,
            next_steps=try_next,
            teacher_comment="Come back any time." if obs_status == Status.ACKNOWLEDGED else "",
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
    for (k, staff_id), (offering, day) in sorted(took.items()):
        tool, person = tools[k], teachers[staff_id]
        roster = c.school_of[staff_id]
        if person == teacher or rng.random() < 0.1:
            continue  # a few are never visited; the demo teacher's is below
        lean = rng.uniform(-0.15, 0.15)
        visit_on = _ahead(day + timedelta(days=rng.randint(6, 20)))
        count = 0
        while visit_on < min(today, c.year.end_date) and count < 5:
            observer = rng.choices([*roster.leads, admin], [*([3] * len(roster.leads)), 0.3])[0]
            _walkthrough(c, tool, person, roster, offering, observer, visit_on, day, lean)
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


def _walkthrough(c, tool, person, roster, offering, observer, on, after, lean, status=None):
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
    obs = c.observation(
        status=status,
        observed_on=on,
        school_year=c.year,
        school=roster.school,
        kind=Observation.Kind.WALKTHROUGH,
        observer=observer,
        teacher=person,
        look_for=tool.look_for,
        offering_id=offering,
        focus=tool.look_for.strategy,
        notes=rng.choice(WALKTHROUGH_NOTES),
        strengths=(seen[0] + ".") if seen else "",
        next_steps=(f"Next: {missed[0][0].lower()}{missed[0][1:]}.") if missed else "",
        teacher_comment=rng.choice(COMMENTS) if status == Status.ACKNOWLEDGED else "",
    )
    c.marks += [(obs, item, yes) for item, yes in marks]


# --- writing ---------------------------------------------------------------------------------


def _write(c: Ctx) -> None:
    district = c.district
    cycles = Cycle.objects.bulk_create(c.cycles, batch_size=500)
    observations = Observation.objects.bulk_create(c.observations, batch_size=1000)
    Rating.objects.bulk_create(
        [
            Rating(
                district=district,
                observation=obs,
                component=c.components[code],
                level=level,
                evidence=EVIDENCE[code],
            )
            for obs, code, level in c.ratings
        ],
        batch_size=2000,
    )
    Mark.objects.bulk_create(
        [
            Mark(district=district, observation=obs, item=item, seen=seen)
            for obs, item, seen in c.marks
        ],
        batch_size=2000,
    )
    Visit.objects.bulk_create(c.visits, batch_size=500)

    # The trail keeps what the services keep: ids, kinds, stages and dates, never what was
    # said or written.
    users = {p.pk: p.user for p in c.accounts.values()}
    events = []
    for cycle in cycles:
        actor = users.get(cycle.coach_id)
        events.append(
            audit_event(
                district=district,
                actor=actor,
                action=AuditEvent.Action.CREATE,
                obj=cycle,
                changes=diff({}, snapshot(cycle, CYCLE_AUDITED)),
                save=False,
            )
        )
        if cycle.stage == S.CLOSED:
            events.append(
                audit_event(
                    district=district,
                    actor=actor,
                    action=AuditEvent.Action.TRANSITION,
                    obj=cycle,
                    from_state=S.REFLECTION,
                    to_state=S.CLOSED,
                    save=False,
                )
            )
    for obs in observations:
        events.append(
            audit_event(
                district=district,
                actor=users.get(obs.observer_id),
                action=AuditEvent.Action.CREATE,
                obj=obs,
                changes=diff({}, snapshot(obs, OBSERVATION_AUDITED)),
                save=False,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
