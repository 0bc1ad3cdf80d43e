"""Forms for external hours. Forms only validate shapes; the services decide."""

from decimal import Decimal

from django import forms

from cadre.catalog.models import Category
from cadre.districts.forms import DateInput

LONG = 10_000


class ExternalHoursForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The conference, course or workshop.")
    provider = forms.CharField(
        max_length=200, required=False, help_text="Who offered it: a university, an association."
    )
    completed_on = forms.DateField(label="Date completed", widget=DateInput())
    hours = forms.DecimalField(
        label="Clock hours",
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text="60 minutes of learning is one clock hour; meals and breaks do not count.",
    )
    category = forms.ChoiceField(
        choices=Category.choices,
        initial=Category.GENERAL,
        label="Clock-hour category",
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows you did it: a certificate number, an agenda, a transcript.",
    )
    file = forms.FileField(
        required=False,
        label="Evidence file",
        help_text="Optional: a PDF, PNG or JPEG certificate, at most 10 MB.",
    )


class ExternalHoursEditForm(ExternalHoursForm):
    remove_file = forms.BooleanField(
        required=False, label="Remove the evidence file", help_text="Unless you attach a new one."
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What to correct before resubmitting.",
    )
