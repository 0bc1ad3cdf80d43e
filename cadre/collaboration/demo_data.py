"""The demo district's small-group content: the teams and what they work on, what their
meetings discuss and decide, members' reflections, leaders' check-ins and the principal's
judgements. `demo.py` builds the groups from it."""

from dataclasses import dataclass

from cadre.collaboration.models import Group, Protocol

Stage = Group.Stage


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    subjects: tuple[str, ...]  # empty: a grade-level team across subjects
    course: str
    focus: str
    goal: int | None  # index of the school plan's goal it serves (planning demo's order)
    task: str
    assessment: str
    gap: str
    strategy: str
    measure: str


TEAMS = [
    Team(
        "english",
        "English 9 PLC",
        ("English",),
        "English 9",
        "Our 9th graders can find a quotation but rarely explain how it supports their claim. "
        "Which routines help them reason from text evidence?",
        0,
        "the text-evidence paragraph",
        "unit 2 common assessment",
        "explaining how evidence supports a claim",
        "a says / means / matters evidence routine",
        "Share of 9th graders at 3 or 4 on the evidence row of the writing rubric",
    ),
    Team(
        "math",
        "Algebra 1 PLC",
        ("Mathematics",),
        "Algebra 1",
        "Too many students never start a multi-step problem. Which launch routines get every "
        "student into the task?",
        1,
        "the multi-step word problem",
        "linear-equations common assessment",
        "setting up an equation from a context",
        "a three-reads launch with a visible first step",
        "Share of Algebra 1 students proficient on the linear-equations common assessment",
    ),
    Team(
        "science",
        "Biology PLC",
        ("Science",),
        "Biology",
        "Lab conclusions restate the data without reasoning. How do we teach "
        "claim-evidence-reasoning so students explain why?",
        0,
        "the lab conclusion",
        "cell-transport lab report",
        "connecting evidence to the scientific principle",
        "claim-evidence-reasoning starters and a co-built exemplar",
        "Share of Biology students at 3 or 4 on the reasoning row of the lab-report rubric",
    ),
    Team(
        "history",
        "World History PLC",
        ("Social Studies",),
        "World History",
        "Students summarise sources but do not source or corroborate them. What helps them "
        "read like historians?",
        0,
        "the document-based paragraph",
        "document-based question practice",
        "sourcing a document before using it",
        "a source-context-corroborate organiser",
        "Share of World History students sourcing at least two documents in the DBQ",
    ),
    Team(
        "sped",
        "Special Education team",
        ("Special Education",),
        "resource English",
        "Are our Tier 2 reading groups closing the gap on students' IEP reading goals?",
        0,
        "the oral-reading fluency probe",
        "every-other-week progress-monitoring probes",
        "reading fluently with comprehension",
        "repeated reading with a comprehension check",
        "Share of students on track toward their IEP reading goal",
    ),
    Team(
        "languages",
        "World Languages PLC",
        ("World Languages",),
        "Spanish 1 and 2",
        "Students understand more than they say. How do we get them speaking in the target "
        "language for most of the period?",
        None,
        "the interpersonal speaking task",
        "unit speaking assessment",
        "keeping a conversation going past two exchanges",
        "structured partner talk with target-language frames",
        "Share of students holding a four-exchange conversation on the speaking task",
    ),
    Team(
        "cte",
        "CTE pathway team",
        ("Career Technical Education",),
        "the health and engineering pathways",
        "Where do students lose points on the industry-certification practice tests, and how "
        "do we reteach it in the lab?",
        1,
        "the certification practice test",
        "certification practice test",
        "applied measurement and calculation items",
        "worked examples from the lab with spaced practice",
        "Share of pathway students passing the certification practice test",
    ),
    Team(
        "advisory",
        "9th-grade advisory team",
        (),
        "9th-grade advisory",
        "Only 58% of students say an adult at school knows them well. What would make every "
        "9th grader feel known?",
        2,
        "the advisory check-in circle",
        "advisory belonging survey",
        "students saying an adult at school knows them well",
        "weekly one-to-one check-ins and a names-and-stories routine",
        "Share of 9th graders agreeing that an adult at school knows them well",
    ),
]
TEAM = {t.key: t for t in TEAMS}

# Meetings by inquiry stage: agenda, protocol, student work, decisions, next steps.
# Placeholders come from the team and the meeting's figures; student work is never named.
P = Protocol
MEETINGS = {
    Stage.QUESTION: [
        (
            "Norms, roles and calendar for the year. Last spring's results. What do we want "
            "to learn about our students this year?",
            P.NONE,
            "Last spring's {course} results by standard, department totals only.",
            "Norms adopted; the facilitator keeps time and the note-taker rotates. We start "
            "with {gap}.",
            "Give the pre-assessment (the {assessment}) before the next meeting and bring "
            "the section summary.",
        ),
        (
            "Refine the inquiry question; agree how we will score the pre-assessment.",
            P.NONE,
            "Six anonymised samples of {task} from last year, numbered 1 to 6, to calibrate "
            "the rubric.",
            "We score with the department rubric and double-score one paper in five.",
            "Score the pre-assessment in pairs and enter section totals in the shared sheet.",
        ),
    ],
    Stage.DATA: [
        (
            "Data-driven dialogue on the pre-assessment: predictions, observations, inferences.",
            P.DATA_DRIVEN_DIALOGUE,
            "Pre-assessment summaries from {sections} sections ({students} students): the "
            "share at each rubric level, by standard. No student rows.",
            "{gap_title} is the biggest need: {low}% of students scored 1 or 2 on it.",
            "Each member brings three anonymised samples (high, middle and low), labelled "
            "A, B and C.",
        ),
        (
            "Look closely at student work: what do students who score 1 or 2 actually do?",
            P.TUNING,
            "{samples} anonymised samples of {task}, three per teacher, labelled by letter; "
            "names and section numbers removed.",
            "The low samples restate instead of reasoning; that is the skill we will teach.",
            "Read the short research summary on {strategy} before we meet.",
        ),
    ],
    Stage.STRATEGY: [
        (
            "Choose a common strategy: the research summary and two model lessons.",
            P.NONE,
            "No student work this time: the research summary and two model lessons.",
            "We all teach {strategy} in the next two weeks.",
            "The facilitator shares a lesson template; each member adapts it for their sections.",
        ),
        (
            "Tuning protocol on a member's lesson plan for {strategy}.",
            P.TUNING,
            "A draft lesson, its exit ticket and the responses we expect from students.",
            "Same exit ticket in every section; add a worked example before independent practice.",
            "Teach the lesson this week and bring ten exit tickets picked at random.",
        ),
    ],
    Stage.IMPLEMENT: [
        (
            "How is {strategy} going? Sort exit tickets together.",
            P.NONE,
            "Exit tickets from {students} students in {sections} sections, sorted into got "
            "it, almost and not yet; tallies only.",
            "{got}% are at got it after the first week; the not-yet group misreads the task "
            "itself.",
            "Reteach in small groups on Thursday; use the routine again in the next unit.",
        ),
        (
            "Consultancy: a member's dilemma about students who finish early and students "
            "who do not start.",
            P.CONSULTANCY,
            "Two anonymised samples from the presenting member's class, with the task sheet.",
            "Offer a choice of extension tasks; give the not-yet group a partly worked model.",
            "The presenting member reports back; everyone notes one change they tried.",
        ),
        (
            "Debrief of our visits to each other's classes: what did {strategy} look like?",
            P.NONE,
            "Our notes on student talk from the visits: counts of students speaking, no names.",
            "The routine works best when students rehearse with a partner first.",
            "Give the post-assessment within two weeks.",
        ),
    ],
    Stage.EVIDENCE: [
        (
            "Pre- and post-assessment results on {gap}: what changed, and for whom?",
            P.DATA_DRIVEN_DIALOGUE,
            "Pre/post summary for {students} students: the share at 3 or 4, by section; "
            "sections under 10 students combined.",
            "The share at 3 or 4 rose from {before}% to {after}%. {strategy_title} stays in "
            "the unit plan.",
            "Write up the cycle's evidence for the principal and draft the next question.",
        ),
    ],
}
LESSON_STUDY_MEETINGS = [
    (
        "Study the unit and the standards; choose the research theme.",
        "Last year's unit results for {course}, department totals only.",
        "Research theme: students explain their reasoning to each other, not only to us.",
        "Everyone reads the unit's anchor lesson and notes where students get stuck.",
    ),
    (
        "Plan the research lesson: the task, the thinking we expect and how we will respond.",
        "Anonymised responses from trying the task with one section, sorted by strategy.",
        "The launch stays short; the lesson ends with students comparing two solutions.",
        "The teacher of the lesson drafts the board plan; observers choose a table to follow.",
    ),
    (
        "Public research lesson, then the post-lesson discussion.",
        "Observers' records of student thinking, by table number, no names.",
        "Students reasoned well in pairs but the whole-class comparison came too late.",
        "Revise the lesson; reteach it with another section in two weeks.",
    ),
    (
        "Revise the lesson from the debrief and plan the second teaching.",
        "The revised task and anonymised work from the first teaching, by table.",
        "Move the comparison earlier and give pairs a sentence frame for disagreeing.",
        "Write up what we learned for the department.",
    ),
]
CRITICAL_FRIENDS_MEETINGS = [
    (
        "Tuning protocol: a member's writing assignment with three anonymised drafts.",
        P.TUNING,
        "Three anonymised drafts (A, B and C) and the assignment sheet.",
        "Warm and cool feedback given; the presenter will split the prompt into two steps.",
        "The presenter brings the revised assignment and new drafts next time.",
    ),
    (
        "Consultancy: a member's dilemma about grading late work fairly.",
        P.CONSULTANCY,
        "",
        "The presenter will separate the grade for learning from the late-work policy.",
        "Two members share their own late-work policies before the next meeting.",
    ),
    (
        "Tuning protocol: a common rubric for argument writing across subjects.",
        P.TUNING,
        "Four anonymised essays from different subjects, scored with the draft rubric.",
        "The reasoning row is rewritten in plainer language for students.",
        "Each member tries the rubric with one class and brings two scored essays.",
    ),
    (
        "Consultancy: getting quiet students into whole-class discussion.",
        P.CONSULTANCY,
        "Participation tallies from two class periods, counts only.",
        "Try think-write-pair-share before every whole-class question.",
        "The presenter reports back on what changed after two weeks.",
    ),
]
BOOK_STUDY_MEETINGS = [
    (
        "Chapters 1 and 2: why rereading and highlighting feel productive but do not last.",
        "Try low-stakes retrieval quizzes twice a week.",
        "Read chapters 3 and 4; bring one retrieval activity you tried.",
    ),
    (
        "Chapters 3 and 4: spacing and interleaving practice.",
        "Each of us mixes old problems or questions into one assignment a week.",
        "Read chapter 5; note where students are over-confident about what they know.",
    ),
    (
        "Chapter 5: students' illusions of knowing, and what to do about them.",
        "Add a quick self-check before every quiz.",
        "Read chapters 6 and 7 and bring a question for the group.",
    ),
    (
        "Chapters 6 and 7: desirable difficulties and the growth of ability.",
        "Share one unit redesigned with spaced retrieval at the department meeting.",
        "Read chapter 8; bring what you will keep doing next semester.",
    ),
]
# Members' reflections, early in a cycle (framing the question, looking at data) and later.
REFLECTIONS_EARLY = [
    "Sorting the work together showed me I was scoring more generously than the rest of the team.",
    "The data-driven dialogue kept us from jumping to solutions. Uncomfortable, but useful.",
    "Looking at the low samples as a group made them our problem to solve, not my failure.",
    "We spent too long on logistics; sending the agenda the day before would help.",
    "Next time I will bring work from my hardest section, not my strongest one.",
    "I was surprised how differently we read the same rubric row.",
    "Agreeing on norms early helped; the timekeeper kept us honest.",
]
REFLECTIONS = [
    "The warm-feedback round helped me hear what is working before the hard part.",
    "I tried the routine with one section first; the second time it took half as long.",
    "I want to see the routine in a colleague's class before we decide to keep it.",
    "I am taking the sentence starters to my other course too.",
    "Seeing the growth since the pre-assessment was the best part of my week.",
    "I still need ideas for the students who finish early; the extension did not hold them.",
    "Students noticed the common language across classes, which made the routine stick.",
    "Hearing how others launch the task gave me two things to try tomorrow.",
    "Bringing a real dilemma felt risky, and it was the most useful hour of my month.",
]
ADJUSTMENTS = [
    "None: the group is on track with its plan.",
    "Moved the meetings to Wednesdays so the coach can join.",
    "Shorter data look, more time on planning the next lesson together.",
    "The group brings student work to every meeting, not every other.",
    "New members paired with experienced ones for the next cycle.",
    "Narrowed the question to one unit instead of the whole semester.",
]
RESOURCES = [
    "",
    "",
    "Release time to score the common assessment together.",
    "Copies of the anchor texts for every section.",
    "A half-day substitute so members can visit each other's classes.",
    "Time at the next staff-development day to share results.",
    "The coach at two meetings a month.",
]
CHECK_IN_CHANGED = [
    "The team wants to change its question after the pre-assessment surprised them.",
    "Two members joined mid-term; the group is re-teaching its norms.",
]
JUDGEMENT = {
    Group.Effectiveness.EFFECTIVE: "Clear growth on the measure, across sections; the "
    "strategy is now in the unit plans.",
    Group.Effectiveness.PARTLY: "Growth in most sections but not all; keep the strategy and "
    "look at why two sections did not move.",
    Group.Effectiveness.NOT_EFFECTIVE: "Little change on the measure; the team will choose a "
    "different strategy and check it sooner.",
}
