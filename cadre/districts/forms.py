from django import forms

from cadre.core.forms import ManyChoice
from cadre.districts.models import (
    Assignment,
    District,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)
from cadre.districts.services import DISTRICT_FIELDS


class ListField(forms.CharField):
    """A comma-separated list, stored as a JSON list."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [item.strip() for item in (value or "").split(",") if item.strip()]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ["name", "code", "grade_band", "is_active"]


class ProgramForm(forms.ModelForm):
    # Querysets are set per district in __init__; at import time no district scope exists.
    schools = ManyChoice(School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Program
        fields = ["name", "kind", "description", "schools", "is_active"]

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(district=district, is_active=True)


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ["name", "start_date", "end_date", "goals_due"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "goals_due": DateInput()}


class StaffForm(forms.ModelForm):
    subjects = ListField(required=False, help_text="Separate with commas.")
    grade_bands = ListField(required=False, help_text="For example 9-12. Separate with commas.")

    class Meta:
        model = Staff
        fields = [
            "first_name",
            "last_name",
            "email",
            "employee_id",
            "hire_date",
            "contracted_days",
            "substitute_days",
            "subjects",
            "grade_bands",
            "bargaining_unit",
        ]
        widgets = {"hire_date": DateInput()}


class AssignmentForm(forms.ModelForm):
    staff = forms.ModelChoiceField(Staff.objects.none())
    school = forms.ModelChoiceField(School.objects.none(), required=False)
    program = forms.ModelChoiceField(Program.objects.none(), required=False)

    class Meta:
        model = Assignment
        fields = ["staff", "role", "school", "program", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(district=district, is_active=True)
        self.fields["school"].queryset = School.objects.filter(district=district)
        self.fields["program"].queryset = Program.objects.filter(district=district)
        self.fields["school"].help_text = "Leave empty for a program or district assignment."


class DistrictSettingsForm(forms.ModelForm):
    class Meta:
        model = District
        fields = DISTRICT_FIELDS


class ImportForm(forms.Form):
    file = forms.FileField(
        label="OneRoster export (.zip)",
        help_text="A OneRoster 1.1 or 1.2 CSV zip with its manifest.csv.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    dry_run = forms.BooleanField(
        required=False, label="Validate only (dry run): check every row and write nothing"
    )


ROLE_CHOICES = [("", "Any role"), *Role.choices]
