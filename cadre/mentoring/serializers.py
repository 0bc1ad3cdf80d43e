"""API shapes for the mentor programme: mentors, matches (with their cadence), the pair's
confidential logs and the principal's onboarding checklists.

Serializers only validate and represent; every write goes through `services`. Every id a body
names is looked up among the rows the caller can see (`Visible`), so an id of another district
or outside the caller's scope is a 400 like any unknown id, and an id too big for the database
is a 400 too, never a 500. People are looked up as the programme sees them
(`selectors.people_in_reach`): the coordinator reaches everyone in the district.

A match shows everyone who sees it its cadence: counts, minutes and dates, never what the
pair said (ARCHITECTURE rule 3). The logs themselves are the pair's alone.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.districts.serializers import MAX_ID, _id, _ordering, _search
from cadre.funding.models import FundingSource, StipendAward
from cadre.mentoring import selectors
from cadre.mentoring.models import (
    Log,
    Match,
    Mentor,
    OnboardingChecklist,
    OnboardingTask,
)
from cadre.planning.serializers import ID, _label, _link, _name


class _Person(serializers.PrimaryKeyRelatedField):
    """A staff member the programme lets the caller see (the coordinator: anyone in the
    district; others: whom the districts rules let them see). Inactive people are left to the
    services, which refuse them with their own codes."""

    def __init__(self, **kwargs):
        super().__init__(**ID, **kwargs)

    def get_queryset(self):
        return selectors.people_in_reach(self.context["view"].actor)


class _Fund(serializers.PrimaryKeyRelatedField):
    """The fund that pays a match's stipends. The coordinator names any of the district's
    funds (the service refuses ISD money and closed funds, with its codes), though the
    funding rules show a coordinator who is not an administrator no money; others name the
    funds the funding rules let them see."""

    def __init__(self, **kwargs):
        super().__init__(**ID, **kwargs)

    def get_queryset(self):
        actor = self.context["view"].actor
        if access.can(actor, "stipend", Match):  # the coordinator, who creates the stipends
            return FundingSource.objects.filter(district=actor.district)
        return access.visible(actor, FundingSource)


# --- mentors -------------------------------------------------------------------------------


class MentorSerializer(serializers.ModelSerializer):
    staff = _Person(help_text="A staff member who completed a mentor-training offering.")
    staff_name = _label(source="staff.full_name")
    caseload_cap = serializers.IntegerField(
        min_value=1,
        max_value=20,
        required=False,
        help_text="Most mentees at once; defaults to the district's caseload.",
    )
    active = serializers.IntegerField(
        read_only=True, help_text="Active matches now (the caseload)."
    )

    class Meta:
        model = Mentor
        fields = [
            "id",
            "staff",
            "staff_name",
            "caseload_cap",
            "active",
            "is_available",
            "availability",
            "is_active",
        ]


class MentorChangeSerializer(MentorSerializer):
    """What a mentor's PATCH accepts: the staff member is fixed."""

    staff = serializers.PrimaryKeyRelatedField(read_only=True)


# --- matches -------------------------------------------------------------------------------


class MatchCadenceSerializer(serializers.Serializer):
    """What anyone following a pair sees of its work: counts, minutes and dates only."""

    count = serializers.IntegerField(help_text="Contacts logged.")
    minutes = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=10, decimal_places=1)
    last_met_on = serializers.DateField(allow_null=True)
    weekly_minutes = serializers.IntegerField(help_text="Average minutes a week since the start.")
    behind = serializers.BooleanField(help_text="Below the district's weekly target.")


class MentorMatchSerializer(serializers.ModelSerializer):
    mentor = _link(Mentor, help_text="An active mentor.")
    mentor_staff = serializers.IntegerField(source="mentor.staff_id", read_only=True)
    mentor_name = _label(source="mentor.staff.full_name")
    mentee = _Person(help_text="A new teacher, or a teacher with extended support.")
    mentee_name = _label(source="mentee.full_name")
    school_name = _label(source="school.name", allow_null=True)
    school_year = _link(
        SchoolYear, required=False, help_text="Defaults to the current school year."
    )
    school_year_name = _label(source="school_year.name")
    source = _Fund(
        required=False,
        allow_null=True,
        help_text="The district fund or grant that pays the stipends.",
    )
    source_name = _label(source="source.name", allow_null=True)
    proposed_by_name = serializers.SerializerMethodField()
    confirmed_by_name = serializers.SerializerMethodField()
    cadence = serializers.SerializerMethodField()
    # Declared so the schema admits the blank a match has until it ends.
    end_reason = serializers.ChoiceField(
        choices=Match.EndReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "mentor",
            "mentor_staff",
            "mentor_name",
            "mentee",
            "mentee_name",
            "school",
            "school_name",
            "school_year",
            "school_year_name",
            "source",
            "source_name",
            "status",
            "note",
            "proposed_by_name",
            "confirmed_by_name",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
            "cadence",
        ]
        # The school follows the new teacher; confirm and end set the rest.
        read_only_fields = [
            "school",
            "status",
            "started_on",
            "ended_on",
            "end_reason",
            "end_note",
        ]
        validators: list = []  # the service refuses a second open match, with its code

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_proposed_by_name(self, obj: Match) -> str | None:
        return _name(obj.proposed_by)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_confirmed_by_name(self, obj: Match) -> str | None:
        return _name(obj.confirmed_by)

    @extend_schema_field(MatchCadenceSerializer)
    def get_cadence(self, obj: Match) -> dict:
        return MatchCadenceSerializer(self.context["view"].cadence_of(obj)).data


class MatchConfirmSerializer(serializers.Serializer):
    source = _Fund(
        required=False,
        allow_null=True,
        help_text="The fund that pays the stipends; defaults to the one proposed.",
    )
    started_on = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to today."
    )


class MatchEndSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=Match.EndReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    ended_on = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to today."
    )


class StipendAwardSummarySerializer(serializers.ModelSerializer):
    """A stipend the match earned; it is approved and paid under Funding → Stipends."""

    role = _label(source="schedule.role")
    schedule_name = _label(source="schedule.name")
    staff_name = _label(source="staff.full_name")

    class Meta:
        model = StipendAward
        fields = [
            "id",
            "role",
            "schedule",
            "schedule_name",
            "staff",
            "staff_name",
            "budget",
            "months",
            "amount",
            "status",
        ]
        read_only_fields = fields


# --- logs ----------------------------------------------------------------------------------


class MentorLogSerializer(serializers.ModelSerializer):
    match = _link(Match, help_text="Your active or ended match, as its mentor.")
    minutes = serializers.IntegerField(min_value=1, max_value=600)
    logged_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Log
        fields = [
            "id",
            "match",
            "met_on",
            "minutes",
            "kind",
            "focus",
            "next_steps",
            "logged_by_name",
            "reflection",
            "reflected_at",
        ]
        # The new teacher writes the reflection through reflect.
        read_only_fields = ["reflection", "reflected_at"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_logged_by_name(self, obj: Log) -> str | None:
        return _name(obj.logged_by)


class MentorLogChangeSerializer(MentorLogSerializer):
    """What a log's PATCH accepts: the match is fixed."""

    match = serializers.PrimaryKeyRelatedField(read_only=True)
    minutes = serializers.IntegerField(min_value=1, max_value=600, required=False)


class MentorLogReflectSerializer(serializers.Serializer):
    # Blank passes here so the service answers with its own code.
    reflection = serializers.CharField(max_length=10000, allow_blank=True)


# --- onboarding ----------------------------------------------------------------------------


class OnboardingTaskSerializer(serializers.ModelSerializer):
    done_by_name = serializers.SerializerMethodField()

    class Meta:
        model = OnboardingTask
        fields = ["id", "title", "position", "done_on", "done_by_name", "note"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_done_by_name(self, obj: OnboardingTask) -> str | None:
        return _name(obj.done_by)


class OnboardingChecklistSerializer(serializers.ModelSerializer):
    staff = _Person(help_text="A new teacher, or a teacher with extended support.")
    staff_name = _label(source="staff.full_name")
    school_name = _label(source="school.name", allow_null=True)
    school_year = _link(
        SchoolYear, required=False, help_text="Defaults to the current school year."
    )
    school_year_name = _label(source="school_year.name")
    tasks = OnboardingTaskSerializer(many=True, read_only=True)
    tasks_done = serializers.SerializerMethodField()

    class Meta:
        model = OnboardingChecklist
        fields = [
            "id",
            "staff",
            "staff_name",
            "school",
            "school_name",
            "school_year",
            "school_year_name",
            "tasks",
            "tasks_done",
        ]
        read_only_fields = ["school"]
        validators: list = []  # the service refuses a second checklist, with its code

    @extend_schema_field(serializers.IntegerField())
    def get_tasks_done(self, obj: OnboardingChecklist) -> int:
        return sum(1 for task in obj.tasks.all() if task.done_on)


class TaskMarkSerializer(serializers.Serializer):
    task = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="One of this checklist's tasks."
    )
    done = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")

    def validate_task(self, value: int) -> OnboardingTask:
        task = self.context["checklist"].tasks.filter(pk=value).first()
        if task is None:
            raise serializers.ValidationError("This checklist has no such task.")
        return task


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

TRI_STATE = [("true", "Only true"), ("false", "Only false"), ("all", "Both")]

MENTOR_ORDER = {
    "staff": ["staff__last_name", "staff__first_name", "id"],
    "-active": ["-active", "staff__last_name", "id"],
}
MATCH_ORDER = {
    "mentee": ["-school_year__start_date", "mentee__last_name", "mentee__first_name", "id"],
    "mentor": ["mentor__staff__last_name", "mentor__staff__first_name", "id"],
    "-started_on": ["-started_on", "-id"],
}
LOG_ORDER = {"-met_on": ["-met_on", "-id"], "met_on": ["met_on", "id"]}
CHECKLIST_ORDER = {
    "staff": ["-school_year__start_date", "staff__last_name", "staff__first_name", "id"],
    "-created_at": ["-created_at", "-id"],
}


class MentorQuery(serializers.Serializer):
    q = _search("Words matched against the mentor's names.")
    available = serializers.ChoiceField(
        choices=TRI_STATE,
        default="all",
        required=False,
        help_text="true: active and taking new mentees.",
    )
    ordering = _ordering(MENTOR_ORDER, "staff")


class MentorMatchQuery(serializers.Serializer):
    school_year = _id()
    status = serializers.ChoiceField(choices=Match.Status.choices, required=False)
    school = _id(help_text="The new teacher's school.")
    mentor = _id()
    ordering = _ordering(MATCH_ORDER, "mentee")


class MentorLogQuery(serializers.Serializer):
    match = _id()
    ordering = _ordering(LOG_ORDER, "-met_on")


class OnboardingChecklistQuery(serializers.Serializer):
    school_year = _id()
    school = _id()
    staff = _id()
    ordering = _ordering(CHECKLIST_ORDER, "staff")


# --- the programme at a glance -------------------------------------------------------------


class ProgrammeQuery(serializers.Serializer):
    school_year = _id(help_text="Defaults to the current school year.")


class ProgrammeSummarySerializer(serializers.Serializer):
    """The coordinator's figures for a school year, as the programme's pages show them."""

    school_year = serializers.IntegerField()
    school_year_name = serializers.CharField()
    in_programme = serializers.IntegerField(
        help_text="Active teachers in the programme: new teachers and those with extended support."
    )
    active_pairs = serializers.IntegerField()
    proposed_pairs = serializers.IntegerField()
    overdue = serializers.IntegerField(
        help_text="New teachers without an active mentor past the district's deadline."
    )
    unknown_experience = serializers.IntegerField(
        help_text="Staff teaching now whose experience is unknown (no HR data yet): none is "
        "counted as a new teacher, and any may be one. Import HR data to resolve them."
    )
