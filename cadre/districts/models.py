import secrets
import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopedManager

from cadre.core.models import TimeStamped


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


class School(TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    code = models.CharField("school code", max_length=50, blank=True)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    grade_band = models.CharField(max_length=50, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = ScopedManager(district="district")

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


class Department(TimeStamped):
    """A OneRoster org of type department, kept under its school."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="departments")
    name = models.CharField(max_length=200)
    sourced_id = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(district="district")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="department_unique_sourced_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school})"


class Program(TimeStamped):
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

    objects = ScopedManager(district="district")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("program-detail", args=[self.pk])


class SchoolYear(TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="school_years")
    name = models.CharField(max_length=20, help_text="For example 2026–27.")
    start_date = models.DateField()
    end_date = models.DateField()
    is_current = models.BooleanField("current", default=False)
    goals_due = models.DateField(
        "professional goals due", null=True, blank=True, help_text="Staff are reminded before it."
    )

    objects = ScopedManager(district="district")

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


class Staff(TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )
    employee_id = models.CharField(max_length=50, blank=True)
    sourced_id = models.CharField("OneRoster sourcedId", max_length=255, blank=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    hire_date = models.DateField(null=True, blank=True)
    contracted_days = models.PositiveIntegerField(
        "contracted teaching days", default=0, help_text="Days of contracted teaching before now."
    )
    substitute_days = models.PositiveIntegerField(
        "substitute days", default=0, help_text="Days of substitute teaching before now."
    )
    subjects = models.JSONField(default=list, blank=True)
    grade_bands = models.JSONField(default=list, blank=True)
    bargaining_unit = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = ScopedManager(district="district")

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
    def experience_days(self) -> int:
        return self.contracted_days + self.substitute_days

    @property
    def is_new_teacher(self) -> bool:
        return self.experience_days < self.district.new_teacher_threshold_days

    @property
    def experience_reason(self) -> str:
        return (
            f"{self.experience_days} days: {self.contracted_days} contracted + "
            f"{self.substitute_days} substitute"
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


class Assignment(TimeStamped):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
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


class RosterClass(models.Model):
    """A OneRoster class, kept only to link teachers to pseudonymous students."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    sourced_id = models.CharField(max_length=255)
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(max_length=255, blank=True)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(district="district")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "sourced_id"], name="class_unique_id")
        ]

    def __str__(self) -> str:
        return self.title or self.sourced_id


class TeacherClass(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="classes")
    roster_class = models.ForeignKey(RosterClass, on_delete=models.CASCADE, related_name="teachers")
    sourced_id = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(district="district")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "sourced_id"], name="teacher_class_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} teaches {self.roster_class_id}"


class StudentEnrollment(models.Model):
    """A student in a class, by pseudonymous key only: no name, no email, no raw id."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    roster_class = models.ForeignKey(RosterClass, on_delete=models.CASCADE, related_name="students")
    student_key = models.CharField(max_length=64, help_text="HMAC-SHA256 of the student id.")
    enrollment_key = models.CharField(max_length=64, help_text="HMAC-SHA256 of the sourcedId.")
    is_active = models.BooleanField(default=True)

    objects = ScopedManager(district="district")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "enrollment_key"], name="student_enrollment_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"student {self.student_key[:8]}… in class {self.roster_class_id}"


class ImportRun(TimeStamped):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        VALIDATED = "validated", "Validated (dry run)"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(district="district")

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
    def is_finished(self) -> bool:
        return self.status not in {self.Status.QUEUED, self.Status.RUNNING}
