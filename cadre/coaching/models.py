"""Coaching: coaching cycles between a coach and a teacher, the district's observation tools
(rubrics with domains, components and four performance levels; look-for checklists per
strategy or offering), observations of every kind, and peer-visit requests.

The content of a coaching cycle and of every observation belongs to the pair (ARCHITECTURE
rule 3): the coach and the teacher, or the observer and the observed teacher. Principals and
PD leaders see counts and dates, and implementation rates aggregated from walkthroughs.
Observations are non-evaluative support.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from cadre.catalog.models import Offering
from cadre.core.models import Distinct, DistrictOwned, TimeStamped
from cadre.districts.models import School, SchoolYear, Staff
from cadre.growth.models import ProfessionalGoal

LEVELS = (1, 2, 3, 4)


class Rubric(DistrictOwned, TimeStamped):
    """An observation framework the district defines."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="rubric_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rubric-detail", args=[self.pk])


class Domain(DistrictOwned):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["rubric_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "number"], name="domain_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("rubric-edit", args=[self.rubric_id])


class Component(DistrictOwned):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(max_length=10, help_text="For example 3b.")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["domain_id", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "code"], name="component_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("rubric-edit", args=[self.domain.rubric_id])


class Level(DistrictOwned):
    """What performance at level 1 to 4 looks like for a component."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    label = models.CharField(max_length=50, help_text="For example: Proficient.")
    descriptor = models.TextField()

    class Meta:
        ordering = ["component_id", "level"]
        constraints = [
            models.UniqueConstraint(fields=["component", "level"], name="level_once"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.label}"


class LookFor(DistrictOwned, TimeStamped):
    """A checklist of what implementation of a strategy or an offering looks like."""

    title = models.CharField(max_length=200)
    strategy = models.CharField(
        max_length=200, help_text="The instructional strategy, for example: Think-pair-share."
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="look_fors",
        help_text="The PD offering whose classroom use it checks, if any.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("look-for-detail", args=[self.pk])


class LookForItem(DistrictOwned):
    look_for = models.ForeignKey(LookFor, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_active = models.BooleanField(
        "in use",
        default=True,
        help_text="An item already marked in observations is retired rather than deleted.",
    )

    class Meta:
        ordering = ["look_for_id", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("look-for-edit", args=[self.look_for_id])


class Cycle(Distinct, DistrictOwned, TimeStamped):
    """A coaching cycle, coach and teacher. Its content is theirs alone."""

    class Stage(models.TextChoices):
        GOAL_SETTING = "goal_setting", "Goal-setting"
        PRE_CONFERENCE = "pre_conference", "Pre-conference"
        OBSERVATION = "observation", "Observation"
        DEBRIEF = "debrief", "Debrief"
        REFLECTION = "reflection", "Reflection"
        CLOSED = "closed", "Closed"

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The teacher's school when the cycle began, for the counts leaders see.",
    )
    coach = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="coached_cycles")
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="coaching_cycles")
    goal = models.TextField("coaching goal")
    professional_goal = models.ForeignKey(
        ProfessionalGoal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_virtual = models.BooleanField("virtual coaching", default=False)
    video_link = models.URLField(max_length=500, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.GOAL_SETTING)
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    pre_conference_notes = models.TextField(blank=True)
    debrief_notes = models.TextField(blank=True)
    reflection = models.TextField("teacher's reflection", blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["district", "school_year", "stage"])]
        constraints = [
            models.CheckConstraint(condition=~Q(coach=models.F("teacher")), name="cycle_two_people")
        ]

    def __str__(self) -> str:
        # No names: the string is what the audit trail records, and who is coached is the
        # pair's business (ARCHITECTURE rule 3).
        return (
            f"Coaching cycle of {self.started_on:%-d %B %Y}"
            if self.started_on
            else "Coaching cycle"
        )

    def get_absolute_url(self) -> str:
        return reverse("coaching-cycle-detail", args=[self.pk])


class Observation(Distinct, DistrictOwned, TimeStamped):
    class Kind(models.TextChoices):
        COACHING = "coaching", "Coaching"
        PEER = "peer", "Peer"
        MENTOR = "mentor", "Mentor"
        WALKTHROUGH = "walkthrough", "Implementation walkthrough"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SHARED = "shared", "Shared with the teacher"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=15, choices=Kind.choices)
    observer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="observations_made")
    teacher = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="observations")
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, null=True, blank=True, related_name="observations"
    )
    rubric = models.ForeignKey(
        Rubric, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    look_for = models.ForeignKey(
        LookFor, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a walkthrough: the offering whose use it follows up.",
    )
    observed_on = models.DateField()
    focus = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.DRAFT)
    shared_at = models.DateTimeField(null=True, blank=True)
    teacher_comment = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-observed_on", "-id"]
        indexes = [
            models.Index(fields=["district", "kind", "observed_on"]),
            models.Index(fields=["teacher", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(observer=models.F("teacher")), name="observation_two_people"
            )
        ]

    def __str__(self) -> str:
        # No names (see Cycle.__str__): pages name the people themselves.
        when = f" of {self.observed_on:%-d %B %Y}" if self.observed_on else ""
        return f"{self.get_kind_display()} observation{when}"

    def get_absolute_url(self) -> str:
        return reverse("observation-detail", args=[self.pk])


class Rating(DistrictOwned):
    """A rubric component's level seen in an observation (support, not evaluation)."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="ratings")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Blank while only evidence is noted: the tablet saves evidence first.",
    )
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["component_id"]
        constraints = [
            models.UniqueConstraint(fields=["observation", "component"], name="rating_once"),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__gte=1, level__lte=4),
                name="rating_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_id}: {self.level}"


class Mark(DistrictOwned):
    """Whether a look-for was seen in an observation."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="marks")
    item = models.ForeignKey(LookForItem, on_delete=models.PROTECT, related_name="marks")
    seen = models.BooleanField()

    class Meta:
        ordering = ["item_id"]
        constraints = [models.UniqueConstraint(fields=["observation", "item"], name="mark_once")]

    def __str__(self) -> str:
        return f"{self.item_id}: {'seen' if self.seen else 'not seen'}"


class Visit(Distinct, DistrictOwned, TimeStamped):
    """A peer-observation request: a teacher asks to visit a colleague's classroom."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    visitor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="visits_made")
    host = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="visits_hosted")
    on = models.DateField("proposed date")
    period = models.CharField(max_length=100, blank=True, help_text="For example: 2nd period.")
    focus = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    response = models.TextField(blank=True)
    observation = models.OneToOneField(
        Observation, on_delete=models.SET_NULL, null=True, blank=True, related_name="visit"
    )

    class Meta:
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(visitor=models.F("host")), name="visit_two_people")
        ]

    def __str__(self) -> str:
        return f"Peer visit of {self.on:%-d %B %Y}" if self.on else "Peer visit"

    def get_absolute_url(self) -> str:
        return reverse("peer-visit-detail", args=[self.pk])
