import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.audit.models import AuditEvent
from cadre.catalog.factories import OfferingFactory
from cadre.catalog.models import Offering
from cadre.coaching import factories
from cadre.coaching.models import (
    Component,
    Cycle,
    Domain,
    Level,
    LookForItem,
    Mark,
    Observation,
    Rating,
    Visit,
)
from cadre.coaching.services import cycles, lookfors, observations, peer_visits, rubrics
from cadre.core.errors import Conflict, DomainError
from cadre.districts.factories import SchoolFactory, staff_with_role
from cadre.districts.models import Role

Kind = Observation.Kind
Stage = Cycle.Stage


def _code(exc_info) -> str:
    return exc_info.value.code


def _events(obj):
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("at", "id")


def _new_cycle(o, **kwargs):
    return factories.cycle(coach=o["coach"], teacher=o["other_teacher"], **kwargs)


def _draft(o, **kwargs):
    """A draft coaching observation of the world cycle (coach × teacher), with the rubric."""
    return observations.observation_create(
        district=o["school"].district,
        actor=o["coach"].user,
        kind=Kind.COACHING,
        observer=o["coach"],
        cycle=o["cycle"],
        rubric=o["rubric"],
        **kwargs,
    )


# --- rubrics -------------------------------------------------------------------------------


def test_a_rubric_has_domains_and_components_of_four_levels(o):
    district = o["school"].district
    rubric = factories.rubric(district, name="Classroom practice", components=("2a", "2b"))
    domain = rubric.domains.get()
    assert domain.number == 1
    assert [c.code for c in Component.objects.filter(domain=domain)] == ["2a", "2b"]
    levels = Level.objects.filter(component__domain=domain, component__code="2a")
    assert [(lv.level, lv.label) for lv in levels] == [
        (1, "Beginning"),
        (2, "Developing"),
        (3, "Proficient"),
        (4, "Distinguished"),
    ]
    second = rubrics.domain_create(rubric=rubric, actor=None, data={"name": "Environment"})
    assert second.number == 2
    assert _events(rubric).filter(action="create").exists()


def test_a_rubric_name_is_the_districts_once(o):
    with pytest.raises(Conflict) as exc:
        rubrics.rubric_create(
            district=o["school"].district, actor=None, data={"name": "framework FOR teaching"}
        )
    assert _code(exc) == "rubric.name_taken"


@pytest.mark.parametrize(
    ("levels", "code"),
    [
        (factories.levels()[:3], "component.four_levels"),
        ([*factories.levels()[:3], {"label": "Top", "descriptor": ""}], "component.level_blank"),
        ([{"level": 5, "label": "Top", "descriptor": "x"}], "component.level"),
        (
            [
                {"level": 1, "label": "A", "descriptor": "a"},
                {"level": 1, "label": "B", "descriptor": "b"},
            ],
            "component.level_twice",
        ),
    ],
)
def test_a_component_always_carries_four_levels_with_descriptors(o, levels, code):
    with pytest.raises(DomainError) as exc:
        rubrics.component_create(
            domain=o["domain"], actor=None, data={"code": "3c", "name": "Engagement"}, levels=levels
        )
    assert _code(exc) == code
    assert not Component.objects.filter(domain=o["domain"], code="3c").exists()


def test_a_component_code_is_once_per_domain(o):
    with pytest.raises(DomainError) as exc:
        rubrics.component_create(
            domain=o["domain"],
            actor=None,
            data={"code": "3B", "name": "x"},
            levels=factories.levels(),
        )
    assert _code(exc) == "component.code_taken"


def test_level_descriptors_change_one_at_a_time(o):
    component = o["component"]
    rubrics.component_update(
        component=component,
        actor=o["admin"].user,
        data={"name": "Questioning"},
        levels=[{"level": 2, "label": "Emerging", "descriptor": "Some questions invite thought"}],
    )
    component.refresh_from_db()
    assert component.name == "Questioning"
    labels = list(Level.objects.filter(component=component).values_list("label", flat=True))
    assert labels == ["Beginning", "Emerging", "Proficient", "Distinguished"]


def test_a_rubric_in_use_keeps_its_components_and_domains(o):
    assert rubrics.rubric_in_use(o["rubric"])
    with pytest.raises(Conflict) as exc:
        rubrics.component_delete(component=o["component"], actor=o["admin"].user)
    assert _code(exc) == "rubric.in_use"
    with pytest.raises(Conflict):
        rubrics.domain_delete(domain=o["domain"], actor=o["admin"].user)
    assert Component.objects.filter(pk=o["component"].pk).exists()


def test_an_unused_rubric_loses_components_and_domains(o):
    rubric = factories.rubric(o["school"].district, name="Draft rubric")
    component = Component.objects.filter(domain__rubric=rubric).first()
    pk = component.pk
    rubrics.component_delete(component=component, actor=o["admin"].user)
    assert not Level.objects.filter(component_id=pk).exists()
    domain = rubric.domains.get()
    rubrics.domain_delete(domain=domain, actor=o["admin"].user)
    assert not Domain.objects.filter(rubric=rubric).exists()
    assert AuditEvent.objects.filter(
        object_type="coaching.component", object_id=str(pk), action="delete"
    ).exists()


def test_domain_numbers_are_once_per_rubric(o):
    with pytest.raises(DomainError) as exc:
        rubrics.domain_create(rubric=o["rubric"], actor=None, data={"number": 3, "name": "x"})
    assert _code(exc) == "domain.number_taken"


# --- look-fors -----------------------------------------------------------------------------


def test_a_look_for_keeps_its_items_in_order(o):
    look_for = factories.look_for(o["school"].district, items=["First", "", "  Second  ", "Third"])
    assert [i.text for i in look_for.items.all()] == ["First", "Second", "Third"]
    middle = lookfors.look_for_item_add(look_for=look_for, actor=None, text="Between", position=1)
    assert [i.text for i in look_for.items.all()] == ["First", "Between", "Second", "Third"]
    lookfors.look_for_item_move(item=middle, actor=None, up=True)
    assert [i.text for i in look_for.items.all()] == ["Between", "First", "Second", "Third"]
    third = look_for.items.get(text="Third")
    lookfors.look_for_items_reorder(look_for=look_for, actor=None, order=[third.pk])
    assert [i.text for i in look_for.items.all()] == ["Third", "Between", "First", "Second"]
    with pytest.raises(DomainError) as exc:
        lookfors.look_for_items_reorder(look_for=look_for, actor=None, order=[third.pk, third.pk])
    assert _code(exc) == "look_for.order"
    with pytest.raises(DomainError):
        lookfors.look_for_items_reorder(
            look_for=look_for, actor=None, order=[o["look_for_item"].pk]
        )


def test_an_item_already_marked_is_retired_not_deleted(o):
    marked = o["look_for_item"]
    kept = lookfors.look_for_item_remove(item=marked, actor=o["admin"].user)
    assert kept is not None and not kept.is_active
    assert Mark.objects.filter(item=marked).exists()
    fresh = lookfors.look_for_item_add(look_for=o["look_for"], actor=None, text="Cold call")
    assert lookfors.look_for_item_remove(item=fresh, actor=None) is None
    assert not LookForItem.objects.filter(pk=fresh.pk).exists()
    back = lookfors.look_for_item_update(item=kept, actor=None, is_active=True)
    assert back.is_active


def test_a_look_for_item_needs_words(o):
    with pytest.raises(DomainError) as exc:
        lookfors.look_for_item_add(look_for=o["look_for"], actor=None, text="   ")
    assert _code(exc) == "look_for.item_blank"


def test_a_look_for_follows_a_live_offering_of_the_district(o, world):
    archived = OfferingFactory(district=o["school"].district, status=Offering.Status.ARCHIVED)
    with pytest.raises(DomainError) as exc:
        factories.look_for(o["school"].district, offering=archived)
    assert _code(exc) == "coaching.offering_archived"
    with pytest.raises(DomainError) as exc:
        factories.look_for(o["school"].district, offering=world.b_objects["offering"])
    assert _code(exc) == "district.mismatch"


# --- cycles --------------------------------------------------------------------------------


def test_a_coach_opens_a_cycle_with_a_teacher(o):
    cycle = _new_cycle(o, offering=o["offering"])
    assert cycle.stage == Stage.GOAL_SETTING
    assert cycle.school == o["other_school"]  # the teacher's school, for the counts
    assert cycle.school_year == o["year"]
    assert cycle.started_on == o["school"].district.today()
    event = _events(cycle).get()
    assert event.action == "create" and "teacher_id" in event.changes


@pytest.mark.parametrize("who", ["principal", "teacher", "admin", "director"])
def test_only_an_instructional_coach_opens_a_cycle(o, who):
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o[who], teacher=o["other_teacher"])
    assert _code(exc) == "cycle.not_coach"


def test_a_cycle_is_with_someone_else_in_the_district(o, world):
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o["coach"], teacher=o["coach"])
    assert _code(exc) == "cycle.self"
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o["coach"], teacher=world.b_objects["teacher"])
    assert _code(exc) == "district.mismatch"
    gone = staff_with_role(Role.TEACHER, school=o["school"], is_active=False)
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o["coach"], teacher=gone)
    assert _code(exc) == "cycle.inactive"
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o["coach"], teacher=o["other_teacher"], goal="  ")
    assert _code(exc) == "cycle.goal_required"


def test_the_linked_professional_goal_is_the_teachers(o):
    with pytest.raises(DomainError) as exc:
        factories.cycle(coach=o["coach"], teacher=o["teacher"], professional_goal=o["program_goal"])
    assert _code(exc) == "cycle.goal_not_teachers"
    cycle = factories.cycle(
        coach=o["coach"], teacher=o["teacher"], professional_goal=o["professional_goal"]
    )
    assert cycle.professional_goal == o["professional_goal"]


@pytest.mark.parametrize(
    ("link", "code"),
    [
        ("", "cycle.video_link_required"),
        ("http://meet.example.org/abc", "cycle.video_link"),
        ("javascript:alert(1)", "cycle.video_link"),
        ("https://", "cycle.video_link"),
    ],
)
def test_virtual_coaching_needs_a_secure_video_link(o, link, code):
    with pytest.raises(DomainError) as exc:
        _new_cycle(o, is_virtual=True, video_link=link)
    assert _code(exc) == code


def test_virtual_coaching_by_video_link(o):
    cycle = _new_cycle(o, is_virtual=True, video_link=" https://meet.example.org/abc ")
    assert cycle.is_virtual and cycle.video_link == "https://meet.example.org/abc"


def test_the_coach_moves_the_cycle_through_its_stages_and_may_step_back(o):
    cycle = _new_cycle(o)
    user = o["coach"].user
    for expected in cycles.STAGES[1:4]:
        cycle = cycles.cycle_advance(cycle=cycle, actor=user)
        assert cycle.stage == expected
    cycle = cycles.cycle_advance(cycle=cycle, actor=user, back=True)
    assert cycle.stage == Stage.OBSERVATION  # another observation before the debrief
    for _ in range(3):
        cycle = cycles.cycle_advance(cycle=cycle, actor=user)
    assert cycle.stage == Stage.CLOSED and cycle.closed_on == o["school"].district.today()
    moves = list(_events(cycle).filter(action="transition").values_list("from_state", "to_state"))
    assert moves[0] == ("goal_setting", "pre_conference")
    assert moves[3] == ("debrief", "observation")
    assert moves[-1] == ("reflection", "closed")
    with pytest.raises(Conflict) as exc:
        cycles.cycle_advance(cycle=cycle, actor=user)
    assert _code(exc) == "cycle.closed"
    with pytest.raises(Conflict):
        cycles.cycle_advance(cycle=cycle, actor=user, back=True)
    with pytest.raises(Conflict):
        cycles.cycle_update(cycle=cycle, actor=user, data={"debrief_notes": "more"})


def test_the_first_stage_has_no_step_back(o):
    with pytest.raises(Conflict) as exc:
        cycles.cycle_advance(cycle=_new_cycle(o), actor=o["coach"].user, back=True)
    assert _code(exc) == "cycle.first_stage"


def test_only_the_coach_moves_and_edits_the_cycle(o):
    cycle = o["cycle"]
    with pytest.raises(DomainError) as exc:
        cycles.cycle_advance(cycle=cycle, actor=o["teacher"].user)
    assert _code(exc) == "cycle.not_coach"
    with pytest.raises(DomainError):
        cycles.cycle_update(cycle=cycle, actor=o["admin"].user, data={"goal": "x"})


def test_the_coach_keeps_notes_and_the_teacher_reflects(o):
    cycle = cycles.cycle_update(
        cycle=o["cycle"],
        actor=o["coach"].user,
        data={"debrief_notes": "Try turn-and-talk", "offering": o["offering"]},
    )
    assert cycle.debrief_notes == "Try turn-and-talk" and cycle.offering == o["offering"]
    cycle = cycles.cycle_reflect(cycle=cycle, actor=o["teacher"].user, reflection="It helped")
    assert cycle.reflection == "It helped"
    with pytest.raises(DomainError) as exc:
        cycles.cycle_reflect(cycle=cycle, actor=o["coach"].user, reflection="Mine")
    assert _code(exc) == "cycle.not_teacher"
    with pytest.raises(DomainError) as exc:
        cycles.cycle_reflect(cycle=cycle, actor=o["teacher"].user, reflection="  ")
    assert _code(exc) == "cycle.reflection_empty"
    with pytest.raises(DomainError) as exc:
        cycles.cycle_update(
            cycle=cycle, actor=o["coach"].user, data={"professional_goal": o["program_goal"]}
        )
    assert _code(exc) == "cycle.goal_not_teachers"


# --- observations, by kind -----------------------------------------------------------------


def test_a_coaching_observation_is_the_cycles_coach_of_its_teacher(o):
    draft = _draft(o, focus="Questions")
    assert draft.status == Observation.Status.DRAFT
    assert draft.teacher == o["teacher"] and draft.cycle == o["cycle"]
    assert draft.school == o["school"] and draft.school_year == o["year"]
    with pytest.raises(DomainError) as exc:
        observations.observation_create(
            district=o["school"].district,
            actor=o["principal"].user,
            kind=Kind.COACHING,
            observer=o["principal"],
            cycle=o["cycle"],
        )
    assert _code(exc) == "observation.not_coach"
    with pytest.raises(DomainError) as exc:
        observations.observation_create(
            district=o["school"].district,
            actor=o["coach"].user,
            kind=Kind.COACHING,
            observer=o["coach"],
        )
    assert _code(exc) == "observation.cycle_required"


def test_a_closed_cycle_takes_no_observation(o):
    cycle = o["cycle"]
    Cycle.objects.filter(pk=cycle.pk).update(stage=Stage.CLOSED)
    cycle.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        observations.observation_create(
            district=cycle.district,
            actor=o["coach"].user,
            kind=Kind.COACHING,
            observer=o["coach"],
            cycle=cycle,
        )
    assert _code(exc) == "cycle.closed"


def _peer(o, visit, observer=None):
    observer = observer or o["new_teacher"]
    return observations.observation_create(
        district=visit.district, actor=observer.user, kind=Kind.PEER, observer=observer, visit=visit
    )


def test_a_peer_observation_follows_an_accepted_visit_and_marks_it_done(o):
    visit = o["visit"]
    with pytest.raises(Conflict) as exc:
        _peer(o, visit)
    assert _code(exc) == "visit.not_accepted"
    visit = peer_visits.visit_respond(visit=visit, actor=o["teacher"].user, accept=True)
    with pytest.raises(DomainError) as exc:
        _peer(o, visit, observer=o["principal"])
    assert _code(exc) == "observation.not_visitor"
    peer = _peer(o, visit)
    assert (peer.observer, peer.teacher, peer.kind) == (o["new_teacher"], o["teacher"], Kind.PEER)
    visit.refresh_from_db()
    assert visit.observation == peer and visit.status == Visit.Status.ACCEPTED
    with pytest.raises(Conflict) as exc:
        _peer(o, visit)
    assert _code(exc) == "visit.observed"
    observations.observation_autosave(
        observation=peer, actor=o["new_teacher"].user, data={"notes": "Launch with a question"}
    )
    observations.observation_share(observation=peer, actor=o["new_teacher"].user)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE


def test_a_mentor_observes_the_mentee_of_an_active_match(o):
    district = o["school"].district

    def mentor_observes(teacher):
        return observations.observation_create(
            district=district,
            actor=o["teacher"].user,
            kind=Kind.MENTOR,
            observer=o["teacher"],
            teacher=teacher,
        )

    found = mentor_observes(o["new_teacher"])
    assert found.kind == Kind.MENTOR and found.teacher == o["new_teacher"]
    for not_mine in (o["second_new_teacher"], o["other_teacher"], None):  # proposed, none
        with pytest.raises(DomainError) as exc:
            mentor_observes(not_mine)
        assert _code(exc) == "observation.not_mentor"


def _walk(o, observer, teacher=None, **kwargs):
    return observations.observation_create(
        district=o["school"].district,
        actor=observer.user,
        kind=Kind.WALKTHROUGH,
        observer=observer,
        teacher=teacher or o["teacher"],
        **{"look_for": o["look_for"], **kwargs},
    )


@pytest.mark.parametrize("who", ["principal", "director", "admin", "coach"])
def test_walkthroughs_are_for_leaders_of_the_school_coaches_directors_and_admins(o, who):
    walk = _walk(o, o[who])
    assert walk.offering == o["offering"]  # the look-for's
    assert walk.school == o["school"]


def test_a_principal_walks_through_their_own_school_only(o):
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], teacher=o["other_teacher"])
    assert _code(exc) == "observation.not_leader"
    with pytest.raises(DomainError) as exc:
        _walk(o, o["other_teacher"])
    assert _code(exc) == "observation.not_leader"


def test_a_walkthrough_checks_a_live_look_for(o):
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], look_for=None)
    assert _code(exc) == "observation.look_for_required"
    empty = factories.look_for(o["school"].district, items=[])
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], look_for=empty)
    assert _code(exc) == "look_for.empty"
    retired = factories.look_for(o["school"].district)
    lookfors.look_for_update(look_for=retired, actor=None, data={"is_active": False})
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], look_for=retired)
    assert _code(exc) == "look_for.inactive"
    other = OfferingFactory(district=o["school"].district)
    assert _walk(o, o["principal"], offering=other).offering == other


def test_nobody_observes_themselves_or_the_future(o):
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], teacher=o["principal"])
    assert _code(exc) in {"observation.self", "observation.not_leader"}
    with pytest.raises(DomainError) as exc:
        _walk(o, o["coach"], teacher=o["coach"])
    assert _code(exc) == "observation.self"
    with pytest.raises(DomainError) as exc:
        _walk(o, o["principal"], observed_on=o["school"].district.today() + timedelta(days=1))
    assert _code(exc) == "observation.future"
    with pytest.raises(DomainError) as exc:
        observations.observation_create(
            district=o["school"].district, actor=None, kind="review", observer=o["principal"]
        )
    assert _code(exc) == "observation.kind"


def test_the_observation_school_is_the_teachers_current_school(o):
    moved = staff_with_role(Role.TEACHER, school=SchoolFactory(district=o["school"].district))
    walk = _walk(o, o["coach"], teacher=moved)
    assert walk.school == moved.assignments.get().school


# --- autosave ------------------------------------------------------------------------------


def test_autosave_saves_each_field_partially_and_idempotently(o):
    draft = _draft(o)
    user = o["coach"].user
    yesterday = o["school"].district.today() - timedelta(days=1)
    observations.observation_autosave(observation=draft, actor=user, data={"notes": "Wait time"})
    observations.observation_autosave(
        observation=draft, actor=user, data={"strengths": "Warm", "observed_on": yesterday}
    )
    draft.refresh_from_db()
    assert (draft.notes, draft.strengths, draft.observed_on) == ("Wait time", "Warm", yesterday)
    count = _events(draft).count()
    observations.observation_autosave(observation=draft, actor=user, data={"notes": "Wait time"})
    observations.observation_autosave(observation=draft, actor=user, data={})
    assert _events(draft).count() == count  # nothing changed, nothing written


def test_autosaves_are_audited_once_per_observer_per_window_and_moves_always(o):
    draft = _draft(o)
    user = o["coach"].user
    component = o["component"]

    def updates():
        return list(_events(draft).filter(action=AuditEvent.Action.UPDATE))

    for i in range(3):
        observations.observation_autosave(observation=draft, actor=user, data={"notes": f"n{i}"})
        observations.observation_autosave(
            observation=draft, actor=user, ratings={component.pk: {"level": i + 1}}
        )
    assert [e.comment for e in updates()] == ["Changed: notes"]  # six saves, one row
    yesterday = o["school"].district.today() - timedelta(days=1)
    observations.observation_autosave(
        observation=draft, actor=user, data={"observed_on": yesterday}
    )
    assert len(updates()) == 2  # an audited field (the date) is always recorded
    # Once the window has passed, the next edit is recorded again.
    earlier = timezone.now() - timedelta(minutes=observations.AUTOSAVE_AUDIT_MINUTES + 1)
    AuditEvent.objects.filter(pk__in=[e.pk for e in updates()]).update(at=earlier)
    observations.observation_autosave(observation=draft, actor=user, data={"strengths": "Warm"})
    assert [e.comment for e in updates()][-1] == "Changed: strengths"
    observations.observation_share(observation=draft, actor=user)
    observations.observation_acknowledge(observation=draft, actor=o["teacher"].user)
    assert sorted(e.action for e in _events(draft)) == sorted(
        ["create", "update", "update", "update", "transition", "transition"]
    )


def test_autosave_rates_components_with_evidence_first(o):
    draft = _draft(o)
    user = o["coach"].user
    pk = o["component"].pk
    observations.observation_autosave(
        observation=draft, actor=user, ratings={pk: {"evidence": "Asked why twice"}}
    )
    rating = Rating.objects.get(observation=draft)
    assert (rating.level, rating.evidence) == (None, "Asked why twice")
    observations.observation_autosave(observation=draft, actor=user, ratings={pk: {"level": 3}})
    rating.refresh_from_db()
    assert (rating.level, rating.evidence) == (3, "Asked why twice")
    observations.observation_autosave(
        observation=draft, actor=user, ratings={pk: {"level": None, "evidence": ""}}
    )
    assert not Rating.objects.filter(observation=draft).exists()
    for bad in (0, 5, "x"):
        with pytest.raises(DomainError) as exc:
            observations.observation_autosave(
                observation=draft, actor=user, ratings={pk: {"level": bad}}
            )
        assert _code(exc) == "rating.level"
    other = factories.rubric(o["school"].district, name="Other")
    foreign = Component.objects.filter(domain__rubric=other).first()
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(
            observation=draft, actor=user, ratings={foreign.pk: {"level": 2}}
        )
    assert _code(exc) == "observation.component_not_in_rubric"


def test_a_new_rubric_drops_the_ratings_of_the_old(o):
    draft = _draft(o)
    user = o["coach"].user
    observations.observation_autosave(
        observation=draft, actor=user, ratings={o["component"].pk: {"level": 2}}
    )
    other = factories.rubric(o["school"].district, name="Other")
    observations.observation_autosave(observation=draft, actor=user, data={"rubric": other})
    assert not Rating.objects.filter(observation=draft).exists()
    observations.observation_autosave(observation=draft, actor=user, data={"rubric": None})
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(
            observation=draft, actor=user, ratings={o["component"].pk: {"level": 2}}
        )
    assert _code(exc) == "observation.no_rubric"


def test_autosave_marks_look_for_items(o):
    walk = _walk(o, o["principal"])
    user = o["principal"].user
    items = list(o["look_for"].items.all())
    observations.observation_autosave(
        observation=walk, actor=user, marks={items[0].pk: True, items[1].pk: False}
    )
    assert dict(Mark.objects.filter(observation=walk).values_list("item_id", "seen")) == {
        items[0].pk: True,
        items[1].pk: False,
    }
    observations.observation_autosave(observation=walk, actor=user, marks={items[1].pk: None})
    assert Mark.objects.filter(observation=walk).count() == 1
    stray = factories.look_for(o["school"].district).items.first()
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(observation=walk, actor=user, marks={stray.pk: True})
    assert _code(exc) == "observation.item_not_in_look_for"
    lookfors.look_for_item_update(item=items[2], actor=None, is_active=False)
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(observation=walk, actor=user, marks={items[2].pk: True})
    assert _code(exc) == "look_for.item_retired"
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(observation=walk, actor=user, data={"look_for": None})
    assert _code(exc) == "observation.look_for_required"


def test_autosave_writes_new_marks_together_and_trusts_the_drafts_own_keys(o):
    """Marking every item costs what marking one does (one insert for all), and validation
    does not look up again the teacher, observer, school or year the draft was read with."""
    user = o["principal"].user
    items = list(o["look_for"].items.all())
    counts = []
    for marks in ({items[0].pk: True}, {item.pk: True for item in items}):
        walk = _walk(o, o["principal"])
        with CaptureQueriesContext(connection) as queries:
            observations.observation_autosave(
                observation=walk, actor=user, data={"notes": "Seen"}, marks=marks
            )
        counts.append(len(queries))
        assert not [q for q in queries.captured_queries if 'AS "a" FROM "districts_' in q["sql"]]
        assert Mark.objects.filter(observation=walk).count() == len(marks)
        assert _events(walk).filter(action=AuditEvent.Action.UPDATE).count() == 1
    assert counts[0] == counts[1]


def test_autosave_refuses_a_shared_observation_and_anyone_but_the_observer(o):
    with pytest.raises(Conflict) as exc:
        observations.observation_autosave(
            observation=o["observation"], actor=o["coach"].user, data={"notes": "later"}
        )
    assert _code(exc) == "observation.not_draft"
    draft = _draft(o)
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(
            observation=draft, actor=o["teacher"].user, data={"notes": "mine"}
        )
    assert _code(exc) == "observation.not_observer"
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(
            observation=draft,
            actor=o["coach"].user,
            data={"observed_on": o["school"].district.today() + timedelta(days=2)},
        )
    assert _code(exc) == "observation.future"
    with pytest.raises(DomainError) as exc:
        observations.observation_autosave(
            observation=draft, actor=o["coach"].user, data={"notes": "x" * 20_001}
        )
    assert _code(exc) == "text.too_long"


# --- share and acknowledge -----------------------------------------------------------------


def test_a_walkthrough_is_shared_once_every_item_is_marked(o):
    walk = _walk(o, o["principal"])
    user = o["principal"].user
    items = list(o["look_for"].items.all())
    observations.observation_autosave(observation=walk, actor=user, marks={items[0].pk: True})
    with pytest.raises(DomainError) as exc:
        observations.observation_share(observation=walk, actor=user)
    assert _code(exc) == "observation.unmarked" and "2 left" in exc.value.detail
    observations.observation_autosave(
        observation=walk, actor=user, marks={items[1].pk: False, items[2].pk: True}
    )
    shared = observations.observation_share(observation=walk, actor=user)
    assert shared.status == Observation.Status.SHARED and shared.shared_at is not None
    with pytest.raises(Conflict) as exc:
        observations.observation_share(observation=shared, actor=user)
    assert _code(exc) == "observation.not_draft"


def test_an_empty_observation_is_not_shared(o):
    draft = _draft(o)
    with pytest.raises(DomainError) as exc:
        observations.observation_share(observation=draft, actor=o["coach"].user)
    assert _code(exc) == "observation.empty"
    with pytest.raises(DomainError) as exc:
        observations.observation_share(observation=draft, actor=o["teacher"].user)
    assert _code(exc) in {"observation.not_observer", "observation.empty"}


def test_the_teacher_acknowledges_a_shared_observation_with_a_comment(o):
    draft = _draft(o)
    with pytest.raises(Conflict) as exc:
        observations.observation_acknowledge(observation=draft, actor=o["teacher"].user)
    assert _code(exc) == "observation.not_shared"
    with pytest.raises(DomainError) as exc:
        observations.observation_acknowledge(observation=o["observation"], actor=o["coach"].user)
    assert _code(exc) == "observation.not_teacher"
    done = observations.observation_acknowledge(
        observation=o["observation"], actor=o["teacher"].user, comment="  Thank you  "
    )
    assert done.status == Observation.Status.ACKNOWLEDGED
    assert done.teacher_comment == "Thank you" and done.acknowledged_at is not None
    with pytest.raises(Conflict):
        observations.observation_acknowledge(observation=done, actor=o["teacher"].user)


# --- peer visits ---------------------------------------------------------------------------


def _ask(o, **kwargs):
    data = {
        "district": o["school"].district,
        "actor": o["other_teacher"].user,
        "visitor": o["other_teacher"],
        "host": o["teacher"],
        "on": o["school"].district.today() + timedelta(days=3),
        "focus": "Number talks",
        **kwargs,
    }
    return peer_visits.visit_request(**data)


def test_a_teacher_asks_to_visit_and_the_host_answers(o):
    visit = _ask(o, period="3rd period")
    assert visit.status == Visit.Status.REQUESTED and visit.period == "3rd period"
    with pytest.raises(DomainError) as exc:
        peer_visits.visit_respond(visit=visit, actor=o["other_teacher"].user, accept=True)
    assert _code(exc) == "visit.not_host"
    declined = peer_visits.visit_respond(
        visit=visit, actor=o["teacher"].user, accept=False, response="Testing week; next month?"
    )
    assert declined.status == Visit.Status.DECLINED and declined.response.startswith("Testing")
    with pytest.raises(Conflict) as exc:
        peer_visits.visit_respond(visit=declined, actor=o["teacher"].user, accept=True)
    assert _code(exc) == "visit.answered"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"host": "other_teacher"}, "visit.self"),
        ({"on": -1}, "visit.past"),
        ({"focus": " "}, "visit.focus_required"),
    ],
)
def test_a_visit_request_is_to_a_colleague_ahead_with_a_focus(o, change, code):
    if "host" in change:
        change = {"host": o[change["host"]]}
    if "on" in change:
        change = {"on": o["school"].district.today() + timedelta(days=change["on"])}
    with pytest.raises(DomainError) as exc:
        _ask(o, **change)
    assert _code(exc) == code


def test_the_visitor_cancels_an_open_visit(o):
    visit = _ask(o)
    with pytest.raises(DomainError) as exc:
        peer_visits.visit_cancel(visit=visit, actor=o["teacher"].user)
    assert _code(exc) == "visit.not_visitor"
    cancelled = peer_visits.visit_cancel(visit=visit, actor=o["other_teacher"].user)
    assert cancelled.status == Visit.Status.CANCELLED
    with pytest.raises(Conflict) as exc:
        peer_visits.visit_cancel(visit=cancelled, actor=o["other_teacher"].user)
    assert _code(exc) == "visit.not_open"


# --- confidentiality -----------------------------------------------------------------------

SECRETS = [
    "SECRET-GOAL-wait-time",
    "SECRET-PRE-notes",
    "SECRET-DEBRIEF-notes",
    "SECRET-REFLECTION",
    "SECRET-FOCUS",
    "SECRET-NOTES",
    "SECRET-STRENGTHS",
    "SECRET-NEXT",
    "SECRET-EVIDENCE",
    "SECRET-COMMENT",
]


def test_the_audit_trail_holds_ids_stages_and_dates_never_the_content(o):
    coach, teacher = o["coach"], o["other_teacher"]
    cycle = factories.cycle(
        coach=coach,
        teacher=teacher,
        goal=SECRETS[0],
        is_virtual=True,
        video_link="https://meet.example.org/SECRET-LINK",
    )
    cycle = cycles.cycle_update(
        cycle=cycle,
        actor=coach.user,
        data={
            "pre_conference_notes": SECRETS[1],
            "debrief_notes": SECRETS[2],
            "goal": SECRETS[0] + "!",
        },
    )
    cycle = cycles.cycle_advance(cycle=cycle, actor=coach.user)
    cycle = cycles.cycle_advance(cycle=cycle, actor=coach.user)
    draft = observations.observation_create(
        district=cycle.district,
        actor=coach.user,
        kind=Kind.COACHING,
        observer=coach,
        cycle=cycle,
        rubric=o["rubric"],
        focus=SECRETS[4],
    )
    observations.observation_autosave(
        observation=draft,
        actor=coach.user,
        data={"notes": SECRETS[5], "strengths": SECRETS[6], "next_steps": SECRETS[7]},
        ratings={o["component"].pk: {"level": 4, "evidence": SECRETS[8]}},
    )
    observations.observation_share(observation=draft, actor=coach.user)
    observations.observation_acknowledge(observation=draft, actor=teacher.user, comment=SECRETS[9])
    cycles.cycle_reflect(cycle=cycle, actor=teacher.user, reflection=SECRETS[3])
    events = list(
        AuditEvent.objects.filter(
            object_type__in=["coaching.cycle", "coaching.observation"],
            object_id__in=[str(cycle.pk), str(draft.pk)],
        )
    )
    assert len(events) >= 8
    written = " ".join(
        f"{e.changes} {e.comment} {e.object_repr} {e.from_state} {e.to_state}" for e in events
    )
    for secret in [*SECRETS, "SECRET-LINK", "'level'"]:
        assert secret not in written, secret
    # As a word: a random last name such as "Chang" stands inside "Changed: notes".
    assert not re.search(rf"\b{re.escape(teacher.last_name)}\b", written), teacher.last_name
    # What it does keep: who, which, when, and the names of the fields that changed.
    assert "pre conference notes" in written and "debrief notes" in written
    assert "ratings" in written and "reflection" in written
    assert "observation" in written  # a stage
    assert str(teacher.pk) in written


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model, a, b",
    [(Cycle, "coach", "teacher"), (Observation, "observer", "teacher"), (Visit, "visitor", "host")],
)
def test_the_two_people_check_is_djangos_without_a_query(model, a, b, django_assert_num_queries):
    """Validation checks "two people" in Python: the same refusal as the database check."""
    (constraint,) = model._meta.constraints
    for first, second, refused in [(7, 7, True), (7, 8, False), (7, None, False)]:
        row = model(**{f"{a}_id": first, f"{b}_id": second})
        expected = None
        try:
            constraint.validate(model, row)
        except ValidationError as exc:
            expected = exc.messages
        assert (expected is not None) == refused
        with django_assert_num_queries(0):
            try:
                row.validate_constraints()
                got = None
            except ValidationError as exc:
                got = exc.messages
        assert got == expected
        # An excluded field skips the check, as Django's does.
        row.validate_constraints(exclude={a})


def _content(obs):
    obs.refresh_from_db()
    return (
        obs.status,
        obs.notes,
        obs.strengths,
        obs.next_steps,
        sorted(obs.marks.values_list("item_id", "seen")),
        sorted(obs.ratings.values_list("component_id", "level", "evidence")),
    )


def _trail(obs):
    return [(e.action, e.actor_id, e.changes, e.comment) for e in _events(obs)]


def test_a_draft_is_created_with_its_first_autosave_in_one_step(o, django_assert_num_queries):
    """The same draft and trail as creating it and then autosaving, in fewer queries, as
    many however many look-fors it marks."""
    look_for = factories.look_for(o["school"].district, items=["A", "B", "C", "D"])
    items = list(look_for.items.all())
    principal = o["principal"]
    text = {"notes": "Quiet start", "strengths": "Routines"}

    def walk(marks, **kw):
        return _walk(o, principal, look_for=look_for, data=text, marks=marks, **kw)

    apart = _walk(o, principal, look_for=look_for)
    marks = {items[0].pk: True, items[1].pk: False}
    observations.observation_autosave(
        observation=apart, actor=principal.user, data=text, marks=marks
    )
    together = walk(marks)
    assert _content(together) == _content(apart)
    assert _trail(together) == _trail(apart)
    assert [e[0] for e in _trail(together)] == ["create", "update"]
    with CaptureQueriesContext(connection) as one:
        walk({items[0].pk: True})
    with django_assert_num_queries(len(one)):
        walk({item.pk: i % 2 == 0 for i, item in enumerate(items)})
    # A coaching draft with its ratings, likewise.
    ratings = {o["component"].pk: {"level": 3, "evidence": "Wait time"}}
    first = _draft(o)
    observations.observation_autosave(
        observation=first, actor=o["coach"].user, data=text, ratings=ratings
    )
    observations.observation_share(observation=first, actor=o["coach"].user)
    second = _draft(o, data=text, ratings=ratings)
    observations.observation_share(observation=second, actor=o["coach"].user)
    assert _content(second) == _content(first)
    assert _trail(second) == _trail(first)
    # The autosave's rules hold: an item of another look-for is refused, and nothing is made.
    with pytest.raises(DomainError) as exc:
        walk({o["look_for_item"].pk: True})
    assert _code(exc) == "observation.item_not_in_look_for"
    # Only the observer writes the draft's content.
    with pytest.raises(DomainError) as exc:
        observations.observation_create(
            district=o["school"].district,
            actor=o["coach"].user,
            kind=Kind.WALKTHROUGH,
            observer=principal,
            teacher=o["teacher"],
            look_for=look_for,
            data=text,
        )
    assert _code(exc) == "observation.not_observer"
