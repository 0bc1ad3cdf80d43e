from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_scopes import ScopedManager


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DistrictOwned(models.Model):
    """A row that belongs to one district: its key, and the manager that refuses a query
    outside a district scope (django-scopes). A model whose key differs (another related_name
    or on_delete) declares its own `district`; one with its own queryset its own `objects`."""

    district = models.ForeignKey("districts.District", on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager(district="district")

    class Meta:
        abstract = True


def _differ(constraint) -> tuple[str, str] | None:
    """The two fields of a check constraint `~Q(a=F("b"))`, else None."""
    if not isinstance(constraint, models.CheckConstraint):
        return None
    q = constraint.condition
    if not (isinstance(q, Q) and q.negated and len(q.children) == 1):
        return None
    child = q.children[0]
    if not (isinstance(child, tuple) and isinstance(child[1], models.F)):
        return None
    if "__" in child[0] or "__" in child[1].name:
        return None  # a lookup other than equality, or across a relation: the database's
    return child[0], child[1].name


class Distinct:
    """A row whose two keys must differ (a coach and a teacher, an observer and the observed,
    the two budgets of a transfer): validation checks its `~Q(a=F("b"))` constraints in Python,
    as Django's database check would (the keys differ, or one is missing), without a savepoint
    and a query at every save. The database holds the constraint still."""

    def get_constraints(self):
        return [
            (model, [c for c in constraints if _differ(c) is None])
            for model, constraints in super().get_constraints()
        ]

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ())
        errors = {}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        for constraint in self._meta.constraints:
            pair = _differ(constraint)
            if pair is None or exclude & set(pair):
                continue  # Django skips a constraint on an excluded field too
            a, b = (getattr(self, self._meta.get_field(name).attname) for name in pair)
            if a is not None and a == b:
                errors = ValidationError(
                    constraint.get_violation_error_message(), code=constraint.violation_error_code
                ).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
