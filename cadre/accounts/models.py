from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class CadreUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A login. What the person may do comes from their Staff record, never from here."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = CadreUserManager()

    def __str__(self) -> str:
        return self.email

    @property
    def person(self):
        """This login's staff record in the district in scope, to show who acted; None if it
        has none there.

        A login may be linked to one staff record per district. Lists prefetch
        `<field>__staff_records` (inside a request the scope lets only the request's district
        through), so this costs no query there. Outside any scope it is the oldest record.
        """
        cached = getattr(self, "_prefetched_objects_cache", {}).get("staff_records")
        if cached is not None:
            return cached[0] if cached else None
        from django_scopes import get_scope

        scope = get_scope()
        district = scope.get("district") if scope.get("_enabled") else None
        found = getattr(self, "_person", {})
        if district not in found:
            records = self.staff_records.model._base_manager.filter(user=self)
            if district is not None:
                records = records.filter(district_id=district)
            found[district] = records.order_by("pk").first()
            self._person = found
        return found[district]
