"""The demo district's plans: a published district strategic plan, a plan for each school and
for Title I aligned to it, this year's needs assessments with ranked priorities and
stakeholder input (one school still gathering it), and school PD plans in every state."""

from cadre.districts.demo import account
from cadre.districts.models import Program, School, SchoolYear, Staff
from cadre.planning import services
from cadre.planning.models import Goal, StrategicPlan

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


def build(b, result) -> None:
    district = b.district
    admin = account(b, "admin").user
    principal = account(b, "principal").user
    director = account(b, "director").user
    years = list(SchoolYear.objects.filter(district=district).order_by("start_date"))
    last_year, year = years[0], years[-1]
    schools = list(School.objects.filter(district=district).order_by("code"))
    title1 = Program.objects.get(district=district, kind=Program.Kind.TITLE_I)

    def plan(level, title, actor, publish=True, **owner):
        p = services.plan_create(
            district=district,
            actor=actor,
            data={
                "level": level,
                "title": title,
                "summary": "Adopted by the board after a year of listening to families and staff.",
                "first_year": last_year,
                "last_year": year,
                **owner,
            },
        )
        return p, publish

    district_plan, _ = plan(StrategicPlan.Level.DISTRICT, "Riverbend Forward 2025–2027", admin)
    goals = {}
    for code, title, measure, target in DISTRICT_GOALS:
        goals[code] = services.goal_create(
            plan=district_plan,
            actor=admin,
            data={"code": code, "title": title, "measure": measure, "target": target},
        )
    services.plan_publish(plan=district_plan, actor=admin)

    for s, school in enumerate(schools):
        actor = principal if s == 0 else admin
        draft = s == len(schools) - 1  # one school is still drafting its plan
        school_plan, _ = plan(
            StrategicPlan.Level.SCHOOL, f"{school.name} site plan", actor, school=school
        )
        for g, (title, aligns, measure, target) in enumerate(SCHOOL_GOALS, start=1):
            services.goal_create(
                plan=school_plan,
                actor=actor,
                data={
                    "code": f"{school.code or 'S'}-{g}",
                    "title": title,
                    "measure": measure,
                    "target": target,
                },
                aligns_to=[goals[c] for c in aligns],
            )
        if not draft:
            services.plan_publish(plan=school_plan, actor=actor)
    title1_plan, _ = plan(
        StrategicPlan.Level.PROGRAM, "Title I schoolwide improvement", director, program=title1
    )
    services.goal_create(
        plan=title1_plan,
        actor=director,
        data={
            "code": "T1-1",
            "title": "Tier 2 reading intervention in every Title I school",
            "measure": "Students exiting intervention each term",
            "target": "30% exit each term",
        },
        aligns_to=[goals["D1"]],
    )
    services.plan_publish(plan=title1_plan, actor=director)

    _needs(b, district, year, schools, principal, admin)


def _needs(b, district, year, schools, principal, admin) -> None:
    rng = b.rng

    for s, school in enumerate(schools):
        actor = principal if s == 0 else admin
        assessment = services.assessment_create(
            district=district,
            actor=actor,
            data={
                "school": school,
                "school_year": year,
                "summary": "Drawn from the fall screener, walkthroughs and the climate survey.",
            },
        )
        order = PRIORITIES[:] if s == 0 else rng.sample(PRIORITIES, k=3)
        priorities = [
            services.priority_add(
                assessment=assessment, actor=actor, data={"area": area, "evidence": evidence}
            )
            for area, evidence in order
        ]
        if s < 3:
            services.assessment_input_link(assessment=assessment, actor=actor, open=True)
            for i, (source, body) in enumerate(INPUT):
                if source == "staff":
                    person = Staff.objects.filter(
                        district=district, assignments__school=school, user__isnull=True
                    ).first()
                    item = services.input_submit_staff(
                        assessment=assessment, staff=person, actor=None, data={"body": body}
                    )
                else:
                    item = services.input_submit_public(
                        assessment=assessment,
                        data={"source": source, "body": body},
                        client_ip=f"198.51.100.{i + 10 * s}",
                    )
                if i % 3 == 0:
                    continue  # left for the principal to read
                services.input_moderate(
                    item=item,
                    actor=actor,
                    status="hidden" if i == 5 and s else "accepted",
                    priority=priorities[i % len(priorities)],
                )
        if s != 0:  # the first school is still gathering input
            services.assessment_finalize(assessment=assessment, actor=actor)
        school_goals = list(Goal.objects.filter(plan__school=school, plan__status="published"))
        if s == len(schools) - 1:
            continue  # no PD plan yet
        pd_plan = services.pd_plan_create(
            district=district,
            actor=actor,
            data={"school": school, "school_year": year, **STRUCTURE},
            priorities=priorities[:2],
            goals=school_goals[:2],
        )
        state = s % 5
        if state == 1:
            continue  # a draft
        services.pd_plan_submit(plan=pd_plan, actor=actor)
        if state == 2:
            continue  # waiting for the principal
        if state == 3:
            services.pd_plan_return(
                plan=pd_plan, actor=actor, comment="Say who coaches the new teachers."
            )
            continue
        services.pd_plan_approve(plan=pd_plan, actor=actor)
