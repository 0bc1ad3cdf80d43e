"""The catalogue: partners, offerings, sessions and their meetings, registrations, attendance,
completions (the transcript's rows), external hours and calendar feeds.

An offering is what is taught; a session is one run of it, with one or more meetings (or, when
self-paced, modules). Attendance is kept per meeting in minutes; a completion is awarded from
the attendance by the offering's completion rules, and its clock hours by the district's rules
(`cadre.catalog.credit`). The transcript is computed from completions and approved external
hours; nothing else holds hours.
"""

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from cadre.core.models import DistrictOwned, TimeStamped
from cadre.districts.models import District, Program, School, SchoolYear, Staff
from cadre.funding.models import FundingSource, LedgerEntry, money_field, time_field
from cadre.growth.models import Supervised
from cadre.planning.models import Goal

DEFAULT_FOCUS_AREAS = [
    "Literacy",
    "Differentiated instruction",
    "Student engagement",
    "SEL and well-being",
    "Technology",
    "Equity",
]

# Characters that cannot be misread on a projector: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_checkin_code() -> str:
    return new_code(6)


def new_verification_code() -> str:
    return new_code(12)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Category(models.TextChoices):
    """The state category a clock hour counts toward on the transcript and for renewal."""

    GENERAL = "general", "General"
    EQUITY = "equity", "Equity-based"
    STEM = "stem", "STEM-integrated"


class CreditKind(models.TextChoices):
    NONE = "", "None"
    QUARTER = "quarter", "Quarter credits"
    SEMESTER = "semester", "Semester credits"


class FocusArea(DistrictOwned, TimeStamped):
    """A focus of learning. Each district starts with `DEFAULT_FOCUS_AREAS` and edits them."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="focus_area_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("focus-area-list")


class Partner(DistrictOwned, TimeStamped):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University"
        EDUCATION = "education", "Education organisation"
        COMMUNITY = "community", "Community group"
        VENDOR = "vendor", "Vendor"
        DEPARTMENT = "department", "District department"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="partner_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partner-detail", args=[self.pk])


class PartnerContact(DistrictOwned):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partner-detail", args=[self.partner_id]) + f"#contact-{self.pk}"


class PartnerAgreement(DistrictOwned, TimeStamped):
    """A memorandum or contract with a partner: its dates, scope, cost and any university
    credit it offers."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(max_length=200)
    start_date = models.DateField()
    end_date = models.DateField()
    scope = models.TextField(blank=True)
    cost = money_field(validators=[MinValueValidator(Decimal(0))])
    credit_kind = models.CharField(
        "university credit", max_length=10, choices=CreditKind.choices, blank=True
    )
    credits = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )

    class Meta:
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="partner_agreement_dates"
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0, credits__gte=0), name="partner_agreement_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.partner})"

    def get_absolute_url(self) -> str:
        return reverse("partner-detail", args=[self.partner_id]) + f"#agreement-{self.pk}"


class Offering(DistrictOwned, TimeStamped):
    """What is taught. Owned by the district's PD office, or by a school or program that runs
    its own; published offerings are in everyone's catalogue."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        LIVE_ONLINE = "live_online", "Live online or webinar"
        SELF_PACED = "self_paced", "Self-paced online"
        BLENDED = "blended", "Blended"
        VIRTUAL_COACHING = "virtual_coaching", "Virtual coaching"

    class Structure(models.TextChoices):
        WORKSHOP = "workshop", "Workshop"
        COURSE = "course", "Course"
        CONFERENCE = "conference", "Conference"
        SERIES = "series", "Series"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Approval(models.TextChoices):
        NONE = "none", "No approval needed"
        SUPERVISOR = "supervisor", "The principal or program director"
        DISTRICT = "district", "The district PD office"

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The owner, when a school runs it.",
    )  # fmt: skip
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The owner, when a program runs it.",
    )  # fmt: skip
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    format = models.CharField(max_length=20, choices=Format.choices)
    structure = models.CharField(max_length=12, choices=Structure.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="offerings")
    # The audience: empty lists mean everyone. It guides discovery; it does not bar anyone.
    roles = models.JSONField(default=list, blank=True)
    subjects = models.JSONField(default=list, blank=True)
    grade_bands = models.JSONField(default=list, blank=True)
    schools = models.ManyToManyField(School, blank=True, related_name="+")
    programs = models.ManyToManyField(Program, blank=True, related_name="+")
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="offerings", help_text="The strategic goals it serves."
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, null=True, blank=True, related_name="offerings",
        help_text="The provider. Blank: the district itself.",
    )  # fmt: skip
    facilitators = models.ManyToManyField(Staff, blank=True, related_name="+")
    cost = money_field(
        validators=[MinValueValidator(Decimal(0))], help_text="The fee per participant."
    )
    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="paid by", help_text="Blank: the participant pays, for example from ISD.",
    )  # fmt: skip
    substitute_days = time_field(
        validators=[MinValueValidator(Decimal(0))],
        help_text="Release days per participant, paid by the same source.",
    )
    approval = models.CharField(
        "approval needed from", max_length=12, choices=Approval.choices, default=Approval.NONE
    )
    capacity = models.PositiveIntegerField(
        default=30, validators=[MinValueValidator(1)], help_text="Seats in a new session."
    )
    category = models.CharField(
        "clock-hour category", max_length=10, choices=Category.choices, default=Category.GENERAL
    )
    credit_kind = models.CharField(
        "university credit", max_length=10, choices=CreditKind.choices, blank=True
    )
    credits = models.DecimalField(
        "university credits", max_digits=5, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    min_attendance_percent = models.PositiveSmallIntegerField(
        "minimum share of minutes attended (%)",
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    completion_rules = models.JSONField(
        default=list, blank=True, help_text="Names of the rules in cadre.catalog.completion."
    )

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["district", "status", "format"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(school__isnull=False, program__isnull=False), name="offering_one_owner"
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0, substitute_days__gte=0, credits__gte=0),
                name="offering_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("offering-detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return str(self.school or self.program or "District")

    @property
    def is_self_paced(self) -> bool:
        return self.format == self.Format.SELF_PACED

    @property
    def provider(self) -> str:
        return str(self.partner or self.district)


class Session(DistrictOwned, TimeStamped):
    """One run of an offering, with its seats and registration window."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="sessions")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True, help_text="For example: Fall cohort.")
    location = models.CharField(max_length=200, blank=True, help_text="The usual room.")
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    registration_opens = models.DateTimeField(null=True, blank=True)
    registration_closes = models.DateTimeField(null=True, blank=True)
    cancel_by = models.DateTimeField(
        "cancel until", null=True, blank=True, help_text="Participants may cancel until then."
    )
    facilitators = models.ManyToManyField(Staff, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # The first and last meeting, kept by the services so lists and calendars sort and
    # filter without reading every meeting.
    starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    minutes = models.PositiveIntegerField(
        default=0, editable=False, help_text="The credited minutes of all its meetings."
    )

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["district", "status", "starts_at"]),
            models.Index(fields=["offering", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.offering}: {self.name}" if self.name else str(self.offering)

    def get_absolute_url(self) -> str:
        return reverse("session-detail", args=[self.pk])


class Meeting(DistrictOwned):
    """A meeting of a session (start and end, a room or a join link), or, when self-paced, a
    module with its minutes. Meals and breaks are not credited (`break_minutes`)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    break_minutes = models.PositiveIntegerField(
        "meals and breaks (minutes)", default=0, help_text="Not credited."
    )
    minutes = models.PositiveIntegerField(
        "credited minutes", default=0, help_text="Computed for a meeting; given for a module."
    )
    location = models.CharField(max_length=200, blank=True)
    join_url = models.URLField("join link", max_length=500, blank=True)
    checkin_code = models.CharField(max_length=8, default=new_checkin_code)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="meeting_times",
            )
        ]

    def __str__(self) -> str:
        return self.title or (f"{self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else "Module")

    def get_absolute_url(self) -> str:
        return reverse("session-detail", args=[self.session_id]) + f"#meeting-{self.pk}"

    @property
    def is_module(self) -> bool:
        return self.starts_at is None

    @property
    def duration(self) -> timedelta | None:
        return self.ends_at - self.starts_at if self.starts_at else None


class Registration(DistrictOwned, TimeStamped):
    """A person's place in a session. Seats are held by requested, registered and completed
    registrations; the waitlist is ordered by `position`."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Awaiting approval"
        REGISTERED = "registered", "Registered"
        WAITLISTED = "waitlisted", "Waitlisted"
        DENIED = "denied", "Denied"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"
        INCOMPLETE = "incomplete", "Not completed"

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="registrations")
    # The registrant's school or program when they registered: whose leader approves, and
    # whose budget pays.
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    position = models.PositiveIntegerField(
        null=True, blank=True, help_text="Place in the waitlist; lower goes first."
    )
    assigned = models.BooleanField("required", default=False, help_text="Assigned by a leader.")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(
        blank=True, help_text="Why it was denied or cancelled, or what it lacked to complete."
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    fee_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    days_entry = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    HOLDS_SEAT = (Status.REQUESTED, Status.REGISTERED, Status.COMPLETED, Status.INCOMPLETE)
    ACTIVE = (*HOLDS_SEAT, Status.WAITLISTED)

    class Meta:
        ordering = ["session_id", "status", "position", "created_at", "id"]
        indexes = [
            models.Index(fields=["session", "status", "position"]),
            models.Index(fields=["staff", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "staff"],
                condition=Q(
                    status__in=["requested", "registered", "waitlisted", "completed", "incomplete"]
                ),  # fmt: skip
                name="registration_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} in {self.session}"

    def get_absolute_url(self) -> str:
        return reverse("registration-detail", args=[self.pk])


class Attendance(DistrictOwned):
    """Minutes a participant attended one meeting, or their attested completion of a module."""

    class Method(models.TextChoices):
        ROSTER = "roster", "Facilitator's roster"
        CHECKIN = "checkin", "Self check-in"
        ATTESTATION = "attestation", "Attestation"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    present = models.BooleanField(default=True)
    minutes = models.PositiveIntegerField(default=0, help_text="Credited minutes attended.")
    method = models.CharField(max_length=12, choices=Method.choices)
    evidence = models.TextField(blank=True, help_text="For a module: what was done.")
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting_id", "registration_id"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration.staff} at {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("registration-detail", args=[self.registration_id])


class Completion(DistrictOwned):
    """Credit earned: a transcript row and a certificate, with its verification code."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="completion"
    )
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="completions")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="completions")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    completed_on = models.DateField()
    minutes = models.PositiveIntegerField(help_text="Credited minutes attended.")
    clock_hours = models.DecimalField(max_digits=6, decimal_places=2)
    category = models.CharField(max_length=10, choices=Category.choices)
    credit_kind = models.CharField(max_length=10, choices=CreditKind.choices, blank=True)
    credits = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    code = models.CharField(
        "verification code", max_length=16, unique=True, default=new_verification_code
    )
    awarded_at = models.DateTimeField(auto_now_add=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["staff", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(clock_hours__gte=0, credits__gte=0), name="completion_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.offering} ({self.clock_hours} h)"

    def get_absolute_url(self) -> str:
        return reverse("registration-detail", args=[self.registration_id])


class ExternalHours(Supervised):
    """Learning outside the catalogue (a conference, a university course), entered by the
    person with evidence and approved by their supervisor before it counts."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        WITHDRAWN = "withdrawn", "Withdrawn"

    title = models.CharField(max_length=200)
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField()
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    category = models.CharField(max_length=10, choices=Category.choices, default=Category.GENERAL)
    evidence = models.TextField(help_text="What shows you did it: certificate number, agenda.")
    file = models.FileField(upload_to="external-hours/%Y/", max_length=300, blank=True)
    file_type = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    comment = models.TextField(blank=True, help_text="The supervisor's comment on return.")

    class Meta:
        ordering = ["-completed_on", "-id"]
        verbose_name = "external hours"
        verbose_name_plural = "external hours"
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="external_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours} h)"

    def get_absolute_url(self) -> str:
        return reverse("external-hours-detail", args=[self.pk])


class CalendarFeed(DistrictOwned):
    """The secret address of a person's iCalendar feed. Revoking makes a new token."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.staff}"


class SessionAssignment(DistrictOwned, TimeStamped):
    """A leader's whole-group assignment of a session to a school's or program's staff, or a
    filtered part of them. Each person gets a required registration."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="assignments")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    roles = models.JSONField(default=list, blank=True)
    subjects = models.JSONField(default=list, blank=True)
    grade_bands = models.JSONField(default=list, blank=True)
    assigned_count = models.PositiveIntegerField(default=0)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=False, program__isnull=True)
                | Q(school__isnull=True, program__isnull=False),
                name="session_assignment_one_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} assigned to {self.school or self.program}"

    def get_absolute_url(self) -> str:
        return reverse("session-detail", args=[self.session_id])


class Notice(models.Model):
    """One email sent about a registration (confirmation, promotion, a meeting's reminder):
    the record that keeps a re-run from sending it twice."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", "Registration confirmed"
        WAITLISTED = "waitlisted", "Waitlisted"
        PROMOTED = "promoted", "Promoted from the waitlist"
        REMINDER = "reminder", "Meeting reminder"
        ASSIGNED = "assigned", "Assigned"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "meeting", "kind"], name="notice_once"),
            models.UniqueConstraint(
                fields=["registration", "kind"],
                condition=Q(meeting__isnull=True),
                name="notice_once_without_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for registration {self.registration_id}"
