"""Forms for the mentor programme. Querysets are set per request in __init__, since no
district scope exists at import time. Forms only validate; services decide."""

from django import forms

from cadre.catalog.models import Offering
from cadre.core.forms import OneChoice
from cadre.districts.forms import DateInput
from cadre.funding.models import FundingSource
from cadre.mentoring.models import (
    SUPPORT_SOURCE_KINDS,
    Log,
    Match,
    Mentor,
    OnboardingItem,
    Training,
)

LONG = 10_000


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def support_sources(district):
    return FundingSource.objects.filter(
        district=district, kind__in=SUPPORT_SOURCE_KINDS, is_active=True
    ).order_by("name")


class StaffChoice(OneChoice):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class MentorChoice(OneChoice):
    def label_from_instance(self, obj: Mentor) -> str:
        return f"{obj.staff.full_name} ({obj.caseload_cap} places)"


class MentorForm(forms.Form):
    staff = StaffChoice(
        None, label="Staff member", help_text="Staff who completed mentor training."
    )
    caseload_cap = forms.IntegerField(
        label="Caseload cap", min_value=1, max_value=20, help_text="Most mentees at once."
    )
    is_available = forms.BooleanField(label="Taking new mentees", required=False, initial=True)
    availability = forms.CharField(
        max_length=200, required=False, help_text="When they can meet, e.g. Tuesdays after school."
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is None:
            del self.fields["staff"]
        else:
            self.fields["staff"].queryset = candidates


class MentorEditForm(MentorForm):
    is_active = forms.BooleanField(label="Active mentor", required=False)


class ProposeForm(forms.Form):
    mentor = MentorChoice(
        None, help_text="Ranked suggestions are listed on the new teacher's page."
    )
    source = OneChoice(
        None,
        required=False,
        label="Fund that pays the stipends",
        help_text="A district fund or grant. The coordinator can name it on confirming.",
    )
    note = _text("Why this pairing", help_text="Shown to the coordinator.")

    def __init__(self, *args, mentors, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["source"].queryset = sources


class ConfirmForm(forms.Form):
    source = OneChoice(None, label="Fund that pays the stipends")
    started_on = forms.DateField(label="Starts on", widget=DateInput())

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class EndForm(forms.Form):
    reason = forms.ChoiceField(choices=Match.EndReason.choices)
    ended_on = forms.DateField(label="Ended on", widget=DateInput())
    note = _text("Note")


class LogForm(forms.Form):
    met_on = forms.DateField(label="Date", widget=DateInput())
    minutes = forms.IntegerField(min_value=1, max_value=600, help_text="Time spent together.")
    kind = forms.ChoiceField(label="Type", choices=Log.Kind.choices, widget=forms.RadioSelect)
    focus = _text("Focus", required=True, help_text="What you worked on.")
    next_steps = _text("Next steps")


class ReflectForm(forms.Form):
    reflection = _text("Your reflection", required=True, rows=5)


class ExtendForm(forms.Form):
    reason = _text("Reason", required=True, help_text="Why this teacher gets the support.")
    source = OneChoice(None, label="Paid by", help_text="A district fund or grant.")

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class OfferingChoice(OneChoice):
    def label_from_instance(self, obj: Offering) -> str:
        return obj.title


class TrainingForm(forms.Form):
    offering = OfferingChoice(None)
    kind = forms.ChoiceField(choices=Training.Kind.choices, widget=forms.RadioSelect)

    def __init__(self, *args, offerings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings


class ItemForm(forms.ModelForm):
    class Meta:
        model = OnboardingItem
        fields = ["title", "position", "is_active"]


class TaskForm(forms.Form):
    done = forms.BooleanField(required=False)
    note = forms.CharField(max_length=500, required=False)
