"""Forms for registration: the reasons a decision or cancellation gives, and whole-group
assignment. Choices are set per request; forms only validate, services decide."""

from django import forms

from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import Program, Role, School

LONG = 2000


class DenyForm(forms.Form):
    reason = forms.CharField(
        max_length=LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The person sees it.",
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=LONG,
        required=False,
        label="Reason (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _words(value: str) -> list[str]:
    return list(dict.fromkeys(w.strip() for w in (value or "").split(",") if w.strip()))


def units_led(actor: Actor) -> list[tuple[str, str]]:
    """The schools and programs this person may assign to: those they lead; all for admins."""
    led = access.units(actor)
    return [(f"school:{s.pk}", f"{s.name} (school)") for s in led.schools] + [
        (f"program:{p.pk}", f"{p.name} (program)") for p in led.programs
    ]


class AssignForm(forms.Form):
    unit = forms.ChoiceField(label="Assign to the staff of")
    roles = forms.MultipleChoiceField(
        choices=[(r, label) for r, label in Role.choices if r not in ("district_admin",)],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only these roles",
        help_text="None ticked: every role.",
    )
    subjects = forms.CharField(
        max_length=500,
        required=False,
        label="Only these subjects",
        help_text="Separated by commas, e.g. Math, Science. Blank: every subject.",
    )
    grade_bands = forms.CharField(
        max_length=500,
        required=False,
        label="Only these grade bands",
        help_text="Separated by commas, e.g. K-5, 6-8. Blank: every grade band.",
    )

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units_led(actor)
        self.district = actor.district

    def clean_subjects(self) -> list[str]:
        return _words(self.cleaned_data.get("subjects", ""))

    def clean_grade_bands(self) -> list[str]:
        return _words(self.cleaned_data.get("grade_bands", ""))

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or ""
        kind, _, pk = unit.partition(":")
        model = {"school": School, "program": Program}.get(kind)
        data["school"] = data["program"] = None
        if model is not None and pk.isdigit():
            data[kind] = model.objects.filter(district=self.district, pk=int(pk)).first()
        return data
