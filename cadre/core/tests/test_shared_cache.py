import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection


def _tables():
    return connection.introspection.table_names()


@pytest.mark.django_db(transaction=True)  # SQLite migrates outside a transaction
def test_migrate_alone_creates_the_shared_cache_table():
    call_command("migrate", "core", "zero", verbosity=0)
    assert "cadre_shared_cache" not in _tables()
    call_command("migrate", "core", verbosity=0)
    assert "cadre_shared_cache" in _tables()
    caches["shared"].set("k", [1.5], 60)
    assert caches.create_connection("shared").get("k") == [1.5]  # as another worker reads it
