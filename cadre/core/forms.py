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


class OneChoice(forms.ModelChoiceField):
    """A single choice of a row, with the same guard as ManyChoice: an id beyond the
    database's integer range is an invalid choice, not an overflow."""

    def to_python(self, value):
        try:
            number = int(str(value))
        except (TypeError, ValueError):
            number = None
        if number is not None and not -BIGGEST <= number <= BIGGEST:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
