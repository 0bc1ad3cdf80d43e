from django.db import models
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
