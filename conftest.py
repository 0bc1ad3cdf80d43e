import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    """Test code sets up rows freely; requests still run inside their district's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SECURE_SSL_REDIRECT = False


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

        self.a = DistrictFactory(name="Alder District", slug="alder")
        self.b = DistrictFactory(name="Birch District", slug="birch")
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

    def obj(self, key: str):
        district, name = key.split(".", 1)
        return getattr(self, f"{district}_objects")[name]


@pytest.fixture
def world(db):
    return World()
