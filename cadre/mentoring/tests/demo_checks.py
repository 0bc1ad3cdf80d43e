"""Checks of the demo district's mentoring part, run by cadre/tests/test_demo.py on one build."""

from django.contrib.auth import authenticate

from cadre.districts import demo
from cadre.districts.access import actor_for
from cadre.districts.models import District, Role, SchoolYear, Staff
from cadre.funding.models import PayrollBatch, StipendAward
from cadre.funding.reconcile import reconcile
from cadre.mentoring import selectors, services
from cadre.mentoring.models import (
    ExtendedSupport,
    Log,
    Match,
    Mentor,
    OnboardingChecklist,
    OnboardingTask,
    Training,
)


def check(client, **_):
    """The demo runs a mentor programme in every state."""
    district = District.objects.get(slug="demo")
    year = SchoolYear.objects.get(district=district, is_current=True)

    user = authenticate(email="coordinator@riverbend.example", password=demo.DEMO_PASSWORD)
    assert user is not None
    coordinator = actor_for(user)
    assert Role.MENTOR_COORDINATOR in coordinator.roles
    assert authenticate(email="mentor@riverbend.example", password=demo.DEMO_PASSWORD)

    kinds = set(Training.objects.filter(district=district).values_list("kind", flat=True))
    assert kinds == set(Training.Kind.values)
    mentors = Mentor.objects.filter(district=district)
    assert mentors.count() >= 30
    assert all(services.is_trained(m.staff) for m in mentors.select_related("staff__district"))
    assert len({m.caseload_cap for m in mentors}) >= 3
    assert mentors.filter(is_available=False).exists() and mentors.filter(is_active=False).exists()
    assert selectors.mentor_candidates(coordinator).exists()  # trained, not mentoring yet

    matches = Match.objects.filter(district=district)
    now = matches.filter(school_year=year)
    assert {m.status for m in now} == set(Match.Status)
    assert {m.end_reason for m in now.filter(status="ended")} >= {
        "reassigned",
        "mentor_left",
        "mentee_left",
        "not_confirmed",
    }
    assert now.filter(status="active").count() >= 30
    assert matches.exclude(school_year=year).filter(end_reason="completed").count() >= 5

    logs = Log.objects.filter(district=district)
    assert {log.kind for log in logs} == set(Log.Kind.values)
    assert logs.exclude(reflection="").exists()
    weeks = {log.met_on.isocalendar()[:2] for log in logs.filter(match__school_year=year)}
    assert len(weeks) >= 8  # spread over weeks, not one day

    newteacher = Staff.objects.get(email="newteacher@riverbend.example")
    match = now.get(mentee=newteacher, status="active")
    assert match.mentor.staff.email == "mentor@riverbend.example"
    assert match.logs.count() >= 5 and match.logs.exclude(reflection="").exists()

    assert ExtendedSupport.objects.filter(district=district, school_year=year).count() >= 1
    assert OnboardingChecklist.objects.filter(district=district, opened_by__isnull=False).exists()
    tasks = OnboardingTask.objects.filter(district=district)
    assert tasks.filter(done_on__isnull=False).exists() and tasks.filter(done_on=None).exists()

    alerts = selectors.alerts(coordinator, year)
    assert alerts.overdue and alerts.over_cap and alerts.behind
    states = {
        p.match_state
        for p in selectors.describe(coordinator, year, list(selectors.people(coordinator, year)))
    }
    assert states == {"unmatched", "proposed", "active"}

    awards = StipendAward.objects.filter(
        district=district, evidence_type__app_label="mentoring", evidence_type__model="match"
    )
    assert {a.status for a in awards} >= {"proposed", "approved", "paid"}
    assert {a.schedule.role for a in awards} == {"mentor", "mentee"}
    assert PayrollBatch.objects.filter(district=district, awards__in=awards).exists()
    assert reconcile(district) == []

    # The HR data left a handful of teachers out: the coordinator sees how many, and none of
    # them is in the programme as a new teacher.
    unknown = selectors.unknown_experience(coordinator)
    assert 5 <= unknown <= 10
    listed = selectors.people(coordinator, year)
    assert not listed.filter(contracted_days__isnull=True, substitute_days__isnull=True).exclude(
        pk__in=ExtendedSupport.objects.filter(school_year=year).values("staff_id")
    )
