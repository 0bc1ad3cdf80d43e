"""Forms for funding pages. Querysets are set per district in __init__; at import time no
district scope exists. Forms only validate; services decide."""

from decimal import Decimal

from django import forms

from cadre.core.forms import ManyChoice
from cadre.districts.forms import DateInput
from cadre.districts.models import District, Program, School, SchoolYear, Staff
from cadre.funding.models import (
    Budget,
    FiscalYear,
    FundingSource,
    LedgerEntry,
    PlanActivity,
    ProgramPlan,
    StipendAward,
    StipendSchedule,
    Use,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
TIME = {"max_digits": 10, "decimal_places": 2, "min_value": Decimal("0")}


def _staff(district: District):
    return Staff.objects.filter(district=district, is_active=True).order_by(
        "last_name", "first_name"
    )


class SourceForm(forms.ModelForm):
    school = forms.ModelChoiceField(
        School.objects.none(), required=False, help_text="The owner, when a school owns it."
    )
    program = forms.ModelChoiceField(
        Program.objects.none(), required=False, help_text="The owner, when a program owns it."
    )
    allowed_uses = forms.MultipleChoiceField(
        choices=Use.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = FundingSource
        fields = [
            "name",
            "code",
            "kind",
            "school",
            "program",
            "allowed_uses",
            "staff_restricted",
            "carries_forward",
            "is_active",
        ]

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district=district, is_active=True)
        self.fields["program"].queryset = Program.objects.filter(district=district, is_active=True)


class BudgetForm(forms.ModelForm):
    source = forms.ModelChoiceField(FundingSource.objects.none(), label="Funding source")
    fiscal_year = forms.ModelChoiceField(FiscalYear.objects.none())
    school = forms.ModelChoiceField(School.objects.none(), required=False)
    program = forms.ModelChoiceField(Program.objects.none(), required=False)

    class Meta:
        model = Budget
        fields = ["source", "fiscal_year", "school", "program", "amount", "hours", "days", "note"]

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(
            district=district, is_active=True
        )
        self.fields["fiscal_year"].queryset = FiscalYear.objects.filter(
            district=district, closed_at__isnull=True
        )
        self.fields["school"].queryset = School.objects.filter(district=district, is_active=True)
        self.fields["program"].queryset = Program.objects.filter(district=district, is_active=True)
        self.fields["school"].help_text = "Leave school and program empty for a district budget."
        if self.instance.pk:
            for name in ("source", "fiscal_year", "school", "program"):
                del self.fields[name]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(choices=LedgerEntry.Kind.choices)
    use = forms.ChoiceField(choices=[("", "—"), *Use.choices], required=False)
    amount = forms.DecimalField(label="Dollars", required=False, **{**MONEY, "min_value": None})
    hours = forms.DecimalField(required=False, **{**TIME, "min_value": None})
    days = forms.DecimalField(label="Release days", required=False, **{**TIME, "min_value": None})
    staff = forms.ModelChoiceField(Staff.objects.none(), required=False, label="For whom")
    encumbrance = forms.ModelChoiceField(
        LedgerEntry.objects.none(),
        required=False,
        help_text="To pay or release an encumbrance, choose it; its use and person carry over.",
    )
    memo = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="What this is. An adjustment needs its reason here.",
    )

    def __init__(self, *args, budget: Budget, open_encumbrances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _staff(budget.district)
        self.fields["encumbrance"].queryset = open_encumbrances
        self.fields["encumbrance"].label_from_instance = lambda e: (
            f"#{e.pk} · ${e.amount:,.2f} · {e.get_use_display()}"
            + (f" · {e.staff}" if e.staff_id else "")
        )

    def clean(self):
        data = super().clean()
        needs_use = data.get("kind") in (LedgerEntry.Kind.ENCUMBRANCE, LedgerEntry.Kind.ADJUSTMENT)
        if needs_use and not data.get("use"):
            self.add_error("use", "Say what this pays for.")
        if data.get("kind") == LedgerEntry.Kind.EXPENDITURE and not (
            data.get("use") or data.get("encumbrance")
        ):
            self.add_error("use", "Say what this pays for, or choose the encumbrance it pays.")
        return data


class TransferForm(forms.Form):
    to_budget = forms.ModelChoiceField(Budget.objects.none(), label="To budget")
    amount = forms.DecimalField(label="Dollars", required=False, **MONEY)
    hours = forms.DecimalField(required=False, **TIME)
    days = forms.DecimalField(label="Release days", required=False, **TIME)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, budget: Budget, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_budget"].queryset = (
            Budget.objects.filter(
                district=budget.district, fiscal_year=budget.fiscal_year, source=budget.source
            )
            .exclude(pk=budget.pk)
            .select_related("source", "school", "program", "fiscal_year")
        )


class DecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ScheduleForm(forms.ModelForm):
    school_year = forms.ModelChoiceField(SchoolYear.objects.none())
    amount = forms.DecimalField(help_text="The stipend for a full year of service.", **MONEY)
    source = forms.ModelChoiceField(
        FundingSource.objects.none(), required=False, label="Usual funding source"
    )

    class Meta:
        model = StipendSchedule
        fields = ["school_year", "role", "name", "amount", "full_months", "proration", "source"]

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].queryset = SchoolYear.objects.filter(district=district)
        self.fields["source"].queryset = FundingSource.objects.filter(
            district=district, is_active=True
        )


class AwardForm(forms.Form):
    schedule = forms.ModelChoiceField(StipendSchedule.objects.none())
    staff = forms.ModelChoiceField(Staff.objects.none(), label="Staff member")
    budget = forms.ModelChoiceField(Budget.objects.none(), label="Paid from")
    months = forms.IntegerField(label="Months of service", min_value=1, max_value=12)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = StipendSchedule.objects.filter(
            district=district
        ).select_related("school_year")
        self.fields["staff"].queryset = _staff(district)
        self.fields["budget"].queryset = Budget.objects.filter(
            district=district, fiscal_year__closed_at__isnull=True
        ).select_related("source", "school", "program", "fiscal_year")


class PayrollForm(forms.Form):
    awards = ManyChoice(StipendAward.objects.none(), widget=forms.CheckboxSelectMultiple)
    paid_on = forms.DateField(widget=DateInput())

    def __init__(self, *args, awards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].queryset = awards
        self.fields["awards"].label_from_instance = lambda a: (
            f"{a.staff} — {a.schedule.name}, {a.months} months, ${a.amount:,.2f}"
        )


class PlanForm(forms.ModelForm):
    program = forms.ModelChoiceField(Program.objects.none())
    school_year = forms.ModelChoiceField(SchoolYear.objects.none())

    class Meta:
        model = ProgramPlan
        fields = ["program", "school_year", "title", "summary", "goals"]

    def __init__(self, *args, district: District, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["school_year"].queryset = SchoolYear.objects.filter(district=district)
        if self.instance.pk:
            del self.fields["program"]
            del self.fields["school_year"]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = PlanActivity
        fields = ["title", "description", "audience", "timing"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class AllocationForm(forms.Form):
    use = forms.ChoiceField(label="Category", choices=Use.choices)
    source = forms.ModelChoiceField(FundingSource.objects.none())
    amount = forms.DecimalField(label="Dollars", required=False, **MONEY)
    hours = forms.DecimalField(required=False, **TIME)
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, district: District, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = FundingSource.objects.filter(
            district=district, is_active=True
        )
