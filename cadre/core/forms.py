"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

from cadre.core.views import BIGGEST


class ManyChoice(forms.ModelMultipleChoiceField):
    """A multiple choice of rows where an id beyond the database's integer range is no choice,
    not an overflow (Django's own field lets SQLite raise OverflowError, a 500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # Django names it "not a valid value"
            if not -BIGGEST <= number <= BIGGEST:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
