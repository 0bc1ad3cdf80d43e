"""Only the district sets a sign-in address (the email pages are gone).

Undo what people did there: a login's address goes back to its staff record's when the person
changed it, and every extra address allauth kept for a login (which could sign in and receive
password resets) is dropped.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Staff = apps.get_model("districts", "Staff")
    EmailAddress = apps.get_model("account", "EmailAddress")
    given: dict[int, set[str]] = {}
    for user_id, email in (
        Staff.objects.exclude(user=None).exclude(email="").values_list("user_id", "email")
    ):
        given.setdefault(user_id, set()).add(email.lower())
    taken = {e.lower() for e in User.objects.values_list("email", flat=True)}
    for user in User.objects.filter(pk__in=list(given)).only("pk", "email"):
        emails = given[user.pk]
        if user.email.lower() in emails or len(emails) != 1:
            continue
        email = emails.pop()
        if email not in taken:
            taken.discard(user.email.lower())
            taken.add(email)
            user.email = email
            user.save(update_fields=["email"])
    addresses = {pk: e.lower() for pk, e in User.objects.values_list("pk", "email")}
    stale = [
        pk
        for pk, user_id, email in EmailAddress.objects.values_list("pk", "user_id", "email")
        if addresses.get(user_id) != email.lower()
    ]
    for start in range(0, len(stale), 500):
        EmailAddress.objects.filter(pk__in=stale[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("districts", "0008_staff_user_in_several_districts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
