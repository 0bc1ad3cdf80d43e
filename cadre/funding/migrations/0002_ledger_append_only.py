"""The database refuses to edit ledger entries, and on PostgreSQL to delete them, so the rule
holds even for code that skips the model. Removing a whole demo district sets
`cadre.ledger_purge` for its own transaction."""

from django.db import migrations

POSTGRES = """
CREATE OR REPLACE FUNCTION funding_ledger_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('cadre.ledger_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'ledger entries are never edited or deleted; post a correcting entry';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER funding_ledger_append_only BEFORE UPDATE OR DELETE ON funding_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION funding_ledger_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS funding_ledger_append_only ON funding_ledgerentry;
DROP FUNCTION IF EXISTS funding_ledger_append_only();
"""
SQLITE = """
CREATE TRIGGER funding_ledger_append_only BEFORE UPDATE ON funding_ledgerentry
BEGIN
  SELECT RAISE(ABORT, 'ledger entries are never edited; post a correcting entry');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS funding_ledger_append_only;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
