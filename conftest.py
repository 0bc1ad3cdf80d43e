import copy

import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    """Test code sets up rows freely; requests still run inside their district's scope."""
    with scopes_disabled():
        yield


FAST = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "SECURE_SSL_REDIRECT": False,
}


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's database setup, except that migrations run once per run into a template
    that each test process copies (cadre/tests/testdb.py), not once in every process.
    --reuse-db and --nomigrations take pytest-django's own way."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    from cadre.tests import testdb

    verbosity = request.config.option.verbose
    aliases, serialized = _get_databases_for_setup(request.session.items)
    keepdb = django_db_keepdb and not django_db_createdb
    with django_db_blocker.unblock():
        if django_db_use_migrations and not keepdb and aliases <= {testdb.ALIAS}:
            old = testdb.setup(verbosity, serialize=testdb.ALIAS in serialized)
        else:
            if not django_db_use_migrations:
                _disable_migrations()
            old = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized,
                keepdb=keepdb,
            )
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(old, verbosity=verbosity)


@pytest.fixture(scope="session")
def _media(tmp_path_factory):
    # One media folder per test process: the shared world's files live there.
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_settings(settings, _media):
    for name, value in FAST.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = _media


@pytest.fixture(scope="session")
def openapi_schema(tmp_path_factory):
    """The API's OpenAPI schema, generated and validated (a warning fails) once per test
    process, for every app's schema test."""
    import yaml
    from django.core.management import call_command

    path = tmp_path_factory.mktemp("openapi") / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


class World:
    """Two districts. In A: an admin, a principal of one school, a program director, teachers
    inside and outside the principal's school. In B: the same shape, for outsider checks."""

    def __init__(self):
        from cadre.districts.factories import (
            DistrictFactory,
            ProgramFactory,
            SchoolFactory,
            SchoolYearFactory,
            staff_with_role,
        )
        from cadre.districts.models import ImportRun, Role

        self.a = DistrictFactory(name="Alder District", slug="world-a")
        self.b = DistrictFactory(name="Birch District", slug="world-b")
        for key, district in (("a", self.a), ("b", self.b)):
            school = SchoolFactory(district=district)
            other_school = SchoolFactory(district=district)
            program = ProgramFactory(district=district)
            program.schools.add(school)
            year = SchoolYearFactory(district=district)
            people = {
                "admin": staff_with_role(Role.DISTRICT_ADMIN, district=district),
                "principal": staff_with_role(Role.PRINCIPAL, school=school),
                "director": staff_with_role(
                    Role.PROGRAM_DIRECTOR, district=district, program=program
                ),
                "teacher": staff_with_role(Role.TEACHER, school=school),
                "other_teacher": staff_with_role(Role.TEACHER, school=other_school),
                "program_teacher": staff_with_role(
                    Role.TEACHER, district=district, program=program
                ),
            }
            run = ImportRun.objects.create(
                district=district,
                original_name="roster.zip",
                file="imports/roster.zip",
                status="succeeded",
            )
            setattr(self, key, district)
            setattr(
                self,
                f"{key}_objects",
                {
                    "school": school,
                    "other_school": other_school,
                    "program": program,
                    "year": year,
                    "import": run,
                    **people,
                    "teacher_assignment": people["teacher"].assignments.get(),
                },
            )
            self._funding(key)
            self._planning(key)
            self._growth(key)
            self._catalog(key)
            self._mentoring(key)
            self._collaboration(key)
            self._coaching(key)

    def _funding(self, key: str) -> None:
        """A Title I source owned by the program, budgets at both schools and the program,
        an encumbrance, a transfer request, a proposed stipend award, a paid one in a payroll batch,
        and a published program plan."""
        from decimal import Decimal

        from cadre.funding import services
        from cadre.funding.factories import (
            BudgetFactory,
            FundingSourceFactory,
            ProgramPlanFactory,
            StipendScheduleFactory,
        )
        from cadre.funding.models import FundingSource, Use

        o = getattr(self, f"{key}_objects")
        district, admin = o["school"].district, o["admin"].user
        source = FundingSourceFactory(
            district=district,
            name="Title I, Part A",
            kind=FundingSource.Kind.TITLE_I,
            program=o["program"],
            staff_restricted=True,
            allowed_uses=[Use.REGISTRATION, Use.STIPEND, Use.SUBSTITUTE],
        )
        fy = services.fiscal_year_for(district=district, on=district.today())
        budget = BudgetFactory(district=district, source=source, fiscal_year=fy, school=o["school"])
        other = BudgetFactory(
            district=district, source=source, fiscal_year=fy, school=o["other_school"]
        )
        program_budget = BudgetFactory(
            district=district, source=source, fiscal_year=fy, program=o["program"]
        )
        entry = services.budget_encumber(
            budget=budget,
            use=Use.REGISTRATION,
            amount=Decimal("100"),
            staff=o["teacher"],
            actor=admin,
        )
        transfer = services.transfer_request(
            district=district,
            actor=o["principal"].user,
            from_budget=budget,
            to_budget=program_budget,
            amount=Decimal("50"),
            reason="Move to the program pool",
        )
        schedule = StipendScheduleFactory(district=district, school_year=o["year"])
        award = services.award_create(
            district=district,
            actor=admin,
            schedule=schedule,
            staff=o["teacher"],
            budget=budget,
            months=10,
        )
        paid = services.award_create(
            district=district,
            actor=admin,
            schedule=schedule,
            staff=o["program_teacher"],
            budget=program_budget,
            months=2,
        )
        services.award_approve(award=paid, actor=admin)
        batch = services.payroll_batch_create(district=district, actor=admin, awards=[paid])
        plan = ProgramPlanFactory(district=district, program=o["program"], school_year=o["year"])
        services.activity_add(plan=plan, actor=admin, data={"title": "Reading institute"})
        services.allocation_add(
            plan=plan,
            actor=admin,
            data={"use": Use.REGISTRATION, "source": source, "amount": Decimal("5000")},
        )
        plan = services.plan_publish(plan=plan, actor=o["director"].user)
        o |= {
            "source": source,
            "fiscal_year": fy,
            "budget": budget,
            "other_budget": other,
            "program_budget": program_budget,
            "entry": entry,
            "transfer": transfer,
            "schedule": schedule,
            "award": award,
            "paid_award": paid,
            "batch": batch,
            "plan": plan,
            "activity": plan.activities.get(),
            "allocation": plan.allocations.get(),
        }

    def _planning(self, key: str) -> None:
        """A published district plan and school plan (aligned), a draft school plan, a draft
        needs assessment taking input with one priority and a pending parent input, and a
        submitted PD plan."""
        from cadre.planning import services
        from cadre.planning.models import StrategicPlan

        o = getattr(self, f"{key}_objects")
        district, admin, principal = o["school"].district, o["admin"].user, o["principal"].user
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
        assessment = services.assessment_input_link(
            assessment=assessment, actor=principal, open=True
        )
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

    def _growth(self, key: str) -> None:
        """Goals for the teacher (submitted, draft) and the program teacher (submitted), an ISD
        source and budget, a default allotment, and ISD requests: the teacher's submitted one
        with a PDF receipt and an approved one, and the program teacher's submitted one."""
        from datetime import timedelta
        from decimal import Decimal

        from django.core.files.uploadedfile import SimpleUploadedFile

        from cadre.funding.factories import BudgetFactory, FundingSourceFactory
        from cadre.funding.models import FundingSource, Use
        from cadre.growth import services

        o = getattr(self, f"{key}_objects")
        district, admin = o["school"].district, o["admin"].user

        def personal(staff, title, submit=True):
            goal = services.goal_create(
                staff=staff,
                actor=staff.user,
                data={
                    "title": title,
                    "statement": "Raise reading",
                    "activities": "Reading institute",
                    "evidence": "Screener growth",
                    "school_year": o["year"],
                },
                aligns_to=[o["school_goal"] if staff.pk == o["teacher"].pk else o["district_goal"]],
            )
            return services.goal_submit(goal=goal, actor=staff.user) if submit else goal

        goal = personal(o["teacher"], "Guided reading")
        draft = personal(o["teacher"], "Small groups", submit=False)
        program_goal = personal(o["program_teacher"], "Title I interventions")
        source = FundingSourceFactory(
            district=district,
            name="ISD contract funds",
            kind=FundingSource.Kind.ISD,
            allowed_uses=[Use.REGISTRATION, Use.MATERIALS, Use.TRAVEL],
        )
        fy = o["fiscal_year"]
        budget = BudgetFactory(
            district=district,
            source=source,
            fiscal_year=fy,
            amount=Decimal("100000"),
            hours=Decimal("5000"),
        )
        allotment = services.allotment_create(
            district=district,
            actor=admin,
            data={
                "school_year": o["year"],
                "source": source,
                "amount": Decimal("1500"),
                "hours": Decimal("30"),
            },
        )
        start = max(fy.start_date, o["year"].start_date, district.today() - timedelta(days=1))

        def request(staff, title, cost="200", goal=None):
            return services.isd_request_create(
                staff=staff,
                actor=staff.user,
                data={
                    "kind": "conference",
                    "title": title,
                    "start_date": start,
                    "end_date": start,
                    "cost": Decimal(cost),
                    "hours": Decimal("6"),
                    "goal": goal,
                    "rationale": "It serves my goal",
                },
            )

        isd_request = request(o["teacher"], "Literacy conference", goal=goal)
        attachment = services.isd_attach(
            request=isd_request,
            actor=o["teacher"].user,
            upload=SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", "application/pdf"),
        )
        approved = services.isd_approve(
            request=request(o["teacher"], "Reading course", cost="300"), actor=o["principal"].user
        )
        program_request = request(o["program_teacher"], "Title I summit")
        o |= {
            "professional_goal": goal,
            "draft_goal_personal": draft,
            "program_goal": program_goal,
            "isd_source": source,
            "isd_budget": budget,
            "allotment": allotment,
            "isd_request": isd_request,
            "approved_request": approved,
            "attachment": attachment,
            "program_request": program_request,
        }

    def _catalog(self, key: str) -> None:
        """A partner with a contact and an agreement; a published district offering that the
        other teacher facilitates, with a session next week (one meeting) where the teacher is
        registered, and a closed session last month that the teacher completed; an offering
        needing the principal's approval with the teacher's request waiting; a school's draft
        offering; the teacher's submitted external hours and calendar feed; and the principal's
        assignment of the session to the school."""
        from datetime import timedelta
        from decimal import Decimal

        from django.core.files.base import ContentFile
        from django.utils import timezone

        from cadre.catalog.factories import (
            FocusAreaFactory,
            OfferingFactory,
            PartnerFactory,
            RegistrationFactory,
            SessionFactory,
            add_meeting,
        )
        from cadre.catalog.models import (
            Attendance,
            CalendarFeed,
            Completion,
            ExternalHours,
            Offering,
            PartnerAgreement,
            PartnerContact,
            Registration,
            Session,
            SessionAssignment,
        )

        o = getattr(self, f"{key}_objects")
        district = o["school"].district
        focus = FocusAreaFactory(district=district, name="Literacy")
        partner = PartnerFactory(district=district, name="Western University")
        contact = PartnerContact.objects.create(
            district=district, partner=partner, name="Dana Reyes", email="dana@example.edu"
        )
        agreement = PartnerAgreement.objects.create(
            district=district,
            partner=partner,
            title="Reading endorsement MOU",
            start_date=o["year"].start_date,
            end_date=o["year"].end_date,
            cost=Decimal("12000"),
        )
        offering = OfferingFactory(district=district, title="Guided reading", partner=partner)
        offering.focus_areas.add(focus)
        offering.facilitators.add(o["other_teacher"])
        session = SessionFactory(
            district=district, offering=offering, school_year=o["year"], name="Fall"
        )
        meeting = add_meeting(session)
        registration = RegistrationFactory(
            district=district, session=session, staff=o["teacher"], school=o["school"]
        )
        program_registration = RegistrationFactory(
            district=district, session=session, staff=o["program_teacher"], program=o["program"]
        )
        now = timezone.now().replace(microsecond=0)
        done_session = SessionFactory(
            district=district,
            offering=offering,
            school_year=o["year"],
            name="Summer",
            status=Session.Status.CLOSED,
        )
        done_meeting = add_meeting(done_session, start=now - timedelta(days=30), minutes=180)
        done = RegistrationFactory(
            district=district,
            session=done_session,
            staff=o["teacher"],
            school=o["school"],
            status=Registration.Status.COMPLETED,
        )
        attendance = Attendance.objects.create(
            district=district,
            meeting=done_meeting,
            registration=done,
            minutes=180,
            method=Attendance.Method.ROSTER,
        )
        completion = Completion.objects.create(
            district=district,
            registration=done,
            staff=o["teacher"],
            offering=offering,
            school_year=o["year"],
            completed_on=done_meeting.starts_at.date(),
            minutes=180,
            clock_hours=Decimal("3.00"),
            category=offering.category,
        )
        approval_offering = OfferingFactory(
            district=district,
            title="Leadership institute",
            approval=Offering.Approval.SUPERVISOR,
        )
        approval_session = SessionFactory(
            district=district, offering=approval_offering, school_year=o["year"]
        )
        add_meeting(approval_session, start=now + timedelta(days=14))
        requested = RegistrationFactory(
            district=district,
            session=approval_session,
            staff=o["teacher"],
            school=o["school"],
            status=Registration.Status.REQUESTED,
        )
        draft_offering = OfferingFactory(
            district=district,
            title="School data dive",
            school=o["school"],
            status=Offering.Status.DRAFT,
        )
        external = ExternalHours.objects.create(
            district=district,
            staff=o["teacher"],
            school=o["school"],
            school_year=o["year"],
            title="State reading conference",
            completed_on=o["year"].start_date,
            hours=Decimal("6"),
            evidence="Certificate 1234",
            submitted_at=now,
            file_type="application/pdf",
        )
        external.file.save("certificate.pdf", ContentFile(b"%PDF-1.4 certificate"))
        feed = CalendarFeed.objects.create(district=district, staff=o["teacher"])
        assignment = SessionAssignment.objects.create(
            district=district,
            session=session,
            school=o["school"],
            assigned_count=1,
            assigned_by=o["principal"].user,
        )
        o |= {
            "focus_area": focus,
            "partner": partner,
            "partner_contact": contact,
            "agreement": agreement,
            "offering": offering,
            "session": session,
            "meeting": meeting,
            "registration": registration,
            "program_registration": program_registration,
            "done_session": done_session,
            "done_meeting": done_meeting,
            "done_registration": done,
            "attendance": attendance,
            "completion": completion,
            "approval_offering": approval_offering,
            "approval_session": approval_session,
            "requested_registration": requested,
            "draft_offering": draft_offering,
            "external_hours": external,
            "feed": feed,
            "session_assignment": assignment,
        }

    def _mentoring(self, key: str) -> None:
        """The teacher is a trained mentor (the world's offering counts as mentor training)
        with an active match and one log for a new teacher at the principal's school; a
        second new teacher there has a proposed match; the other teacher has extended
        support; the new teacher has an onboarding checklist. A general fund pays, with
        mentor and mentee stipend schedules and a district budget."""
        from datetime import date, timedelta
        from decimal import Decimal

        from cadre.districts.factories import staff_with_role
        from cadre.districts.models import Role
        from cadre.funding.factories import (
            BudgetFactory,
            FundingSourceFactory,
            StipendScheduleFactory,
        )
        from cadre.funding.models import FundingSource, StipendRole, Use
        from cadre.mentoring import services
        from cadre.mentoring.models import Training

        o = getattr(self, f"{key}_objects")
        district, admin = o["school"].district, o["admin"].user
        today = district.today()
        fund = FundingSourceFactory(
            district=district,
            name="General fund: induction",
            kind=FundingSource.Kind.GENERAL,
            allowed_uses=[Use.STIPEND, Use.REGISTRATION],
        )
        fund_budget = BudgetFactory(
            district=district, source=fund, fiscal_year=o["fiscal_year"], amount=Decimal("50000")
        )
        mentee_schedule = StipendScheduleFactory(
            district=district,
            school_year=o["year"],
            role=StipendRole.MENTEE,
            name="Mentee stipend",
            amount=Decimal("500.00"),
        )
        mentor_training = services.training_add(
            district=district, actor=admin, offering=o["offering"], kind=Training.Kind.MENTOR
        )
        orientation = services.training_add(
            district=district,
            actor=admin,
            offering=o["approval_offering"],
            kind=Training.Kind.ORIENTATION,
        )
        new_teacher = staff_with_role(
            Role.TEACHER,
            school=o["school"],
            contracted_days=40,
            substitute_days=22,
            hire_date=today - timedelta(days=20),
        )
        second = staff_with_role(
            Role.TEACHER,
            school=o["school"],
            contracted_days=10,
            substitute_days=0,
            hire_date=date(2026, 8, 20),
        )
        mentor = services.mentor_create(
            district=district, actor=admin, staff=o["teacher"], data={"availability": "Tuesdays"}
        )
        match = services.match_propose(
            district=district, actor=admin, mentor=mentor, mentee=new_teacher, source=fund
        )
        match = services.match_confirm(
            match=match, actor=admin, started_on=today - timedelta(days=14)
        )
        log = services.log_create(
            match=match,
            actor=o["teacher"].user,
            data={
                "met_on": today - timedelta(days=7),
                "minutes": 45,
                "kind": "planning",
                "focus": "First unit plan and the seating chart",
                "next_steps": "Observe period 2 next week",
            },
        )
        proposed = services.match_propose(
            district=district, actor=o["principal"].user, mentor=mentor, mentee=second
        )
        extended = services.extended_support_grant(
            district=district,
            actor=admin,
            staff=o["other_teacher"],
            reason="New to the state's standards",
            source=fund,
        )
        checklist = services.checklist_open(
            district=district, actor=o["principal"].user, staff=new_teacher
        )
        o |= {
            "mentoring_fund": fund,
            "mentoring_budget": fund_budget,
            "mentee_schedule": mentee_schedule,
            "mentor_training": mentor_training,
            "orientation": orientation,
            "new_teacher": new_teacher,
            "second_new_teacher": second,
            "mentor": mentor,
            "match": match,
            "mentor_log": log,
            "proposed_match": proposed,
            "extended_support": extended,
            "checklist": checklist,
            "onboarding_task": checklist.tasks.first(),
            "onboarding_item": checklist.tasks.first().item,
        }

    def _collaboration(self, key: str) -> None:
        """A PLC at the principal's school: the teacher facilitates, the new teacher is a
        member; one meeting (tuning protocol, both present, the teacher's reflection); the
        principal's check-in; a lesson-study group with a research lesson; a cross-school
        critical friends group of the other teacher's. The meeting has a PDF of the student
        work examined (`work_sample`)."""
        from datetime import timedelta

        from django.core.files.base import ContentFile

        from cadre.collaboration.models import (
            Attendance,
            CheckIn,
            Group,
            Meeting,
            Membership,
            Reflection,
            ResearchLesson,
            WorkSample,
        )

        PDF = b"%PDF-1.4\n% exit tickets, names removed\n%%EOF\n"

        o = getattr(self, f"{key}_objects")
        district, school, year = o["school"].district, o["school"], o["year"]
        today = district.today()
        group = Group.objects.create(
            district=district,
            school_year=year,
            school=school,
            name="Grade 3 reading PLC",
            kind=Group.Kind.PLC,
            focus="Why do our readers stall on inference questions?",
            facilitator=o["teacher"],
            schedule="Tuesdays, 3:15",
            stage=Group.Stage.DATA,
        )
        group.goals.add(o["school_goal"])
        for person in (o["teacher"], o["new_teacher"]):
            Membership.objects.create(
                district=district, group=group, staff=person, school=school, joined_on=today
            )
        meeting = Meeting.objects.create(
            district=district,
            group=group,
            held_on=today - timedelta(days=10),
            minutes=60,
            agenda="Look at the unit 2 exit tickets",
            protocol="tuning",
            student_work="24 exit tickets, names removed",
            decisions="Model inference with think-alouds",
            next_steps="Try it for two weeks",
            recorded_by=o["teacher"],
        )
        for person in (o["teacher"], o["new_teacher"]):
            Attendance.objects.create(district=district, meeting=meeting, staff=person)
        reflection = Reflection.objects.create(
            district=district,
            meeting=meeting,
            staff=o["teacher"],
            text="The protocol kept us on evidence.",
        )
        check_in = CheckIn.objects.create(
            district=district,
            group=group,
            held_on=today - timedelta(days=7),
            by=o["principal"],
            needs_changed=False,
            adjustments="None yet",
            resources="Release time for a lesson study",
        )
        lesson_group = Group.objects.create(
            district=district,
            school_year=year,
            school=school,
            name="Fractions lesson study",
            kind=Group.Kind.LESSON_STUDY,
            focus="Students compare fractions with unlike denominators",
            facilitator=o["teacher"],
        )
        Membership.objects.create(
            district=district,
            group=lesson_group,
            staff=o["teacher"],
            school=school,
            joined_on=today,
        )
        lesson = ResearchLesson.objects.create(
            district=district,
            group=lesson_group,
            title="Comparing fractions on a number line",
            goal="Students reason about size, not just procedure",
            plan="Launch with a race on a number line; anticipate common errors.",
            teacher=o["teacher"],
        )
        sample = WorkSample(
            district=district,
            meeting=meeting,
            name="exit-tickets.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        sample.file.save("exit-tickets.pdf", ContentFile(PDF), save=False)
        sample.save()
        cross = Group.objects.create(
            district=district,
            school_year=year,
            name="Middle-years critical friends",
            kind=Group.Kind.CRITICAL_FRIENDS,
            focus="Feedback that moves writing forward",
            facilitator=o["other_teacher"],
            is_virtual=True,
            support=Group.Support.SELF,
        )
        Membership.objects.create(
            district=district,
            group=cross,
            staff=o["other_teacher"],
            school=o["other_school"],
            joined_on=today,
        )
        o |= {
            "group": group,
            "group_meeting": meeting,
            "work_sample": sample,
            "reflection": reflection,
            "check_in": check_in,
            "lesson_group": lesson_group,
            "research_lesson": lesson,
            "cross_group": cross,
        }

    def _coaching(self, key: str) -> None:
        """An instructional coach at the principal's school coaches the teacher (a cycle at the
        observation stage, with a shared coaching observation rated on the district's rubric);
        the principal's walkthrough of the teacher on the offering's look-fors (two of three
        seen); the new teacher asks to visit the teacher's classroom."""
        from datetime import timedelta

        from django.utils import timezone

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
        from cadre.districts.factories import staff_with_role
        from cadre.districts.models import Role

        o = getattr(self, f"{key}_objects")
        district, school, year = o["school"].district, o["school"], o["year"]
        today = district.today()
        coach = staff_with_role(Role.INSTRUCTIONAL_COACH, school=school)
        rubric = Rubric.objects.create(district=district, name="Framework for teaching")
        domain = Domain.objects.create(
            district=district, rubric=rubric, number=3, name="Instruction"
        )
        components = [
            Component.objects.create(district=district, domain=domain, code=code, name=name)
            for code, name in (("3b", "Questioning and discussion"), ("3d", "Using assessment"))
        ]
        labels = ("Beginning", "Developing", "Proficient", "Distinguished")
        for component in components:
            for level, label in enumerate(labels, start=1):
                Level.objects.create(
                    district=district,
                    component=component,
                    level=level,
                    label=label,
                    descriptor=f"{label} practice in {component.name.lower()}",
                )
        look_for = LookFor.objects.create(
            district=district,
            title="Checking for understanding",
            strategy="Checking for understanding",
            offering=o["offering"],
        )
        items = [
            LookForItem.objects.create(district=district, look_for=look_for, position=i, text=t)
            for i, t in enumerate(
                ("Every student responds", "Teacher adjusts from responses", "Exit ticket used")
            )
        ]
        goal = o["professional_goal"]
        cycle = Cycle.objects.create(
            district=district,
            school_year=year,
            school=school,
            coach=coach,
            teacher=o["teacher"],
            goal="More students explain their thinking in discussion",
            professional_goal=goal if goal.staff_id == o["teacher"].pk else None,
            stage=Cycle.Stage.OBSERVATION,
            started_on=today - timedelta(days=21),
            pre_conference_notes="Focus on wait time in the reading block",
        )
        now = timezone.now()
        observation = Observation.objects.create(
            district=district,
            school_year=year,
            school=school,
            kind=Observation.Kind.COACHING,
            observer=coach,
            teacher=o["teacher"],
            cycle=cycle,
            rubric=rubric,
            observed_on=today - timedelta(days=3),
            focus="Wait time",
            notes="Wait time grew from 1 s to 3 s after the first question",
            status=Observation.Status.SHARED,
            shared_at=now,
        )
        Rating.objects.create(
            district=district, observation=observation, component=components[0], level=3
        )
        walkthrough = Observation.objects.create(
            district=district,
            school_year=year,
            school=school,
            kind=Observation.Kind.WALKTHROUGH,
            observer=o["principal"],
            teacher=o["teacher"],
            look_for=look_for,
            offering=o["offering"],
            observed_on=today - timedelta(days=5),
            status=Observation.Status.SHARED,
            shared_at=now,
        )
        for item, seen in zip(items, (True, True, False), strict=True):
            Mark.objects.create(district=district, observation=walkthrough, item=item, seen=seen)
        visit = Visit.objects.create(
            district=district,
            visitor=o["new_teacher"],
            host=o["teacher"],
            on=today + timedelta(days=7),
            period="2nd period",
            focus="How she launches a discussion",
        )
        o |= {
            "coach": coach,
            "rubric": rubric,
            "domain": domain,
            "component": components[0],
            "look_for": look_for,
            "look_for_item": items[0],
            "cycle": cycle,
            "observation": observation,
            "walkthrough": walkthrough,
            "visit": visit,
        }

    def obj(self, key: str):
        district, name = key.split(".", 1)
        return getattr(self, f"{district}_objects")[name]

    def exists(self) -> bool:
        from cadre.districts.models import District

        return District.objects.filter(pk=self.a.pk).exists()

    def fresh(self) -> "World":
        """The same world read afresh from the database (as each test's copy starts from)."""
        copy = object.__new__(World)
        for key in ("a", "b"):
            setattr(copy, key, type(getattr(self, key)).objects.get(pk=getattr(self, key).pk))
            setattr(
                copy,
                f"{key}_objects",
                {
                    name: type(obj)._base_manager.get(pk=obj.pk)
                    for name, obj in getattr(self, f"{key}_objects").items()
                },
            )
        return copy


@pytest.fixture(scope="session")
def _shared_world(django_db_setup, django_db_blocker, _media):
    """The world, built once per test process and committed; each test's transaction rolls
    back whatever it changes. Building it for every test cost most of the suite's time."""
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        scopes_disabled(),
        override_settings(MEDIA_ROOT=_media, **FAST),
    ):
        return {"world": World().fresh()}


@pytest.fixture
def world(_shared_world, db):
    """A copy of the shared world for this test: its rows as committed (each test's changes
    roll back), copied in memory rather than read again, which cost ~200 queries a test."""
    from django.db import connection

    shared = _shared_world["world"]
    if shared.exists():
        return copy.deepcopy(shared)
    # A transactional test emptied the database (pytest-django runs those last).
    built = World()
    if not connection.in_atomic_block:
        _shared_world["world"] = built.fresh()  # committed: the next test can share it
    return built
