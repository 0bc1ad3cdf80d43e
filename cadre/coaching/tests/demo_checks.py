"""Checks of the demo district's coaching part, run by cadre/tests/test_demo.py on one build."""

from django.contrib.auth import authenticate
from django.db.models import F

from cadre.audit.models import AuditEvent
from cadre.coaching import selectors
from cadre.coaching.models import (
    Cycle,
    LookFor,
    Mark,
    Observation,
    Rating,
    Rubric,
    Visit,
)
from cadre.districts import demo
from cadre.districts.access import actor_for
from cadre.districts.models import Assignment, District, Role, SchoolYear, Staff
from cadre.mentoring.models import Match

Kind, Status = Observation.Kind, Observation.Status


def _leads_or_coaches(district, today) -> set[tuple[int, int | None]]:
    """(staff, school) pairs who may walk through a school's classrooms; school None for
    anyone who may walk through any."""
    pairs = set()
    for a in Assignment.objects.filter(district=district).current(today):
        if a.role in (Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL):
            pairs.add((a.staff_id, a.school_id))
        elif a.role in (Role.INSTRUCTIONAL_COACH, Role.DISTRICT_ADMIN, Role.PROGRAM_DIRECTOR):
            pairs.add((a.staff_id, None))
    return pairs


def check(client, **_):
    """The demo coaches observes and measures classroom implementation."""
    district = District.objects.get(slug="demo")
    year = SchoolYear.objects.get(district=district, is_current=True)
    today = district.today()

    # The coach account signs in, an instructional coach at the demo's first school.
    user = authenticate(email="coach@riverbend.example", password=demo.DEMO_PASSWORD)
    assert user is not None
    coach = actor_for(user)
    assert Role.INSTRUCTIONAL_COACH in coach.roles
    assert ("Instructional coach", "coach@riverbend.example", user.person.full_name) in (
        demo.accounts_table()
    )

    # The rubric: four domains of two or three components, each with four described levels.
    rubric = Rubric.objects.get(district=district)
    domains = list(rubric.domains.prefetch_related("components__levels"))
    assert len(domains) == 4
    for domain in domains:
        components = list(domain.components.all())
        assert 2 <= len(components) <= 3
        for component in components:
            levels = list(component.levels.all())
            assert [lv.level for lv in levels] == [1, 2, 3, 4]
            assert len({lv.descriptor for lv in levels}) == 4 and all(
                len(lv.descriptor) > 30 for lv in levels
            )

    # Look-fors for catalogue offerings, with their items.
    look_fors = LookFor.objects.filter(district=district).prefetch_related("items")
    assert 3 <= look_fors.count() <= 5
    assert all(lf.offering_id and lf.items.count() >= 3 for lf in look_fors)

    # Cycles in every stage; closed ones carry notes and the teacher's reflection; the demo
    # coach has one of each, one by video link.
    cycles = Cycle.objects.filter(district=district)
    now = cycles.filter(school_year=year)
    assert {c.stage for c in now} == set(Cycle.Stage)
    assert {c.stage for c in now.filter(coach=user.person)} == set(Cycle.Stage)
    assert now.filter(is_virtual=True).exclude(video_link="").exists()
    assert now.exclude(professional_goal=None).exists() and now.exclude(offering=None).exists()
    for cycle in cycles.filter(stage=Cycle.Stage.CLOSED):
        assert cycle.closed_on and cycle.pre_conference_notes and cycle.debrief_notes
        assert cycle.reflection
    assert cycles.exclude(school_year=year).filter(stage=Cycle.Stage.CLOSED).exists()
    assert not cycles.filter(coach=F("teacher")).exists()
    coaches = set(
        Assignment.objects.filter(district=district, role=Role.INSTRUCTIONAL_COACH).values_list(
            "staff_id", flat=True
        )
    )
    assert {c.coach_id for c in cycles} <= coaches

    # Observations: every kind and state; nobody observes themselves; each by the right
    # person.
    observations = Observation.objects.filter(district=district)
    assert {o.kind for o in observations} == set(Kind)
    assert {o.status for o in observations} == set(Status)
    assert not observations.filter(observer=F("teacher")).exists()
    assert not observations.filter(kind=Kind.COACHING).exclude(cycle__coach=F("observer")).exists()
    assert (
        not observations.filter(kind=Kind.COACHING, cycle__teacher__isnull=False)
        .exclude(cycle__teacher=F("teacher"))
        .exists()
    )
    ratings = Rating.objects.filter(district=district).select_related("component__domain")
    assert ratings.filter(observation__kind=Kind.COACHING).exists()
    assert all(r.component.domain.rubric_id == rubric.pk and 1 <= r.level <= 4 for r in ratings)
    may_walk = _leads_or_coaches(district, today)
    for obs in observations.filter(kind=Kind.WALKTHROUGH):
        assert (obs.observer_id, None) in may_walk or (obs.observer_id, obs.school_id) in may_walk
        assert obs.look_for_id and obs.offering_id
    marks = Mark.objects.filter(district=district)
    assert not marks.exclude(item__look_for=F("observation__look_for")).exists()
    for obs in observations.filter(kind=Kind.MENTOR):
        assert Match.objects.filter(
            mentor__staff=obs.observer, mentee=obs.teacher, status=Match.Status.ACTIVE
        ).exists()
    shared = observations.exclude(status=Status.DRAFT)
    assert not shared.filter(shared_at=None).exists()
    assert not observations.filter(status=Status.ACKNOWLEDGED, acknowledged_at=None).exists()
    assert not observations.filter(observed_on__gt=today).exists()

    # Peer visits in every state; each peer observation is its visitor's, of its host, from
    # an accepted visit (done once the observation is shared).
    visits = Visit.objects.filter(district=district)
    assert {v.status for v in visits} == set(Visit.Status)
    assert not visits.filter(visitor=F("host")).exists()
    peers = observations.filter(kind=Kind.PEER)
    assert peers.exists()
    for obs in peers:
        visit = obs.visit
        assert (visit.visitor_id, visit.host_id) == (obs.observer_id, obs.teacher_id)
        assert visit.status == (
            Visit.Status.ACCEPTED if obs.status == Status.DRAFT else Visit.Status.DONE
        )
    assert not visits.filter(status=Visit.Status.DONE, observation=None).exists()

    # The demo teacher and new teacher each have something to acknowledge; the teacher has
    # a visit request to answer.
    teacher = actor_for(Staff.objects.get(email="teacher@riverbend.example").user)
    waiting = selectors.awaiting_acknowledgement(teacher)
    assert {o.kind for o in waiting} >= {Kind.COACHING, Kind.WALKTHROUGH}
    newteacher = actor_for(Staff.objects.get(email="newteacher@riverbend.example").user)
    assert selectors.awaiting_acknowledgement(newteacher).filter(kind=Kind.MENTOR).exists()
    assert visits.filter(host=teacher.staff, status=Visit.Status.REQUESTED).exists()

    # Implementation rates from walkthroughs: a rate for every offering followed up, for
    # schools and strategies, over several months; rising for English-learner talk.
    admin = actor_for(Staff.objects.get(email="admin@riverbend.example").user)
    by_offering = selectors.implementation(admin, year, by="offering")
    assert len(by_offering.rows) >= 5
    assert all(row.total.rate is not None for row in by_offering.rows)
    by_school = selectors.implementation(admin, year, by="school")
    assert sum(row.total.rate is not None for row in by_school.rows) >= 12
    by_strategy = selectors.implementation(admin, year, by="strategy")
    assert len(by_strategy.rows) == look_fors.count()
    months = {i for row in by_strategy.rows for i, cell in enumerate(row.months) if cell.rate}
    assert len(months) >= 3
    talk = next(r for r in by_strategy.rows if str(r.label).startswith("Integrated ELD"))
    rates = [cell.rate for cell in talk.months if cell.rate is not None]
    assert len(rates) >= 3 and rates[-1] > rates[0]
    principal = actor_for(Staff.objects.get(email="principal@riverbend.example").user)
    mine = selectors.implementation(principal, year, by="school")
    assert {row.key for row in mine.rows} == set(principal.led_school_ids)

    # The trail keeps who and when, never what was said or seen.
    events = AuditEvent.objects.filter(
        district=district, object_type__in=["coaching.cycle", "coaching.observation"]
    )
    assert events.filter(object_type="coaching.cycle").count() >= cycles.count()
    texts = {c.goal for c in cycles} | {o.notes for o in observations if o.notes}
    for event in events:
        blob = f"{event.object_repr} {event.changes} {event.comment}"
        assert not any(text in blob for text in texts)
