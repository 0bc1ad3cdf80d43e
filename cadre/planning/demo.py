"""The demo district's plans: a published district strategic plan, a plan for each school and
for Title I aligned to it, this year's needs assessments with ranked priorities and
stakeholder input (one school still gathering it), and school PD plans in every state."""

from cadre.districts.demo import account
from cadre.districts.models import Program, School, SchoolYear, Staff
from cadre.planning import services
from cadre.planning.demo_data import DISTRICT_GOALS, INPUT, PRIORITIES, SCHOOL_GOALS, STRUCTURE
from cadre.planning.models import Goal, StrategicPlan


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
