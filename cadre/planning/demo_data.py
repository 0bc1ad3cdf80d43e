"""The demo district's planning content: the district's and schools' goals, priorities,
community input and PD plan structure. `demo.py` builds the plans through the services."""

DISTRICT_GOALS = [
    (
        "D1",
        "Every student reads and writes at grade level",
        "Share of students meeting the standard on the state ELA assessment",
        "60% by spring 2027, up from 48%",
    ),
    (
        "D2",
        "Every student is ready for college-level mathematics",
        "Share of 11th graders meeting the standard in mathematics",
        "45% by spring 2027, up from 34%",
    ),
    (
        "D3",
        "Students and staff feel safe, known and well",
        "Belonging items on the spring climate survey",
        "80% favourable for students and staff",
    ),
    (
        "D4",
        "Instruction reaches every learner",
        "Walkthroughs showing differentiated tasks",
        "Seen in 70% of walkthroughs",
    ),
]
SCHOOL_GOALS = [
    ("Close the reading gap for 9th graders", ["D1"], "9th-grade screener", "75% on benchmark"),
    ("Math tasks that every student can start", ["D2", "D4"], "Common assessments", "+10 points"),
    ("Advisory that builds belonging", ["D3"], "Advisory survey", "85% favourable"),
]
PRIORITIES = [
    ("Reading comprehension in 9th grade", "Fall screener: 41% of 9th graders below benchmark."),
    ("Differentiation in mixed-ability classes", "Walkthroughs: differentiated tasks in 38%."),
    ("Student belonging", "Climate survey: 58% of students feel known by an adult."),
    ("Mathematics problem solving", "Interim assessment: 29% proficient in problem solving."),
]
INPUT = [
    ("parent", "More after-school reading help would make a difference for my son."),
    ("parent", "Please keep families informed about what students learn in advisory."),
    ("community", "The library can host teacher book studies on literacy."),
    ("parent", "Math homework help in Spanish would help our family."),
    ("staff", "We need time in PLCs to look at student writing together."),
    ("community", "Local employers would visit classes to show math at work."),
    ("parent", "Advisory has made my daughter feel she belongs."),
]
STRUCTURE = {
    "intensive_support": (
        "New and struggling teachers get a coaching cycle each semester with the "
        "instructional coach, and a mentor in their first two years."
    ),
    "individual": "Every staff member sets a goal aligned to ours, with ISD funds for learning.",
    "small_group": "Weekly department PLCs on student work; a lesson-study group in English.",
    "whole_group": "Three literacy-across-the-content-areas institutes on the district PD days.",
}
