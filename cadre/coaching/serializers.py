"""API shapes for coaching and observation: the pair's coaching cycles, observations (with
their ratings and look-for marks, autosaved as a draft), the district's rubrics (domains →
components → four levels) and look-for checklists, and implementation rates for PD leaders.

Serializers only validate and represent; every write goes through `services`. Every id a body
names is looked up among the rows the caller can see (`Visible`), so an id of another district
or outside the caller's scope is a 400 like any unknown id, and an id too big for the database
is a 400 too, never a 500. People are named from the district's staff; whom one may coach or
observe is the services' to say, with their codes.

Confidentiality (ARCHITECTURE rule 3): a cycle and an observation are represented only to
those `access.visible` lets reach them (the pair). Nothing here is nested into another
resource: no staff record, group or offering carries a cycle or an observation. Implementation
rates are aggregates, and a cell of fewer than three teachers shows no figure at all.
"""

from rest_framework import serializers

from cadre.catalog.models import Offering
from cadre.coaching.models import (
    LEVELS,
    Component,
    Cycle,
    Domain,
    Level,
    LookFor,
    LookForItem,
    Observation,
    Rubric,
    Visit,
)
from cadre.coaching.selectors import BY
from cadre.districts.models import Staff
from cadre.districts.serializers import MAX_ID, Visible, _id, _ordering, _search
from cadre.growth.models import ProfessionalGoal
from cadre.planning.serializers import ID, _label, _link

LONG = 20_000  # the services' limit on what people write
TRI_STATE = [("true", "Only true"), ("false", "Only false"), ("all", "Both")]


class _Staff(serializers.PrimaryKeyRelatedField):
    """A member of the district's staff. Whom one may coach, observe or walk through is the
    services' to say (with their codes), as it is on the pages."""

    def __init__(self, **kwargs):
        super().__init__(**ID, **kwargs)

    def get_queryset(self):
        return Staff.objects.filter(district=self.context["view"].actor.district)


class _ProfessionalGoal(serializers.PrimaryKeyRelatedField):
    """One of the district's professional goals; the service takes only the teacher's own
    (`cycle.goal_not_teachers`)."""

    def __init__(self, **kwargs):
        super().__init__(**ID, **kwargs)

    def get_queryset(self):
        return ProfessionalGoal.objects.filter(district=self.context["view"].actor.district)


class _VisitLink(Visible):
    """The peer visit an observation follows (written on creation; None when it has none)."""

    def __init__(self, **kwargs):
        super().__init__(Visit, **ID, **kwargs)

    def get_attribute(self, instance):
        try:
            return instance.visit
        except Visit.DoesNotExist:
            return None


# --- coaching cycles -----------------------------------------------------------------------


class CoachingCycleSerializer(serializers.ModelSerializer):
    coach_name = _label(source="coach.full_name")
    teacher = _Staff(help_text="The colleague you will coach.")
    teacher_name = _label(source="teacher.full_name")
    school_name = _label(source="school.name", allow_null=True)
    school_year_name = _label(source="school_year.name")
    professional_goal = _ProfessionalGoal(
        required=False, allow_null=True, help_text="One of the teacher's own professional goals."
    )
    professional_goal_title = _label(source="professional_goal.title", allow_null=True)
    offering = _link(
        Offering,
        required=False,
        allow_null=True,
        help_text="The PD offering whose practice the cycle follows up.",
    )
    offering_title = _label(source="offering.title", allow_null=True)
    video_link = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="For virtual coaching: a secure address starting with https://",
    )
    started_on = serializers.DateField(required=False, help_text="Defaults to today.")
    observation_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "coach",
            "coach_name",
            "teacher",
            "teacher_name",
            "school",
            "school_name",
            "school_year",
            "school_year_name",
            "goal",
            "professional_goal",
            "professional_goal_title",
            "offering",
            "offering_title",
            "is_virtual",
            "video_link",
            "stage",
            "started_on",
            "closed_on",
            "pre_conference_notes",
            "debrief_notes",
            "reflection",
            "observation_count",
        ]
        # The coach is the caller; the school and year follow the teacher and the date; the
        # stage moves through advance; the notes are written once the cycle is open, and the
        # reflection is the teacher's (reflect).
        read_only_fields = [
            "coach",
            "school",
            "school_year",
            "stage",
            "closed_on",
            "pre_conference_notes",
            "debrief_notes",
            "reflection",
        ]
        extra_kwargs = {"goal": {"max_length": LONG}}


class CoachingCycleChangeSerializer(CoachingCycleSerializer):
    """What a cycle's PATCH accepts (the coach's): the goal, its links, the video link and the
    conference notes. The teacher and the start are fixed."""

    teacher = serializers.PrimaryKeyRelatedField(read_only=True)
    started_on = serializers.DateField(read_only=True)

    class Meta(CoachingCycleSerializer.Meta):
        read_only_fields = ["coach", "school", "school_year", "stage", "closed_on", "reflection"]
        extra_kwargs = {
            "goal": {"max_length": LONG, "required": False},
            "pre_conference_notes": {"max_length": LONG},
            "debrief_notes": {"max_length": LONG},
        }


class CycleAdvanceSerializer(serializers.Serializer):
    back = serializers.BooleanField(
        required=False, default=False, help_text="One stage back instead, e.g. to observe again."
    )


class CycleReflectSerializer(serializers.Serializer):
    # Blank passes here so the service answers with its own code.
    reflection = serializers.CharField(max_length=LONG, allow_blank=True)


# --- observations --------------------------------------------------------------------------


class ObservationRatingSerializer(serializers.Serializer):
    """A rubric component's level (1–4) and evidence. In an autosave, a level of null clears
    it, a key left out stays as it is, and neither level nor evidence removes the rating."""

    component = serializers.IntegerField(source="component_id", min_value=1, max_value=MAX_ID)
    component_code = _label(source="component.code")
    level = serializers.IntegerField(min_value=1, max_value=4, allow_null=True, required=False)
    evidence = serializers.CharField(allow_blank=True, required=False, max_length=LONG)


class ObservationMarkSerializer(serializers.Serializer):
    """A look-for item seen (true) or not (false); null unmarks it in an autosave."""

    item = serializers.IntegerField(source="item_id", min_value=1, max_value=MAX_ID)
    item_text = _label(source="item.text")
    seen = serializers.BooleanField(allow_null=True)


class ObservationSerializer(serializers.ModelSerializer):
    observer_name = _label(source="observer.full_name")
    teacher = _Staff(
        required=False,
        allow_null=True,
        help_text="Whom you observe: for a mentor observation your mentee, for a walkthrough "
        "the teacher; a coaching or peer observation takes the cycle's or the visit's.",
    )
    teacher_name = _label(source="teacher.full_name")
    school_name = _label(source="school.name", allow_null=True)
    cycle = _link(
        Cycle, required=False, allow_null=True, help_text="A coaching observation's cycle."
    )
    visit = _VisitLink(
        required=False, allow_null=True, help_text="A peer observation's accepted visit."
    )
    rubric = _link(Rubric, required=False, allow_null=True)
    rubric_name = _label(source="rubric.name", allow_null=True)
    look_for = _link(
        LookFor, required=False, allow_null=True, help_text="A walkthrough checks a look-for."
    )
    look_for_title = _label(source="look_for.title", allow_null=True)
    offering = _link(
        Offering,
        required=False,
        allow_null=True,
        help_text="For a walkthrough: the offering followed up (defaults to the look-for's).",
    )
    offering_title = _label(source="offering.title", allow_null=True)
    observed_on = serializers.DateField(required=False, help_text="Defaults to today.")
    ratings = ObservationRatingSerializer(many=True, read_only=True)
    marks = ObservationMarkSerializer(many=True, read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "kind",
            "observer",
            "observer_name",
            "teacher",
            "teacher_name",
            "school",
            "school_name",
            "school_year",
            "cycle",
            "visit",
            "rubric",
            "rubric_name",
            "look_for",
            "look_for_title",
            "offering",
            "offering_title",
            "observed_on",
            "focus",
            "notes",
            "strengths",
            "next_steps",
            "status",
            "shared_at",
            "teacher_comment",
            "acknowledged_at",
            "ratings",
            "marks",
        ]
        # The observer is the caller; what was seen is autosaved into the draft (PATCH); the
        # status moves through share and acknowledge.
        read_only_fields = [
            "observer",
            "school",
            "school_year",
            "notes",
            "strengths",
            "next_steps",
            "status",
            "shared_at",
            "teacher_comment",
            "acknowledged_at",
        ]


class ObservationChangeSerializer(ObservationSerializer):
    """The autosave of a draft (the observer's): any of the date, focus, notes, strengths,
    next steps, rubric, look-for, ratings and marks; what is left out stays. The kind, the
    teacher and what the observation came from are fixed."""

    kind = serializers.CharField(read_only=True)
    teacher = serializers.PrimaryKeyRelatedField(read_only=True)
    cycle = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    visit = _VisitLink(read_only=True)
    offering = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    ratings = ObservationRatingSerializer(many=True, required=False)
    marks = ObservationMarkSerializer(many=True, required=False)

    class Meta(ObservationSerializer.Meta):
        read_only_fields = [
            "observer",
            "school",
            "school_year",
            "status",
            "shared_at",
            "teacher_comment",
            "acknowledged_at",
        ]
        extra_kwargs = {
            "notes": {"max_length": LONG},
            "strengths": {"max_length": LONG},
            "next_steps": {"max_length": LONG},
        }

    def validate_ratings(self, rows: list[dict]) -> dict[int, dict]:
        ratings: dict[int, dict] = {}
        for row in rows:
            if "component_id" not in row:
                raise serializers.ValidationError("Name the component of each rating.")
            if row["component_id"] in ratings:
                raise serializers.ValidationError("Rate each component once.")
            ratings[row["component_id"]] = {
                name: row[name] for name in ("level", "evidence") if name in row
            }
        return ratings

    def validate_marks(self, rows: list[dict]) -> dict[int, bool | None]:
        marks: dict[int, bool | None] = {}
        for row in rows:
            if "item_id" not in row or "seen" not in row:
                raise serializers.ValidationError("Give each mark its item and seen.")
            if row["item_id"] in marks:
                raise serializers.ValidationError("Mark each item once.")
            marks[row["item_id"]] = row["seen"]
        return marks


class ObservationAcknowledgeSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        default="",
        help_text="Optional. Acknowledging says you have read it, not that you agree.",
    )


class ImplementationCellSerializer(serializers.Serializer):
    """Look-for items seen of those marked over shared walkthroughs. A suppressed cell (fewer
    than three distinct teachers) carries no figure at all: an aggregate of one or two
    teachers describes those teachers."""

    suppressed = serializers.BooleanField()
    rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text="Percent seen."
    )
    seen = serializers.IntegerField(allow_null=True)
    marked = serializers.IntegerField(allow_null=True)
    walkthroughs = serializers.IntegerField(allow_null=True)
    teachers = serializers.IntegerField(allow_null=True)


class ImplementationRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        allow_null=True, help_text="The offering's or school's id, or the strategy."
    )
    label = serializers.CharField()
    months = ImplementationCellSerializer(many=True)
    total = ImplementationCellSerializer()


class ImplementationSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    school_year_name = serializers.CharField()
    by = serializers.ChoiceField(choices=BY)
    months = serializers.ListField(child=serializers.DateField())
    min_teachers = serializers.IntegerField(help_text="Cells of fewer teachers are suppressed.")
    rows = ImplementationRowSerializer(many=True)
    total = ImplementationCellSerializer()


# --- rubrics -------------------------------------------------------------------------------


class RubricLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["level", "label", "descriptor"]
        read_only_fields = fields


class RubricComponentSerializer(serializers.ModelSerializer):
    levels = RubricLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Component
        fields = ["id", "code", "name", "levels"]
        read_only_fields = fields


class RubricDomainSerializer(serializers.ModelSerializer):
    components = RubricComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Domain
        fields = ["id", "number", "name", "components"]
        read_only_fields = fields


class RubricSerializer(serializers.ModelSerializer):
    component_count = serializers.IntegerField(read_only=True)
    domains = RubricDomainSerializer(many=True, read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "name", "description", "is_active", "component_count", "domains"]
        extra_kwargs = {"description": {"max_length": LONG}}
        validators: list = []  # the service refuses a second name, with its code


class RubricDomainAddSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        min_value=1, max_value=99, required=False, allow_null=True, help_text="Blank: the next."
    )
    name = serializers.CharField(max_length=200)


class RubricLevelInput(serializers.Serializer):
    level = serializers.IntegerField(
        min_value=1, max_value=4, required=False, help_text="Defaults to its place in the list."
    )
    label = serializers.CharField(max_length=50, allow_blank=True)
    descriptor = serializers.CharField(max_length=LONG, allow_blank=True)


class RubricComponentAddSerializer(serializers.Serializer):
    domain = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="One of this rubric's domains."
    )
    code = serializers.CharField(max_length=10, help_text="For example 3b.")
    name = serializers.CharField(max_length=200)
    levels = RubricLevelInput(
        many=True, max_length=len(LEVELS), help_text="Performance levels 1 to 4, all four."
    )

    def validate_domain(self, value: int) -> Domain:
        domain = Domain.objects.filter(rubric=self.context["rubric"], pk=value).first()
        if domain is None:
            raise serializers.ValidationError("This rubric has no such domain.")
        return domain


# --- look-fors -----------------------------------------------------------------------------


class LookForItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = LookForItem
        fields = ["id", "position", "text"]
        read_only_fields = fields


class LookForSerializer(serializers.ModelSerializer):
    offering = _link(
        Offering,
        required=False,
        allow_null=True,
        help_text="The PD offering whose classroom use it checks, if any.",
    )
    offering_title = _label(source="offering.title", allow_null=True)
    items = LookForItemSerializer(many=True, read_only=True, help_text="The items in use.")
    item_texts = serializers.ListField(
        child=serializers.CharField(max_length=300, allow_blank=True),
        required=False,
        write_only=True,
        max_length=100,
        help_text="On creation: what to look for, in order (blank lines are skipped).",
    )

    class Meta:
        model = LookFor
        fields = [
            "id",
            "title",
            "strategy",
            "offering",
            "offering_title",
            "is_active",
            "items",
            "item_texts",
        ]


class LookForChangeSerializer(LookForSerializer):
    """What a look-for's PATCH accepts; its items change through items and remove-item."""

    item_texts = None

    class Meta(LookForSerializer.Meta):
        fields = [f for f in LookForSerializer.Meta.fields if f != "item_texts"]


class LookForItemAddSerializer(serializers.Serializer):
    # Blank passes here so the service answers with its own code.
    text = serializers.CharField(max_length=300, allow_blank=True)
    position = serializers.IntegerField(
        min_value=0, max_value=1000, required=False, allow_null=True, help_text="Blank: last."
    )


class LookForItemRemoveSerializer(serializers.Serializer):
    item = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="One of this look-for's items."
    )

    def validate_item(self, value: int) -> LookForItem:
        item = LookForItem.objects.filter(look_for=self.context["look_for"], pk=value).first()
        if item is None:
            raise serializers.ValidationError("This look-for has no such item.")
        return item


# --- list parameters -----------------------------------------------------------------------
# Query strings are validated like bodies, so a bad parameter is a 400, never a 500.

CYCLE_ORDER = {"-started_on": ["-started_on", "-id"], "started_on": ["started_on", "id"]}
OBSERVATION_ORDER = {
    "waiting": ["waiting", "-observed_on", "-id"],
    "-observed_on": ["-observed_on", "-id"],
}
RUBRIC_ORDER = {"name": ["name", "id"]}
LOOK_FOR_ORDER = {"title": ["title", "id"], "strategy": ["strategy", "title", "id"]}


class CoachingCycleQuery(serializers.Serializer):
    school_year = _id()
    role = serializers.ChoiceField(
        choices=[("coach", "As coach"), ("teacher", "As teacher")],
        required=False,
        help_text="Your side of the cycle.",
    )
    stage = serializers.ChoiceField(choices=Cycle.Stage.choices, required=False)
    open = serializers.ChoiceField(
        choices=TRI_STATE, default="all", required=False, help_text="true: not closed."
    )
    ordering = _ordering(CYCLE_ORDER, "-started_on")


class ObservationQuery(serializers.Serializer):
    side = serializers.ChoiceField(
        choices=[("made", "Made by me"), ("of_me", "Of me")], required=False
    )
    kind = serializers.ChoiceField(choices=Observation.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Observation.Status.choices, required=False)
    school_year = _id()
    cycle = _id()
    ordering = _ordering(OBSERVATION_ORDER, "waiting")


class ImplementationQuery(serializers.Serializer):
    school_year = _id(help_text="Defaults to the current school year.")
    by = serializers.ChoiceField(choices=BY, default="offering", required=False)
    school = _id()


class RubricQuery(serializers.Serializer):
    active = serializers.ChoiceField(choices=TRI_STATE, default="all", required=False)
    ordering = _ordering(RUBRIC_ORDER, "name")


class LookForQuery(serializers.Serializer):
    q = _search("Words matched against the title and the strategy.")
    active = serializers.ChoiceField(choices=TRI_STATE, default="all", required=False)
    offering = _id()
    ordering = _ordering(LOOK_FOR_ORDER, "title")
