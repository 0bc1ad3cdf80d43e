"""Forms for attendance: the roster's mark, self check-in, a module's attestation and the
public certificate lookup. Forms only validate; the services decide."""

from django import forms

from cadre.districts.serializers import MAX_ID

LONG = 10_000


class MarkForm(forms.Form):
    """One tap on the roster: present or absent, or a partial attendance in minutes."""

    registration = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    present = forms.TypedChoiceField(
        choices=[("1", "Present"), ("0", "Absent")],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    minutes = forms.IntegerField(
        required=False, min_value=0, max_value=100_000, label="Minutes attended"
    )


class CheckinForm(forms.Form):
    code = forms.CharField(
        label="Check-in code",
        max_length=20,
        help_text="The six-letter code shown in the room.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "class": "code-input",
            }
        ),
    )


class AttestForm(forms.Form):
    meeting = forms.IntegerField(min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    evidence = forms.CharField(
        label="What you did",
        max_length=LONG,
        help_text="Your evidence: what you read, watched, wrote or made for this module.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Verification code",
        max_length=40,
        help_text="The 12-character code printed on the certificate.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
