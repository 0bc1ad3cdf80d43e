"""API shapes for growth: professional goals, ISD allotments and balances, ISD requests and
their attachments.

Serializers only validate and represent; every write goes through `services`. Every id a body
names is looked up among the rows the caller can see (`Visible`), so an id of another district
or outside the caller's scope is a 400 like any unknown id, and an id too big for the database
is a 400 too, never a 500. Money is Decimal with 12 digits and 2 places; hours 10 and 2.
"""

from decimal import Decimal

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.catalog.models import Offering
from cadre.districts.models import Role, SchoolYear
from cadre.districts.serializers import _id, _ordering
from cadre.funding.models import FundingSource
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal
from cadre.planning.models import Goal
from cadre.planning.serializers import _label, _link, _links, _name

MONEY = {"max_digits": 12, "decimal_places": 2}
TIME = {"max_digits": 10, "decimal_places": 2}


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**MONEY, **kwargs)


def _time(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**TIME, **kwargs)


class _Supervised(serializers.ModelSerializer):
    """Who wrote it, whose leader decides it, and for which year."""

    staff_name = _label(source="staff.full_name")
    school_name = _label(source="school.name", allow_null=True)
    program_name = _label(source="program.name", allow_null=True)
    school_year_name = _label(source="school_year.name")
    decided_by_name = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj) -> str | None:
        return _name(obj.decided_by)


SUPERVISED = [
    "staff",
    "staff_name",
    "school",
    "school_name",
    "program",
    "program_name",
    "school_year",
    "school_year_name",
]
DECIDED = ["submitted_at", "decided_at", "decided_by_name"]


# --- professional goals --------------------------------------------------------------------


class ProfessionalGoalSerializer(_Supervised):
    school_year = _link(
        SchoolYear, required=False, help_text="Defaults to the current school year."
    )
    aligns_to = _links(Goal, help_text="Published goals of your school, program or district.")
    # Declared so the schema admits the blank a goal has until its author reflects.
    outcome = serializers.ChoiceField(
        choices=ProfessionalGoal.Outcome.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = ProfessionalGoal
        fields = [
            "id",
            *SUPERVISED,
            "title",
            "statement",
            "aligns_to",
            "activities",
            "evidence",
            "status",
            *DECIDED,
            "comment",
            "reflection",
            "outcome",
            "reflected_at",
        ]
        # The author is the caller; the supervisor follows their assignment; the workflow and
        # reflect set the rest.
        read_only_fields = [
            "staff",
            "school",
            "program",
            "status",
            "submitted_at",
            "decided_at",
            "comment",
            "reflection",
            "outcome",
            "reflected_at",
        ]


class ProfessionalGoalChangeSerializer(ProfessionalGoalSerializer):
    """What a goal's PATCH (and autosave) accepts; the year is fixed."""

    school_year = serializers.PrimaryKeyRelatedField(read_only=True)


class ReflectSerializer(serializers.Serializer):
    reflection = serializers.CharField(max_length=10000)
    outcome = serializers.ChoiceField(choices=ProfessionalGoal.Outcome.choices)


# --- ISD allotments and balances -----------------------------------------------------------


class IsdAllotmentSerializer(serializers.ModelSerializer):
    school_year = _link(SchoolYear)
    school_year_name = _label(source="school_year.name")
    role = serializers.ChoiceField(
        choices=Role.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Blank: any role.",
    )
    role_label = _label(source="get_role_label")
    source = _link(FundingSource, help_text="An ISD funding source.")
    source_name = _label(source="source.name")
    amount = _money(min_value=Decimal(0), required=False, default=Decimal(0))
    hours = _time(min_value=Decimal(0), required=False, default=Decimal(0))

    class Meta:
        model = IsdAllotment
        fields = [
            "id",
            "school_year",
            "school_year_name",
            "bargaining_unit",
            "role",
            "role_label",
            "source",
            "source_name",
            "amount",
            "hours",
        ]
        validators: list = []  # the service refuses a duplicate, with its code


class IsdAllotmentChangeSerializer(IsdAllotmentSerializer):
    """PATCH changes only what it names: no defaults fill the rest."""

    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    amount = _money(min_value=Decimal(0), required=False)
    hours = _time(min_value=Decimal(0), required=False)


class BalanceSerializer(serializers.Serializer):
    """A staff member's ISD allotment for a year, what approved requests hold, what was paid,
    and what remains."""

    staff = serializers.IntegerField(source="staff.pk")
    staff_name = serializers.CharField(source="staff.full_name")
    school_year = serializers.IntegerField(source="school_year.pk")
    school_year_name = serializers.CharField(source="school_year.name")
    allotment = serializers.IntegerField(
        source="balance.allotment.pk", allow_null=True, help_text="The allotment row that applies."
    )
    allotted_amount = _money(source="balance.allotted_amount")
    allotted_hours = _time(source="balance.allotted_hours")
    committed_amount = _money(source="balance.committed_amount")
    committed_hours = _time(source="balance.committed_hours")
    spent_amount = _money(source="balance.spent_amount")
    spent_hours = _time(source="balance.spent_hours")
    remaining_amount = _money(source="balance.remaining_amount")
    remaining_hours = _time(source="balance.remaining_hours")


class BalanceQuery(serializers.Serializer):
    staff = _id(help_text="Defaults to you.")
    school_year = _id(help_text="Defaults to the current school year.")


# --- ISD requests --------------------------------------------------------------------------


class IsdAttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="Where the file downloads, for those who see the request."
    )

    class Meta:
        model = IsdAttachment
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, obj: IsdAttachment) -> str | None:
        try:
            return reverse("isd-attachment", args=[obj.pk])
        except NoReverseMatch:  # the download page is not there (yet)
            return None


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF, PNG or JPEG receipt or proof, at most 10 MB.")


class IsdRequestSerializer(_Supervised):
    goal = _link(
        ProfessionalGoal,
        required=False,
        allow_null=True,
        help_text="Your professional goal it serves.",
    )
    goal_title = _label(source="goal.title", allow_null=True)
    offering = _link(
        Offering,
        required=False,
        allow_null=True,
        help_text="The published catalogue offering, for kind `offering`; its title, provider "
        "and fee fill in what is left out.",
    )
    offering_title = _label(source="offering.title", allow_null=True)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    cost = _money(min_value=Decimal(0), required=False)
    hours = _time(min_value=Decimal(0), required=False, default=Decimal(0))
    paid_amount = _money(read_only=True, allow_null=True)
    attachments = IsdAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = IsdRequest
        fields = [
            "id",
            *SUPERVISED,
            "kind",
            "offering",
            "offering_title",
            "title",
            "provider",
            "start_date",
            "end_date",
            "cost",
            "hours",
            "goal",
            "goal_title",
            "rationale",
            "status",
            *DECIDED,
            "reason",
            "completion_note",
            "completed_at",
            "paid_amount",
            "reimbursed_at",
            "attachments",
        ]
        # The author is the caller and the year follows the start date; the workflow sets the
        # rest.
        read_only_fields = [
            "staff",
            "school",
            "program",
            "school_year",
            "status",
            "submitted_at",
            "decided_at",
            "reason",
            "completion_note",
            "completed_at",
            "reimbursed_at",
        ]


class IsdReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why; the requester sees it.")


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=4000, help_text="What you completed; attach receipts separately."
    )


class ReimburseSerializer(serializers.Serializer):
    paid_amount = _money(min_value=Decimal(0), help_text="What was actually paid, in dollars.")


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

GOAL_ORDER = {
    "staff": ["staff__last_name", "staff__first_name", "id"],
    "-updated_at": ["-updated_at", "-id"],
    "-submitted_at": ["-submitted_at", "-id"],
}
ALLOTMENT_ORDER = {
    "-school_year": ["-school_year__start_date", "bargaining_unit", "role", "id"],
    "bargaining_unit": ["bargaining_unit", "role", "id"],
}
REQUEST_ORDER = {
    "-start_date": ["-start_date", "-id"],
    "start_date": ["start_date", "id"],
    "staff": ["staff__last_name", "staff__first_name", "-start_date", "id"],
    "-submitted_at": ["-submitted_at", "-id"],
}


class ProfessionalGoalQuery(serializers.Serializer):
    school_year = _id()
    status = serializers.ChoiceField(choices=ProfessionalGoal.Status.choices, required=False)
    staff = _id()
    school = _id(help_text="Goals of this school's staff.")
    program = _id(help_text="Goals of this program's staff.")
    ordering = _ordering(GOAL_ORDER, "staff")


class IsdAllotmentQuery(serializers.Serializer):
    school_year = _id()
    ordering = _ordering(ALLOTMENT_ORDER, "-school_year")


class IsdRequestQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=IsdRequest.Status.choices, required=False)
    staff = _id()
    school_year = _id()
    ordering = _ordering(REQUEST_ORDER, "-start_date")
