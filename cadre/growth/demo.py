"""The demo district's professional goals and ISD: contract allotments by bargaining unit,
goals for most staff in every state (last year's with reflections), and ISD requests in every
state. Everything goes through the services, so the audit trail and the ledger hold."""

from datetime import date, timedelta
from decimal import Decimal

from cadre.core.errors import DomainError
from cadre.districts import services as districts
from cadre.districts.demo import account
from cadre.districts.models import Assignment, Role, SchoolYear
from cadre.funding.models import FundingSource
from cadre.growth import services
from cadre.growth.demo_data import ALLOTMENTS, GOALS, REQUESTS
from cadre.growth.models import ProfessionalGoal
from cadre.planning.models import Goal

D = Decimal


def build(b, result) -> None:
    district = b.district
    rng = b.rng
    admin = account(b, "admin").user
    principal_account = account(b, "principal")
    business = account(b, "business").user
    years = list(SchoolYear.objects.filter(district=district).order_by("start_date"))
    last_year, year = years[0], years[-1]
    today = district.today()
    # The administrator sets this year's date for goals.
    year = districts.school_year_update(
        school_year=year, actor=admin, data={"goals_due": date(2026, 10, 15)}
    )
    source = FundingSource.objects.get(district=district, kind=FundingSource.Kind.ISD)
    for unit, amount, hours in ALLOTMENTS:
        for y in (last_year, year):
            services.allotment_create(
                district=district,
                actor=admin,
                data={
                    "school_year": y,
                    "bargaining_unit": unit,
                    "source": source,
                    "amount": amount,
                    "hours": hours,
                },
            )

    # The approver is each school's principal: the demo principal's login at the first
    # school, an administrator elsewhere (the other principals have no login).
    first_school = principal_account.assignments.get().school_id
    school_goals: dict[int, list[Goal]] = {}
    for g in Goal.objects.filter(
        district=district, plan__status="published", plan__school__isnull=False
    ).select_related("plan"):
        school_goals.setdefault(g.plan.school_id, []).append(g)
    district_goals = list(Goal.objects.filter(district=district, plan__level="district"))
    staff = list(
        Assignment.objects.filter(
            district=district,
            school__isnull=False,
            role__in=[Role.TEACHER, Role.INSTRUCTIONAL_COACH, Role.COUNSELOR],
        )
        .select_related("staff", "staff__user", "staff__district")
        .order_by("staff_id")
    )
    seen = set()
    teacher_account = None
    # The goals are drawn first and created together; then each person's fate, in the same
    # order: waiting, returned or (with last year's goal, for some) approved.
    rows = []
    fates = []  # (actor, approver, roll, their goals' positions in rows)
    reflections = []
    for a in staff:
        person = a.staff
        if person.pk in seen:
            continue
        seen.add(person.pk)
        approver = principal_account.user if a.school_id == first_school else admin
        actor = person.user
        if person.email == b.email("teacher"):
            teacher_account = person
            continue
        roll = rng.random()
        if roll < 0.12:
            continue  # no goal yet
        title, statement, activities, evidence = rng.choice(GOALS)
        aligns = [rng.choice(school_goals.get(a.school_id) or district_goals)]
        mine = [len(rows)]
        rows.append(
            {
                "staff": person,
                "actor": actor,
                "data": {
                    "title": title,
                    "statement": statement,
                    "activities": activities,
                    "evidence": evidence,
                    "school_year": year,
                },
                "aligns_to": aligns,
            }
        )
        if roll >= 0.42 and rng.random() < 0.3:
            mine.append(len(rows))
            rows.append(
                {
                    "staff": person,
                    "actor": actor,
                    "data": {
                        "title": rng.choice(GOALS)[0],
                        "statement": statement,
                        "activities": activities,
                        "evidence": evidence,
                        "school_year": last_year,
                    },
                    "aligns_to": [rng.choice(district_goals)],
                }
            )
            reflections.append(
                (
                    mine[1],
                    actor,
                    {
                        "reflection": "Most of my students grew; the writing routines stuck.",
                        "outcome": rng.choice(["met", "met", "partly_met", "not_met"]),
                    },
                )
            )
        fates.append((actor, approver, roll, mine))
    created = services.goals_create(rows=rows)
    # Below 0.2 a draft; below 0.42 submitted (and, from 0.35, returned); the rest approved.
    # The submissions are taken in together, each by its author.
    services.goals_submit(
        rows=[(created[i], actor) for actor, _, roll, mine in fates if roll >= 0.2 for i in mine]
    )
    # Each principal approves the goals waiting for them together, as the list of those
    # waiting lets them; last year's then get their reflections.
    waiting: dict[int, tuple] = {}
    for _, approver, roll, mine in fates:
        if 0.35 <= roll < 0.42:
            services.goal_return(
                goal=created[mine[0]], actor=approver, comment="Name the students and the measure."
            )
        elif roll >= 0.42:
            waiting.setdefault(approver.pk, (approver, []))[1].extend(created[i] for i in mine)
    for approver, goals in waiting.values():
        services.goal_approve_many(goals=goals, actor=approver)
    services.goals_reflect(rows=[(created[old], actor, data) for old, actor, data in reflections])
    _teacher_account(teacher_account, principal_account.user, school_goals, business, today)
    _requests(b, staff, first_school, principal_account.user, admin, business, today)


def _teacher_account(teacher, principal, school_goals, business, today) -> None:
    """The demo teacher: an approved goal with ISD learning under it, and a draft."""
    school = teacher.assignments.get().school_id
    actor = teacher.user
    title, statement, activities, evidence = GOALS[0]
    goal = services.goal_create(
        staff=teacher,
        actor=actor,
        data={
            "title": title,
            "statement": statement,
            "activities": activities,
            "evidence": evidence,
        },
        aligns_to=school_goals[school][:1],
    )
    services.goal_submit(goal=goal, actor=actor)
    services.goal_approve(goal=goal, actor=principal)
    services.goal_create(
        staff=teacher,
        actor=actor,
        data={"title": GOALS[2][0], "statement": GOALS[2][1]},
        aligns_to=school_goals[school][2:3],
    )
    for i, (kind, what, provider, cost, hours) in enumerate(REQUESTS[i] for i in (0, 2, 5)):
        start = date(2026, 9, 20) + timedelta(days=30 * i)
        request = services.isd_request_create(
            staff=teacher,
            actor=actor,
            data={
                "kind": kind,
                "title": what,
                "provider": provider,
                "start_date": start,
                "end_date": start + timedelta(days=1),
                "cost": cost,
                "hours": hours,
                "goal": goal,
                "rationale": "It builds the reading routines my goal depends on.",
            },
        )
        if i == 2:
            continue  # waiting for the principal
        services.isd_approve(request=request, actor=principal)
        if i == 0 and start <= today:
            services.isd_complete(
                request=request, actor=actor, note="Attended both days; notes shared with my PLC."
            )
            services.isd_reimburse(request=request, actor=business, paid_amount=cost - D(20))


def _requests(b, staff, first_school, principal, admin, business, today) -> None:
    rng = b.rng
    people = [a for a in staff if a.staff.email != b.email("teacher")]
    rng.shuffle(people)
    done = set()
    # The approved goals, read once, by person in the order of their keys.
    approved: dict[int, list[ProfessionalGoal]] = {}
    for g in (
        ProfessionalGoal.objects.filter(
            district=b.district, status=ProfessionalGoal.Status.APPROVED
        )
        .select_related("school_year")
        .order_by("id")
    ):
        approved.setdefault(g.staff_id, []).append(g)
    for a in people[:160]:
        person = a.staff
        if person.pk in done:
            continue
        done.add(person.pk)
        approver = principal if a.school_id == first_school else admin
        kind, what, provider, cost, hours = rng.choice(REQUESTS)
        start = date(2026, 8, 15) + timedelta(days=rng.randint(0, 200))
        # Their latest approved goal whose year began by the start.
        goal = next(
            (g for g in reversed(approved.get(person.pk, [])) if g.school_year.start_date <= start),
            None,
        )
        try:
            request = services.isd_request_create(
                staff=person,
                actor=person.user,
                data={
                    "kind": kind,
                    "title": what,
                    "provider": provider,
                    "start_date": start,
                    "end_date": start + timedelta(days=1),
                    "cost": cost,
                    "hours": hours,
                    "goal": goal,
                    "rationale": "It serves my professional goal this year.",
                },
            )
            roll = rng.random()
            if roll < 0.2:
                continue  # submitted
            if roll < 0.3:
                services.isd_deny(
                    request=request, actor=approver, reason="Budget priority is the literacy work."
                )
                continue
            services.isd_approve(request=request, actor=approver)
            if roll < 0.38:
                services.isd_cancel(request=request, actor=person.user, reason="Could not attend.")
                continue
            if roll < 0.6 or start > today:
                continue  # approved, ahead
            services.isd_complete(
                request=request, actor=person.user, note="Completed; certificate attached."
            )
            if roll < 0.75:
                continue  # waiting for reimbursement
            paid = cost if rng.random() < 0.7 else (cost * D("0.9")).quantize(D("0.01"))
            services.isd_reimburse(request=request, actor=business, paid_amount=paid)
        except DomainError:
            continue  # a balance or budget ran out: what the rules should refuse
