"""The table of the `shared` cache (settings.CACHES): counts that every worker must see alike,
such as failed sign-ins. A migration, so `migrate` alone sets up an install and the tests."""

from django.core.management import call_command
from django.db import migrations

TABLE = "cadre_shared_cache"


def create(apps, schema_editor):
    # Does nothing when the table is there already (an install that ran createcachetable).
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create, drop)]
