"""Forms for small groups. Querysets are set per request in __init__, since no district scope
exists at import time. Forms only validate; services decide."""

from django import forms

from cadre.collaboration import protocols
from cadre.collaboration.models import Group, Protocol, ResearchLesson
from cadre.core.forms import ManyChoice, OneChoice
from cadre.districts.forms import DateInput

LONG = 10_000
NO_NAMES = (
    "Describe the work or data without student names: initials or numbers at most. Remove "
    "names from attachments before uploading them."
)


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StaffChoice(OneChoice):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class StaffChoices(ManyChoice):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return obj.full_name


class GoalChoices(ManyChoice):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        owner = obj.plan.school.name if obj.plan.school_id else "District"
        return f"{obj.code} {obj.title} ({owner})"


class SchoolChoice(OneChoice):
    def label_from_instance(self, obj) -> str:
        return obj.name


class GroupForm(forms.Form):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(label="Type", choices=Group.Kind.choices)
    school = SchoolChoice(
        None,
        required=False,
        empty_label="Cross-school (no one school)",
        help_text="Leave empty for a group whose members come from several schools.",
    )
    school_year = OneChoice(None, label="School year")
    focus = _text(
        "Focus", required=True, help_text=Group._meta.get_field("focus").help_text, rows=3
    )
    goals = GoalChoices(
        None,
        required=False,
        label="Plan goals it serves",
        help_text="Published goals of the district and of the group's school.",
    )
    facilitator = StaffChoice(
        None, help_text="A school group's facilitator works at the school, or district-wide."
    )
    schedule = forms.CharField(
        max_length=200, required=False, help_text=Group._meta.get_field("schedule").help_text
    )
    meeting_minutes = forms.IntegerField(
        label="Usual meeting length (minutes)", min_value=1, max_value=600, initial=60
    )
    support = forms.ChoiceField(
        label="Support level",
        choices=Group.Support.choices,
        widget=forms.RadioSelect,
        help_text="Matched to the group's need.",
    )
    is_virtual = forms.BooleanField(label="Meets online", required=False)
    meeting_link = forms.URLField(
        label="Meeting link", max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, schools, years, goals, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["school_year"].queryset = years
        self.fields["goals"].queryset = goals
        self.fields["facilitator"].queryset = staff


class MemberForm(forms.Form):
    staff = StaffChoice(None, label="Add a member")

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class StageForm(forms.Form):
    stage = forms.ChoiceField(label="Move to", choices=Group.Stage.choices)
    note = forms.CharField(max_length=500, required=False, label="Note (optional)")


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="Cycle ended on", widget=DateInput())
    note = forms.CharField(max_length=500, required=False, label="Note (optional)")


class ReopenForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Why reopen (optional)")


class JudgeForm(forms.Form):
    effectiveness = forms.ChoiceField(
        label="Effectiveness",
        choices=[c for c in Group.Effectiveness.choices if c[0]],
        widget=forms.RadioSelect,
    )
    note = _text("On what evidence", help_text="What the evidence shows.")


class EvidenceForm(forms.Form):
    measure = forms.CharField(
        max_length=200, help_text="For example: share of students proficient on the unit CFA."
    )
    unit = forms.CharField(max_length=20, required=False, initial="%")
    before = forms.DecimalField(max_digits=8, decimal_places=2)
    after = forms.DecimalField(max_digits=8, decimal_places=2)
    students = forms.IntegerField(
        label="Students measured",
        min_value=1,
        max_value=100_000,
        help_text="A number, never names. Figures for fewer students than the district's "
        "minimum group size are not shown.",
    )
    note = _text("Note")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by its content in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        one = super().clean
        if isinstance(data, list | tuple):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


def _protocol_label(value: str, label: str) -> str:
    entry = protocols.entry(value)
    if entry is None:
        return label
    return (
        f"{label} (over several meetings)"
        if entry.over_meetings
        else f"{label} ({entry.minutes} min)"
    )


def protocol_choices() -> list[tuple[str, str]]:
    return [(value, _protocol_label(value, label)) for value, label in Protocol.choices]


class MeetingForm(forms.Form):
    held_on = forms.DateField(label="Held on", widget=DateInput())
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=1, max_value=600, help_text="How long it lasted."
    )
    agenda = _text("Agenda")
    protocol = forms.ChoiceField(choices=protocol_choices, required=False)
    present = StaffChoices(
        None, required=False, label="Present", help_text="Untick the members who were absent."
    )
    student_work = _text("Student work or data examined", help_text=NO_NAMES)
    file = MultipleFileField(
        label="Attachments",
        required=False,
        help_text="PDF, PNG or JPEG, 10 MB each at most, names removed.",
    )
    remove = ManyChoice(
        None,
        required=False,
        label="Remove attachments",
        widget=forms.CheckboxSelectMultiple,
    )
    decisions = _text("Decisions")
    next_steps = _text("Next steps")

    def __init__(self, *args, members, samples=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        if samples is None:
            del self.fields["remove"]
        else:
            self.fields["remove"].queryset = samples


class ReflectionForm(forms.Form):
    text = _text(
        "Your reflection",
        required=True,
        rows=6,
        help_text="What you learned, and what you will try. Members of the group read it.",
    )


class LessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    goal = _text("Research theme and lesson goal", required=True)
    plan = _text(
        "Lesson plan",
        required=True,
        rows=8,
        help_text=ResearchLesson._meta.get_field("plan").help_text,
    )
    teacher = StaffChoice(None, required=False, help_text="The member who teaches the lesson.")
    taught_on = forms.DateField(label="Public lesson on", required=False, widget=DateInput())
    observers = StaffChoices(None, required=False, help_text="Who observes the public lesson.")
    debrief = _text("Debrief", rows=5, help_text="What the observers saw of student thinking.")
    revision = _text("Revision", rows=5, help_text="How the lesson changes, and why.")

    def __init__(self, *args, members, observers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = members
        self.fields["observers"].queryset = observers


class LessonStageForm(forms.Form):
    stage = forms.ChoiceField(label="Move to", choices=ResearchLesson.Stage.choices)
    note = forms.CharField(max_length=500, required=False, label="Note (optional)")


class CheckInForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DateInput())
    needs_changed = forms.BooleanField(label="The group's needs have changed", required=False)
    adjustments = _text("Adjustments")
    resources = _text("Resources asked for")
