"""Experience unknown is not zero: the selectors that count new teachers and staff whose
experience is unknown."""

from datetime import timedelta

import pytest

from cadre.districts import selectors
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, StaffFactory, staff_with_role
from cadre.districts.models import Role, Staff

pytestmark = pytest.mark.django_db


def _teacher(world, school_key="a.school", **staff) -> Staff:
    return staff_with_role(Role.TEACHER, school=world.obj(school_key), **staff)


def _admin(world):
    return actor_for(world.obj("a.admin").user)


def _new(actor) -> set[int]:
    return set(selectors.new_teachers(actor).values_list("pk", flat=True))


def test_unknown_experience_is_never_a_new_teacher(world):
    unknown = _teacher(world, contracted_days=None, substitute_days=None)
    assert (unknown.experience_known, unknown.experience_days) == (False, None)
    assert not unknown.is_new_teacher
    actor = _admin(world)
    assert unknown.pk not in _new(actor)
    assert unknown in selectors.staff_list(actor, new_teacher=False)
    assert unknown not in selectors.staff_list(actor, new_teacher=True)


@pytest.mark.parametrize(
    ("contracted", "substitute", "is_new"),
    [(None, 89, True), (89, None, True), (None, 90, False), (90, None, False), (0, 0, True)],
)
def test_one_known_figure_counts_the_other_as_none(world, contracted, substitute, is_new):
    """The database agrees with `Staff.is_new_teacher`, blanks included."""
    staff = _teacher(world, contracted_days=contracted, substitute_days=substitute)
    assert staff.is_new_teacher is is_new
    assert (staff.pk in _new(_admin(world))) is is_new


def test_unknown_experience_counts_active_teachers_teaching_now(world):
    actor = _admin(world)
    before = selectors.unknown_experience(actor).count()
    counted = _teacher(world, contracted_days=None, substitute_days=None)
    _teacher(world, "a.other_school", contracted_days=None, substitute_days=None)
    # Not counted: known experience, not teaching, no longer active, an ended assignment,
    # another district.
    _teacher(world, contracted_days=None, substitute_days=12)
    staff_with_role(
        Role.COUNSELOR, school=world.obj("a.school"), contracted_days=None, substitute_days=None
    )
    gone = _teacher(world, contracted_days=None, substitute_days=None)
    Staff.objects.filter(pk=gone.pk).update(is_active=False)
    ended = StaffFactory(district=world.a, unknown_experience=True)
    AssignmentFactory(
        staff=ended,
        school=world.obj("a.school"),
        end_date=world.a.today() - timedelta(days=1),
    )
    staff_with_role(
        Role.TEACHER, school=world.obj("b.school"), contracted_days=None, substitute_days=None
    )
    assert selectors.unknown_experience(actor).count() == before + 2
    assert counted in selectors.unknown_experience(actor)
    # A principal sees their own school's; a teacher, only themselves.
    principal = actor_for(world.obj("a.principal").user)
    assert list(selectors.unknown_experience(principal)) == [counted]
    assert not selectors.unknown_experience(actor_for(world.obj("a.teacher").user)).exists()


def test_unknown_experience_count_is_one_query_whatever_the_numbers(
    world, django_assert_num_queries
):
    actor = _admin(world)
    with django_assert_num_queries(1):
        few = selectors.unknown_experience(actor).count()
    for _ in range(15):
        _teacher(world, contracted_days=None, substitute_days=None)
    with django_assert_num_queries(1):
        assert selectors.unknown_experience(actor).count() == few + 15
