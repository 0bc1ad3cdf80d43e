import json
import secrets
import zoneinfo
from datetime import date
from functools import cached_property
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopedManager

from cadre.core.models import DistrictOwned, TimeStamped


def _district_secret() -> str:
    return secrets.token_hex(32)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name, such as America/Los_Angeles.")


class District(TimeStamped):
    """The tenant. Its settings are explicit fields so that every rule reads its own value."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    time_zone = models.CharField(
        max_length=64, default="America/Los_Angeles", validators=[validate_time_zone]
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    new_teacher_threshold_days = models.PositiveIntegerField(default=90)
    experience_days_per_year = models.PositiveIntegerField(
        "contracted days in a year of experience",
        default=180,
        validators=[MinValueValidator(1)],
        help_text="HR data that gives years of experience is counted at this many days a year.",
    )
    min_group_size = models.PositiveIntegerField(
        "minimum reporting group for student data", default=10, validators=[MinValueValidator(1)]
    )
    clock_hour_minutes = models.PositiveIntegerField(
        "minutes per clock hour", default=60, validators=[MinValueValidator(1)]
    )
    clock_hour_min_minutes = models.PositiveIntegerField(
        "minimum minutes for an offering to earn clock hours", default=60
    )
    renewal_hours = models.PositiveIntegerField("renewal hours required", default=100)
    renewal_years = models.PositiveIntegerField(
        "renewal period in years", default=5, validators=[MinValueValidator(1)]
    )
    renewal_equity_hours = models.PositiveIntegerField("equity hours in a renewal", default=15)
    renewal_equity_hours_admin = models.PositiveIntegerField(
        "equity hours in a renewal (administrators)", default=10
    )
    quarter_credit_hours = models.PositiveIntegerField(
        "clock hours per quarter credit", default=10, validators=[MinValueValidator(1)]
    )
    semester_credit_hours = models.PositiveIntegerField(
        "clock hours per semester credit", default=15, validators=[MinValueValidator(1)]
    )
    growth_plan_hours = models.PositiveIntegerField(
        "clock hours for a completed yearly growth plan",
        default=25,
        help_text="Credited on the transcript when an approved goal is reflected on. 0: none.",
    )
    catalog_reminder_hours = models.PositiveIntegerField(
        "hours before a meeting to remind participants", default=24
    )
    assistant_principals_approve = models.BooleanField(
        "assistant principals approve goals and ISD requests",
        default=False,
        help_text="Off: only the principal approves for a school.",
    )
    goal_reminder_days = models.PositiveIntegerField(
        "days before the goal deadline to remind staff", default=14
    )
    mentor_match_days = models.PositiveIntegerField(
        "days after hire by which a new teacher has a mentor",
        default=30,
        help_text="New teachers still without an active mentor after this are flagged.",
    )
    mentor_weekly_minutes = models.PositiveIntegerField(
        "mentoring minutes a week (average)",
        default=60,
        validators=[MinValueValidator(1)],
        help_text="Pairs whose average falls below it are flagged to the coordinator.",
    )
    mentor_caseload = models.PositiveIntegerField(
        "a new mentor's caseload cap",
        default=3,
        validators=[MinValueValidator(1)],
        help_text="Each mentor's own cap can differ.",
    )
    check_in_days = models.PositiveIntegerField(
        "days between a principal's check-ins with each group",
        default=28,
        validators=[MinValueValidator(1)],
        help_text="Groups without a check-in for longer are flagged on the school's view.",
    )
    group_hours = models.BooleanField(
        "meeting time in PLCs and other groups earns clock hours",
        default=False,
        help_text="Credited on members' transcripts by the clock-hour rules above.",
    )
    # What the last roster import read (each file's digest and mode) and what its classes and
    # enrollments came to, so that a re-import of the same files need not compare them again.
    roster_state = models.JSONField(default=dict, blank=True, editable=False)
    # Keys the HMAC that turns student ids into pseudonymous keys. Never shown.
    pseudonym_secret = models.CharField(max_length=64, default=_district_secret, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self) -> date:
        return timezone.now().astimezone(self.tz).date()


class School(DistrictOwned, TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField("school code", max_length=50, blank=True)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    grade_band = models.CharField(max_length=50, blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="school_unique_sourced_id",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("school-detail", args=[self.pk])


class Department(DistrictOwned, TimeStamped):
    """A OneRoster org of type department, kept under its school."""

    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        help_text="Empty for a department of the district office.",
    )
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="department_unique_sourced_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school or 'district'})"


class Program(DistrictOwned, TimeStamped):
    """A categorical programme (Title I, Special Education) covering staff or schools."""

    class Kind(models.TextChoices):
        TITLE_I = "title_i", "Title I"
        SPECIAL_EDUCATION = "special_education", "Special Education"
        ENGLISH_LEARNERS = "english_learners", "English Learners"
        CAREER_TECHNICAL = "career_technical", "Career and Technical Education"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    schools = models.ManyToManyField(School, blank=True, related_name="programs")
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program-detail", args=[self.pk])


class SchoolYear(DistrictOwned, TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="school_years")
    name = models.CharField(max_length=20, help_text="For example 2026–27.")
    start_date = models.DateField()
    end_date = models.DateField()
    is_current = models.BooleanField("current", default=False)
    goals_due = models.DateField(
        "professional goals due", null=True, blank=True, help_text="Staff are reminded before it."
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["district"], condition=Q(is_current=True), name="one_current_school_year"
            ),
            models.UniqueConstraint(fields=["district", "name"], name="school_year_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="school_year_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("school-year-list")


class Staff(DistrictOwned, TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="staff")
    # One login per address; a person with roles in two districts has a record in each, both
    # on the one login (see cadre/districts/signin.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_records",
    )
    employee_id = models.CharField(max_length=50, blank=True)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    # A person a roster lists under more than one id (one per school, as OneRoster 1.1 asks).
    other_sourced_ids = models.JSONField(default=list, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    hire_date = models.DateField(null=True, blank=True)
    # Both empty: experience unknown (no HR data yet), which is not the same as none.
    contracted_days = models.PositiveIntegerField(
        "contracted teaching days",
        null=True,
        blank=True,
        help_text="Days of contracted teaching before now. Empty when unknown.",
    )
    substitute_days = models.PositiveIntegerField(
        "substitute days",
        null=True,
        blank=True,
        help_text="Days of substitute teaching before now. Empty when unknown.",
    )
    subjects = models.JSONField(default=list, blank=True)
    grade_bands = models.JSONField(default=list, blank=True)
    bargaining_unit = models.CharField(max_length=100, blank=True)
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(2)],
        help_text="Full-time equivalent: 1.000 for full time, 0.500 for half time.",
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name_plural = "staff"
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"],
                condition=~Q(sourced_id=""),
                name="staff_unique_sourced_id",
            ),
            models.UniqueConstraint(
                fields=["district", "employee_id"],
                condition=~Q(employee_id=""),
                name="staff_unique_employee_id",
            ),
            models.UniqueConstraint(fields=["user", "district"], name="staff_unique_user"),
        ]
        indexes = [models.Index(fields=["district", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("staff-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def experience_known(self) -> bool:
        return self.contracted_days is not None or self.substitute_days is not None

    @property
    def experience_days(self) -> int | None:
        """Contracted plus substitute days; None when unknown (no HR data yet)."""
        if not self.experience_known:
            return None
        return (self.contracted_days or 0) + (self.substitute_days or 0)

    @property
    def is_new_teacher(self) -> bool:
        """Under the district's threshold. Unknown experience is not new: it is unknown."""
        return self.new_under(self.district.new_teacher_threshold_days)

    def new_under(self, threshold: int) -> bool:
        """Known experience under `threshold` days (for lists that have the district's)."""
        days = self.experience_days
        return days is not None and days < threshold

    @property
    def experience_reason(self) -> str:
        if not self.experience_known:
            return "Experience unknown: no HR data yet"
        return (
            f"{self.experience_days} days: {self.contracted_days or 0} contracted + "
            f"{self.substitute_days or 0} substitute"
        )


class Role(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    PRINCIPAL = "principal", "Principal"
    ASSISTANT_PRINCIPAL = "assistant_principal", "Assistant principal"
    PROGRAM_DIRECTOR = "program_director", "Program director"
    INSTRUCTIONAL_COACH = "instructional_coach", "Instructional coach"
    COUNSELOR = "counselor", "Counselor"
    PARAEDUCATOR = "paraeducator", "Paraeducator"
    DISTRICT_ADMIN = "district_admin", "District administrator"
    BUSINESS_OFFICE = "business_office", "Business office"
    MENTOR_COORDINATOR = "mentor_coordinator", "Mentor coordinator"
    OTHER = "other", "Other"


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: date):
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Assignment(DistrictOwned, TimeStamped):
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="assignments")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.TEACHER)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    sourced_id = models.CharField(max_length=255, blank=True)

    objects = ScopedManager(models.Manager.from_queryset(AssignmentQuerySet), district="district")

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(school__isnull=False, program__isnull=False),
                name="assignment_school_or_program",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates",
            ),
        ]
        indexes = [models.Index(fields=["district", "school", "role"])]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_role_display()} at {self.place}"

    def get_absolute_url(self) -> str:
        return reverse("staff-detail", args=[self.staff_id])

    @property
    def place(self) -> str:
        if self.school_id:
            return str(self.school)
        if self.program_id:
            return str(self.program)
        return "District"

    def is_current(self, on: date) -> bool:
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or self.end_date >= on
        )


class RosterClass(DistrictOwned):
    """A OneRoster class, kept only to link teachers to pseudonymous students."""

    # Classes, teachers' classes and student enrollments are written by the roster import
    # alone, in bulk, from ids it has just resolved in the same transaction: the database's
    # foreign-key checks, row by row at commit, cost as much as writing the rows. Django still
    # applies each on_delete. The unique (district, id) index serves lookups by district.
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    sourced_id = models.CharField(max_length=255)
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, related_name="+", db_constraint=False
    )
    title = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "sourced_id"], name="class_unique_id")
        ]

    def __str__(self) -> str:
        return self.title or self.sourced_id


class TeacherClass(DistrictOwned):
    # Written by the roster import alone: see RosterClass.
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="classes", db_constraint=False
    )
    roster_class = models.ForeignKey(
        RosterClass, on_delete=models.CASCADE, related_name="teachers", db_constraint=False
    )
    sourced_id = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="teacher_class_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} teaches {self.roster_class_id}"


class StudentEnrollment(DistrictOwned):
    """A student in a class, by pseudonymous key only: no name, no email, no raw id."""

    # Written by the roster import alone, which joins each row to its class as it inserts it:
    # see RosterClass.
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    roster_class = models.ForeignKey(
        RosterClass, on_delete=models.CASCADE, related_name="students", db_constraint=False
    )
    student_key = models.CharField(max_length=64, help_text="HMAC-SHA256 of the student id.")
    enrollment_key = models.CharField(max_length=64, help_text="HMAC-SHA256 of the sourcedId.")
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "enrollment_key"], name="student_enrollment_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"student {self.student_key[:8]}… in class {self.roster_class_id}"


class ImportRun(DistrictOwned, TimeStamped):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        VALIDATED = "validated", "Validated (dry run)"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        ROSTER = "roster", "Roster"
        STAFF_DATA = "staff_data", "HR data"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ROSTER)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # While the import runs, its progress is in a file (see `live`); these say where it ended.
    stage = models.CharField(max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)  # errors: nothing was written
    warnings = models.JSONField(default=list, blank=True)  # imported anyway, grouped by kind
    options = models.JSONField(default=dict, blank=True)  # encoding, column map, and the like
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("import-detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    @property
    def progress_file(self) -> Path | None:
        """Where the worker writes its progress while the import runs. The import writes in
        one transaction that hides its work until it ends, so progress goes beside the
        upload (shared by the web and worker processes, as the upload is), not to this row."""
        return Path(f"{self.file.path}.progress") if self.file else None

    @cached_property
    def live(self) -> dict:
        """The stage and percent done: from the worker's progress file while it runs."""
        shown = {"stage": self.stage, "percent": self.percent}
        if self.status != self.Status.RUNNING or not self.progress_file:
            return shown
        try:
            data = json.loads(self.progress_file.read_text())
        except (OSError, ValueError):
            return shown
        total = max(int(data.get("total") or 0), 1)
        done = min(int(data.get("done") or 0), total)
        return {"stage": str(data.get("stage", ""))[:100], "percent": round(100 * done / total)}

    @property
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def warning_count(self) -> int:
        return sum(w.get("count", 0) for w in self.warnings or ())

    @property
    def tallies(self) -> list[tuple[str, dict]]:
        """The summary's per-record counts (created, updated, unchanged, deactivated)."""
        return [(k, v) for k, v in (self.summary or {}).items() if isinstance(v, dict)]
