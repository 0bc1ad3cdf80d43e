"""The demo district: deterministic, realistic, built in seconds.

Later capabilities add their own step to STEPS, so every page has real data to show.
"""

import csv
import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from cadre.core import bulk, trail
from cadre.districts.models import (
    Assignment,
    District,
    ImportRun,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)
from cadre.districts.signin import logins

# The default demo district. Another can be built beside it (`manage.py demo --slug ...`):
# the same people and accounts under its own email domain, to show one district's people
# never see another's.
SLUG = "demo"
NAME = "Riverbend Union High School District"
DEMO_PASSWORD = "cadre-demo"  # noqa: S105 (the published demo password)
DOMAIN = "riverbend.example"
SEED = 2026

SCHOOLS = [
    "Riverbend High",
    "Cottonwood High",
    "Sierra Vista High",
    "Mesa Verde High",
    "Golden Valley High",
    "Oak Ridge High",
    "Canyon Springs High",
    "Liberty High",
    "Foothill High",
    "Highland High",
    "Westview High",
    "Centennial High",
    "Pioneer High",
    "Independence High",
    "Stockdale High",
]
SUBJECTS = [
    "English",
    "Mathematics",
    "Science",
    "Social Studies",
    "World Languages",
    "Visual & Performing Arts",
    "Physical Education",
    "Career Technical Education",
    "Special Education",
]
FIRST = [
    "Maria",
    "James",
    "Ana",
    "David",
    "Sofia",
    "Michael",
    "Isabel",
    "Daniel",
    "Emily",
    "Jose",
    "Sarah",
    "Luis",
    "Jessica",
    "Carlos",
    "Ashley",
    "Juan",
    "Jennifer",
    "Miguel",
    "Amanda",
    "Robert",
    "Elena",
    "Kevin",
    "Laura",
    "Brian",
    "Rosa",
    "Jason",
    "Nicole",
    "Eric",
    "Angela",
    "Thomas",
    "Monica",
    "Steven",
    "Veronica",
    "Mark",
    "Patricia",
    "Anthony",
    "Linda",
    "Jorge",
    "Michelle",
    "Ryan",
    "Gabriela",
    "Andrew",
    "Karen",
    "Victor",
    "Rachel",
    "Tuan",
    "Mai",
    "Priya",
    "Arjun",
    "Hana",
    "Kenji",
    "Aaliyah",
    "Malik",
    "Fatima",
    "Omar",
    "Grace",
    "Samuel",
    "Leah",
    "Noah",
    "Olivia",
    "Ethan",
    "Chloe",
    "Marcus",
    "Tanya",
    "Diego",
    "Lucia",
    "Adrian",
]
LAST = [
    "Garcia",
    "Smith",
    "Hernandez",
    "Johnson",
    "Martinez",
    "Williams",
    "Lopez",
    "Brown",
    "Gonzalez",
    "Jones",
    "Rodriguez",
    "Miller",
    "Perez",
    "Davis",
    "Sanchez",
    "Wilson",
    "Ramirez",
    "Anderson",
    "Torres",
    "Taylor",
    "Flores",
    "Thomas",
    "Rivera",
    "Moore",
    "Gomez",
    "Jackson",
    "Diaz",
    "Martin",
    "Reyes",
    "Lee",
    "Cruz",
    "Thompson",
    "Morales",
    "White",
    "Ortiz",
    "Harris",
    "Gutierrez",
    "Clark",
    "Chavez",
    "Lewis",
    "Ramos",
    "Robinson",
    "Nguyen",
    "Walker",
    "Castillo",
    "Young",
    "Mendoza",
    "Allen",
    "Vasquez",
    "King",
    "Patel",
    "Kim",
    "Singh",
    "Chen",
    "Tran",
    "Okafor",
    "Washington",
    "Begay",
    "Yazzie",
    "Nakamura",
    "Ali",
]
TEACHERS_PER_SCHOOL = 86


@dataclass
class DemoResult:
    district: District
    created: bool
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # role, email, name
    # How long each part took, in seconds, in build order: the district's people and HR data
    # ("districts"), then each app's step.
    timings: dict[str, float] = field(default_factory=dict)


class Builder:
    def __init__(self, district: District, domain: str = DOMAIN):
        self.district = district
        self.domain = domain
        # Every account has the published password: hashed once, as argon2 takes a while.
        self.password = make_password(DEMO_PASSWORD)
        self.rng = random.Random(SEED)
        self.emails: set[str] = set()
        self.next_id = 10001
        self.staff: list[Staff] = []
        self.assignments: list[tuple[int, dict]] = []  # index into staff, assignment fields
        # What HR knows and the roster does not: each person's (contracted, substitute) days,
        # and the emails of people the roster lists without one.
        self.days: dict[int, tuple[int, int]] = {}
        self.hr_emails: dict[int, str] = {}
        self.not_in_hr: set[int] = set()  # HR's export leaves these out: experience unknown

    def person(self, *, unit: str, days: tuple[int, int] | None = None, subjects=()) -> int:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        email = f"{first}.{last}".lower()
        n = 1
        while f"{email}{n if n > 1 else ''}@{self.domain}" in self.emails:
            n += 1
        email = f"{email}{n if n > 1 else ''}@{self.domain}"
        self.emails.add(email)
        contracted, substitute = days or self.experience()
        years = max(0, contracted // 180)
        self.staff.append(
            Staff(
                district=self.district,
                first_name=first,
                last_name=last,
                email=email,
                employee_id=f"E{self.next_id}",
                hire_date=date(2026, 8, 12) - timedelta(days=365 * years + self.rng.randint(0, 30)),
                # A roster carries no experience: unknown until the HR data fills it in.
                contracted_days=None,
                substitute_days=None,
                subjects=list(subjects),
                grade_bands=["9-12"],
                bargaining_unit=unit,
            )
        )
        self.days[len(self.staff) - 1] = (contracted, substitute)
        self.next_id += 1
        return len(self.staff) - 1

    @property
    def label(self) -> str:
        """A short name for the district's own things (its meeting rooms): its domain's first
        part."""
        return self.domain.split(".")[0]

    def email(self, key: str) -> str:
        """The address of a demo account (`admin`, `teacher`...) in this demo's domain."""
        return f"{key}@{self.domain}"

    def experience(self) -> tuple[int, int]:
        if self.rng.random() < 0.05:  # about one in twenty teachers is new
            contracted = self.rng.choice([0, 0, 20, 40, 60])
            return contracted, self.rng.randint(0, 80 - contracted // 2)
        return self.rng.randint(1, 30) * 180 + self.rng.randint(0, 170), self.rng.randint(0, 60)

    def assign(self, index: int, role: str, *, school=None, program=None, start=None) -> None:
        self.assignments.append(
            (
                index,
                {
                    "role": role,
                    "school": school,
                    "program": program,
                    "start_date": start or self.staff[index].hire_date,
                },
            )
        )


def _schools(b: Builder) -> list[School]:
    return School.objects.bulk_create(
        [
            School(district=b.district, name=name, code=f"RB{i + 1:02d}", grade_band="9-12")
            for i, name in enumerate(SCHOOLS)
        ]
    )


def _years(b: Builder) -> None:
    SchoolYear.objects.bulk_create(
        [
            SchoolYear(
                district=b.district,
                name="2025–26",
                start_date=date(2025, 7, 1),
                end_date=date(2026, 6, 30),
            ),
            SchoolYear(
                district=b.district,
                name="2026–27",
                start_date=date(2026, 7, 1),
                end_date=date(2027, 6, 30),
                is_current=True,
            ),
        ]
    )


def _programs(b: Builder, schools: list[School]) -> tuple[Program, Program]:
    title1 = Program.objects.create(
        district=b.district,
        name="Title I",
        kind=Program.Kind.TITLE_I,
        description="Federal Title I, Part A: schoolwide programmes at five high-need schools.",
    )
    title1.schools.set(schools[-5:])
    sped = Program.objects.create(
        district=b.district,
        name="Special Education",
        kind=Program.Kind.SPECIAL_EDUCATION,
        description="IDEA-funded services and professional learning for special educators.",
    )
    sped.schools.set(schools)
    return title1, sped


def _people(b: Builder, schools: list[School], title1: Program, sped: Program) -> dict:
    """Build everyone; returns the index of each demo account's person."""
    long = (3600, 40)
    accounts = {}
    for _ in range(4):
        b.assign(b.person(unit="Administrators", days=long), Role.DISTRICT_ADMIN)
    accounts["admin"] = 0
    accounts["director"] = b.person(unit="Administrators", days=long)
    b.assign(accounts["director"], Role.PROGRAM_DIRECTOR, program=title1)
    b.assign(b.person(unit="Administrators", days=long), Role.PROGRAM_DIRECTOR, program=sped)
    accounts["business"] = b.person(unit="Classified", days=long)
    b.assign(accounts["business"], Role.BUSINESS_OFFICE)
    for s, school in enumerate(schools):
        principal = b.person(unit="Administrators", days=long)
        b.assign(principal, Role.PRINCIPAL, school=school)
        ap = b.person(unit="Administrators", days=(2400, 20))
        b.assign(ap, Role.ASSISTANT_PRINCIPAL, school=school)
        coach = b.person(unit="Certificated", days=(2000, 0), subjects=["English"])
        b.assign(coach, Role.INSTRUCTIONAL_COACH, school=school)
        counselors = [b.person(unit="Certificated") for _ in range(3)]
        for c in counselors:
            b.assign(c, Role.COUNSELOR, school=school)
        paras = [b.person(unit="Classified") for _ in range(4)]
        for p in paras:
            b.assign(p, Role.PARAEDUCATOR, school=school)
        if s < 10:
            # The roster has no email for one paraeducator at ten schools; HR has seven of them.
            if s < 7:
                b.hr_emails[paras[3]] = b.staff[paras[3]].email
            b.staff[paras[3]].email = ""
        teachers = []
        for t in range(TEACHERS_PER_SCHOOL):
            subject = SUBJECTS[t % len(SUBJECTS)]
            teacher = b.person(unit="Certificated", subjects=[subject])
            b.assign(teacher, Role.TEACHER, school=school)
            if subject == "Special Education":
                b.assign(teacher, Role.TEACHER, program=sped)
            teachers.append(teacher)
        if s % 2 == 0:
            # Hired after HR's export was run: their experience stays unknown.
            b.not_in_hr.add(teachers[-1])
        if s == 0:
            accounts |= {
                "principal": principal,
                "ap": ap,
                "coach": coach,
                "counselor": counselors[0],
                "para": paras[0],
                "teacher": teachers[0],
            }
    first = schools[0]
    # New teachers at the edges of the 90-day rule, substitute days included.
    for contracted, substitute in [(40, 22), (60, 29), (60, 30), (61, 30)]:
        index = b.person(
            unit="Certificated", days=(contracted, substitute), subjects=["Mathematics"]
        )
        b.staff[index].hire_date = date(2026, 8, 12)
        b.assign(index, Role.TEACHER, school=first)
        accounts.setdefault("newteacher", index)
    return accounts


ACCOUNT_ROLES = [
    ("admin", "District administrator"),
    ("principal", "Principal"),
    ("ap", "Assistant principal"),
    ("director", "Program director (Title I)"),
    ("business", "Business office"),
    ("coach", "Instructional coach"),
    ("counselor", "Counselor"),
    ("para", "Paraeducator"),
    ("teacher", "Teacher"),
    ("newteacher", "New teacher"),
]


@contextmanager
def on(moment: datetime) -> Iterator[None]:
    """Take the steps inside as of `moment`: the demo plays the district's past through the
    services people use, each step on its day. The services, the district's "today", the rows'
    timestamps and the audit trail all read the time from `django.utils.timezone.now`, so each
    step keeps the rules of that day and records when it happened. A moment after the real
    one is taken as now. Only for the demo build, which runs in one thread."""
    real = timezone.now
    at = min(moment, real())
    timezone.now = lambda: at
    try:
        yield
    finally:
        timezone.now = real


def account(b: Builder, key: str) -> Staff:
    """The person behind a demo account (`admin`, `teacher`...), with their login."""
    return Staff.objects.select_related("user").get(district=b.district, email=b.email(key))


def _logins(b: Builder, accounts: dict) -> list[tuple[str, str, str]]:
    User = get_user_model()
    out = []
    for key, label in ACCOUNT_ROLES:
        person = b.staff[accounts[key]]
        email = b.email(key)
        person.email = email
        person.user = User.objects.create(email=email, password=b.password)
        person.save(update_fields=["email", "user"])
        out.append((label, email, person.full_name))
    return out


def _everyone_signs_in(district: District) -> None:
    """As a roster import does: everyone with an email has a login, with no password until
    they choose one ("Forgot your password?"). Last, once the steps chose their accounts."""
    people = list(
        Staff.objects.filter(district=district, user__isnull=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    users = logins([email.lower() for _, email in people])
    bulk.update_rows(
        Staff, ["user_id"], [{"pk": pk, "user_id": users[email.lower()]} for pk, email in people]
    )


def hr_file_name(domain: str) -> str:
    """The sample HR export's file name, after the district's email domain."""
    return f"{domain.split('.')[0]}-hr-export.csv"  # as Builder.label


HR_FILE = hr_file_name(DOMAIN)
HR_HEADER = [
    "Employee Number",
    "Last Name",
    "First Name",
    "Work Email",
    "Hire Date",
    "Barg Unit",
    "FTE",
    "Contracted Days To Date",
    "Substitute Days To Date",
]


def _fte(index: int, unit: str) -> str:
    if unit == "Classified" and index % 3 == 0:
        return "0.875"
    if unit == "Certificated" and index % 41 == 0:
        return "0.5"
    if index % 29 == 0:
        return "0.8"
    return "1.0"


def hr_file(b: Builder) -> bytes:
    """The demo's sample HR export, as payroll writes it: one row per person (but those hired
    after it was run), by employee number, with their emails, hire dates (month/day/year),
    bargaining units, FTE and contracted and substitute days to date. Deterministic: the same
    people give the same bytes."""
    out = io.StringIO()
    writer = csv.writer(out)  # CRLF line ends, as spreadsheet programs write them
    writer.writerow(HR_HEADER)
    for index, person in enumerate(b.staff):
        if index in b.not_in_hr:
            continue
        contracted, substitute = b.days[index]
        hired = person.hire_date
        writer.writerow(
            [
                person.employee_id,
                person.last_name,
                person.first_name,
                person.email or b.hr_emails.get(index, ""),
                f"{hired.month}/{hired.day}/{hired.year}" if hired else "",
                person.bargaining_unit,
                _fte(index, person.bargaining_unit),
                contracted,
                substitute,
            ]
        )
    return out.getvalue().encode("utf-8")


def _hr_data(b: Builder, admin) -> ImportRun:
    """Import the sample HR export through the HR-data import, as the administrator would
    upload it: an import run of its own, run now rather than by the worker, so it shows in the
    list of imports with its result."""
    from cadre.districts.tasks import import_run_execute

    run = ImportRun(
        district=b.district,
        kind=ImportRun.Kind.STAFF_DATA,
        uploaded_by=admin,
        original_name=hr_file_name(b.domain),
        stage="Waiting for the worker",
    )
    run.file.save(hr_file_name(b.domain), ContentFile(hr_file(b)), save=False)
    run.save()
    import_run_execute.call(run.pk)
    run.refresh_from_db()
    if run.status != ImportRun.Status.SUCCEEDED:
        raise RuntimeError(f"The demo's HR data did not import: {run.problems[:5]}")
    return run


STEPS: list = []  # later capabilities append `step(builder, result)` functions


def step_name(step) -> str:
    """The app a step belongs to (`cadre.catalog.demo.build` → `catalog`)."""
    return step.__module__.split(".")[1]


def demo_exists(slug: str = SLUG) -> bool:
    with scopes_disabled():
        return District.objects.filter(slug=slug).exists()


def accounts_table(slug: str = SLUG, domain: str = DOMAIN) -> list[tuple[str, str, str]]:
    with scopes_disabled():
        people = {
            s.email: s.full_name
            for s in Staff.objects.filter(district__slug=slug, email__endswith=f"@{domain}")
        }
    return [
        (label, f"{key}@{domain}", people.get(f"{key}@{domain}", ""))
        for key, label in ACCOUNT_ROLES
    ]


def domain_taken(slug: str, domain: str) -> bool:
    """Whether logins at this domain belong to people outside the district `slug`: a second
    demo district needs a domain of its own, or its accounts would collide with the first's."""
    User = get_user_model()
    with scopes_disabled():
        ours = Staff.objects.filter(district__slug=slug, user__isnull=False).values("user_id")
        return User.objects.filter(email__iendswith=f"@{domain}").exclude(pk__in=ours).exists()


def _district_models() -> list:
    """Every model whose rows belong to a district, children first."""
    from django.apps import apps

    return [
        model
        for model in reversed(apps.get_models())
        if model is not District and "district" in {f.name for f in model._meta.fields}
    ]


def filled_tables() -> list[str]:
    """The tables a demo build fills: the district's, their many-to-many tables and logins."""
    tables = [District._meta.db_table, get_user_model()._meta.db_table]
    for model in _district_models():
        tables.append(model._meta.db_table)
        tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many]
    return sorted(set(tables))


def reset_demo(slug: str = SLUG) -> None:
    """Remove the demo district `slug` and everything in it; other districts keep theirs."""
    with scopes_disabled(), transaction.atomic():
        district = District.objects.filter(slug=slug).first()
        if district is None:
            return
        users = list(
            Staff.objects.filter(district=district, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        # A login that also serves another district stays: only this district's records go.
        elsewhere = Staff.objects.exclude(district=district).filter(user_id__in=users)
        users = set(users) - set(elsewhere.values_list("user_id", flat=True))
        files = [
            name
            for name in ImportRun.objects.filter(district=district).values_list("file", flat=True)
            if name
        ]
        # The uploads go once the rows are gone for good.
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
        if connection.vendor == "postgresql":
            # The ledger refuses deletes, except when a whole district is removed.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cadre.ledger_purge = 'on'")
        # Children first: every district table carries the district key.
        for model in _district_models():
            rows = model._base_manager.filter(district=district)
            if hasattr(model, "purge"):
                model.purge(rows)
            else:
                rows.delete()
        get_user_model().objects.filter(pk__in=users).delete()
        district.delete()


def build_demo(slug: str = SLUG, name: str = NAME, domain: str = DOMAIN) -> DemoResult:
    """Build the demo district `slug` (nothing changes if it exists), its people signing in at
    `domain`. Then refresh the planner's statistics on PostgreSQL: right after a bulk load,
    before autovacuum gets to it, a single query on the admin home took tens of seconds."""
    with bulk.unlogged():
        result = _build(slug, name, domain)
    if result.created:
        bulk.analyze(*filled_tables())
    return result


@transaction.atomic
def _build(slug: str, name: str, domain: str) -> DemoResult:
    with scopes_disabled():
        existing = District.objects.filter(slug=slug).first()
        if existing:
            return DemoResult(
                district=existing, created=False, accounts=accounts_table(slug, domain)
            )
        started = time.monotonic()
        district = District.objects.create(name=name, slug=slug, time_zone="America/Los_Angeles")
        b = Builder(district, domain)
        schools = _schools(b)
        _years(b)
        title1, sped = _programs(b, schools)
        accounts = _people(b, schools, title1, sped)
        Staff.objects.bulk_create(b.staff, batch_size=1000)
        Assignment.objects.bulk_create(
            [
                Assignment(district=district, staff=b.staff[i], **fields)
                for i, fields in b.assignments
            ],
            batch_size=1000,
        )
        result = DemoResult(district=district, created=True, accounts=_logins(b, accounts))
        _hr_data(b, b.staff[accounts["admin"]].user)
        result.timings["districts"] = time.monotonic() - started
        for step in STEPS:
            started = time.monotonic()
            step(b, result)
            result.timings[step_name(step)] = time.monotonic() - started
        started = time.monotonic()
        _everyone_signs_in(district)
        trail.record(
            district=district,
            actor=None,
            action=trail.Action.CREATE,
            obj=district,
            comment=f"Built the demo district: {len(b.staff)} staff.",
        )
        result.timings["districts"] += time.monotonic() - started
        return result
