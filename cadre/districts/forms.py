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
    # Blank is "unknown", not zero: a person whose days are both blank is not a new teacher.
    contracted_days = forms.IntegerField(
        label="Contracted teaching days",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="Days of contracted teaching before now. Leave blank when not known.",
    )
    substitute_days = forms.IntegerField(
        label="Substitute days",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="Days of substitute teaching before now. Leave blank when not known. With "
        "both blank, the person's experience is unknown and they are not counted as a new "
        "teacher.",
    )

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
            "fte",
        ]
        labels = {"fte": "Full-time equivalent"}
        help_texts = {"fte": "1 for full time, 0.5 for half time. Leave blank when not known."}
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


ENCODING_CHOICES = [
    ("", "Tell from the file (usually UTF-8)"),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16 (Excel's Unicode text)"),
    ("windows-1252", "Windows-1252 (Western European; Excel on Windows)"),
    ("latin-1", "Latin-1 (ISO 8859-1)"),
    ("shift_jis", "Shift_JIS (Japanese)"),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Roster export (.zip)",
        help_text="OneRoster 1.0, 1.1 or 1.2 CSV, or Microsoft School Data Sync v2.1, as a zip.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
    encoding = forms.ChoiceField(
        label="Character encoding", choices=ENCODING_CHOICES, required=False
    )
    allow_mass_deactivation = forms.BooleanField(
        required=False,
        label="This export really removes most staff: allow it to deactivate them",
        help_text="Without this, a whole-picture export that would deactivate more than half "
        "of the staff is refused, as it is usually a broken export.",
    )
    dry_run = forms.BooleanField(
        required=False, label="Validate only (dry run): check every row and write nothing"
    )

    def clean_encoding(self) -> str:
        from cadre.core.tabular import encoding_name

        value = self.cleaned_data["encoding"]
        return encoding_name(value) if value else ""

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "encoding": data["encoding"],
            "allow_mass_deactivation": data["allow_mass_deactivation"],
        }


class StaffDataForm(forms.Form):
    file = forms.FileField(
        label="HR data (.csv)",
        help_text="One row per person: their sourcedId, employee number or email, and any of "
        "contracted days, substitute days, years of experience, hire date, bargaining unit, "
        "FTE and email.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv,.txt"}),
    )
    encoding = forms.ChoiceField(
        label="Character encoding", choices=ENCODING_CHOICES, required=False
    )
    mapping = forms.CharField(
        label="Column names Cadre does not know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, the file's column = what it holds, for example "
        '"Days Worked = substitute days".',
    )
    dry_run = forms.BooleanField(
        required=False, label="Validate only (dry run): check every row and write nothing"
    )

    clean_encoding = ImportForm.clean_encoding

    def clean_mapping(self) -> dict:
        from cadre.districts.staffdata import parse_mapping

        lines = [line for line in self.cleaned_data["mapping"].splitlines() if line.strip()]
        try:
            return parse_mapping(lines)
        except ValueError as exc:
            raise forms.ValidationError(
                f"{exc} Write each line as the file's column = one of: sourcedId, employee "
                "number, email, contracted days, substitute days, years of experience, hire "
                "date, bargaining unit, FTE."
            ) from exc

    def options(self) -> dict:
        return {"encoding": self.cleaned_data["encoding"], "mapping": self.cleaned_data["mapping"]}


ROLE_CHOICES = [("", "Any role"), *Role.choices]
