"""Forms for coaching and observation. Querysets are set per request in __init__, since no
district scope exists at import time. Forms only validate; services decide."""

import re

from django import forms

from cadre.coaching.models import LEVELS, LookFor, Rubric
from cadre.coaching.selectors import Sheet
from cadre.core.forms import OneChoice
from cadre.districts.forms import DateInput

LONG = 20_000
DEFAULT_LABELS = ("Beginning", "Developing", "Proficient", "Distinguished")


def _text(label: str, *, required: bool = False, rows: int = 3, help_text: str = "", limit=LONG):
    return forms.CharField(
        label=label,
        required=required,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StaffChoice(OneChoice):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class TitleChoice(OneChoice):
    def label_from_instance(self, obj) -> str:
        return getattr(obj, "title", None) or str(obj)


# --- cycles --------------------------------------------------------------------------------


class CycleForm(forms.Form):
    teacher = StaffChoice(None, help_text="The colleague you will coach.")
    goal = _text(
        "Coaching goal", required=True, help_text="What the teacher wants to grow, in their words."
    )
    professional_goal = TitleChoice(
        None,
        required=False,
        label="The teacher's professional goal",
        help_text="Optional: the goal of theirs this cycle serves.",
    )
    offering = TitleChoice(
        None,
        required=False,
        label="PD offering",
        help_text="Optional: the offering whose practice the cycle follows up.",
    )
    is_virtual = forms.BooleanField(
        label="Virtual coaching by video", required=False, help_text="You meet on a video link."
    )
    video_link = forms.CharField(
        label="Video link",
        required=False,
        max_length=500,
        help_text="A secure address starting with https://",
        widget=forms.URLInput(attrs={"inputmode": "url"}),
    )

    def __init__(self, *args, teachers=None, goals=None, offerings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is None:
            del self.fields["teacher"]
        else:
            self.fields["teacher"].queryset = teachers
        if goals is None:
            del self.fields["professional_goal"]
        else:
            self.fields["professional_goal"].queryset = goals
        self.fields["offering"].queryset = offerings


class CycleEditForm(CycleForm):
    pre_conference_notes = _text("Pre-conference notes", rows=5)
    debrief_notes = _text("Debrief notes", rows=5)


class ReflectForm(forms.Form):
    reflection = _text("Your reflection", required=True, rows=6)


# --- observations --------------------------------------------------------------------------


class ObservationStartForm(forms.Form):
    teacher = StaffChoice(None, help_text="Whose classroom you walk through.")
    look_for = TitleChoice(None, required=False, label="Look-for checklist")
    rubric = TitleChoice(
        None, required=False, help_text="Optional: rate the practice seen on a rubric."
    )
    offering = TitleChoice(
        None,
        required=False,
        label="PD offering followed up",
        help_text="Blank takes the look-for's offering.",
    )
    observed_on = forms.DateField(label="Date", widget=DateInput())
    focus = forms.CharField(max_length=300, required=False, help_text="What you will look at.")

    def __init__(self, *args, teachers=None, look_fors, rubrics, offerings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if teachers is None:
            del self.fields["teacher"]
        else:
            self.fields["teacher"].queryset = teachers
            self.fields["look_for"].required = True
        if offerings is None:
            del self.fields["offering"]
        else:
            self.fields["offering"].queryset = offerings
        self.fields["look_for"].queryset = look_fors
        self.fields["rubric"].queryset = rubrics


SHEET_KEY = re.compile(r"^(rating|evidence|mark)_(\d+)$")
MARK_CHOICES = [("", "Not marked"), ("1", "Seen"), ("0", "Not seen")]
LEVEL_CHOICES = [("", "Not rated"), *[(str(n), str(n)) for n in LEVELS]]


class SheetForm(forms.Form):
    """The tablet form: the observation's text, a level (1–4) and evidence per rubric
    component, and seen / not seen per look-for item. Partial: `changes()` returns only what
    was sent, so a change of one field saves that field."""

    observed_on = forms.DateField(label="Date", widget=DateInput(), required=False)
    focus = forms.CharField(max_length=300, required=False)
    notes = _text("What you saw", rows=6)
    strengths = _text("Strengths", rows=4)
    next_steps = _text("Next steps", rows=4)

    def __init__(self, *args, sheet: Sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        self.component_ids = set()
        self.item_ids = set()
        for c in sheet.components:
            pk = c.component.pk
            self.component_ids.add(pk)
            self.fields[f"rating_{pk}"] = forms.ChoiceField(
                label=str(c.component), choices=LEVEL_CHOICES, required=False
            )
            self.fields[f"evidence_{pk}"] = forms.CharField(
                label=f"Evidence for {c.component.code}",
                max_length=LONG,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for i in sheet.items:
            self.item_ids.add(i.item.pk)
            self.fields[f"mark_{i.item.pk}"] = forms.ChoiceField(
                label=i.item.text, choices=MARK_CHOICES, required=False
            )

    def _sent(self, name: str) -> bool:
        return self.is_bound and name in self.data

    def clean(self):
        cleaned = super().clean()
        if (
            self._sent("observed_on")
            and not cleaned.get("observed_on")
            and ("observed_on" not in self.errors)
        ):
            self.add_error("observed_on", "Give the date.")
        if self.is_bound:
            strays = [k for k in self.data if SHEET_KEY.match(k) and k not in self.fields]
            if strays:
                raise forms.ValidationError(
                    "Some ratings or marks are not part of this observation's rubric or "
                    "look-for; reload the page.",
                    code="stray",
                )
        return cleaned

    def changes(self) -> tuple[dict, dict, dict]:
        """(data, ratings, marks) for the services, from the fields that were sent."""
        data = {
            name: self.cleaned_data[name]
            for name in ("observed_on", "focus", "notes", "strengths", "next_steps")
            if self._sent(name)
        }
        ratings: dict[int, dict] = {}
        for pk in self.component_ids:
            values = {}
            if self._sent(f"rating_{pk}"):
                level = self.cleaned_data[f"rating_{pk}"]
                values["level"] = int(level) if level else None
            if self._sent(f"evidence_{pk}"):
                values["evidence"] = self.cleaned_data[f"evidence_{pk}"]
            if values:
                ratings[pk] = values
        marks = {
            pk: {"1": True, "0": False}.get(self.cleaned_data[f"mark_{pk}"])
            for pk in self.item_ids
            if self._sent(f"mark_{pk}")
        }
        return data, ratings, marks

    def errors_text(self) -> str:
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            parts.append((f"{label}: " if label else "") + " ".join(errors))
        return "; ".join(parts)

    def component_rows(self):
        return [
            (c, self[f"rating_{c.component.pk}"], self[f"evidence_{c.component.pk}"])
            for c in self.sheet.components
        ]

    def domain_rows(self):
        rows = dict(((c.component.pk), (c, lv, ev)) for c, lv, ev in self.component_rows())
        return [(d, [rows[c.component.pk] for c in d.components]) for d in self.sheet.domains]

    def item_rows(self):
        return [(i, self[f"mark_{i.item.pk}"]) for i in self.sheet.items]


def sheet_initial(observation, sheet: Sheet) -> dict:
    initial = {
        name: getattr(observation, name)
        for name in ("observed_on", "focus", "notes", "strengths", "next_steps")
    }
    for c in sheet.components:
        initial[f"rating_{c.component.pk}"] = str(c.level) if c.level else ""
        initial[f"evidence_{c.component.pk}"] = c.rating.evidence if c.rating else ""
    for i in sheet.items:
        initial[f"mark_{i.item.pk}"] = "" if i.seen is None else ("1" if i.seen else "0")
    return initial


class AcknowledgeForm(forms.Form):
    comment = _text(
        "Your comment",
        rows=4,
        limit=5000,
        help_text="Optional. Acknowledging says you have read it, not that you agree.",
    )


# --- peer visits ---------------------------------------------------------------------------


class VisitForm(forms.Form):
    host = StaffChoice(None, label="Colleague", help_text="Colleagues at your school come first.")
    on = forms.DateField(label="Proposed date", widget=DateInput())
    period = forms.CharField(max_length=100, required=False, help_text="For example: 2nd period.")
    focus = forms.CharField(max_length=300, help_text="What you hope to see and learn.")

    def __init__(self, *args, hosts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = hosts


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")], widget=forms.RadioSelect
    )
    response = _text("Message to your colleague", rows=3, limit=2000)


# --- rubrics and look-fors -----------------------------------------------------------------


class RubricForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = _text("Description", rows=3)
    is_active = forms.BooleanField(
        label="In use", required=False, initial=True, help_text="Retired rubrics stay readable."
    )


class DomainForm(forms.Form):
    number = forms.IntegerField(
        min_value=1, max_value=99, required=False, help_text="Blank takes the next number."
    )
    name = forms.CharField(max_length=200)


class ComponentForm(forms.Form):
    code = forms.CharField(max_length=10, help_text="For example 3b.")
    name = forms.CharField(max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in LEVELS:
            self.fields[f"level_{n}_label"] = forms.CharField(
                label=f"Level {n} label", max_length=50
            )
            self.fields[f"level_{n}_descriptor"] = forms.CharField(
                label=f"Level {n} descriptor",
                max_length=LONG,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> list[dict]:
        return [
            {
                "level": n,
                "label": self.cleaned_data[f"level_{n}_label"],
                "descriptor": self.cleaned_data[f"level_{n}_descriptor"],
            }
            for n in LEVELS
        ]

    def data_fields(self) -> dict:
        return {"code": self.cleaned_data["code"], "name": self.cleaned_data["name"]}


class LookForForm(forms.Form):
    title = forms.CharField(max_length=200)
    strategy = forms.CharField(
        max_length=200, help_text="The instructional strategy, for example: Think-pair-share."
    )
    offering = TitleChoice(
        None,
        required=False,
        label="PD offering",
        help_text="Optional: the offering whose classroom use it checks.",
    )
    is_active = forms.BooleanField(label="In use", required=False, initial=True)
    items = _text(
        "What to look for",
        rows=6,
        help_text="One item a line, in order. You can reorder and add items later.",
    )

    def __init__(self, *args, offerings, with_items: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = offerings
        if not with_items:
            del self.fields["items"]

    def data_fields(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("title", "strategy", "offering", "is_active")}

    def item_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("items", "").splitlines()]


class ItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="Look for")


def rubric_choices(district):
    return Rubric.objects.filter(district=district, is_active=True).order_by("name")


def look_for_choices(district):
    return LookFor.objects.filter(district=district, is_active=True).order_by("title")
