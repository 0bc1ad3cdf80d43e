"""API shapes for planning: strategic plans and their goals, needs assessments with their
priorities and stakeholder input, and school or program PD plans.

Serializers only validate and represent; every write goes through `services`. Every id a body
names is looked up among the rows the caller can see (`Visible`), so an id of another district
or outside the caller's scope is a 400 like any unknown id, and an id too big for the database
is a 400 too, never a 500.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.districts import access
from cadre.districts.models import Program, School, SchoolYear
from cadre.districts.serializers import MAX_ID, Visible, _id, _ordering, _search
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)

ID = {"pk_field": serializers.IntegerField(min_value=1, max_value=MAX_ID)}


def _link(model, **kwargs) -> Visible:
    """A link to a row the caller can see; the id is typed (and bounded) here."""
    return Visible(model, **ID, **kwargs)


def _links(model, **kwargs) -> Visible:
    return Visible(model, many=True, required=False, **ID, **kwargs)


def _label(**kwargs) -> serializers.CharField:
    return serializers.CharField(read_only=True, **kwargs)


def _name(user) -> str | None:
    """A user's name as staff know it; None for nobody (or a user without a staff record)."""
    if user is None:
        return None
    staff = user.person
    return staff.full_name if staff is not None else str(user)


class _Owned(serializers.ModelSerializer):
    """A record owned by a school or a program."""

    school = _link(School, required=False, allow_null=True)
    school_name = _label(source="school.name", allow_null=True)
    program = _link(Program, required=False, allow_null=True)
    program_name = _label(source="program.name", allow_null=True)
    owner = _label(help_text="The school or program it belongs to.")


# --- strategic plans and goals -------------------------------------------------------------


class GoalSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "code", "title"]
        read_only_fields = fields


class StrategicPlanSerializer(_Owned):
    owner = _label(help_text="The school or program the plan belongs to, or District.")
    first_year = _link(SchoolYear)
    first_year_name = _label(source="first_year.name")
    last_year = _link(SchoolYear)
    last_year_name = _label(source="last_year.name")
    goals = GoalSummarySerializer(many=True, read_only=True)
    published_by_name = serializers.SerializerMethodField()

    class Meta:
        model = StrategicPlan
        fields = [
            "id",
            "level",
            "school",
            "school_name",
            "program",
            "program_name",
            "owner",
            "title",
            "summary",
            "first_year",
            "first_year_name",
            "last_year",
            "last_year_name",
            "status",
            "published_at",
            "published_by_name",
            "goals",
        ]
        # A plan is published only through publish, which keeps the audit trail.
        read_only_fields = ["status", "published_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_published_by_name(self, obj: StrategicPlan) -> str | None:
        return _name(obj.published_by)


class StrategicPlanChangeSerializer(StrategicPlanSerializer):
    """What a plan's PATCH accepts: title, summary and years. Level and owner are fixed."""

    level = serializers.CharField(read_only=True)
    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    program = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)


class PlanGoalSerializer(serializers.ModelSerializer):
    plan = _link(StrategicPlan)
    plan_title = _label(source="plan.title")
    level = _label(source="plan.level", help_text="The level of the goal's plan.")
    aligns_to = _links(Goal, help_text="The district goals this goal serves.")

    class Meta:
        model = Goal
        fields = [
            "id",
            "plan",
            "plan_title",
            "level",
            "code",
            "title",
            "description",
            "measure",
            "target",
            "aligns_to",
        ]
        validators: list = []  # the service refuses a duplicate code, with its code


class PlanGoalChangeSerializer(PlanGoalSerializer):
    """What a goal's PATCH accepts; the plan is fixed."""

    plan = serializers.PrimaryKeyRelatedField(read_only=True)


# --- needs assessments ---------------------------------------------------------------------


class PrioritySerializer(serializers.ModelSerializer):
    class Meta:
        model = Priority
        fields = ["id", "rank", "area", "evidence"]
        read_only_fields = ["rank"]


class NeedsAssessmentSerializer(_Owned):
    school_year = _link(SchoolYear)
    school_year_name = _label(source="school_year.name")
    priorities = PrioritySerializer(many=True, read_only=True)
    input_token = serializers.SerializerMethodField(
        help_text="The key of the public input link; only for those who may change the assessment."
    )

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "school",
            "school_name",
            "program",
            "program_name",
            "owner",
            "school_year",
            "school_year_name",
            "summary",
            "status",
            "finalized_at",
            "input_open",
            "input_token",
            "priorities",
        ]
        # Status and the link change through finalize and link, which keep the audit trail.
        read_only_fields = ["status", "finalized_at", "input_open"]
        validators: list = []  # the service refuses a second one for the year, with its code

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_input_token(self, obj: NeedsAssessment) -> str | None:
        actor = self.context["view"].actor
        return obj.input_token if access.can(actor, "change", obj) else None


class NeedsAssessmentChangeSerializer(NeedsAssessmentSerializer):
    """What an assessment's PATCH accepts: its summary. Owner and year are fixed."""

    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    program = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    school_year = serializers.PrimaryKeyRelatedField(read_only=True)


class InputLinkSerializer(serializers.Serializer):
    open = serializers.BooleanField(help_text="Take input through the public link, or stop.")
    renew = serializers.BooleanField(
        required=False, default=False, help_text="Issue a new key; the old link stops working."
    )


class StakeholderInputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StakeholderInput
        fields = [
            "id",
            "source",
            "name",
            "body",
            "status",
            "priority",
            "submitted_at",
            "moderated_at",
        ]
        read_only_fields = fields


class OfAssessment(serializers.PrimaryKeyRelatedField):
    """A row of the assessment the request is about (`context["assessment"]`)."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("pk_field", serializers.IntegerField(min_value=1, max_value=MAX_ID))
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.model.objects.filter(
            district=self.context["view"].actor.district, assessment=self.context["assessment"]
        )


class ModerateSerializer(serializers.Serializer):
    input = OfAssessment(StakeholderInput, help_text="An input of this assessment.")
    status = serializers.ChoiceField(
        choices=[StakeholderInput.Status.ACCEPTED, StakeholderInput.Status.HIDDEN]
    )
    priority = OfAssessment(
        Priority,
        required=False,
        allow_null=True,
        default=None,
        help_text="The priority of this assessment the input supports.",
    )


# --- PD plans ------------------------------------------------------------------------------


class PdPlanSerializer(_Owned):
    school_year = _link(SchoolYear)
    school_year_name = _label(source="school_year.name")
    priorities = _links(Priority, help_text="Priorities of the same needs assessment.")
    goals = _links(Goal, help_text="Goals of the same school or program, or the district.")
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PdPlan
        fields = [
            "id",
            "school",
            "school_name",
            "program",
            "program_name",
            "owner",
            "school_year",
            "school_year_name",
            "priorities",
            "goals",
            "intensive_support",
            "individual",
            "small_group",
            "whole_group",
            "status",
            "submitted_at",
            "decided_at",
            "decided_by_name",
            "comment",
        ]
        # The workflow sets these, through submit, approve and return.
        read_only_fields = ["status", "submitted_at", "decided_at", "comment"]
        validators: list = []  # the service refuses a second one for the year, with its code

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj: PdPlan) -> str | None:
        return _name(obj.decided_by)


class PdPlanChangeSerializer(PdPlanSerializer):
    """What a PD plan's PATCH accepts. Owner and year are fixed."""

    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    program = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    school_year = serializers.PrimaryKeyRelatedField(read_only=True)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, help_text="What to change.")


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

PLAN_ORDER = {
    "level": ["level", "school__name", "program__name", "-first_year__start_date", "id"],
    "title": ["title", "id"],
    "-first_year": ["-first_year__start_date", "level", "id"],
}
GOAL_ORDER = {
    "plan": ["plan__level", "plan__title", "plan_id", "code", "id"],
    "code": ["code", "id"],
}
ASSESSMENT_ORDER = {
    "-school_year": ["-school_year__start_date", "school__name", "program__name", "id"],
    "owner": ["school__name", "program__name", "-school_year__start_date", "id"],
}
INPUT_ORDER = {
    "-submitted_at": ["-submitted_at", "-id"],
    "submitted_at": ["submitted_at", "id"],
}
PD_PLAN_ORDER = {
    "-school_year": ["-school_year__start_date", "school__name", "program__name", "id"],
    "owner": ["school__name", "program__name", "-school_year__start_date", "id"],
    "-submitted_at": ["-submitted_at", "-id"],
}


class StrategicPlanQuery(serializers.Serializer):
    q = _search("Part of the title.")
    level = serializers.ChoiceField(choices=StrategicPlan.Level.choices, required=False)
    status = serializers.ChoiceField(choices=StrategicPlan.Status.choices, required=False)
    school = _id()
    program = _id()
    school_year = _id(help_text="Plans spanning this school year.")
    ordering = _ordering(PLAN_ORDER, "level")


class PlanGoalQuery(serializers.Serializer):
    q = _search("Part of the title, or the exact code.")
    plan = _id()
    level = serializers.ChoiceField(choices=StrategicPlan.Level.choices, required=False)
    ordering = _ordering(GOAL_ORDER, "plan")


class NeedsAssessmentQuery(serializers.Serializer):
    school_year = _id()
    school = _id()
    program = _id()
    status = serializers.ChoiceField(choices=NeedsAssessment.Status.choices, required=False)
    ordering = _ordering(ASSESSMENT_ORDER, "-school_year")


class StakeholderInputQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=StakeholderInput.Status.choices, required=False)
    source = serializers.ChoiceField(choices=StakeholderInput.Source.choices, required=False)
    ordering = _ordering(INPUT_ORDER, "-submitted_at")


class PdPlanQuery(serializers.Serializer):
    school_year = _id()
    school = _id()
    program = _id()
    status = serializers.ChoiceField(choices=PdPlan.Status.choices, required=False)
    ordering = _ordering(PD_PLAN_ORDER, "-school_year")
