"""Forms for planning pages. Querysets are set per actor in __init__, so a form offers only
what that person may pick; at import time no district scope exists. Forms only validate;
services decide."""

from django import forms

from cadre.core.forms import ManyChoice
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Program, School, SchoolYear
from cadre.planning import selectors
from cadre.planning.models import (
    Goal,
    NeedsAssessment,
    PdPlan,
    Priority,
    StakeholderInput,
    StrategicPlan,
)
from cadre.planning.services import INPUT_MAX_CHARS

Level = StrategicPlan.Level
TEXT = {"rows": 3}


def _years(actor: Actor):
    return SchoolYear.objects.filter(district=actor.district)


class OwnerChecked:
    """The owner (level, school, program) is the service's to check: it says which is missing
    in words, where the model's constraints would only say one is violated."""

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | {"level", "school", "program"}


def _unit_fields(form, actor: Actor, *, help_text: str) -> None:
    """Offer only the schools and programs this person leads (every one for admins), and
    drop the choice nobody may make."""
    led = access.units(actor)
    form.fields["school"].queryset = led.schools
    form.fields["program"].queryset = led.programs
    if not actor.is_district_admin:
        if not actor.led_school_ids:
            del form.fields["school"]
        if not actor.directed_program_ids:
            del form.fields["program"]
    if "school" in form.fields and "program" in form.fields:
        form.fields["school"].help_text = help_text
    else:
        only = "school" if "school" in form.fields else "program"
        form.fields[only].required = True


class PlanForm(OwnerChecked, forms.ModelForm):
    school = forms.ModelChoiceField(School.objects.none(), required=False)
    program = forms.ModelChoiceField(Program.objects.none(), required=False)
    first_year = forms.ModelChoiceField(SchoolYear.objects.none(), label="First school year")
    last_year = forms.ModelChoiceField(SchoolYear.objects.none(), label="Last school year")

    class Meta:
        model = StrategicPlan
        fields = ["level", "school", "program", "title", "summary", "first_year", "last_year"]
        widgets = {"summary": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_year"].queryset = _years(actor)
        self.fields["last_year"].queryset = _years(actor)
        if self.instance.pk:
            for name in ("level", "school", "program"):
                del self.fields[name]
            return
        levels = [Level.DISTRICT] if actor.is_district_admin else []
        if actor.is_district_admin or actor.led_school_ids:
            levels.append(Level.SCHOOL)
        if actor.is_district_admin or actor.directed_program_ids:
            levels.append(Level.PROGRAM)
        self.fields["level"].choices = [(v, Level(v).label) for v in levels]
        led = access.units(actor)
        self.fields["school"].queryset = led.schools
        self.fields["program"].queryset = led.programs
        self.fields["school"].help_text = "For a school plan."
        self.fields["program"].help_text = "For a program plan."
        if Level.SCHOOL not in levels:
            del self.fields["school"]
        if Level.PROGRAM not in levels:
            del self.fields["program"]
        if len(levels) == 1:
            self.fields["level"].initial = levels[0]

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level != Level.SCHOOL:
            data["school"] = None
        if level != Level.PROGRAM:
            data["program"] = None
        if level == Level.SCHOOL and not data.get("school") and "school" not in self.errors:
            self.add_error("school", "Choose the school this plan is for.")
        if level == Level.PROGRAM and not data.get("program") and "program" not in self.errors:
            self.add_error("program", "Choose the program this plan is for.")
        return data


class GoalForm(forms.ModelForm):
    aligns_to = ManyChoice(
        Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="District goals it serves",
        help_text="At least one district goal of these years.",
    )

    class Meta:
        model = Goal
        fields = ["code", "title", "description", "measure", "target", "aligns_to"]
        widgets = {"description": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, actor: Actor, plan: StrategicPlan, **kwargs):
        super().__init__(*args, **kwargs)
        if plan.level == Level.DISTRICT:
            del self.fields["aligns_to"]
            return
        field = self.fields["aligns_to"]
        field.queryset = selectors.district_goals_for(actor, plan)
        field.label_from_instance = lambda g: f"{g.code} {g.title} ({g.plan.title})"


class AssessmentForm(OwnerChecked, forms.ModelForm):
    school = forms.ModelChoiceField(School.objects.none(), required=False)
    program = forms.ModelChoiceField(Program.objects.none(), required=False)
    school_year = forms.ModelChoiceField(SchoolYear.objects.none())

    class Meta:
        model = NeedsAssessment
        fields = ["school", "program", "school_year", "summary"]
        widgets = {"summary": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("school", "program", "school_year"):
                del self.fields[name]
            return
        self.fields["school_year"].queryset = _years(actor)
        _unit_fields(self, actor, help_text="Choose a school or a program.")


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["area", "evidence"]
        widgets = {"evidence": forms.Textarea(attrs=TEXT)}


class LinkForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("open", "Open"), ("close", "Close"), ("renew", "Renew")],
        error_messages={"required": "Say whether to open, close or renew the link."},
    )


class ModerateForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (StakeholderInput.Status.ACCEPTED, "Accept"),
            (StakeholderInput.Status.HIDDEN, "Hide"),
        ],
        widget=forms.RadioSelect,
    )
    priority = forms.ModelChoiceField(
        Priority.objects.none(),
        required=False,
        label="Attach to priority",
        empty_label="— none —",
    )

    def __init__(self, *args, priorities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities


class StaffInputForm(forms.Form):
    body = forms.CharField(
        label="Your input",
        max_length=INPUT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What should staff learn this year, and why? Your name goes with it.",
    )


class PublicInputForm(forms.Form):
    source = forms.ChoiceField(
        label="I am a",
        choices=[
            (StakeholderInput.Source.PARENT, "Parent or guardian"),
            (StakeholderInput.Source.COMMUNITY, "Community member"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are a parent or a community member."},
    )
    name = forms.CharField(
        label="Your name (optional)",
        max_length=120,
        required=False,
        help_text="Leave it empty to stay anonymous.",
    )
    body = forms.CharField(
        label="Your input",
        max_length=INPUT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"What should our staff learn to help students? Up to {INPUT_MAX_CHARS} "
        "characters.",
        error_messages={"required": "Write your input before sending."},
    )


class PdPlanForm(OwnerChecked, forms.ModelForm):
    school = forms.ModelChoiceField(School.objects.none(), required=False)
    program = forms.ModelChoiceField(Program.objects.none(), required=False)
    school_year = forms.ModelChoiceField(SchoolYear.objects.none())
    priorities = ManyChoice(
        Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Priorities addressed",
        help_text="From the needs assessment of the same school or program and year.",
    )
    goals = ManyChoice(
        Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Goals served",
        help_text="Goals of the school's or program's strategic plan, or the district's.",
    )

    class Meta:
        model = PdPlan
        fields = [
            "school",
            "program",
            "school_year",
            "priorities",
            "goals",
            "intensive_support",
            "individual",
            "small_group",
            "whole_group",
        ]
        labels = {"intensive_support": "Intensive, ongoing support"}
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in ("intensive_support", "individual", "small_group", "whole_group")
        }

    def __init__(self, *args, actor: Actor, unit: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("school", "program", "school_year"):
                del self.fields[name]
            unit = {
                "school": self.instance.school,
                "program": self.instance.program,
                "school_year": self.instance.school_year,
            }
        else:
            self.fields["school_year"].queryset = _years(actor)
            _unit_fields(self, actor, help_text="Choose a school or a program.")
        priorities, goals = selectors.pd_choices(actor, **(unit or {}))
        self.fields["priorities"].queryset = priorities
        self.fields["goals"].queryset = goals
        self.fields["priorities"].label_from_instance = lambda p: (
            f"{p.rank}. {p.area}"
            if unit and unit.get("school_year")
            else f"{p.assessment.owner}, {p.assessment.school_year}: {p.rank}. {p.area}"
        )
        self.fields["goals"].label_from_instance = lambda g: f"{g.code} {g.title} ({g.plan.owner})"


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What to change",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what to change."},
    )
