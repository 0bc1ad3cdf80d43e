"""Forms for professional goals and ISD. Querysets are set per request in __init__; at import
time no district scope exists. Forms only validate; services decide."""

from decimal import Decimal

from django import forms

from cadre.catalog.models import Offering
from cadre.core.forms import ManyChoice
from cadre.districts.forms import DateInput
from cadre.districts.models import District, Role, SchoolYear
from cadre.funding.models import FundingSource
from cadre.growth.models import IsdAllotment, IsdRequest, ProfessionalGoal
from cadre.planning.models import Goal

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
TIME = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}
LONG = 10_000  # characters in a free-text answer


def _text(label: str, *, required: bool = False, rows: int = 4, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AlignedGoals(ManyChoice):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.code} — {obj.title} ({obj.plan.owner})"


class GoalForm(forms.Form):
    """Writing a goal. Only the title is needed to keep a draft; submitting needs the rest."""

    title = forms.CharField(max_length=200)
    statement = _text(
        "Goal statement", help_text=ProfessionalGoal._meta.get_field("statement").help_text
    )
    aligns_to = AlignedGoals(
        Goal.objects.none(),
        required=False,
        label="School or district goals it serves",
        widget=forms.CheckboxSelectMultiple,
        help_text="Published goals of your school or program and of the district.",
    )
    activities = _text("Planned learning", help_text="The learning activities you plan.")
    evidence = _text("Evidence of success", help_text="What will show you succeeded.")

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aligns_to"].queryset = choices


class ReturnForm(forms.Form):
    comment = _text(
        "Comment", required=True, rows=3, help_text="What to change before resubmitting."
    )


class ReflectForm(forms.Form):
    reflection = _text("Year-end reflection", required=True, rows=6)
    outcome = forms.ChoiceField(
        choices=ProfessionalGoal.Outcome.choices,
        widget=forms.RadioSelect,
        label="Was the goal met?",
    )


class IsdRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=IsdRequest.Kind.choices, label="What")
    offering = forms.ModelChoiceField(
        Offering.objects.none(),
        required=False,
        label="Catalogue offering",
        help_text="For a catalogue offering: its title, provider and fee fill in when left blank.",
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        help_text="The offering, conference, course or item.",
    )
    provider = forms.CharField(max_length=200, required=False)
    start_date = forms.DateField(widget=DateInput())
    end_date = forms.DateField(widget=DateInput())
    cost = forms.DecimalField(label="Cost in dollars", required=False, **MONEY)
    hours = forms.DecimalField(required=False, **TIME)
    goal = forms.ModelChoiceField(
        ProfessionalGoal.objects.none(),
        required=False,
        label="The goal it serves",
        help_text="One of your professional goals.",
    )
    rationale = _text("Why", required=True, help_text="How this serves your goal.")

    def __init__(self, *args, goals, offerings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["offering"].queryset = (
            offerings if offerings is not None else Offering.objects.none()
        )
        self.fields["goal"].label_from_instance = lambda g: f"{g.title} ({g.school_year})"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date comes after the start.")
        offering = data.get("offering")
        if data.get("kind") == IsdRequest.Kind.OFFERING and offering is None:
            self.add_error("offering", "Choose the catalogue offering.")
        if offering is None and not (data.get("title") or "").strip():
            self.add_error("title", "Say what it is.")
        no_fee = offering is None or not offering.cost
        if not data.get("cost") and not data.get("hours") and no_fee and not self.errors:
            self.add_error("cost", "Give the cost, the hours, or both.")
        return data


class DenyForm(forms.Form):
    reason = _text("Reason", required=True, rows=2)


class CompleteForm(forms.Form):
    note = _text(
        "Evidence of completion",
        required=True,
        rows=3,
        help_text="What you completed; attach receipts or certificates below.",
    )


class ReimburseForm(forms.Form):
    paid_amount = forms.DecimalField(label="Amount paid in dollars", **MONEY)


class CancelForm(forms.Form):
    reason = _text("Reason", required=True, rows=2)


class AttachForm(forms.Form):
    file = forms.FileField(help_text="A PDF, PNG or JPEG receipt, at most 10 MB.")


ROLE_CHOICES = [("", "Any role"), *Role.choices]


class AllotmentForm(forms.ModelForm):
    school_year = forms.ModelChoiceField(SchoolYear.objects.none())
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False, label="Staff category")
    source = forms.ModelChoiceField(
        FundingSource.objects.none(),
        label="ISD funding source",
        help_text="Approved requests are encumbered on this source.",
    )
    amount = forms.DecimalField(label="Dollars a year", **MONEY)
    hours = forms.DecimalField(label="Hours a year", **TIME)

    class Meta:
        model = IsdAllotment
        fields = ["school_year", "bargaining_unit", "role", "source", "amount", "hours"]

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.filter(district=district)
        self.fields["source"].queryset = FundingSource.objects.filter(
            district=district, kind=FundingSource.Kind.ISD, is_active=True
        )
