"""API shapes for the district and its people.

Serializers only validate and represent; every write goes through `services`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.core.openapi import Error  # noqa: F401 (the API's error shape, named here too)
from cadre.core.slots import Slot
from cadre.districts import access
from cadre.districts.models import Assignment, Program, Role, School, SchoolYear, Staff

# The mentor programme builds on districts and says who is eligible for it: it plugs in
# staff_eligibility(staff) -> {"kind", "label", "reason"}, and with_support(queryset, today),
# which prefetches what that needs for a whole list in one query.
staff_eligibility = Slot("a staff record's mentoring eligibility")
with_support = Slot("the staff list's mentoring prefetch")

MAX_ID = 2**63 - 1  # the largest BigAutoField value; bigger ids are bad input, not a crash


class Visible(serializers.PrimaryKeyRelatedField):
    """A link to a row the caller can see.

    The queryset is built per request from the view's actor, so an id from another district
    answers "does not exist" like any unknown id and never confirms that the row is there.
    """

    def __init__(self, model, *, active_only: bool = False, **kwargs):
        self.model = model
        self.active_only = active_only
        super().__init__(**kwargs)

    def get_queryset(self):
        qs = access.visible(self.context["view"].actor, self.model)
        return qs.filter(is_active=True) if self.active_only else qs


# --- resources -----------------------------------------------------------------------------


class SchoolSerializer(serializers.ModelSerializer):
    staff_count = serializers.IntegerField(
        read_only=True, help_text="Active staff with a current assignment here."
    )

    class Meta:
        model = School
        fields = ["id", "name", "code", "sourced_id", "grade_band", "is_active", "staff_count"]
        # The OneRoster import keys schools by sourcedId, so only the import sets it.
        read_only_fields = ["sourced_id"]


class ProgramSerializer(serializers.ModelSerializer):
    schools = Visible(School, many=True, required=False)

    class Meta:
        model = Program
        fields = ["id", "name", "kind", "description", "schools", "is_active"]


class SchoolYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolYear
        fields = ["id", "name", "start_date", "end_date", "goals_due", "is_current"]
        # A year becomes current only through make-current, which switches the old one off.
        read_only_fields = ["is_current"]

    def validate_name(self, value: str) -> str:
        # The database enforces this too, but as an IntegrityError; say it as a field error.
        taken = access.visible(self.context["view"].actor, SchoolYear).filter(name=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise serializers.ValidationError("Another school year has this name.")
        return value


class CurrentAssignmentSerializer(serializers.ModelSerializer):
    school_name = serializers.CharField(source="school.name", read_only=True, allow_null=True)
    program_name = serializers.CharField(source="program.name", read_only=True, allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "role",
            "school",
            "school_name",
            "program",
            "program_name",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


def _labels(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=50, **kwargs
    )


class EligibilitySerializer(serializers.Serializer):
    """Whether someone is in the mentor programme this school year, and why."""

    kind = serializers.CharField(
        help_text='"new" (under the new-teacher threshold), "extended" (the district extended '
        'support for the current school year) or "" (not eligible).'
    )
    label = serializers.CharField()
    reason = serializers.CharField()


class StaffSerializer(serializers.ModelSerializer):
    subjects = _labels()
    grade_bands = _labels(help_text="For example 9-12.")
    current_assignments = CurrentAssignmentSerializer(many=True, read_only=True)
    eligibility = serializers.SerializerMethodField()
    # Blank days are "unknown", not zero (no HR data yet): both null means unknown experience.
    contracted_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100_000,
        help_text="Days of contracted teaching before now; null when unknown.",
    )
    substitute_days = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=100_000,
        help_text="Days of substitute teaching before now; null when unknown.",
    )
    experience_known = serializers.BooleanField(
        read_only=True,
        help_text="False when neither contracted nor substitute days are known (no HR data "
        "yet). Unknown experience is not zero.",
    )
    experience_days = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Contracted plus substitute days (a blank one counts as none when the other "
        "is known); null when experience is unknown.",
    )
    is_new_teacher = serializers.BooleanField(
        read_only=True,
        help_text="Known experience under the district's new-teacher threshold; false when "
        "experience is unknown (see experience_known).",
    )
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=2,
        required=False,
        allow_null=True,
        help_text="Full-time equivalent, usually from HR data (1.000 is full time); null when "
        "unknown.",
    )

    class Meta:
        model = Staff
        fields = [
            "id",
            "employee_id",
            "sourced_id",
            "first_name",
            "last_name",
            "full_name",
            "email",
            "hire_date",
            "contracted_days",
            "substitute_days",
            "experience_known",
            "experience_days",
            "is_new_teacher",
            "experience_reason",
            "eligibility",
            "subjects",
            "grade_bands",
            "bargaining_unit",
            "fte",
            "is_active",
            "current_assignments",
        ]
        # sourcedId belongs to the roster import; is_active changes through deactivate and
        # reactivate, which keep the audit trail.
        read_only_fields = ["sourced_id", "is_active"]

    @extend_schema_field(EligibilitySerializer)
    def get_eligibility(self, obj: Staff) -> dict:
        """As the mentor programme decides it: under the threshold and teaching now is new;
        else the current year's extended support; else not eligible."""
        return staff_eligibility(obj)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class AssignmentSerializer(serializers.ModelSerializer):
    staff = Visible(Staff, active_only=True)
    staff_name = serializers.CharField(source="staff.full_name", read_only=True)
    school = Visible(School, required=False, allow_null=True)
    school_name = serializers.CharField(source="school.name", read_only=True, allow_null=True)
    program = Visible(Program, required=False, allow_null=True)
    program_name = serializers.CharField(source="program.name", read_only=True, allow_null=True)
    is_current = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "staff",
            "staff_name",
            "role",
            "school",
            "school_name",
            "program",
            "program_name",
            "start_date",
            "end_date",
            "is_current",
        ]

    @extend_schema_field(serializers.BooleanField())
    def get_is_current(self, obj: Assignment) -> bool:
        return obj.is_current(self.context["view"].actor.today)


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

TRI_STATE = [("true", "Only true"), ("false", "Only false"), ("all", "Both")]
TRI_VALUE = {"true": True, "false": False, "all": None}


def _ordering(choices: dict[str, list[str]], default: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(choices), default=default, required=False)


def _id(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


def _search(help_text: str) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", help_text=help_text
    )


STAFF_ORDER = {
    "last_name": ["last_name", "first_name", "id"],
    "-last_name": ["-last_name", "-first_name", "-id"],
    "hire_date": ["hire_date", "last_name", "id"],
    "-hire_date": ["-hire_date", "last_name", "id"],
    "employee_id": ["employee_id", "id"],
    "-employee_id": ["-employee_id", "-id"],
}
SCHOOL_ORDER = {
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
    "code": ["code", "id"],
    "-code": ["-code", "-id"],
}
PROGRAM_ORDER = {"name": ["name", "id"], "-name": ["-name", "-id"]}
SCHOOL_YEAR_ORDER = {
    "-start_date": ["-start_date", "-id"],
    "start_date": ["start_date", "id"],
    "name": ["name", "id"],
    "-name": ["-name", "-id"],
}
ASSIGNMENT_ORDER = {
    "staff": ["staff__last_name", "staff__first_name", "role", "id"],
    "-staff": ["-staff__last_name", "-staff__first_name", "role", "-id"],
    "start_date": ["start_date", "id"],
    "-start_date": ["-start_date", "-id"],
    "role": ["role", "staff__last_name", "id"],
}


class SchoolQuery(serializers.Serializer):
    q = _search("Part of the name, or the exact school code.")
    active = serializers.ChoiceField(choices=TRI_STATE, default="true", required=False)
    ordering = _ordering(SCHOOL_ORDER, "name")


class ProgramQuery(serializers.Serializer):
    q = _search("Part of the name.")
    active = serializers.ChoiceField(choices=TRI_STATE, default="true", required=False)
    ordering = _ordering(PROGRAM_ORDER, "name")


class SchoolYearQuery(serializers.Serializer):
    ordering = _ordering(SCHOOL_YEAR_ORDER, "-start_date")


class StaffQuery(serializers.Serializer):
    q = _search("Words matched against names and email, or an exact employee id.")
    school = _id(help_text="Staff with a current assignment at this school.")
    program = _id(help_text="Staff with a current assignment in this program.")
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    active = serializers.ChoiceField(choices=TRI_STATE, default="true", required=False)
    new_teacher = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: teaching now with known experience under the district's new-teacher "
        "threshold; false: everyone else, staff whose experience is unknown included.",
    )
    experience_unknown = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: only active staff teaching now whose experience is unknown (no HR "
        "data yet), the people the unknown-experience figures count.",
    )
    ordering = _ordering(STAFF_ORDER, "last_name")


class AssignmentQuery(serializers.Serializer):
    q = _search("Words matched against the staff member's names.")
    staff = _id()
    school = _id()
    program = _id()
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    current = serializers.ChoiceField(
        choices=TRI_STATE,
        default="true",
        required=False,
        help_text="true: current today; false: ended or not yet started; all: both.",
    )
    ordering = _ordering(ASSIGNMENT_ORDER, "staff")
