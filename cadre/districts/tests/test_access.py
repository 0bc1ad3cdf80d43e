from datetime import timedelta

import pytest
from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scope, scopes_disabled
from django_scopes.exceptions import ScopeError
from django_scopes.state import state

from cadre.districts import access
from cadre.districts.factories import AssignmentFactory
from cadre.districts.models import Role, School, Staff

pytestmark = pytest.mark.django_db


def _actor(world, key):
    return access.actor_for(world.obj(key).user)


def test_unscoped_query_fails_loudly(world):
    token = state.set({})  # as in a request with no district: no scope at all
    try:
        with pytest.raises(ScopeError):
            list(Staff.objects.all())
    finally:
        state.reset(token)
    with scope(district=world.a.pk):
        assert all(s.district_id == world.a.pk for s in Staff.objects.all())
    with scopes_disabled():
        assert Staff.objects.filter(district=world.b).exists()


def test_admin_sees_the_whole_district_and_nothing_else(world):
    actor = _actor(world, "a.admin")
    seen = set(access.visible(actor, Staff).values_list("pk", flat=True))
    assert seen == set(Staff.objects.filter(district=world.a).values_list("pk", flat=True))


def test_principal_sees_their_school_and_themselves(world):
    actor = _actor(world, "a.principal")
    seen = set(access.visible(actor, Staff))
    assert seen == {
        world.obj("a.principal"),
        world.obj("a.teacher"),
        world.obj("a.new_teacher"),
        world.obj("a.second_new_teacher"),
        world.obj("a.coach"),  # the instructional coach at the principal's school
    }


def test_director_sees_program_staff(world):
    actor = _actor(world, "a.director")
    assert set(access.visible(actor, Staff)) == {
        world.obj("a.director"),
        world.obj("a.program_teacher"),
    }


def test_teacher_sees_only_themselves(world):
    actor = _actor(world, "a.teacher")
    assert list(access.visible(actor, Staff)) == [world.obj("a.teacher")]


def test_ended_assignment_no_longer_grants_visibility(world):
    principal = world.obj("a.principal")
    assignment = principal.assignments.get()
    assignment.end_date = world.a.today() - timedelta(days=1)
    assignment.save()
    actor = access.actor_for(principal.user)
    assert actor.led_school_ids == frozenset()
    assert list(access.visible(actor, Staff)) == [principal]


def test_assistant_principal_leads_their_school(world):
    ap = world.obj("a.teacher")
    AssignmentFactory(staff=ap, role=Role.ASSISTANT_PRINCIPAL, school=world.obj("a.school"))
    actor = access.actor_for(ap.user)
    assert actor.led_school_ids == {world.obj("a.school").pk}


def test_other_district_is_404_and_change_without_right_is_403(world):
    teacher = _actor(world, "a.teacher")
    with pytest.raises(Http404):
        access.get_visible_or_404(teacher, School, pk=world.obj("b.school").pk)
    school = access.get_visible_or_404(teacher, School, pk=world.obj("a.school").pk)
    assert not access.can(teacher, "change", school)
    assert not access.can(_actor(world, "a.admin"), "change", world.obj("b.school"))
    assert access.can(_actor(world, "a.admin"), "change", school)


def test_inactive_staff_has_no_actor(world):
    teacher = world.obj("a.teacher")
    teacher.is_active = False
    teacher.save()
    assert access.actor_for(teacher.user) is None


def test_unregistered_model_is_an_error(world):
    from cadre.districts.models import RosterClass

    with pytest.raises(LookupError):
        access.visible(_actor(world, "a.admin"), RosterClass)


def test_primary_role(world):
    assert _actor(world, "a.admin").primary_role == Role.DISTRICT_ADMIN
    assert _actor(world, "a.principal").primary_role == Role.PRINCIPAL
    assert _actor(world, "a.director").primary_role == Role.PROGRAM_DIRECTOR
    assert _actor(world, "a.teacher").primary_role == Role.TEACHER


def test_an_action_nobody_registered_is_an_error_not_a_refusal(world):
    admin, school = _actor(world, "a.admin"), world.obj("a.school")
    with pytest.raises(LookupError, match="'chnage' on School"):
        access.can(admin, "chnage", school)
    with pytest.raises(LookupError, match="'chnage' on School"):
        access.require(admin, "chnage", School)
    # Even where the answer would be no anyway: no actor, or a row of another district.
    with pytest.raises(LookupError):
        access.can(None, "chnage", School)
    with pytest.raises(LookupError):
        access.can(admin, "chnage", world.obj("b.school"))
    assert access.can(admin, "change", school)


def test_units_are_the_schools_led_and_programs_directed(world):
    from cadre.districts.factories import ProgramFactory, SchoolFactory

    school, other, program = (world.obj(k) for k in ("a.school", "a.other_school", "a.program"))
    closed = SchoolFactory(district=world.a, name="Aaa closed", is_active=False)
    ProgramFactory(district=world.b)  # never seen from district A
    AssignmentFactory(staff=world.obj("a.principal"), role=Role.PRINCIPAL, school=closed)

    def ids(units):
        return list(units.schools.values_list("pk", flat=True)), list(
            units.programs.values_list("pk", flat=True)
        )

    admin = access.units(_actor(world, "a.admin"))
    by_name = sorted([school, other], key=lambda s: s.name)
    assert ids(admin) == ([s.pk for s in by_name], [program.pk])
    principal = _actor(world, "a.principal")
    assert ids(access.units(principal)) == ([school.pk], [])
    assert ids(access.units(principal, active=None)) == ([closed.pk, school.pk], [])
    assert ids(access.units(principal, every=True)) == ids(admin)
    assert ids(access.units(_actor(world, "a.director"))) == ([], [program.pk])
    teacher = _actor(world, "a.teacher")
    assert ids(access.units(teacher)) == ([], [])
    assert ids(access.units(teacher, worked=True)) == ([school.pk], [])
    assert ids(access.units(_actor(world, "a.program_teacher"), worked=True)) == ([], [program.pk])


def test_get_visible_or_404_knows_django_errors_by_class_not_by_name(world):
    class DoesNotExist(Exception):
        """Not Django's: a name alone must not turn a fault into a 404."""

    class Faulty(QuerySet):
        def get(self, *args, **kwargs):
            raise DoesNotExist

    class Duplicated(QuerySet):
        def get(self, *args, **kwargs):
            raise School.MultipleObjectsReturned

    admin = _actor(world, "a.admin")
    with pytest.raises(DoesNotExist):
        access.get_visible_or_404(admin, Faulty(School), pk=world.obj("a.school").pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(admin, Duplicated(School), pk=world.obj("a.school").pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(admin, School, pk=world.obj("b.school").pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(admin, School, pk="not a number")


def test_require_says_why_in_the_callers_words(world):
    from django.core.exceptions import PermissionDenied

    teacher, school = _actor(world, "a.teacher"), world.obj("a.school")
    with pytest.raises(PermissionDenied, match="^You may not change this.$"):
        access.require(teacher, "change", school)
    with pytest.raises(PermissionDenied, match="^Only administrators rename schools.$"):
        access.require(teacher, "change", school, message="Only administrators rename schools.")
    access.require(_actor(world, "a.admin"), "change", school, message="never shown")
