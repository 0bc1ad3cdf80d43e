"""The demo district's mentoring content: when mentors can meet, what pairs talk about and how
long, and new teachers' reflections. `demo.py` builds the programme through the services."""

AVAILABILITY = [
    "Tuesdays after school",
    "Prep period (3rd)",
    "Mondays and Thursdays, 7:15–7:45",
    "Wednesday PLC time",
    "Lunch on Fridays",
    "Before school most days",
    "",
]
# kind, focus, next steps
LOGS = [
    (
        "planning",
        "Planned the first two weeks of the unit: pacing, the launch task and exit tickets.",
        "Try the launch task on Tuesday; bring three exit tickets to sort together.",
    ),
    (
        "planning",
        "Mapped the common assessment back to daily lessons; cut two activities to make time.",
        "Draft the review day and share it in the PLC folder.",
    ),
    (
        "planning",
        "Built a seating chart and group roles for the lab; talked through safety routines.",
        "Practise the clean-up routine with 4th period before the first lab.",
    ),
    (
        "observation",
        "Observed 2nd period: transitions between the warm-up and group work took 9 minutes.",
        "Post the agenda, use a visible timer; I'll observe again in two weeks.",
    ),
    (
        "observation",
        "Observed a discussion: the same five students answered; strong questions, short waits.",
        "Wait time of five seconds and cold-calling with sticks; track who speaks.",
    ),
    (
        "observation",
        "Watched the first ten minutes of class: entry routine is solid, directions were long.",
        "Give directions in three steps on the board, then check for understanding.",
    ),
    (
        "reflection",
        "Talked through a hard week: two students off task daily, and a difficult parent email.",
        "Call home before emailing next time; use the restorative questions card.",
    ),
    (
        "reflection",
        "Looked at the unit test results together: most missed the multi-step problems.",
        "Reteach with worked examples; plan a short reassessment for next Friday.",
    ),
    (
        "reflection",
        "Reflected on workload: grading is taking every evening.",
        "Grade one class set a night with the rubric; use peer review for the drafts.",
    ),
    (
        "co_teaching",
        "Co-taught the Socratic seminar; I modelled the discussion stems in the inner circle.",
        "Run the next seminar on your own; I'll take notes on participation.",
    ),
    (
        "co_teaching",
        "Co-taught a station rotation: I ran the small-group station for students below grade.",
        "Keep the small-group station and rotate every 15 minutes.",
    ),
    (
        "other",
        "Walked through the gradebook, the progress-report deadline and the IEP accommodations.",
        "Enter the first two weeks of grades by Friday; read the two new IEPs.",
    ),
    (
        "other",
        "Back-to-school night: what to say in ten minutes, and the slide deck.",
        "Send the slides to families the next morning.",
    ),
]
REFLECTIONS = [
    "The timer helped: transitions are down to about four minutes.",
    "Calling home first went much better; the parent thanked me.",
    "Wait time felt awkward at first, but more students answered by Thursday.",
    "I graded one class a night and had my weekend back.",
    "Running the seminar alone was nerve-racking but the stems carried it.",
    "The reteach worked for most; six students still need the small group.",
    "Three-step directions cut the questions in half.",
]
MINUTES_ON_TRACK = [60, 60, 75, 90, 90, 120]
MINUTES_BEHIND = [20, 30, 30, 45]
