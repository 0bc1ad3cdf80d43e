"""The demo district's money: sources, this fiscal year's budgets, entries from July to
today, stipends with a paid payroll batch, and published Title I and Special Education
plans. Everything goes through the services, so the ledger reconciles."""

from datetime import date, timedelta
from decimal import Decimal

from cadre.core.errors import DomainError
from cadre.districts.demo import account
from cadre.districts.models import Assignment, Program, Role, School, SchoolYear, Staff
from cadre.funding.demo_data import COURSES, SOURCES
from cadre.funding.models import FundingSource, StipendRole, StipendSchedule, Use
from cadre.funding.services import budgets, fiscal_years, ledger, plans, stipends, transfers

D = Decimal
U = Use


def _teachers(district, school_ids: list[int] | None = None) -> dict[int, list[Staff]]:
    qs = Assignment.objects.filter(
        district=district, role=Role.TEACHER, school__isnull=False
    ).select_related("staff")
    if school_ids is not None:
        qs = qs.filter(school_id__in=school_ids)
    out: dict[int, list[Staff]] = {}
    for a in qs:
        out.setdefault(a.school_id, []).append(a.staff)
    return out


def build(b, result) -> None:
    district = b.district
    rng = b.rng
    admin = account(b, "admin").user
    director = account(b, "director").user
    programs = {p.kind: p for p in Program.objects.filter(district=district)}
    schools = list(School.objects.filter(district=district).order_by("code"))
    title1_schools = set(programs[Program.Kind.TITLE_I].schools.values_list("pk", flat=True))
    today = district.today()
    year = fiscal_years.fiscal_year_for(district=district, on=today)
    start = year.start_date

    sources = {}
    for name, code, kind, owner, uses, restricted, carries in SOURCES:
        sources[kind] = budgets.source_create(
            district=district,
            actor=admin,
            data={
                "name": name,
                "code": code,
                "kind": kind,
                "program": programs.get(owner),
                "allowed_uses": uses,
                "staff_restricted": restricted,
                "carries_forward": carries,
                "is_active": True,
            },
        )
    K = FundingSource.Kind

    def budget(kind, amount, hours=0, days=0, **owner):
        return budgets.budget_create(
            district=district,
            actor=admin,
            data={
                "source": sources[kind],
                "fiscal_year": year,
                "amount": D(amount),
                "hours": D(hours),
                "days": D(days),
                **owner,
            },
        )

    isd = budget(K.ISD, "180000", hours=2400)
    title2 = budget(K.TITLE_II_A, "85000", days=120)
    state = budget(K.STATE_GRANT, "60000", hours=800)
    budget(K.PRIVATE_GRANT, "12500")
    sped = budget(K.IDEA, "64000", days=90, program=programs[Program.Kind.SPECIAL_EDUCATION])
    general, title1 = {}, {}
    for school in schools:
        general[school.pk] = budget(K.GENERAL, "14000", hours=320, days=45, school=school)
        if school.pk in title1_schools:
            title1[school.pk] = budget(K.TITLE_I, "42000", hours=400, days=70, school=school)

    teachers = _teachers(district)
    sped_teachers = list(
        Staff.objects.filter(
            assignments__program=programs[Program.Kind.SPECIAL_EDUCATION]
        ).distinct()[:40]
    )

    def when() -> date:
        return start + timedelta(days=rng.randint(0, max(0, (today - start).days)))

    def spend_some(budget, people, n, uses):
        for _ in range(n):
            person = rng.choice(people)
            on = when()
            use = rng.choice(uses)
            try:
                if use == U.SUBSTITUTE:
                    days = D(rng.choice([1, 1, 2, "0.5"]))
                    entry = ledger.budget_encumber(
                        budget=budget,
                        use=use,
                        days=days,
                        staff=person,
                        actor=admin,
                        on=on,
                        memo="Release day for PD",
                    )
                    roll = rng.random()
                    if roll < 0.7:
                        ledger.budget_spend(
                            encumbrance=entry,
                            days=days,
                            amount=D("185") * days,
                            actor=admin,
                            on=on,
                            memo="Substitute paid",
                        )
                    elif roll < 0.8:
                        ledger.budget_release(encumbrance=entry, actor=admin, memo="Cancelled")
                    continue
                course, fee = rng.choice(COURSES)
                entry = ledger.budget_encumber(
                    budget=budget,
                    use=U.REGISTRATION,
                    amount=fee,
                    hours=D(rng.choice([6, 12])),
                    staff=person,
                    actor=admin,
                    on=on,
                    memo=course,
                )
                roll = rng.random()
                if roll < 0.65:
                    ledger.budget_spend(
                        encumbrance=entry,
                        amount=fee,
                        hours=entry.hours,
                        actor=admin,
                        on=on + timedelta(days=rng.randint(5, 25)),
                        memo=f"Paid: {course}",
                    )
                elif roll < 0.75:
                    ledger.budget_release(encumbrance=entry, actor=admin, memo="Withdrew")
            except DomainError:
                continue  # a demo budget ran out: exactly what the ledger should refuse

    for school in schools:
        people = teachers.get(school.pk, [])
        if not people:
            continue
        spend_some(general[school.pk], people, 12, [U.REGISTRATION, U.SUBSTITUTE])
        if school.pk in title1:
            spend_some(title1[school.pk], people, 16, [U.REGISTRATION, U.SUBSTITUTE])
    everyone = [p for group in teachers.values() for p in group]
    spend_some(isd, everyone, 60, [U.REGISTRATION])
    spend_some(title2, everyone, 30, [U.REGISTRATION, U.SUBSTITUTE])
    spend_some(state, everyone, 20, [U.REGISTRATION])
    spend_some(sped, sped_teachers, 25, [U.REGISTRATION, U.SUBSTITUTE])
    ledger.budget_spend(
        budget=state,
        use=U.CONSULTANT,
        amount=D("18500"),
        actor=admin,
        on=start + timedelta(40),
        memo="Instructional coaching partner, first semester",
    )
    ledger.budget_adjust(
        budget=state,
        use=U.CONSULTANT,
        amount=D("-1250"),
        actor=admin,
        reason="Vendor credit: two coaching days not delivered",
    )
    transfer = transfers.transfer_request(
        district=district,
        actor=admin,
        from_budget=general[schools[0].pk],
        to_budget=general[schools[1].pk],
        amount=D("1500"),
        days=D("3"),
        reason="Cottonwood hosts the shared literacy institute",
    )
    transfers.transfer_request(
        district=district,
        actor=account(b, "principal").user,
        from_budget=general[schools[0].pk],
        to_budget=general[schools[2].pk],
        amount=D("800"),
        reason="Sierra Vista covers our AVID substitutes",
    )
    transfers.transfer_approve(
        transfer=transfer, actor=_other_admin(b, admin), note="Agreed at cabinet"
    )
    _stipends(b, district, admin, year, sources, title2, sped, teachers)
    _plans(district, director, programs, sources)


def _other_admin(b, admin):
    return (
        Staff.objects.filter(district=b.district, assignments__role=Role.DISTRICT_ADMIN)
        .exclude(user=admin)
        .exclude(user__isnull=True)
        .first()
        or account(b, "business")
    ).user


def _stipends(b, district, admin, year, sources, title2, sped, teachers) -> None:
    current = SchoolYear.objects.get(district=district, is_current=True)
    schedules = {}
    for role, name, amount, months, proration in [
        (StipendRole.MENTOR, "Mentor teacher", "1500", 10, StipendSchedule.Proration.MONTHLY),
        (StipendRole.MENTEE, "New-teacher induction", "500", 10, StipendSchedule.Proration.MONTHLY),
        (StipendRole.FACILITATOR, "PD facilitator", "750", 10, StipendSchedule.Proration.NONE),
        (StipendRole.PLC_LEAD, "PLC lead", "1000", 10, StipendSchedule.Proration.MONTHLY),
    ]:
        schedules[role] = stipends.schedule_create(
            district=district,
            actor=admin,
            data={
                "school_year": current,
                "role": role,
                "name": name,
                "amount": D(amount),
                "full_months": months,
                "proration": proration,
                "source": sources[FundingSource.Kind.TITLE_II_A],
            },
        )
    people = [p for group in teachers.values() for p in group]
    rng = b.rng
    awards = []
    for i in range(24):
        role = [StipendRole.MENTOR, StipendRole.PLC_LEAD, StipendRole.FACILITATOR][i % 3]
        awards.append(
            stipends.award_create(
                district=district,
                actor=admin,
                schedule=schedules[role],
                staff=rng.choice(people),
                budget=title2,
                months=rng.choice([4, 6, 10]),
                evidence="Service log on file with the PD office.",
            )
        )
    for award in awards[:18]:
        stipends.award_approve(award=award, actor=admin)
    business = account(b, "business").user
    stipends.payroll_batch_create(
        district=district,
        actor=business,
        awards=awards[:10],
        paid_on=max(year.start_date, district.today() - timedelta(days=20)),
    )
    stipends.award_cancel(award=awards[-1], actor=admin, reason="Moved out of the district")


def _plans(district, director, programs, sources) -> None:
    current = SchoolYear.objects.get(district=district, is_current=True)
    sped_director = (
        Staff.objects.filter(
            district=district,
            assignments__role=Role.PROGRAM_DIRECTOR,
            assignments__program=programs[Program.Kind.SPECIAL_EDUCATION],
        )
        .first()
        .user
    )
    for program, actor, title, summary, goals, activities, allocations in [
        (
            programs[Program.Kind.TITLE_I],
            director,
            "Title I professional learning plan 2026–27",
            "Our five schoolwide Title I schools focus PD on literacy across the content areas "
            "and on using formative data in PLCs. Every teacher gets release time for a "
            "coaching cycle.",
            "Raise grade 9–10 reading proficiency by 8 points\n"
            "Every Title I teacher completes one coaching cycle\nReduce D/F rates in 9th grade",
            [
                ("Summer literacy institute", "All Title I teachers", "June 2027"),
                (
                    "Disciplinary literacy coaching cycles",
                    "Teachers new to Title I schools",
                    "October–April",
                ),
                ("Data-team release days", "PLC leads", "After each benchmark window"),
            ],
            [
                (U.REGISTRATION, "48000"),
                (U.SUBSTITUTE, "62000"),
                (U.CONSULTANT, "55000"),
                (U.STIPEND, "18000"),
            ],
        ),
        (
            programs[Program.Kind.SPECIAL_EDUCATION],
            sped_director,
            "Special Education PD plan 2026–27",
            "IDEA funds support co-teaching, IEP quality and behaviour supports for special "
            "educators and their general-education partners.",
            "Increase time in general education for students with IEPs\n"
            "Compliant, student-centred IEPs",
            [
                ("Co-teaching academy", "Co-teaching pairs", "September and January"),
                ("IEP writing clinic", "Case managers", "Monthly"),
            ],
            [(U.REGISTRATION, "22000"), (U.SUBSTITUTE, "26000"), (U.STIPEND, "9000")],
        ),
    ]:
        kind = (
            FundingSource.Kind.TITLE_I
            if program.kind == Program.Kind.TITLE_I
            else FundingSource.Kind.IDEA
        )
        plan = plans.plan_create(
            district=district,
            actor=actor,
            data={
                "program": program,
                "school_year": current,
                "title": title,
                "summary": summary,
                "goals": goals,
            },
        )
        for name, audience, timing in activities:
            plans.activity_add(
                plan=plan,
                actor=actor,
                data={"title": name, "audience": audience, "timing": timing},
            )
        for use, amount in allocations:
            plans.allocation_add(
                plan=plan,
                actor=actor,
                data={"use": use, "source": sources[kind], "amount": D(amount)},
            )
        plan = plans.plan_publish(plan=plan, actor=actor)
        covered = Staff.objects.filter(
            district=district, assignments__school__in=program.schools.all()
        ).distinct()[:25]
        for person in covered:
            plans.plan_acknowledge(plan=plan, staff=person, actor=person.user)
