"""The daily reminder emails: staff whose goals are not in as the deadline nears, and
approvers with items waiting. `manage.py send_reminders` queues one task per district."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse

from cadre.core.errors import DomainError
from cadre.districts.models import Assignment, District, Role, Staff
from cadre.growth.models import IsdRequest, ProfessionalGoal, Reminder
from cadre.growth.services import current_year
from cadre.planning.models import PdPlan

STAFF_ROLES = set(Role.values) - {Role.DISTRICT_ADMIN, Role.BUSINESS_OFFICE}


def goal_reminder_due(district: District, days_left: int) -> bool:
    """On the first reminder day, a week out, three days out, the day before and the day."""
    lead = district.goal_reminder_days
    return 0 <= days_left <= lead and days_left in {lead, 7, 3, 1, 0}


@dataclass
class Waiting:
    goals: int = 0
    requests: int = 0
    plans: int = 0
    labels: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.goals + self.requests + self.plans


def _mark(district: District, staff: Staff, kind: str, on, done: set) -> bool:
    """Record the reminder; False when today's was already sent. `done` holds today's marks
    read up front, so a second run costs one query, not a failed insert per person; the
    unique constraint still settles two runs at once."""
    if (staff.pk, kind) in done:
        return False
    try:
        with transaction.atomic():
            Reminder.objects.create(district=district, staff=staff, kind=kind, sent_on=on)
    except IntegrityError:
        return False
    return True


def staff_without_goals(district: District):
    year = current_year(district)
    today = district.today()
    working = (
        Assignment.objects.filter(district=district, role__in=STAFF_ROLES)
        .current(today)
        .exclude(school__isnull=True, program__isnull=True)
        .values("staff_id")
    )
    handed_in = ProfessionalGoal.objects.filter(
        school_year=year,
        status__in=[ProfessionalGoal.Status.SUBMITTED, ProfessionalGoal.Status.APPROVED],
    ).values("staff_id")
    return (
        Staff.objects.filter(district=district, is_active=True, pk__in=working)
        .exclude(pk__in=handed_in)
        .exclude(email="")
        .order_by("pk")
    )


def waiting_by_approver(district: District) -> dict[int, Waiting]:
    """Each approver's waiting items. Items nobody else can decide (no principal, or the
    principal's own) go to the district administrators."""
    today = district.today()
    leader_roles = [Role.PRINCIPAL, Role.PROGRAM_DIRECTOR]
    if district.assistant_principals_approve:
        leader_roles.append(Role.ASSISTANT_PRINCIPAL)
    deciders = defaultdict(set)
    principals = defaultdict(set)  # a school leader's own items go to a principal
    leaders = set()  # (staff, school) of every principal and assistant principal
    admins = set()
    for staff_id, role, school_id, program_id in (
        Assignment.objects.filter(district=district, staff__is_active=True)
        .filter(role__in=[*leader_roles, Role.ASSISTANT_PRINCIPAL, Role.DISTRICT_ADMIN])
        .current(today)
        .values_list("staff_id", "role", "school_id", "program_id")
    ):
        if role == Role.DISTRICT_ADMIN:
            admins.add(staff_id)
        elif role == Role.PROGRAM_DIRECTOR and program_id:
            deciders[("program", program_id)].add(staff_id)
        elif school_id:
            leaders.add((staff_id, school_id))
            if role in leader_roles:
                deciders[("school", school_id)].add(staff_id)
            if role == Role.PRINCIPAL:
                principals[("school", school_id)].add(staff_id)
    waiting: dict[int, Waiting] = defaultdict(Waiting)
    sources = [
        ("goals", ProfessionalGoal.objects.filter(status=ProfessionalGoal.Status.SUBMITTED)),
        ("requests", IsdRequest.objects.filter(status=IsdRequest.Status.SUBMITTED)),
    ]
    for kind, qs in sources:
        for author, school_id, program_id in qs.filter(district=district).values_list(
            "staff_id", "school_id", "program_id"
        ):
            unit = ("school", school_id) if school_id else ("program", program_id)
            who = principals if (author, school_id) in leaders else deciders
            for person in (who.get(unit, set()) - {author}) or admins:
                setattr(waiting[person], kind, getattr(waiting[person], kind) + 1)
    for school_id, program_id in PdPlan.objects.filter(
        district=district, status=PdPlan.Status.SUBMITTED
    ).values_list("school_id", "program_id"):
        unit = ("school", school_id) if school_id else ("program", program_id)
        for person in deciders.get(unit) or admins:
            waiting[person].plans += 1
    return waiting


def _link(name: str) -> str:
    return f"{settings.SITE_URL}{reverse(name)}"


@transaction.atomic
def send_reminders(district: District) -> dict[str, int]:
    """Send today's reminders for one district; returns how many of each were sent. The
    marks that stop a second sending commit only with the sending: if the mail server
    refuses, the next run tries again."""
    today = district.today()
    sent = {"goal_due": 0, "pending": 0}
    messages = []
    done = set(
        Reminder.objects.filter(district=district, sent_on=today).values_list("staff_id", "kind")
    )
    try:
        year = current_year(district)
    except DomainError:
        year = None  # between school years: no goal deadline, but approvals still wait
    if year and year.goals_due and goal_reminder_due(district, (year.goals_due - today).days):
        for person in staff_without_goals(district):
            if not _mark(district, person, Reminder.Kind.GOAL_DUE, today, done):
                continue
            messages.append(
                EmailMessage(
                    subject=f"Your professional goals for {year} are due {year.goals_due:%-d %B}",
                    body=(
                        f"Hello {person.first_name},\n\n"
                        f"Your professional goals for {year} are due on "
                        f"{year.goals_due:%A %-d %B %Y}, and we do not have a submitted goal "
                        "from you yet.\n\n"
                        f"Write or submit it here: {_link('professional-goal-list')}\n\n"
                        f"— {district.name}, through Cadre"
                    ),
                    to=[person.email],
                )
            )
            sent["goal_due"] += 1
    waiting = waiting_by_approver(district)
    people = Staff.objects.filter(pk__in=list(waiting)).exclude(email="").order_by("pk")
    for person in people:
        items = waiting[person.pk]
        if not items.total or not _mark(district, person, Reminder.Kind.PENDING, today, done):
            continue
        lines = [
            f"- {n} {label}"
            for n, label in (
                (items.goals, "professional goal(s) to approve"),
                (items.requests, "ISD request(s) to decide"),
                (items.plans, "PD plan(s) to approve"),
            )
            if n
        ]
        messages.append(
            EmailMessage(
                subject=f"{items.total} item(s) waiting for your decision in Cadre",
                body=(
                    f"Hello {person.first_name},\n\nWaiting for you:\n"
                    + "\n".join(lines)
                    + f"\n\nGoals: {_link('goal-status')}\n"
                    f"ISD requests: {_link('isd-request-list')}?view=decide\n"
                    f"PD plans: {_link('pd-plan-list')}\n\n— {district.name}, through Cadre"
                ),
                to=[person.email],
            )
        )
        sent["pending"] += 1
    if messages:
        get_connection().send_messages(messages)
    return sent
