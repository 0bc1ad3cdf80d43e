"""Professional goals and individual staff development (ISD): the personal end of district goal
→ school goal → personal goal → learning."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cadre.core.attachments import Attachment
from cadre.core.models import DistrictOwned, TimeStamped
from cadre.districts.models import District, Program, School, SchoolYear, Staff
from cadre.funding.models import FundingSource, LedgerEntry, money_field, time_field
from cadre.planning.models import Goal


class Supervised(DistrictOwned, TimeStamped):
    """Written by a staff member and decided by their supervisor: the principal of `school`,
    or the director of `program` for program staff."""

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def supervisor_unit(self) -> str:
        return str(self.school or self.program or "")


class ProfessionalGoal(Supervised):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        APPROVED = "approved", "Approved"

    class Outcome(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"

    title = models.CharField(max_length=200)
    statement = models.TextField(blank=True, help_text="What you will achieve, and for whom.")
    aligns_to = models.ManyToManyField(
        Goal, blank=True, related_name="professional_goals", help_text="School or district goals."
    )
    activities = models.TextField(
        "planned learning", blank=True, help_text="The learning activities you plan."
    )
    evidence = models.TextField(
        "evidence of success", blank=True, help_text="What will show you succeeded."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(blank=True, help_text="The approver's comment on return.")
    reflection = models.TextField("year-end reflection", blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "id"]
        indexes = [
            models.Index(fields=["district", "school_year", "status"]),
            models.Index(fields=["staff", "school_year"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("professional-goal-detail", args=[self.pk])


class IsdAllotment(DistrictOwned, TimeStamped):
    """The yearly ISD allotment for a bargaining unit or staff category, from a contract.

    The most specific row applies: unit and role, then unit, then role, then the default row
    with neither."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    bargaining_unit = models.CharField(max_length=100, blank=True, help_text="Blank: any unit.")
    role = models.CharField(max_length=30, blank=True, help_text="Blank: any role.")
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The ISD funding source that pays approved requests.",
    )
    amount = money_field(validators=[MinValueValidator(Decimal(0))])
    hours = time_field(validators=[MinValueValidator(Decimal(0))])

    class Meta:
        ordering = ["-school_year__start_date", "bargaining_unit", "role", "id"]
        verbose_name = "ISD allotment"
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "bargaining_unit", "role"],
                name="isd_allotment_unique_category",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, hours__gte=0), name="isd_allotment_not_negative"
            ),
        ]

    def __str__(self) -> str:
        who = " · ".join(filter(None, [self.bargaining_unit, self.get_role_label()])) or "Everyone"
        return f"ISD allotment {self.school_year}: {who}"

    def get_role_label(self) -> str:
        from cadre.districts.models import Role

        return Role(self.role).label if self.role in Role.values else self.role

    def get_absolute_url(self) -> str:
        return reverse("isd-allotment-list") + f"#allotment-{self.pk}"


class IsdRequest(Supervised):
    class Kind(models.TextChoices):
        OFFERING = "offering", "Catalogue offering"
        CONFERENCE = "conference", "Conference"
        COURSE = "course", "Course"
        MATERIALS = "materials", "Materials"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        COMPLETED = "completed", "Completed"
        REIMBURSED = "reimbursed", "Reimbursed"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(max_length=200, help_text="The offering, conference, course or item.")
    offering = models.ForeignKey(
        "catalog.Offering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="isd_requests",
        help_text="The catalogue offering, when it is one.",
    )
    provider = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    cost = money_field(validators=[MinValueValidator(Decimal(0))])
    hours = time_field(validators=[MinValueValidator(Decimal(0))])
    goal = models.ForeignKey(
        ProfessionalGoal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="isd_requests",
        help_text="The professional goal it serves.",
    )
    rationale = models.TextField("why", help_text="How this serves your goal.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.TextField(blank=True, help_text="Why it was denied or cancelled.")
    completion_note = models.TextField("evidence of completion", blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reimbursed_at = models.DateTimeField(null=True, blank=True)
    encumbrance = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "ISD request"
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["staff", "school_year"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="isd_request_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0, hours__gte=0), name="isd_request_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"ISD: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("isd-request-detail", args=[self.pk])


def _attachment_path(instance, filename: str) -> str:
    return f"isd/{instance.request.district_id}/{instance.request_id}/{filename}"


# Attachment first: its Meta (the ordering) is the one Django keeps.
class IsdAttachment(Attachment, DistrictOwned):
    """A receipt or proof of completion: PDF or image, checked on upload, served only to those
    who may see the request."""

    request = models.ForeignKey(IsdRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=300)

    def get_absolute_url(self) -> str:
        return reverse("isd-attachment", args=[self.pk])


class Reminder(models.Model):
    """One reminder email sent: the record that keeps a re-run of the daily job from sending
    it twice."""

    class Kind(models.TextChoices):
        GOAL_DUE = "goal_due", "Goals due"
        PENDING = "pending", "Items waiting for you"

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["staff", "kind", "sent_on"], name="reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.staff} on {self.sent_on}"
