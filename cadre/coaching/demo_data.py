"""The demo district's coaching content: the rubric, the coaching themes, the look-fors and
what observers, mentors and peers wrote. `demo.py` builds the district's coaching from it
through the services."""

from dataclasses import dataclass

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
