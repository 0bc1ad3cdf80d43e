"""The world's planning part (conftest.py joins the parts; see World there)."""

from cadre.planning import services
from cadre.planning.models import StrategicPlan


def build(district, o: dict) -> None:
    """A published district plan and school plan (aligned), a draft school plan, a draft
    needs assessment taking input with one priority and a pending parent input, and a
    submitted PD plan."""
    admin, principal = o["admin"].user, o["principal"].user
    year = o["year"]

    def plan(level, actor, **owner):
        return services.plan_create(
            district=district,
            actor=actor,
            data={
                "level": level,
                "title": f"{level.title()} plan",
                "first_year": year,
                "last_year": year,
                **owner,
            },
        )

    def goal(p, code, aligns_to=()):
        data = {"code": code, "title": f"Goal {code}", "measure": "m", "target": "t"}
        return services.goal_create(plan=p, actor=admin, data=data, aligns_to=list(aligns_to))

    district_plan = plan(StrategicPlan.Level.DISTRICT, admin)
    district_goal = goal(district_plan, "D1")
    district_plan = services.plan_publish(plan=district_plan, actor=admin)
    school_plan = plan(StrategicPlan.Level.SCHOOL, principal, school=o["school"])
    school_goal = goal(school_plan, "S1", [district_goal])
    school_plan = services.plan_publish(plan=school_plan, actor=principal)
    draft_plan = services.plan_create(
        district=district,
        actor=principal,
        data={
            "level": StrategicPlan.Level.SCHOOL,
            "school": o["school"],
            "title": "Next plan",
            "first_year": year,
            "last_year": year,
        },
    )
    draft_goal = goal(draft_plan, "N1", [district_goal])
    assessment = services.assessment_create(
        district=district, actor=principal, data={"school": o["school"], "school_year": year}
    )
    priority = services.priority_add(
        assessment=assessment,
        actor=principal,
        data={"area": "Reading", "evidence": "Spring screener"},
    )
    assessment = services.assessment_input_link(assessment=assessment, actor=principal, open=True)
    parent_input = services.input_submit_public(
        assessment=assessment,
        data={"source": "parent", "body": "More reading support, please."},
        client_ip="203.0.113.9",
    )
    pd_plan = services.pd_plan_create(
        district=district,
        actor=principal,
        data={
            "school": o["school"],
            "school_year": year,
            "intensive_support": "Coaching cycles",
            "individual": "Goals",
            "small_group": "PLCs",
            "whole_group": "Institute",
        },
        priorities=[priority],
        goals=[school_goal],
    )
    pd_plan = services.pd_plan_submit(plan=pd_plan, actor=principal)
    o |= {
        "district_plan": district_plan,
        "district_goal": district_goal,
        "school_plan": school_plan,
        "school_goal": school_goal,
        "draft_plan": draft_plan,
        "draft_goal": draft_goal,
        "assessment": assessment,
        "priority": priority,
        "input": parent_input,
        "pd_plan": pd_plan,
    }
