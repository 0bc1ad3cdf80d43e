"""Small-group learning: PLCs, lesson study, critical friends groups and book studies; their
members, meetings (agenda, protocol, attendance, the student work examined, decisions and
reflections), research lessons, the principal's check-ins and the evidence at cycle end.

Groups are not confidential: their members, facilitator, the leaders of the schools they
serve and administrators see them. Student work is described without student names.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from cadre.core.attachments import Attachment
from cadre.core.models import DistrictOwned, TimeStamped
from cadre.districts.models import School, SchoolYear, Staff
from cadre.planning.models import Goal


class Protocol(models.TextChoices):
    """The protocol library. Steps and purpose live in `protocols.LIBRARY`."""

    NONE = "", "No protocol"
    TUNING = "tuning", "Tuning protocol"
    CONSULTANCY = "consultancy", "Consultancy protocol"
    DATA_DRIVEN_DIALOGUE = "data_dialogue", "Data-driven dialogue"
    LESSON_STUDY = "lesson_study", "Lesson-study cycle"


class Group(DistrictOwned, TimeStamped):
    class Kind(models.TextChoices):
        PLC = "plc", "Professional learning community"
        LESSON_STUDY = "lesson_study", "Lesson study"
        CRITICAL_FRIENDS = "critical_friends", "Critical friends group"
        BOOK_STUDY = "book_study", "Book study"

    class Support(models.TextChoices):
        COACH = "coach", "Coach-facilitated"
        LEADER = "leader", "Teacher-leader facilitated"
        SELF = "self", "Self-directed"

    class Stage(models.TextChoices):
        QUESTION = "question", "Question"
        DATA = "data", "Data"
        STRATEGY = "strategy", "Strategy"
        IMPLEMENT = "implement", "Implement"
        EVIDENCE = "evidence", "Evidence"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Cycle closed"

    class Effectiveness(models.TextChoices):
        NOT_JUDGED = "", "Not judged"
        EFFECTIVE = "effective", "Effective"
        PARTLY = "partly", "Partly effective"
        NOT_EFFECTIVE = "not_effective", "Not effective"

    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learning_groups",
        help_text="Empty for a cross-school group.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PLC)
    focus = models.TextField(help_text="The common focus: the question or student need.")
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="learning_groups", help_text="The plan goals it serves."
    )
    facilitator = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="facilitated_groups"
    )
    schedule = models.CharField(
        max_length=200, blank=True, help_text="For example: second and fourth Tuesdays, 3:15."
    )
    meeting_minutes = models.PositiveIntegerField(
        "usual meeting length (minutes)", default=60, validators=[MinValueValidator(1)]
    )
    is_virtual = models.BooleanField("meets online", default=False)
    meeting_link = models.URLField(max_length=500, blank=True)
    support = models.CharField(max_length=10, choices=Support.choices, default=Support.LEADER)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.QUESTION)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    closed_on = models.DateField(null=True, blank=True)
    effectiveness = models.CharField(
        max_length=15, choices=Effectiveness.choices, default="", blank=True
    )
    effectiveness_note = models.TextField(blank=True)
    judged_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    judged_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["district", "school_year", "school"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("group-detail", args=[self.pk])

    @property
    def short_kind(self) -> str:
        """The kind in a word or two, as a transcript line names it."""
        return SHORT_KINDS.get(self.kind, self.get_kind_display())

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


SHORT_KINDS = {
    Group.Kind.PLC: "PLC",
    Group.Kind.LESSON_STUDY: "lesson study",
    Group.Kind.CRITICAL_FRIENDS: "critical friends",
    Group.Kind.BOOK_STUDY: "book study",
}


class Membership(DistrictOwned):
    """A member of a group. `school` is the member's school when they joined, so the leaders
    of every school a cross-school group serves can follow it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="group_memberships")
    school = models.ForeignKey(
        School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    joined_on = models.DateField()

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "staff"], name="membership_once_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.staff} in {self.group}"


class Meeting(DistrictOwned, TimeStamped):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    minutes = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    agenda = models.TextField(blank=True)
    protocol = models.CharField(max_length=20, choices=Protocol.choices, default="", blank=True)
    student_work = models.TextField(
        "student work or data examined",
        blank=True,
        help_text="Describe it without student names: initials or numbers at most.",
    )
    decisions = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["group", "held_on"])]

    def __str__(self) -> str:
        return f"{self.group}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("group-meeting-detail", args=[self.pk])


class Attendance(DistrictOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["staff__last_name", "staff__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "staff"], name="group_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {'present' if self.present else 'absent'}"


def _work_path(instance, filename: str) -> str:
    return f"groups/{instance.district_id}/{instance.meeting_id}/{filename}"


# Attachment first: its Meta (the ordering) is the one Django keeps.
class WorkSample(Attachment, DistrictOwned):
    """An attachment of the student work or data examined (PDF or image, names removed)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="samples")
    file = models.FileField(upload_to=_work_path, max_length=300)

    def get_absolute_url(self) -> str:
        return reverse("group-work-sample", args=[self.pk])


class Reflection(DistrictOwned, TimeStamped):
    """A member's own reflection on a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reflections")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "staff"], name="reflection_once_per_meeting")
        ]


class ResearchLesson(DistrictOwned, TimeStamped):
    """Lesson study: the research lesson plan, the public lesson and its observers, the
    debrief and the revision."""

    class Stage(models.TextChoices):
        PLANNING = "planning", "Planning"
        TAUGHT = "taught", "Public lesson taught"
        DEBRIEFED = "debriefed", "Debriefed"
        REVISED = "revised", "Revised"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="research_lessons")
    title = models.CharField(max_length=200)
    goal = models.TextField("research theme and lesson goal")
    plan = models.TextField("lesson plan", help_text="The plan, with anticipated student thinking.")
    teacher = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who teaches the public lesson.",
    )
    taught_on = models.DateField("public lesson on", null=True, blank=True)
    observers = models.ManyToManyField(Staff, blank=True, related_name="+")
    debrief = models.TextField(blank=True)
    revision = models.TextField(blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLANNING)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research-lesson-detail", args=[self.pk])


class CheckIn(DistrictOwned, TimeStamped):
    """The principal's check-in with a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="check_ins")
    held_on = models.DateField()
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    needs_changed = models.BooleanField("the group's needs have changed", default=False)
    adjustments = models.TextField(blank=True)
    resources = models.TextField("resources asked for", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["group", "held_on"])]

    def __str__(self) -> str:
        return f"Check-in with {self.group}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("check-in-detail", args=[self.pk])


class Evidence(DistrictOwned, TimeStamped):
    """Student-learning evidence at cycle end: an aggregated measure, before and after."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="evidence")
    measure = models.CharField(
        max_length=200, help_text="For example: share of students proficient on the unit CFA."
    )
    unit = models.CharField(max_length=20, default="%", blank=True)
    before = models.DecimalField(max_digits=8, decimal_places=2)
    after = models.DecimalField(max_digits=8, decimal_places=2)
    students = models.PositiveIntegerField(
        "students measured", help_text="Figures for fewer than the district minimum are hidden."
    )
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.measure

    @property
    def change(self):
        return self.after - self.before
