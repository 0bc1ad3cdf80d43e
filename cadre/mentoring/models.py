"""The mentor programme for new teachers: extended support, mentors, matches, the pair's
confidential contact logs, training designations and the principal's onboarding checklist.

Who is a new teacher is computed, not stored: contracted plus substitute days under the
district's threshold (`Staff.is_new_teacher`), so roster imports and edits change it at once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cadre.catalog.models import Offering
from cadre.core.models import DistrictOwned, TimeStamped
from cadre.districts.models import School, SchoolYear, Staff
from cadre.funding.models import FundingSource

# Extended support and stipends are paid by the district's own money or a grant, never by a
# teacher's ISD allotment.
SUPPORT_SOURCE_KINDS = [k for k in FundingSource.Kind.values if k != FundingSource.Kind.ISD]


class ExtendedSupport(DistrictOwned, TimeStamped):
    """The district extends the programme to an experienced teacher for a year."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="extended_support")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why this teacher gets the programme's support.")
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The district fund or grant that pays for it.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-school_year__start_date", "staff__last_name", "staff__first_name"]
        verbose_name_plural = "extended support"
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "school_year"], name="extended_support_once_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"Extended support: {self.staff} ({self.school_year})"

    def get_absolute_url(self) -> str:
        return reverse("mentoring-person", args=[self.staff_id])


class Mentor(DistrictOwned, TimeStamped):
    """A staff member who mentors, with their caseload cap and availability. Only those who
    completed a mentor-training offering become mentors."""

    staff = models.OneToOneField(Staff, on_delete=models.PROTECT, related_name="mentor")
    caseload_cap = models.PositiveSmallIntegerField(
        "caseload cap",
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Most mentees this mentor supports at once.",
    )
    is_available = models.BooleanField(
        "taking new mentees", default=True, help_text="Off: not suggested for new matches."
    )
    availability = models.CharField(
        max_length=200, blank=True, help_text="When they can meet, e.g. Tuesdays after school."
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "id"]

    def __str__(self) -> str:
        return str(self.staff)

    def get_absolute_url(self) -> str:
        return reverse("mentor-list")


class Match(DistrictOwned, TimeStamped):
    """A mentor and a new teacher for a school year: proposed → active → ended."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class EndReason(models.TextChoices):
        COMPLETED = "completed", "The year's support is complete"
        NOT_CONFIRMED = "not_confirmed", "Not confirmed"
        REASSIGNED = "reassigned", "Reassigned to another mentor"
        MENTEE_LEFT = "mentee_left", "The new teacher left"
        MENTOR_LEFT = "mentor_left", "The mentor stepped down"
        OTHER = "other", "Other"

    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="matches")
    mentee = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="mentor_matches")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The new teacher's school when proposed: its principal follows the pair.",
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The district fund or grant that pays the stipends.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    note = models.TextField(blank=True, help_text="Why this pairing.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-school_year__start_date", "mentee__last_name", "mentee__first_name", "id"]
        verbose_name = "mentor match"
        verbose_name_plural = "mentor matches"
        constraints = [
            # One open pairing per new teacher and year: a second mentor is a reassignment.
            models.UniqueConstraint(
                fields=["mentee", "school_year"],
                condition=Q(status__in=["proposed", "active"]),
                name="match_one_open_per_mentee",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="match_dates",
            ),
        ]
        indexes = [models.Index(fields=["district", "school_year", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee}"

    def get_absolute_url(self) -> str:
        return reverse("mentor-match-detail", args=[self.pk])


class Log(DistrictOwned, TimeStamped):
    """One contact between the pair. Confidential: only the mentor and the new teacher read
    it; everyone else sees counts and dates (ARCHITECTURE rule 3)."""

    class Kind(models.TextChoices):
        PLANNING = "planning", "Planning"
        OBSERVATION = "observation", "Observation"
        REFLECTION = "reflection", "Reflection"
        CO_TEACHING = "co_teaching", "Co-teaching"
        OTHER = "other", "Other"

    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="logs")
    met_on = models.DateField("date")
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(600)])
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    focus = models.TextField(help_text="What you worked on.")
    next_steps = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reflection = models.TextField("the new teacher's reflection", blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-met_on", "-id"]
        verbose_name = "mentor log"
        indexes = [models.Index(fields=["match", "met_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.met_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("mentor-log-detail", args=[self.pk])


class Training(DistrictOwned):
    """A catalogue offering the programme counts: completing mentor training makes a staff
    member eligible to mentor; orientation offerings are required of every new teacher."""

    class Kind(models.TextChoices):
        MENTOR = "mentor", "Mentor training"
        ORIENTATION = "orientation", "New-teacher orientation (required)"

    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="mentoring_training"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["kind", "offering__title"]
        verbose_name = "programme training"
        constraints = [
            models.UniqueConstraint(fields=["offering", "kind"], name="training_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.offering} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("mentor-training")


class OnboardingItem(DistrictOwned, TimeStamped):
    """One step of the district's onboarding checklist, which the district edits."""

    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField("in use", default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "onboarding step"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("onboarding-items")


class OnboardingChecklist(DistrictOwned, TimeStamped):
    """The principal's part in bringing a new teacher into the school and its culture."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="onboarding")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-school_year__start_date", "staff__last_name", "staff__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "school_year"], name="onboarding_once_a_year")
        ]

    def __str__(self) -> str:
        return f"Onboarding: {self.staff} ({self.school_year})"

    def get_absolute_url(self) -> str:
        return reverse("onboarding-detail", args=[self.pk])


class OnboardingTask(DistrictOwned):
    """A checklist's copy of a step, so later edits to the district's list keep its history."""

    checklist = models.ForeignKey(
        OnboardingChecklist, on_delete=models.CASCADE, related_name="tasks"
    )
    item = models.ForeignKey(
        OnboardingItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "onboarding task"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("onboarding-detail", args=[self.checklist_id])
