"""API shapes for funding: sources, budgets and their ledger, transfers, fiscal years, stipends,
payroll and program PD plans.

Serializers only validate and represent; every write goes through `services`. Money is
Decimal with the model's 12 digits and 2 places; hours and days 10 and 2, so an amount that
does not fit is a 400, never a database error.
"""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.districts import access
from cadre.districts.models import Program, School, SchoolYear, Staff
from cadre.districts.serializers import (
    MAX_ID,
    TRI_STATE,
    Visible,
    _id,
    _ordering,
    _search,
)
from cadre.funding.models import (
    Budget,
    BudgetTransfer,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PayrollBatch,
    PlanAcknowledgement,
    PlanActivity,
    PlanAllocation,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
    Use,
)

MONEY = {"max_digits": 12, "decimal_places": 2}
TIME = {"max_digits": 10, "decimal_places": 2}


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, **kwargs)


def _time(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**TIME, **kwargs)


def _name(user) -> str | None:
    """A user's name as staff know it; None for nobody (or a user without a staff record)."""
    if user is None:
        return None
    staff = user.person
    return staff.full_name if staff is not None else str(user)


def _link(model, **kwargs) -> Visible:
    """A Visible link in a serializer without a model: the id is typed (and bounded) here."""
    return Visible(
        model, pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


class InDistrict(serializers.PrimaryKeyRelatedField):
    """Any row of the caller's district, seen or not: whom a payment is for (the business
    office names anyone it pays) and where a transfer goes (a principal moves money to
    another school or a program pool). Only the id is taken; nothing of the row is shown."""

    def __init__(self, model, *, active_only: bool = False, **kwargs):
        self.model = model
        self.active_only = active_only
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = self.model.objects.filter(district=self.context["view"].actor.district)
        return qs.filter(is_active=True) if self.active_only else qs


def _label(**kwargs) -> serializers.CharField:
    return serializers.CharField(read_only=True, **kwargs)


# --- sources -------------------------------------------------------------------------------


class FundingSourceSerializer(serializers.ModelSerializer):
    school = Visible(School, required=False, allow_null=True)
    program = Visible(Program, required=False, allow_null=True)
    owner = _label(help_text="The school or program that owns the source, or District.")
    allowed_uses = serializers.ListField(
        child=serializers.ChoiceField(choices=Use.choices),
        required=False,
        max_length=len(Use.values),
        help_text="What the source pays for.",
    )

    class Meta:
        model = FundingSource
        fields = [
            "id",
            "name",
            "code",
            "kind",
            "school",
            "program",
            "owner",
            "allowed_uses",
            "staff_restricted",
            "carries_forward",
            "is_active",
        ]


# --- budgets -------------------------------------------------------------------------------


class BudgetSerializer(serializers.ModelSerializer):
    source = Visible(FundingSource)
    source_name = _label(source="source.name")
    fiscal_year = Visible(FiscalYear)
    fiscal_year_name = _label(source="fiscal_year.name")
    school = Visible(School, required=False, allow_null=True)
    program = Visible(Program, required=False, allow_null=True)
    owner = _label(help_text="The school or program that holds the budget, or District.")
    amount = _money(required=False, help_text="Dollars budgeted.")
    hours = _time(required=False, help_text="PD hours budgeted.")
    days = _time(required=False, help_text="Substitute (release) days budgeted.")
    remaining_amount = _money(read_only=True)
    remaining_hours = _time(read_only=True)
    remaining_days = _time(read_only=True)

    class Meta:
        model = Budget
        fields = [
            "id",
            "source",
            "source_name",
            "fiscal_year",
            "fiscal_year_name",
            "school",
            "program",
            "owner",
            "amount",
            "hours",
            "days",
            "committed_amount",
            "committed_hours",
            "committed_days",
            "spent_amount",
            "spent_hours",
            "spent_days",
            "remaining_amount",
            "remaining_hours",
            "remaining_days",
            "note",
        ]
        # The service refuses a second budget for the same source, year and owner with its own
        # code; DRF's validator for those conditional constraints would demand school and
        # program in every body.
        validators: list = []
        # The running totals belong to the ledger: only postings move them.
        read_only_fields = [
            "committed_amount",
            "committed_hours",
            "committed_days",
            "spent_amount",
            "spent_hours",
            "spent_days",
        ]


class BudgetChangeSerializer(BudgetSerializer):
    """What a budget's PATCH accepts: its figures and note. Source, fiscal year and owner are
    fixed once the budget exists; a budget for another owner is a new budget."""

    source = serializers.PrimaryKeyRelatedField(read_only=True)
    fiscal_year = serializers.PrimaryKeyRelatedField(read_only=True)
    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    program = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)


class OfBudget(serializers.PrimaryKeyRelatedField):
    """A ledger entry of the budget the request is about (`context["budget"]`)."""

    def get_queryset(self):
        actor = self.context["view"].actor
        return access.visible(actor, LedgerEntry).filter(budget=self.context["budget"])


class EntryPostSerializer(serializers.Serializer):
    """A manual posting to a budget's ledger."""

    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices)
    use = serializers.ChoiceField(
        choices=Use.choices,
        required=False,
        help_text="Needed for an encumbrance or adjustment, and for an expenditure that pays "
        "no encumbrance.",
    )
    amount = _money(required=False, allow_null=True, help_text="Dollars.")
    hours = _time(required=False, allow_null=True)
    days = _time(required=False, allow_null=True, help_text="Substitute (release) days.")
    staff = InDistrict(
        Staff, active_only=True, required=False, allow_null=True, help_text="Whom it was for."
    )
    encumbrance = OfBudget(
        pk_field=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_null=True,
        help_text="To pay or release an encumbrance of this budget; its use and person carry over.",
    )
    memo = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="What this is. An adjustment needs its reason here.",
    )

    def validate(self, data):
        kind = data["kind"]
        needs_use = kind in (LedgerEntry.Kind.ENCUMBRANCE, LedgerEntry.Kind.ADJUSTMENT)
        if needs_use and not data.get("use"):
            raise serializers.ValidationError({"use": "Say what this pays for."})
        if kind == LedgerEntry.Kind.EXPENDITURE and not (
            data.get("use") or data.get("encumbrance")
        ):
            raise serializers.ValidationError(
                {"use": "Say what this pays for, or choose the encumbrance it pays."}
            )
        return data


class TransferRequestSerializer(serializers.Serializer):
    """Ask to move money or time from this budget to another of the same fiscal year."""

    to_budget = InDistrict(Budget, help_text="Any budget of the same fiscal year.")
    amount = _money(required=False, min_value=Decimal(0), default=Decimal(0), help_text="Dollars.")
    hours = _time(required=False, min_value=Decimal(0), default=Decimal(0))
    days = _time(
        required=False, min_value=Decimal(0), default=Decimal(0), help_text="Release days."
    )
    reason = serializers.CharField(max_length=2000)


# --- the ledger ----------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    budget_name = serializers.StringRelatedField(source="budget")
    staff_name = _label(source="staff.full_name", allow_null=True)
    closed_by = serializers.SerializerMethodField(
        help_text="The expenditure or release that closed this encumbrance, if any."
    )
    cause_type = serializers.SerializerMethodField(
        help_text="What the entry was posted for, as app_label.model (a stipend award …)."
    )
    posted_by_name = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "budget",
            "budget_name",
            "kind",
            "use",
            "amount",
            "hours",
            "days",
            "staff",
            "staff_name",
            "encumbrance",
            "closed_by",
            "cause_type",
            "cause_id",
            "memo",
            "posted_on",
            "posted_at",
            "posted_by_name",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_closed_by(self, obj: LedgerEntry) -> int | None:
        closing = getattr(obj, "closed_by", None)  # the reverse one-to-one raises when absent
        return closing.pk if closing is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_cause_type(self, obj: LedgerEntry) -> str | None:
        if obj.cause_type_id is None:
            return None
        return f"{obj.cause_type.app_label}.{obj.cause_type.model}"

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_posted_by_name(self, obj: LedgerEntry) -> str | None:
        return _name(obj.posted_by)


# --- transfers and fiscal years ------------------------------------------------------------


class BudgetTransferSerializer(serializers.ModelSerializer):
    from_budget_name = serializers.StringRelatedField(source="from_budget")
    to_budget_name = serializers.StringRelatedField(source="to_budget")
    requested_by_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = BudgetTransfer
        fields = [
            "id",
            "kind",
            "status",
            "from_budget",
            "from_budget_name",
            "to_budget",
            "to_budget_name",
            "amount",
            "hours",
            "days",
            "reason",
            "requested_by_name",
            "created_at",
            "decided_by_name",
            "decided_at",
            "decision_note",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_requested_by_name(self, obj: BudgetTransfer) -> str | None:
        return _name(obj.requested_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj: BudgetTransfer) -> str | None:
        return _name(obj.decided_by)


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RejectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="Why the transfer is rejected.")


class FiscalYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["id", "name", "start_date", "end_date", "is_closed", "closed_at"]
        read_only_fields = fields


# --- stipends ------------------------------------------------------------------------------


class StipendScheduleSerializer(serializers.ModelSerializer):
    school_year = Visible(SchoolYear)
    school_year_name = _label(source="school_year.name")
    source = Visible(
        FundingSource,
        required=False,
        allow_null=True,
        help_text="The usual funding source; each award names its budget.",
    )
    amount = _money(min_value=Decimal(0), help_text="The stipend for a full year of service.")

    class Meta:
        model = StipendSchedule
        fields = [
            "id",
            "school_year",
            "school_year_name",
            "role",
            "name",
            "amount",
            "full_months",
            "proration",
            "source",
        ]
        validators: list = []  # the service refuses a duplicate, with its code


class StipendAwardSerializer(serializers.ModelSerializer):
    schedule = Visible(StipendSchedule)
    schedule_name = _label(source="schedule.name")
    role = _label(source="schedule.role")
    staff = Visible(Staff, active_only=True)
    staff_name = _label(source="staff.full_name")
    budget = Visible(Budget, help_text="The budget that pays it.")
    budget_name = serializers.StringRelatedField(source="budget")
    amount = _money(read_only=True, help_text="The schedule's amount for the months served.")

    class Meta:
        model = StipendAward
        fields = [
            "id",
            "schedule",
            "schedule_name",
            "role",
            "staff",
            "staff_name",
            "budget",
            "budget_name",
            "months",
            "amount",
            "status",
            "evidence",
            "encumbrance",
            "batch",
            "created_at",
        ]
        # Status, encumbrance and batch change only through approve, cancel and payroll.
        read_only_fields = ["status", "encumbrance", "batch"]


class PayrollBatchSerializer(serializers.ModelSerializer):
    awards = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PayrollBatch
        fields = ["id", "paid_on", "count", "total", "awards", "created_by_name", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_created_by_name(self, obj: PayrollBatch) -> str | None:
        return _name(obj.created_by)


class PayrollCreateSerializer(serializers.Serializer):
    """Pay approved awards in one batch."""

    awards = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=5000,
        help_text="Ids of approved stipend awards.",
    )
    paid_on = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to today in the district."
    )

    def validate_awards(self, value: list[int]) -> list[StipendAward]:
        # One query for the lot, and an id the caller cannot see reads as unknown.
        ids = list(dict.fromkeys(value))
        found = {
            a.pk: a
            for a in access.visible(self.context["view"].actor, StipendAward).filter(pk__in=ids)
        }
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown awards: {', '.join(str(i) for i in unknown[:20])}."
            )
        return [found[i] for i in ids]


# --- program PD plans ----------------------------------------------------------------------


class PlanActivitySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanActivity
        fields = ["id", "title", "description", "audience", "timing"]


class PlanAllocationSerializer(serializers.ModelSerializer):
    source = Visible(FundingSource)
    source_name = _label(source="source.name")
    amount = _money(required=False, min_value=Decimal(0), default=Decimal(0))
    hours = _time(required=False, min_value=Decimal(0), default=Decimal(0))

    class Meta:
        model = PlanAllocation
        fields = ["id", "use", "source", "source_name", "amount", "hours", "note"]


class ProgramPlanSerializer(serializers.ModelSerializer):
    program = Visible(Program)
    program_name = _label(source="program.name")
    school_year = Visible(SchoolYear)
    school_year_name = _label(source="school_year.name")
    activities = PlanActivitySerializer(many=True, read_only=True)
    allocations = PlanAllocationSerializer(many=True, read_only=True)
    ack_count = serializers.IntegerField(
        read_only=True, help_text="Staff who have acknowledged the plan."
    )

    class Meta:
        model = ProgramPlan
        fields = [
            "id",
            "program",
            "program_name",
            "school_year",
            "school_year_name",
            "title",
            "summary",
            "goals",
            "status",
            "published_at",
            "activities",
            "allocations",
            "ack_count",
        ]
        # A plan is published only through publish, which keeps the audit trail.
        read_only_fields = ["status", "published_at"]
        validators: list = []  # the service refuses a second plan for the year, with its code


class ProgramPlanChangeSerializer(ProgramPlanSerializer):
    """What a plan's PATCH accepts: title, summary and goals. Program and year are fixed."""

    program = serializers.PrimaryKeyRelatedField(read_only=True)
    school_year = serializers.PrimaryKeyRelatedField(read_only=True)


class PlanAcknowledgementSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanAcknowledgement
        fields = ["plan", "staff", "at"]
        read_only_fields = fields


class AcknowledgementStatusSerializer(serializers.ModelSerializer):
    """A staff member the plan covers, and whether and when they acknowledged it."""

    acknowledged = serializers.BooleanField(read_only=True)
    acknowledged_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Staff
        fields = ["id", "full_name", "email", "acknowledged", "acknowledged_at"]
        read_only_fields = fields


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

SOURCE_ORDER = {"name": ["name", "id"], "-name": ["-name", "-id"]}
BUDGET_ORDER = {
    "source": ["source__name", "school__name", "program__name", "id"],
    "-amount": ["-amount", "id"],
    "amount": ["amount", "id"],
    "-fiscal_year": ["-fiscal_year__start_date", "source__name", "id"],
}
ENTRY_ORDER = {
    "-posted_at": ["-posted_at", "-id"],
    "posted_at": ["posted_at", "id"],
    "-posted_on": ["-posted_on", "-id"],
    "posted_on": ["posted_on", "id"],
}
TRANSFER_ORDER = {"-created_at": ["-created_at", "-id"], "created_at": ["created_at", "id"]}
FISCAL_YEAR_ORDER = {"-start_date": ["-start_date", "-id"], "start_date": ["start_date", "id"]}
SCHEDULE_ORDER = {
    "-school_year": ["-school_year__start_date", "role", "name", "id"],
    "name": ["name", "id"],
}
AWARD_ORDER = {
    "staff": ["staff__last_name", "staff__first_name", "id"],
    "-created_at": ["-created_at", "-id"],
    "-amount": ["-amount", "id"],
}
BATCH_ORDER = {"-created_at": ["-created_at", "-id"], "-paid_on": ["-paid_on", "-id"]}
PLAN_ORDER = {
    "-school_year": ["-school_year__start_date", "program__name", "id"],
    "program": ["program__name", "-school_year__start_date", "id"],
}


class FundingSourceQuery(serializers.Serializer):
    q = _search("Part of the name, or the exact account code.")
    kind = serializers.ChoiceField(choices=FundingSource.Kind.choices, required=False)
    active = serializers.ChoiceField(choices=TRI_STATE, default="true", required=False)
    ordering = _ordering(SOURCE_ORDER, "name")


class BudgetQuery(serializers.Serializer):
    fiscal_year = _id()
    source = _id()
    school = _id(help_text="Budgets this school holds.")
    program = _id(help_text="Budgets this program holds.")
    owner = serializers.ChoiceField(
        choices=[("district", "Held by the district, not a school or program")],
        required=False,
    )
    ordering = _ordering(BUDGET_ORDER, "source")


class LedgerEntryQuery(serializers.Serializer):
    budget = _id()
    kind = serializers.ChoiceField(choices=LedgerEntry.Kind.choices, required=False)
    ordering = _ordering(ENTRY_ORDER, "-posted_at")


class BudgetTransferQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=BudgetTransfer.Status.choices, required=False)
    budget = _id(help_text="Transfers out of or into this budget.")
    ordering = _ordering(TRANSFER_ORDER, "-created_at")


class FiscalYearQuery(serializers.Serializer):
    ordering = _ordering(FISCAL_YEAR_ORDER, "-start_date")


class StipendScheduleQuery(serializers.Serializer):
    school_year = _id()
    ordering = _ordering(SCHEDULE_ORDER, "-school_year")


class StipendAwardQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=StipendAward.Status.choices, required=False)
    schedule = _id()
    q = _search("Words matched against the staff member's names.")
    ordering = _ordering(AWARD_ORDER, "staff")


class PayrollBatchQuery(serializers.Serializer):
    ordering = _ordering(BATCH_ORDER, "-created_at")


class ProgramPlanQuery(serializers.Serializer):
    school_year = _id()
    program = _id()
    ordering = _ordering(PLAN_ORDER, "-school_year")


class AcknowledgementQuery(serializers.Serializer):
    acknowledged = serializers.ChoiceField(
        choices=TRI_STATE,
        default="all",
        required=False,
        help_text="true: only those who acknowledged; false: only those who have not.",
    )
