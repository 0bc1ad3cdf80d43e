"""The demo district, built once for every app's checks, then proven idempotent and
deterministic.

Building the demo takes about a minute; each app used to build it for its own test. Now each
app keeps its checks in `tests/demo_checks.py` (a `check(client, out)` function), and this test
builds the demo once and runs every check on it, each inside a savepoint that is rolled back,
so no check sees another's changes. Every failing check is reported, not only the first.
"""

import pytest
from django.core.management import call_command
from django.db import transaction

from cadre.catalog.tests import demo_checks as catalog
from cadre.coaching.tests import demo_checks as coaching
from cadre.collaboration.tests import demo_checks as collaboration
from cadre.districts.models import Staff
from cadre.districts.tests import demo_checks as districts
from cadre.funding.tests import demo_checks as funding
from cadre.growth.tests import demo_checks as growth
from cadre.mentoring.tests import demo_checks as mentoring

pytestmark = pytest.mark.django_db

CHECKS = [districts, funding, growth, catalog, mentoring, collaboration, coaching]


class _Undo(Exception):
    pass


def test_the_demo_district(client, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    failures = []
    for module in CHECKS:
        try:
            with transaction.atomic():
                module.check(client=client, out=out)
                raise _Undo
        except _Undo:
            pass
        except AssertionError as exc:
            failures.append(f"{module.__name__}: {exc}")
        client.logout()
    assert not failures, "\n\n".join(failures)

    first = districts.snapshot()
    count = Staff.objects.count()
    call_command("demo", "--if-empty")
    assert "already exists" in capsys.readouterr().out
    assert Staff.objects.count() == count
    call_command("demo", "--reset")
    assert Staff.objects.count() == count
    assert districts.snapshot() == first
