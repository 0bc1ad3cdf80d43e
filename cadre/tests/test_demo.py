"""The demo district, built once for every app's checks; then a second demo district beside
it, which proves the build deterministic, is isolated from the first, and lets the
confidentiality probe crawl as people of both.

Building the demo takes about a minute; each app used to build it for its own test. Now each
app keeps its checks in `tests/demo_checks.py` (a `check(client, out)` function), and this test
builds the demo once and runs every check on it, each inside a savepoint that is rolled back,
so no check sees another's changes. Every failing check is reported, not only the first.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django_scopes import scopes_disabled

from cadre.catalog.models import PartnerContact
from cadre.catalog.tests import demo_checks as catalog
from cadre.coaching.models import Cycle
from cadre.coaching.tests import demo_checks as coaching
from cadre.collaboration.tests import demo_checks as collaboration
from cadre.core import bulk
from cadre.districts import demo
from cadre.districts.factories import DistrictFactory, UserFactory
from cadre.districts.management.commands import demo as command
from cadre.districts.models import District, ImportRun, School, Staff
from cadre.districts.tests import demo_checks as districts
from cadre.funding.tests import demo_checks as funding
from cadre.growth.tests import demo_checks as growth
from cadre.mentoring.tests import demo_checks as mentoring
from cadre.tests import probe

pytestmark = pytest.mark.django_db

CHECKS = [districts, funding, growth, catalog, mentoring, collaboration, coaching]
SECOND = ["--slug", "lakeside", "--name", "Lakeside Unified School District"]
SECOND += ["--email-domain", "lakeside.example"]


class _Undo(Exception):
    pass


def _checked(client, failures: list, name: str, check, **kwargs) -> None:
    """Run a check inside a savepoint that is rolled back, collecting its failure."""
    try:
        with transaction.atomic():
            check(client=client, **kwargs)
            raise _Undo
    except _Undo:
        pass
    except Exception as exc:  # every failing check is reported, an error as a failure
        failures.append(f"{name}: {type(exc).__name__}: {exc}")
    client.logout()


def _counts(slug: str) -> dict[str, int]:
    """How many rows the district has in every table that carries the district key."""
    with scopes_disabled():
        district = District.objects.get(slug=slug)
        return {
            model._meta.label: model._base_manager.filter(district=district).count()
            for model in demo._district_models()
        }


def _people(slug: str) -> list[tuple]:
    with scopes_disabled():
        return list(
            Staff.objects.filter(district__slug=slug)
            .order_by("employee_id")
            .values_list("employee_id", "first_name", "last_name", "contracted_days", "email")
        )


def _local(people: list[tuple]) -> list[tuple]:
    return [(*p[:-1], p[-1].split("@")[0]) for p in people]


def test_the_demo_district(client, capsys, monkeypatch):
    analyzed = []
    analyze = bulk.analyze
    monkeypatch.setattr(
        bulk, "analyze", lambda *tables: analyzed.append(tables) or analyze(*tables)
    )
    call_command("demo")
    out = capsys.readouterr().out
    failures = []
    for module in CHECKS:
        _checked(client, failures, module.__name__, module.check, out=out)
    assert not failures, "\n\n".join(failures)

    # PostgreSQL's statistics are refreshed on every table the build filled (on SQLite the
    # helper does nothing): without them the admin home's first query took tens of seconds.
    assert analyzed[-1] == tuple(demo.filled_tables())  # last, after the HR import's own
    assert {"districts_staff", "coaching_cycle", "mentoring_log", "accounts_user"} <= set(
        analyzed[-1]
    )

    first, counts = _people("demo"), _counts("demo")
    call_command("demo", "--if-empty")
    assert "already exists" in capsys.readouterr().out
    assert _people("demo") == first

    # A second demo district beside the first: the same build, so the same people and rows
    # (the build is deterministic), under its own name and domain.
    call_command("demo", *SECOND)
    out = capsys.readouterr().out
    assert "Built Lakeside Unified School District" in out
    assert "admin@lakeside.example" in out and "riverbend" not in out
    second = _people("lakeside")
    assert _local(second) == _local(first)
    assert all(email.endswith("@lakeside.example") for *_, email in second if email)
    assert _counts("lakeside") == counts
    _own_domain("lakeside", "lakeside.example")
    _isolated(client)

    failures = []
    _checked(client, failures, "probe", probe.check, first="demo", second="lakeside")
    assert not failures, "\n\n".join(failures)

    # --reset removes and rebuilds the named district only (here without the apps' steps, to
    # keep the suite quick: its people and their HR data).
    users = get_user_model().objects
    monkeypatch.setattr(demo, "STEPS", [])
    call_command("demo", "--reset", *SECOND)
    assert _people("demo") == first and _counts("demo") == counts
    assert [p[:-1] for p in _people("lakeside")][:50] == [p[:-1] for p in second][:50]
    with scopes_disabled():
        assert not Cycle.objects.filter(district__slug="lakeside").exists()
        people = Staff.objects.filter(district__slug="lakeside", user__isnull=False)
        assert users.filter(email__endswith="@lakeside.example").count() == people.count()


def _own_domain(slug: str, domain: str) -> None:
    """Nothing in the second district names the first's domain."""
    with scopes_disabled():
        district = District.objects.get(slug=slug)
        run = ImportRun.objects.get(district=district, kind=ImportRun.Kind.STAFF_DATA)
        assert run.original_name == "lakeside-hr-export.csv"
        assert run.status == ImportRun.Status.SUCCEEDED
        emails = PartnerContact.objects.filter(district=district).values_list("email", flat=True)
        assert not [e for e in emails if "riverbend" in e]
        links = Cycle.objects.filter(district=district).exclude(video_link="")
        assert links.exists()
        assert all(c.video_link.startswith("https://meet.example.org/lakeside-") for c in links)


def _isolated(client) -> None:
    """A demo account of one district finds nothing of the other: 404, pages and API."""
    with scopes_disabled():
        sides = {}
        for slug in ("demo", "lakeside"):
            admin = Staff.objects.get(district__slug=slug, email__startswith="admin@")
            teacher = Staff.objects.get(district__slug=slug, email__startswith="teacher@")
            school = School.objects.filter(district__slug=slug).first()
            sides[slug] = (admin, teacher, school)
    for mine, theirs in (("demo", "lakeside"), ("lakeside", "demo")):
        admin, _, _ = sides[mine]
        _, teacher, school = sides[theirs]
        client.force_login(admin.user)
        for url in (
            reverse("staff-detail", args=[teacher.pk]),
            reverse("school-detail", args=[school.pk]),
            reverse("staff-transcript", args=[teacher.pk]),
            reverse("mentoring-person", args=[teacher.pk]),
            reverse("api:staff-detail", args=[teacher.pk]),
            reverse("api:school-detail", args=[school.pk]),
        ):
            assert client.get(url).status_code == 404, (mine, url)
        listed = client.get(reverse("api:staff-list"), {"search": teacher.last_name}).json()
        assert teacher.pk not in {row["id"] for row in listed["results"]}
        client.logout()


def test_a_second_demo_district_needs_its_own_name_and_domain():
    UserFactory(email="someone@riverbend.example")
    with pytest.raises(CommandError, match="needs its own --name and --email-domain"):
        call_command("demo", "--slug", "lakeside")
    with pytest.raises(CommandError, match="choose another --email-domain"):
        call_command(
            "demo",
            "--slug",
            "lakeside",
            "--name",
            "Lakeside",
            "--email-domain",
            "riverbend.example",
        )
    with pytest.raises(CommandError, match="is not an email domain"):
        call_command("demo", "--slug", "lakeside", "--name", "Lakeside", "--email-domain", "a@b")
    with pytest.raises(CommandError, match="cannot be a district's short name"):
        call_command("demo", "--slug", "Lake side!", "--name", "L", "--email-domain", "l.example")
    assert not District.objects.filter(slug="lakeside").exists()


def test_the_demo_says_uploads_need_the_worker(capsys, monkeypatch):
    DistrictFactory(slug=demo.SLUG)  # already built: the command only prints the accounts
    call_command("demo")
    assert "db_worker" not in capsys.readouterr().out  # tests run tasks at once
    monkeypatch.setattr(command, "task_backends", {"default": object()})
    call_command("demo")
    out = capsys.readouterr().out
    assert "already exists" in out
    assert "run `python manage.py db_worker` beside the server" in out
