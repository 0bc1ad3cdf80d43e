"""Forms for focus areas, partners, offerings, sessions and meetings. Querysets are set per
request in __init__ (no district scope exists at import). Forms validate input; the services
decide. Date-times are typed in the district's time zone, which the middleware activates."""

from decimal import Decimal

from django import forms

from cadre.catalog.models import (
    Category,
    CreditKind,
    FocusArea,
    Offering,
    Partner,
    PartnerAgreement,
    PartnerContact,
)
from cadre.core.forms import ManyChoice
from cadre.districts.forms import DateInput, ListField
from cadre.districts.models import Program, Role, School, SchoolYear, Staff
from cadre.funding.models import FundingSource
from cadre.planning.models import Goal

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
TIME = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}
LONG = 10_000
MAX_MINUTES = 100_000


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _when(label: str, *, required: bool = False, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, widget=DateTimeLocal(), help_text=help_text
    )


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StaffChoice(ManyChoice):
    def label_from_instance(self, obj: Staff) -> str:
        return obj.full_name


class GoalChoice(ManyChoice):
    def label_from_instance(self, obj: Goal) -> str:
        owner = obj.plan.school or obj.plan.program or "District"
        return f"{obj.code} — {obj.title} ({owner})"


# --- focus areas and partners ----------------------------------------------------------------


class FocusAreaForm(forms.Form):
    name = forms.CharField(max_length=100)
    is_active = forms.BooleanField(
        label="Active", required=False, initial=True, help_text="Offered for new offerings."
    )


class PartnerForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "kind", "website", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartnerContact
        fields = ["name", "title", "email", "phone"]


class AgreementForm(forms.ModelForm):
    cost = forms.DecimalField(label="Cost in dollars", required=False, **MONEY)
    credits = forms.DecimalField(
        label="University credits", required=False, max_digits=5, decimal_places=2, min_value=0
    )

    class Meta:
        model = PartnerAgreement
        fields = ["title", "start_date", "end_date", "scope", "cost", "credit_kind", "credits"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The agreement ends on or after its start.")
        return data


# --- offerings -------------------------------------------------------------------------------


class OfferingForm(forms.Form):
    """Every field of an offering. `owner` is asked only when creating: it stays after."""

    owner = forms.ChoiceField(
        label="Run by", help_text="Who manages it: the district's PD office, a school or a program."
    )
    title = forms.CharField(max_length=200)
    description = _text("Description", rows=5)
    format = forms.ChoiceField(choices=Offering.Format.choices)
    structure = forms.ChoiceField(choices=Offering.Structure.choices)
    focus_areas = ManyChoice(
        FocusArea.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audience: roles",
        help_text="None chosen: every role.",
    )
    subjects = ListField(
        required=False, label="Audience: subjects", help_text="Separate with commas. Blank: all."
    )
    grade_bands = ListField(
        required=False,
        label="Audience: grade bands",
        help_text="For example K-5, 6-8. Separate with commas. Blank: all.",
    )
    schools = ManyChoice(
        School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audience: schools",
        help_text="None chosen: every school.",
    )
    programs = ManyChoice(
        Program.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Audience: programs",
    )
    goals = GoalChoice(
        Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Strategic goals it serves",
        help_text="Published goals of the district and of the school or program that runs it.",
    )
    partner = forms.ModelChoiceField(
        Partner.objects.none(),
        required=False,
        label="Provider",
        empty_label="The district itself",
    )
    facilitators = StaffChoice(
        Staff.objects.none(), required=False, help_text="They take attendance at every session."
    )
    cost = forms.DecimalField(
        label="Fee per participant in dollars", required=False, initial=Decimal(0), **MONEY
    )
    source = forms.ModelChoiceField(
        FundingSource.objects.none(),
        required=False,
        label="Paid by",
        empty_label="The participant (for example from ISD)",
        help_text="A funding source that pays registration fees.",
    )
    substitute_days = forms.DecimalField(
        label="Substitute days per participant",
        required=False,
        initial=Decimal(0),
        help_text="Paid by the same source, which must allow substitute coverage.",
        **TIME,
    )
    approval = forms.ChoiceField(choices=Offering.Approval.choices, label="Approval needed from")
    capacity = forms.IntegerField(
        min_value=1, max_value=100_000, initial=30, help_text="Seats in a new session."
    )
    category = forms.ChoiceField(choices=Category.choices, label="Clock-hour category")
    credit_kind = forms.ChoiceField(
        choices=CreditKind.choices, required=False, label="University credit"
    )
    credits = forms.DecimalField(
        label="University credits",
        required=False,
        initial=Decimal(0),
        max_digits=5,
        decimal_places=2,
        min_value=0,
    )
    min_attendance_percent = forms.IntegerField(
        label="Minimum share of minutes attended (%)", min_value=1, max_value=100, initial=80
    )
    completion_rules = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other completion conditions",
        help_text="Attendance always counts; these are added to it.",
    )

    def __init__(
        self,
        *args,
        owners=None,
        focus_areas,
        schools,
        programs,
        goals,
        partners,
        staff,
        sources,
        rules,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].choices = owners
        self.fields["focus_areas"].queryset = focus_areas
        self.fields["schools"].queryset = schools
        self.fields["programs"].queryset = programs
        self.fields["goals"].queryset = goals
        self.fields["partner"].queryset = partners
        self.fields["facilitators"].queryset = staff
        self.fields["source"].queryset = sources
        self.fields["completion_rules"].choices = rules
        if not rules:
            del self.fields["completion_rules"]

    def clean(self):
        data = super().clean()
        for name in ("cost", "substitute_days", "credits"):
            if data.get(name) is None and name in self.fields:
                data[name] = Decimal(0)
        owner = data.pop("owner", None)
        if owner:
            kind, _, pk = owner.partition(":")
            data["school"] = School.objects.filter(pk=pk).first() if kind == "school" else None
            data["program"] = Program.objects.filter(pk=pk).first() if kind == "program" else None
        return data


# --- sessions and meetings -------------------------------------------------------------------


class SessionForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, help_text="For example: Fall cohort.")
    location = forms.CharField(max_length=200, required=False, help_text="The usual room.")
    capacity = forms.IntegerField(
        min_value=1, max_value=100_000, required=False, help_text="Blank: the offering's."
    )
    school_year = forms.ModelChoiceField(
        SchoolYear.objects.none(),
        required=False,
        help_text="Blank: the current year. Once it has dated meetings, the year of the first "
        "one decides.",
    )
    registration_opens = _when("Registration opens", help_text="Blank: open now.")
    registration_closes = _when("Registration closes", help_text="Blank: until it starts.")
    cancel_by = _when("Participants may cancel until")
    facilitators = StaffChoice(
        Staff.objects.none(), required=False, help_text="Besides the offering's facilitators."
    )

    def __init__(self, *args, years, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = years
        self.fields["facilitators"].queryset = staff

    def clean(self):
        data = super().clean()
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", "Registration closes after it opens.")
        return data


class MeetingForm(forms.Form):
    """A dated meeting. Start and end are in the district's time zone."""

    title = forms.CharField(max_length=200, required=False, help_text="For example: Day 1.")
    starts_at = _when("Starts", required=True)
    ends_at = _when("Ends", required=True, help_text="It may end on a later day.")
    break_minutes = forms.IntegerField(
        label="Meals and breaks (minutes)",
        min_value=0,
        max_value=MAX_MINUTES,
        required=False,
        initial=0,
        help_text="Not credited.",
    )
    location = forms.CharField(max_length=200, required=False, help_text="Blank: the session's.")
    join_url = forms.URLField(
        assume_scheme="https",
        label="Join link",
        max_length=500,
        required=False,
        help_text="Needed when live online.",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", "The meeting ends after it starts.")
        if data.get("break_minutes") is None:
            data["break_minutes"] = 0
        return data


class ModuleForm(forms.Form):
    """A module of a self-paced offering: a title and its credited minutes."""

    title = forms.CharField(max_length=200)
    minutes = forms.IntegerField(label="Credited minutes", min_value=1, max_value=MAX_MINUTES)


class CancelSessionForm(forms.Form):
    reason = _text("Reason", rows=2, help_text="Registrants see it.")
