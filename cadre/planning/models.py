"""Strategic plans and their goals: the top of district goal → school or program goal →
personal goal → learning."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cadre.core.models import DistrictOwned, TimeStamped
from cadre.districts.models import Program, School, SchoolYear


class StrategicPlan(DistrictOwned, TimeStamped):
    """A plan of the district, a school or a program, spanning one or more school years."""

    class Level(models.TextChoices):
        DISTRICT = "district", "District"
        SCHOOL = "school", "School"
        PROGRAM = "program", "Program"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    level = models.CharField(max_length=10, choices=Level.choices)
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="strategic_plans"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="strategic_plans"
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    first_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    last_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["level", "school__name", "program__name", "-first_year__start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="district", school__isnull=True, program__isnull=True)
                | Q(level="school", school__isnull=False, program__isnull=True)
                | Q(level="program", school__isnull=True, program__isnull=False),
                name="strategic_plan_owner_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategic-plan-detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return str(self.school or self.program or "District")


class Goal(DistrictOwned, TimeStamped):
    """A goal of a strategic plan. School and program goals align to district goals."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.PROTECT, related_name="goals")
    code = models.CharField(max_length=20, help_text="Short and stable, for example D1 or RHS-2.")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    measure = models.CharField(max_length=300, help_text="How progress is measured.")
    target = models.CharField(max_length=300, help_text="What success looks like, and by when.")
    aligns_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supported_by",
        help_text="The district goals this goal serves.",
    )

    class Meta:
        ordering = ["plan_id", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="goal_unique_code_in_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategic-plan-detail", args=[self.plan_id]) + f"#goal-{self.pk}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class OwnedByYear(DistrictOwned, TimeStamped):
    """A school's or a program's record for one school year."""

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def owner(self) -> str:
        return str(self.school or self.program)


def _one_owner(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(school__isnull=False, program__isnull=True)
        | Q(school__isnull=True, program__isnull=False),
        name=name,
    )


class NeedsAssessment(OwnedByYear):
    """What a school or program most needs to learn this year, and the evidence for it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    summary = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The link parents and community use, without signing in; a new token revokes the old.
    input_token = models.CharField(max_length=64, default=_token, unique=True)
    input_open = models.BooleanField("taking stakeholder input", default=False)

    class Meta:
        ordering = ["-school_year__start_date", "school__name", "program__name", "id"]
        constraints = [
            _one_owner("needs_assessment_one_owner"),
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(school__isnull=False),
                name="needs_assessment_one_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["program", "school_year"],
                condition=Q(program__isnull=False),
                name="needs_assessment_one_per_program_year",
            ),
        ]

    def __str__(self) -> str:
        return f"Needs assessment: {self.owner}, {self.school_year}"

    def get_absolute_url(self) -> str:
        return reverse("needs-assessment-detail", args=[self.pk])


class Priority(DistrictOwned):
    """A ranked priority area of a needs assessment, with its evidence."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="priorities"
    )
    rank = models.PositiveSmallIntegerField()
    area = models.CharField(max_length=200, help_text="For example: Reading comprehension, K–3.")
    evidence = models.TextField(help_text="What shows this need: data, observations, surveys.")

    class Meta:
        ordering = ["assessment_id", "rank", "id"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return f"{self.rank}. {self.area}"

    def get_absolute_url(self) -> str:
        return (
            reverse("needs-assessment-detail", args=[self.assessment_id]) + f"#priority-{self.pk}"
        )


class StakeholderInput(DistrictOwned):
    """What a staff member, parent or community member said about a school's needs."""

    class Source(models.TextChoices):
        STAFF = "staff", "Staff"
        PARENT = "parent", "Parent or guardian"
        COMMUNITY = "community", "Community member"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        HIDDEN = "hidden", "Hidden"

    assessment = models.ForeignKey(NeedsAssessment, on_delete=models.CASCADE, related_name="inputs")
    source = models.CharField(max_length=10, choices=Source.choices)
    staff = models.ForeignKey(
        "districts.Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True, help_text="Optional.")
    body = models.TextField("input")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="inputs"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    # A keyed hash of the sender's address, to rate-limit the open link without keeping it.
    client_key = models.CharField(max_length=64, blank=True, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["assessment", "status"]),
            models.Index(fields=["client_key", "submitted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} input #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("needs-assessment-inputs", args=[self.assessment_id]) + f"#input-{self.pk}"


class PdPlan(OwnedByYear):
    """A school's or program's PD plan for the year: the priorities it addresses, the goals it
    serves, and the structure for support that the principal approves."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    priorities = models.ManyToManyField(Priority, blank=True, related_name="pd_plans")
    goals = models.ManyToManyField(Goal, blank=True, related_name="pd_plans")
    # Blank while drafting; submitting needs all four.
    intensive_support = models.TextField(
        blank=True, help_text="How staff who need it get intensive, ongoing support."
    )
    individual = models.TextField(
        "individual learning", blank=True, help_text="How everyone takes part."
    )
    small_group = models.TextField(
        "small-group learning", blank=True, help_text="PLCs, lesson study, …"
    )
    whole_group = models.TextField(
        "whole-group learning", blank=True, help_text="Workshops, institutes, …"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(blank=True, help_text="The approver's comment on return.")

    class Meta:
        ordering = ["-school_year__start_date", "school__name", "program__name", "id"]
        verbose_name = "PD plan"
        constraints = [
            _one_owner("pd_plan_one_owner"),
            models.UniqueConstraint(
                fields=["school", "school_year"],
                condition=Q(school__isnull=False),
                name="pd_plan_one_per_school_year",
            ),
            models.UniqueConstraint(
                fields=["program", "school_year"],
                condition=Q(program__isnull=False),
                name="pd_plan_one_per_program_year",
            ),
        ]

    def __str__(self) -> str:
        return f"PD plan: {self.owner}, {self.school_year}"

    def get_absolute_url(self) -> str:
        return reverse("pd-plan-detail", args=[self.pk])
