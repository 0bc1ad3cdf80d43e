"""API shapes for small groups: groups (members, goals, stage, last check-in, the overdue flag
and the evidence at cycle end), their meetings (attendance, reflections, the student work
examined) and the principal's check-ins.

Serializers only validate and represent; every write goes through `services`. Every id a body
names is looked up among the rows the caller can see (`Visible`), so an id of another district
or outside the caller's scope is a 400 like any unknown id, and an id too big for the database
is a 400 too, never a 500. People are named from the district's staff: who may take part is
the services' to say, with their codes (an inactive member, a facilitator from elsewhere).

Groups are not confidential, but they carry nothing of coaching: no cycle, no observation.
Evidence figures for fewer students than the district's minimum group size are withheld
(ARCHITECTURE rule 4); student work is described without names and never listed by student.
"""

from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cadre.collaboration import selectors
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
    WorkSample,
)
from cadre.districts.models import School, SchoolYear, Staff
from cadre.districts.serializers import _id, _ordering, _search
from cadre.planning.models import Goal
from cadre.planning.serializers import ID, GoalSummarySerializer, _label, _link, _links

LONG = 10_000  # the pages' limit on the text people write


class _Staff(serializers.PrimaryKeyRelatedField):
    """A member of the district's staff. Whether they may facilitate, join or be marked present
    is the services' to say (with their codes), as it is on the pages."""

    def __init__(self, **kwargs):
        super().__init__(**ID, **kwargs)

    def get_queryset(self):
        return Staff.objects.filter(district=self.context["view"].actor.district)


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=LONG, default="", **kwargs
    )


# --- groups --------------------------------------------------------------------------------


class GroupMembershipSerializer(serializers.ModelSerializer):
    staff_name = _label(source="staff.full_name")
    school = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The member's school when they joined."
    )

    class Meta:
        model = Membership
        fields = ["id", "staff", "staff_name", "school", "joined_on"]
        read_only_fields = fields


class GroupEvidenceSerializer(serializers.ModelSerializer):
    """A student-learning measure at cycle end. Its figures are withheld (null) when fewer
    students than the district's minimum group size were measured."""

    before = serializers.SerializerMethodField()
    after = serializers.SerializerMethodField()
    change = serializers.SerializerMethodField()
    shown = serializers.SerializerMethodField(
        help_text="False when the figures are withheld: too few students were measured."
    )
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "measure",
            "unit",
            "before",
            "after",
            "change",
            "students",
            "shown",
            "note",
            "recorded_by_name",
            "created_at",
        ]
        read_only_fields = fields

    def _shown(self, obj: Evidence) -> bool:
        return obj.students >= self.context["view"].actor.district.min_group_size

    @extend_schema_field(serializers.BooleanField())
    def get_shown(self, obj: Evidence) -> bool:
        return self._shown(obj)

    def _figure(self, obj: Evidence, value) -> str | None:
        return None if not self._shown(obj) else f"{value:.2f}"

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True))
    def get_before(self, obj: Evidence) -> str | None:
        return self._figure(obj, obj.before)

    @extend_schema_field(serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True))
    def get_after(self, obj: Evidence) -> str | None:
        return self._figure(obj, obj.after)

    @extend_schema_field(serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True))
    def get_change(self, obj: Evidence) -> str | None:
        return self._figure(obj, obj.change)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by_name(self, obj: Evidence) -> str | None:
        return obj.recorded_by.full_name if obj.recorded_by else None


class GroupEvidenceAddSerializer(serializers.Serializer):
    measure = serializers.CharField(max_length=200, help_text=Evidence.measure.field.help_text)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="%")
    before = serializers.DecimalField(max_digits=8, decimal_places=2)
    after = serializers.DecimalField(max_digits=8, decimal_places=2)
    students = serializers.IntegerField(
        min_value=0,
        max_value=100_000,
        help_text="How many students were measured: a number, never names.",
    )
    note = _text()


class GroupSerializer(serializers.ModelSerializer):
    school = _link(
        School,
        required=False,
        allow_null=True,
        help_text="Empty for a cross-school group.",
    )
    school_name = _label(source="school.name", allow_null=True)
    school_year = _link(SchoolYear)
    school_year_name = _label(source="school_year.name")
    goals = _links(Goal, help_text="Published plan goals of the district and the group's school.")
    goal_summaries = GoalSummarySerializer(source="goals", many=True, read_only=True)
    facilitator = _Staff(help_text="A school group's facilitator works there, or district-wide.")
    facilitator_name = _label(source="facilitator.full_name")
    meeting_minutes = serializers.IntegerField(min_value=1, max_value=600, required=False)
    member_ids = _Staff(
        many=True,
        required=False,
        write_only=True,
        help_text="On creation: who joins besides the facilitator.",
    )
    members = GroupMembershipSerializer(source="memberships", many=True, read_only=True)
    member_count = serializers.IntegerField(read_only=True)
    last_meeting = serializers.DateField(read_only=True, allow_null=True)
    last_check_in = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField(
        help_text="Active, and longer than the district's check-in interval since the last "
        "check-in (or since it was created, without one)."
    )
    is_mine = serializers.BooleanField(read_only=True, help_text="You facilitate or belong.")
    judged_by_name = serializers.SerializerMethodField()
    evidence = GroupEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "kind",
            "school",
            "school_name",
            "school_year",
            "school_year_name",
            "focus",
            "goals",
            "goal_summaries",
            "facilitator",
            "facilitator_name",
            "schedule",
            "meeting_minutes",
            "is_virtual",
            "meeting_link",
            "support",
            "stage",
            "status",
            "closed_on",
            "member_ids",
            "members",
            "member_count",
            "last_meeting",
            "last_check_in",
            "overdue",
            "is_mine",
            "effectiveness",
            "effectiveness_note",
            "judged_by_name",
            "judged_on",
            "evidence",
        ]
        # Stage, status and the judgement change through their actions, which keep the trail.
        read_only_fields = [
            "stage",
            "status",
            "closed_on",
            "effectiveness",
            "effectiveness_note",
            "judged_on",
        ]
        extra_kwargs = {"focus": {"max_length": LONG}}

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj: Group) -> bool:
        actor = self.context["view"].actor
        return selectors.status_of(obj, obj.last_check_in, actor.district, actor.today).overdue

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_judged_by_name(self, obj: Group) -> str | None:
        return obj.judged_by.full_name if obj.judged_by else None


class GroupChangeSerializer(GroupSerializer):
    """What a group's PATCH accepts: its school and year are fixed (a group at another school
    is another group); members change through members and remove-member."""

    school = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    school_year = serializers.PrimaryKeyRelatedField(read_only=True)
    facilitator = _Staff(required=False)
    member_ids = None

    class Meta(GroupSerializer.Meta):
        fields = [f for f in GroupSerializer.Meta.fields if f != "member_ids"]


class GroupMemberSerializer(serializers.Serializer):
    staff = _Staff()


class GroupStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Group.Stage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class GroupCloseSerializer(serializers.Serializer):
    closed_on = serializers.DateField(
        required=False, allow_null=True, help_text="When the cycle ended; defaults to today."
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class GroupNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class GroupJudgeSerializer(serializers.Serializer):
    effectiveness = serializers.ChoiceField(
        choices=[c for c in Group.Effectiveness.choices if c[0]]
    )
    note = _text(help_text="What the evidence shows.")


# --- meetings ------------------------------------------------------------------------------


class GroupAttendanceSerializer(serializers.ModelSerializer):
    staff_name = _label(source="staff.full_name")

    class Meta:
        model = Attendance
        fields = ["staff", "staff_name", "present"]
        read_only_fields = fields


class GroupReflectionSerializer(serializers.ModelSerializer):
    staff_name = _label(source="staff.full_name")

    class Meta:
        model = Reflection
        fields = ["id", "staff", "staff_name", "text", "created_at", "updated_at"]
        read_only_fields = fields


class GroupWorkSampleSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(
        help_text="Where the file downloads, for those who see the meeting."
    )

    class Meta:
        model = WorkSample
        fields = ["id", "name", "content_type", "size", "uploaded_at", "url"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, obj: WorkSample) -> str | None:
        try:
            return reverse("group-work-sample", args=[obj.pk])
        except NoReverseMatch:  # the download page is not there (yet)
            return None


class GroupSampleUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A PDF, PNG or JPEG of the student work, names removed, at most 10 MB."
    )


class GroupMeetingSerializer(serializers.ModelSerializer):
    group = _link(Group, help_text="A group you run: as facilitator, school leader or admin.")
    group_name = _label(source="group.name")
    minutes = serializers.IntegerField(
        min_value=1, max_value=600, required=False, help_text="Defaults to the group's usual."
    )
    present = _Staff(
        many=True,
        required=False,
        write_only=True,
        help_text="The members present; the others are marked absent.",
    )
    attendance = GroupAttendanceSerializer(many=True, read_only=True)
    reflections = GroupReflectionSerializer(many=True, read_only=True)
    samples = GroupWorkSampleSerializer(many=True, read_only=True)
    recorded_by_name = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "group_name",
            "held_on",
            "minutes",
            "agenda",
            "protocol",
            "student_work",
            "decisions",
            "next_steps",
            "present",
            "attendance",
            "reflections",
            "samples",
            "recorded_by_name",
        ]
        extra_kwargs = {
            name: {"max_length": LONG}
            for name in ("agenda", "student_work", "decisions", "next_steps")
        }

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_recorded_by_name(self, obj: Meeting) -> str | None:
        return obj.recorded_by.full_name if obj.recorded_by else None


class GroupMeetingChangeSerializer(GroupMeetingSerializer):
    """What a meeting's PATCH accepts: the group is fixed; `present`, when given, is the whole
    register again."""

    group = serializers.PrimaryKeyRelatedField(read_only=True)


class GroupMeetingReflectSerializer(serializers.Serializer):
    # Blank passes here so the service answers with its own code.
    text = serializers.CharField(max_length=LONG, allow_blank=True)


# --- check-ins -----------------------------------------------------------------------------


class CheckInSerializer(serializers.ModelSerializer):
    group = _link(Group, help_text="A group of a school you lead.")
    group_name = _label(source="group.name")
    by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The leader who checked in.")
    by_name = _label(source="by.full_name")

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "group",
            "group_name",
            "held_on",
            "by",
            "by_name",
            "needs_changed",
            "adjustments",
            "resources",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"adjustments": {"max_length": LONG}, "resources": {"max_length": LONG}}


class CheckInChangeSerializer(CheckInSerializer):
    """What a check-in's PATCH accepts: the group is fixed."""

    group = serializers.PrimaryKeyRelatedField(read_only=True)


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

GROUP_ORDER = {
    "mine": ["-is_mine", "name", "id"],
    "name": ["name", "id"],
    "-last_check_in": ["-last_check_in", "name", "id"],
}
MEETING_ORDER = {"-held_on": ["-held_on", "-id"], "held_on": ["held_on", "id"]}
CHECK_IN_ORDER = {"-held_on": ["-held_on", "-id"], "held_on": ["held_on", "id"]}


class GroupQuery(serializers.Serializer):
    q = _search("Words matched against the group's name and focus.")
    school_year = _id()
    school = _id(help_text="The school's groups, and cross-school groups with members from it.")
    kind = serializers.ChoiceField(choices=Group.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Group.Status.choices, required=False)
    ordering = _ordering(GROUP_ORDER, "mine")


class GroupMeetingQuery(serializers.Serializer):
    group = _id()
    ordering = _ordering(MEETING_ORDER, "-held_on")


class CheckInQuery(serializers.Serializer):
    group = _id()
    school = _id(help_text="Check-ins with the school's groups.")
    ordering = _ordering(CHECK_IN_ORDER, "-held_on")
