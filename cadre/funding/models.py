"""Funding: sources, fiscal years, budgets, the append-only ledger, stipends and program plans.

Money is Decimal dollars; time is Decimal hours and substitute (release) days. A budget keeps
running totals of what is committed and spent, changed only by `services._post` under a row
lock; `reconcile_ledger` checks them against the sums of the entries.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_scopes import ScopedManager

from cadre.core.models import Distinct, DistrictOwned, TimeStamped
from cadre.districts.models import Program, School, SchoolYear, Staff

ZERO = Decimal("0")


def money_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, default=ZERO, **kwargs)


def time_field(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=10, decimal_places=2, default=ZERO, **kwargs)


class Use(models.TextChoices):
    """What a dollar or hour pays for. A source lists the uses it allows."""

    REGISTRATION = "registration", "Registration fees"
    STIPEND = "stipend", "Stipends"
    SUBSTITUTE = "substitute", "Substitute coverage"
    MATERIALS = "materials", "Materials"
    TRAVEL = "travel", "Travel"
    CONSULTANT = "consultant", "Partner or consultant fees"
    SUBSCRIPTION = "subscription", "Online subscriptions"


class FundingSource(DistrictOwned, TimeStamped):
    class Kind(models.TextChoices):
        ISD = "isd", "ISD / contract funds"
        GENERAL = "general", "General fund"
        TITLE_I = "title_i", "Title I"
        TITLE_II_A = "title_ii_a", "Title II-A"
        IDEA = "idea", "IDEA / Special Education"
        STATE_GRANT = "state_grant", "State grant"
        PRIVATE_GRANT = "private_grant", "Private grant"

    name = models.CharField(max_length=200)
    code = models.CharField("account code", max_length=50, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The owner, when a school owns this source.",
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The owner, when a program owns this source.",
    )
    allowed_uses = models.JSONField(default=list, blank=True)
    staff_restricted = models.BooleanField(
        "pays only for the owner's staff",
        default=False,
        help_text="A school's source pays only for its staff; a program's source only for its "
        "staff and the staff of the schools it covers (Title I).",
    )
    carries_forward = models.BooleanField(
        "carries unspent balances into the next fiscal year", default=False
    )
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(school__isnull=False, program__isnull=False),
                name="funding_source_one_owner",
            ),
            models.UniqueConstraint(fields=["district", "name"], name="funding_source_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding-source-detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return str(self.school or self.program or "District")

    def allowed_use_labels(self) -> list[str]:
        return [Use(u).label for u in self.allowed_uses if u in Use.values]


class FiscalYear(DistrictOwned, TimeStamped):
    name = models.CharField(max_length=20)
    start_date = models.DateField()
    end_date = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["district", "start_date"], name="fiscal_year_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="fiscal_year_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Budget(DistrictOwned, TimeStamped):
    """A source's money and time for one fiscal year, held by the district, a school or a
    program. The committed and spent totals are the ledger's running sums."""

    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="budgets")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="budgets")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = money_field(help_text="Dollars budgeted.")
    hours = time_field(help_text="PD hours budgeted.")
    days = time_field(help_text="Substitute (release) days budgeted.")
    committed_amount = money_field(editable=False)
    committed_hours = time_field(editable=False)
    committed_days = time_field(editable=False)
    spent_amount = money_field(editable=False)
    spent_hours = time_field(editable=False)
    spent_days = time_field(editable=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["source__name", "school__name", "program__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(school__isnull=False, program__isnull=False),
                name="budget_one_owner",
            ),
            models.UniqueConstraint(
                fields=["source", "fiscal_year"],
                condition=Q(school__isnull=True, program__isnull=True),
                name="budget_unique_district",
            ),
            models.UniqueConstraint(
                fields=["source", "fiscal_year", "school"],
                condition=Q(school__isnull=False),
                name="budget_unique_school",
            ),
            models.UniqueConstraint(
                fields=["source", "fiscal_year", "program"],
                condition=Q(program__isnull=False),
                name="budget_unique_program",
            ),
            # The last line of defence behind the service's locked check.
            models.CheckConstraint(
                condition=Q(committed_amount__gte=0, spent_amount__gte=0)
                & Q(amount__gte=F("committed_amount") + F("spent_amount"))
                & Q(hours__gte=F("committed_hours") + F("spent_hours"))
                & Q(days__gte=F("committed_days") + F("spent_days")),
                name="budget_not_overdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.owner} · {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("budget-detail", args=[self.pk])

    @property
    def owner(self) -> str:
        return str(self.school or self.program or "District")

    @property
    def remaining_amount(self) -> Decimal:
        return self.amount - self.committed_amount - self.spent_amount

    @property
    def remaining_hours(self) -> Decimal:
        return self.hours - self.committed_hours - self.spent_hours

    @property
    def remaining_days(self) -> Decimal:
        return self.days - self.committed_days - self.spent_days


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ledger entries are never edited; post a correcting entry.")

    def delete(self):
        raise TypeError("Ledger entries are never deleted; post a correcting entry.")


class LedgerEntry(DistrictOwned):
    """One posting. Never edited or deleted: a correction is a new entry."""

    class Kind(models.TextChoices):
        ENCUMBRANCE = "encumbrance", "Encumbrance"
        EXPENDITURE = "expenditure", "Expenditure"
        RELEASE = "release", "Release"
        ADJUSTMENT = "adjustment", "Adjustment"

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    use = models.CharField(max_length=20, choices=Use.choices)
    amount = money_field()
    hours = time_field()
    days = time_field()
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Whom the money or time was for.",
    )
    # An expenditure or release closes one encumbrance, at most once.
    encumbrance = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="closed_by"
    )
    cause_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cause_id = models.PositiveBigIntegerField(null=True, blank=True)
    memo = models.TextField(blank=True)
    posted_on = models.DateField()
    posted_at = models.DateTimeField(auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(models.Manager.from_queryset(LedgerQuerySet), district="district")

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name_plural = "ledger entries"
        indexes = [
            models.Index(fields=["budget", "kind"]),
            models.Index(fields=["cause_type", "cause_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="adjustment") | Q(amount__gte=0, hours__gte=0, days__gte=0),
                name="ledger_entry_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(encumbrance__isnull=True) | Q(kind__in=["expenditure", "release"]),
                name="ledger_entry_closes_by_paying_or_releasing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ${self.amount} on {self.budget_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise TypeError("Ledger entries are never edited; post a correcting entry.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("budget-detail", args=[self.budget_id]) + f"#entry-{self.pk}"

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger entries are never deleted; post a correcting entry.")

    @classmethod
    def purge(cls, rows) -> None:
        """Remove a whole district's entries at once (the demo reset). Entries point at each
        other, so they go in one statement rather than through the deletion collector."""
        rows._raw_delete(rows.db)

    @property
    def cause(self):
        if self.cause_type_id is None:
            return None
        model = ContentType.objects.get_for_id(self.cause_type_id).model_class()
        return model._base_manager.filter(pk=self.cause_id).first() if model else None


class BudgetTransfer(Distinct, DistrictOwned, TimeStamped):
    """Money or time moved between budgets: requested with a reason, then approved by someone
    else. A fiscal-year close records its carry-forwards as approved transfers."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Transfer"
        CARRY_FORWARD = "carry_forward", "Carry-forward"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TRANSFER)
    from_budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="transfers_out")
    to_budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="transfers_in")
    amount = money_field()
    hours = time_field()
    days = time_field()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, hours__gte=0, days__gte=0),
                name="transfer_non_negative",
            ),
            models.CheckConstraint(
                condition=~Q(from_budget=F("to_budget")), name="transfer_two_budgets"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}: {self.from_budget} → {self.to_budget}"

    def get_absolute_url(self) -> str:
        return reverse("transfer-detail", args=[self.pk])


# --- stipends ------------------------------------------------------------------------------


class StipendRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"
    FACILITATOR = "facilitator", "Facilitator"
    PLC_LEAD = "plc_lead", "PLC lead"
    COACH = "coach", "Coach"
    OTHER = "other", "Other"


class StipendSchedule(DistrictOwned, TimeStamped):
    class Proration(models.TextChoices):
        MONTHLY = "monthly", "By months of service"
        NONE = "none", "Full amount for any service"

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=StipendRole.choices)
    name = models.CharField(max_length=200)
    amount = money_field(help_text="The stipend for a full year of service.")
    full_months = models.PositiveSmallIntegerField("months in a full year of service", default=10)
    proration = models.CharField(
        max_length=10, choices=Proration.choices, default=Proration.MONTHLY
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The usual funding source; each award names its budget.",
    )

    class Meta:
        ordering = ["-school_year__start_date", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "role", "name"], name="stipend_schedule_unique"
            ),
            models.CheckConstraint(condition=Q(full_months__gte=1), name="stipend_full_months"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"

    def get_absolute_url(self) -> str:
        return reverse("stipend-schedule-list")

    def amount_for(self, months: int) -> Decimal:
        if self.proration == self.Proration.NONE or months >= self.full_months:
            return self.amount if months > 0 else ZERO
        return (self.amount * months / self.full_months).quantize(Decimal("0.01"))


class PayrollBatch(DistrictOwned, TimeStamped):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paid_on = models.DateField()
    total = money_field()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "payroll batches"

    def __str__(self) -> str:
        return f"Payroll batch {self.pk} ({self.paid_on})"

    def get_absolute_url(self) -> str:
        return reverse("payroll-batch-csv", args=[self.pk])


class StipendAward(DistrictOwned, TimeStamped):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    schedule = models.ForeignKey(StipendSchedule, on_delete=models.PROTECT, related_name="awards")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="stipend_awards")
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="stipend_awards")
    months = models.PositiveSmallIntegerField("months of service")
    amount = money_field()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    evidence = models.TextField(blank=True, help_text="What the award rests on.")
    evidence_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_id = models.PositiveBigIntegerField(null=True, blank=True)
    encumbrance = models.OneToOneField(
        LedgerEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        PayrollBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "id"]
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return f"{self.schedule.get_role_display()} stipend: {self.staff}"

    def get_absolute_url(self) -> str:
        return reverse("stipend-award-detail", args=[self.pk])


# --- program PD plans ----------------------------------------------------------------------


class ProgramPlan(DistrictOwned, TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="pd_plans")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    goals = models.TextField("goals served", blank=True, help_text="One goal per line.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-school_year__start_date", "program__name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "school_year"], name="program_plan_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("program-plan-detail", args=[self.pk])

    @property
    def goal_list(self) -> list[str]:
        return [g.strip() for g in self.goals.splitlines() if g.strip()]


class PlanActivity(DistrictOwned):
    plan = models.ForeignKey(ProgramPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    audience = models.CharField(max_length=200, blank=True)
    timing = models.CharField("when", max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "plan activities"

    def __str__(self) -> str:
        return self.title


class PlanAllocation(DistrictOwned):
    plan = models.ForeignKey(ProgramPlan, on_delete=models.CASCADE, related_name="allocations")
    use = models.CharField("category", max_length=20, choices=Use.choices)
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="+")
    amount = money_field()
    hours = time_field()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["source__name", "use", "id"]

    def __str__(self) -> str:
        return f"{self.get_use_display()} from {self.source}: ${self.amount}"


class PlanAcknowledgement(DistrictOwned):
    plan = models.ForeignKey(ProgramPlan, on_delete=models.CASCADE, related_name="acknowledgements")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "staff"], name="plan_acknowledged_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff} read {self.plan}"
