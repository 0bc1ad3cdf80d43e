"""The group reads: who sees which groups, theirs first, with their figures; the school view's
overdue flag at the edge of the interval, from creation when there is no check-in, never for a
closed group; meeting details; members' clock hours; the effectiveness summary with its
suppression; and a fixed number of queries for each."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cadre.collaboration import selectors
from cadre.collaboration.factories import evidence, meeting, new_group
from cadre.collaboration.models import CheckIn, Group
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.districts.access import actor_for
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


def actor(o, who):
    return actor_for(o[who].user)


def names(qs):
    return [g.name for g in qs]


def queries(call) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def created(group, days_ago: int):
    """Date the group's creation `days_ago` days back (noon in the district's zone)."""
    district = group.district
    day = district.today() - timedelta(days=days_ago)
    at = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 12), district.tz)
    Group.objects.filter(pk=group.pk).update(created_at=at)


def check_in(group, by, days_ago: int):
    return CheckIn.objects.create(
        district=group.district,
        group=group,
        by=by,
        held_on=group.district.today() - timedelta(days=days_ago),
    )


# --- who sees which groups -------------------------------------------------------------------


def test_each_role_sees_its_groups_its_own_first(o):
    plc, lesson, cross = (
        "Grade 3 reading PLC",
        "Fractions lesson study",
        "Middle-years critical friends",
    )
    assert names(selectors.groups(actor(o, "teacher"))) == [lesson, plc]
    assert names(selectors.groups(actor(o, "principal"))) == [lesson, plc]
    assert names(selectors.groups(actor(o, "director"))) == []
    assert names(selectors.groups(actor(o, "admin"))) == [lesson, plc, cross]
    assert names(selectors.groups(actor(o, "other_teacher"))) == [cross]
    # The critical friends group is not the principal's until one of their staff joins it.
    group_services.member_add(group=o["cross_group"], actor=None, staff=o["new_teacher"])
    assert names(selectors.groups(actor(o, "principal"))) == [lesson, plc, cross]
    # Theirs first: the admin joins the PLC.
    group_services.group_join(group=o["group"], actor=None, staff=o["admin"])
    assert names(selectors.groups(actor(o, "admin")))[0] == plc


def test_the_list_carries_figures_and_filters(o):
    teacher = actor(o, "teacher")
    plc = next(g for g in selectors.groups(teacher) if g.pk == o["group"].pk)
    assert plc.is_mine and plc.member_count == 2
    assert plc.last_meeting == o["group_meeting"].held_on
    assert plc.last_check_in == o["check_in"].held_on
    admin = actor(o, "admin")
    assert names(selectors.groups(admin, kind="lesson_study")) == ["Fractions lesson study"]
    assert names(selectors.groups(admin, q="reading plc")) == ["Grade 3 reading PLC"]
    assert names(selectors.groups(admin, q="writing")) == ["Middle-years critical friends"]
    assert names(selectors.groups(admin, status="closed")) == []
    # A school's groups include the cross-school groups its people belong to.
    assert names(selectors.groups(admin, school=o["other_school"].pk)) == [
        "Middle-years critical friends"
    ]
    assert len(names(selectors.groups(admin, school=o["school"].pk))) == 2
    assert names(selectors.groups(admin, year=o["year"])) == names(selectors.groups(admin))


def test_the_list_takes_a_fixed_number_of_queries(o):
    admin = actor(o, "admin")
    few = queries(lambda: list(selectors.groups(admin)))
    for i in range(5):
        group = new_group(
            facilitator=o["teacher"], year=o["year"], school=o["school"], name=f"PLC {i}"
        )
        meeting(group)
        check_in(group, o["principal"], 3)
    assert queries(lambda: list(selectors.groups(admin))) == few == 1


def test_group_detail_prefetches_and_hides_from_outsiders(o):
    teacher = actor(o, "teacher")
    pk = o["group"].pk

    def read():
        group = selectors.group_detail(teacher, pk)
        return (
            [m.staff.full_name for m in group.member_list],
            [m.present_count for m in group.meeting_list],
            [c.by.full_name for c in group.check_in_list],
            group.goal_list,
            group.lesson_list,
            group.evidence_list,
        )

    count = queries(read)
    assert read()[1] == [2]
    meeting(o["group"])
    check_in(o["group"], o["principal"], 1)
    assert queries(read) == count
    with pytest.raises(Http404):
        selectors.group_detail(actor(o, "director"), pk)


def test_meeting_detail_prefetches_its_register_reflections_and_files(o):
    teacher = actor(o, "teacher")
    pk = o["group_meeting"].pk

    def read():
        m = selectors.meeting_detail(teacher, pk)
        return (
            [(a.staff.full_name, a.present) for a in m.register],
            [r.staff.full_name for r in m.reflection_list],
            [s.name for s in m.sample_list],
            m.group.school.name,
        )

    count = queries(read)
    assert read()[2] == ["exit-tickets.pdf"]
    meeting_services.reflection_save(
        meeting=o["group_meeting"], actor=None, staff=o["new_teacher"], text="Noted"
    )
    assert queries(read) == count <= 5
    with pytest.raises(Http404):
        selectors.meeting_detail(actor(o, "director"), pk)
    with pytest.raises(Http404):
        selectors.work_sample(actor(o, "director"), o["work_sample"].pk)


def test_meetings_awaiting_a_members_reflection(o):
    m = o["group_meeting"]  # the teacher reflected; the new teacher not yet
    assert list(selectors.awaiting_reflection(actor(o, "new_teacher"), o["year"])) == [m]
    assert list(selectors.awaiting_reflection(actor(o, "teacher"))) == []
    absent = meeting(o["group"], present=[o["teacher"]])
    assert absent not in selectors.awaiting_reflection(actor(o, "new_teacher"))
    meeting_services.reflection_save(meeting=m, actor=None, staff=o["new_teacher"], text="Done")
    assert list(selectors.awaiting_reflection(actor(o, "new_teacher"))) == []


# --- the school view of check-ins ------------------------------------------------------------


def _row(rows, group):
    return next(r for r in rows if r.group.pk == group.pk)


def test_overdue_after_more_than_the_interval_since_the_last_check_in(o):
    principal, group = actor(o, "principal"), o["group"]
    interval = group.district.check_in_days  # 28 by default
    CheckIn.objects.filter(group=group).delete()
    check_in(group, o["principal"], interval)
    row = _row(selectors.check_in_status(principal, o["year"]), group)
    assert (row.days_since, row.overdue) == (interval, False)  # exactly the interval
    CheckIn.objects.filter(group=group).update(
        held_on=group.district.today() - timedelta(days=interval + 1)
    )
    row = _row(selectors.check_in_status(principal, o["year"]), group)
    assert (row.days_since, row.overdue) == (interval + 1, True)  # a day past it
    assert row.last_check_in == group.district.today() - timedelta(days=interval + 1)


def test_without_a_check_in_the_interval_runs_from_creation(o):
    principal, group = actor(o, "principal"), o["lesson_group"]  # never checked in with
    interval = group.district.check_in_days
    created(group, interval)
    row = _row(selectors.check_in_status(principal, o["year"]), group)
    assert row.last_check_in is None and row.since == group.district.today() - timedelta(
        days=interval
    )
    assert not row.overdue
    created(group, interval + 1)
    assert _row(selectors.check_in_status(principal, o["year"]), group).overdue
    assert selectors.overdue_count(principal, o["year"]) == 1
    district = group.district
    district.check_in_days = interval + 5
    district.save()
    assert not _row(selectors.check_in_status(actor(o, "principal"), o["year"]), group).overdue


def test_a_closed_group_is_never_overdue(o):
    principal, group = actor(o, "principal"), o["group"]
    CheckIn.objects.filter(group=group).delete()
    created(group, 400)
    assert _row(selectors.check_in_status(principal, o["year"]), group).overdue
    evidence(group)
    group_services.group_close(group=group, actor=None)
    row = _row(selectors.check_in_status(principal, o["year"]), group)
    assert not row.overdue and row.days_since == 400
    assert selectors.overdue_count(principal, o["year"]) == 0


def test_the_school_view_lists_the_groups_a_leader_follows_overdue_first(o):
    principal = actor(o, "principal")
    created(o["lesson_group"], 60)
    rows = selectors.check_in_status(principal, o["year"])
    assert [r.group.name for r in rows] == ["Fractions lesson study", "Grade 3 reading PLC"]
    assert [r.overdue for r in rows] == [True, False] and all(r.leads for r in rows)
    # The admin sees every group, checks in with none of them.
    every = selectors.check_in_status(actor(o, "admin"), o["year"])
    assert len(every) == 3 and not any(r.leads for r in every)
    only = selectors.check_in_status(actor(o, "admin"), o["year"], o["other_school"].pk)
    assert [r.group.name for r in only] == ["Middle-years critical friends"]
    # A teacher leads no school: they follow nothing.
    assert selectors.check_in_status(actor(o, "teacher"), o["year"]) == []


def test_the_school_view_takes_a_fixed_number_of_queries(o):
    principal = actor(o, "principal")
    group_services.member_add(group=o["cross_group"], actor=None, staff=o["new_teacher"])
    few = queries(lambda: selectors.check_in_status(principal, o["year"]))
    for i in range(4):
        group = new_group(facilitator=o["other_teacher"], year=o["year"], name=f"Cross {i}")
        group_services.member_add(group=group, actor=None, staff=o["teacher"])
        check_in(group, o["principal"], i)
    assert queries(lambda: selectors.check_in_status(principal, o["year"])) == few == 2
    assert queries(lambda: selectors.overdue_count(principal, o["year"])) == 1


# --- clock hours, effectiveness, the report --------------------------------------------------


def test_member_hours_count_meetings_attended_by_the_credit_rules(o):
    group = o["group"]
    assert selectors.member_hours(group) is None  # the district does not credit group time
    district = group.district
    district.group_hours = True
    district.save()
    group.refresh_from_db()
    meeting(group, present=[o["teacher"]], minutes=90)
    meeting(group, minutes=45)  # shorter than the 60-minute minimum: no hours
    hours = selectors.member_hours(group)
    assert hours == {o["teacher"].pk: D("2.50"), o["new_teacher"].pk: D("1.00")}
    assert queries(lambda: selectors.member_hours(group)) == 1


def test_effectiveness_by_kind_and_judgement_with_suppressed_figures(o, world):
    district = world.a
    minimum = district.min_group_size  # 10
    evidence(o["group"], students=minimum, before="40", after="65")
    evidence(o["group"], students=minimum - 1, measure="Small group")
    group_services.group_judge(
        group=o["group"], actor=None, by=o["principal"], effectiveness="effective"
    )
    count = queries(lambda: selectors.effectiveness(district, o["year"]))
    summary = selectors.effectiveness(district, o["year"])
    assert count == 2
    kinds = {k.kind: k for k in summary.kinds}
    assert set(kinds) == {"plc", "lesson_study", "critical_friends"}
    assert kinds["plc"].counts["effective"] == 1 and kinds["lesson_study"].counts[""] == 1
    assert summary.totals == {"": 2, "effective": 1, "partly": 0, "not_effective": 0}
    (outcome,) = summary.outcomes
    shown, hidden = outcome.evidence
    assert (shown.shown, shown.before, shown.after, shown.change) == (True, D(40), D(65), D(25))
    assert (hidden.shown, hidden.before, hidden.after, hidden.change) == (False, None, None, None)
    # Narrowed to a leader's groups.
    mine = selectors.effectiveness(
        district, o["year"], groups=selectors.followed(actor(o, "principal"), o["year"])
    )
    assert {k.kind for k in mine.kinds} == {"plc", "lesson_study"}


def test_stage_rows_count_groups_and_meetings_by_kind(o):
    rows = {r.kind: r for r in selectors.stage_rows(actor(o, "admin"), o["year"])}
    assert rows["plc"].stages["data"] == 1 and rows["plc"].meetings == 1
    assert rows["plc"].minutes == 60 and rows["lesson_study"].stages["question"] == 1
    evidence(o["group"])
    group_services.group_close(group=o["group"], actor=None)
    rows = {r.kind: r for r in selectors.stage_rows(actor(o, "principal"), o["year"])}
    assert rows["plc"].closed == 1 and rows["plc"].stages["data"] == 0
    assert "critical_friends" not in rows  # not the principal's


def test_people_and_creatable_schools(o):
    district = o["school"].district
    here = set(selectors.people(district, schools=[o["school"].pk]).values_list("pk", flat=True))
    assert {o["teacher"].pk, o["principal"].pk, o["admin"].pk} <= here
    assert o["other_teacher"].pk not in here
    assert list(selectors.creatable_schools(actor(o, "principal"))) == [o["school"]]
    assert list(selectors.creatable_schools(actor(o, "teacher"))) == []
    coach = staff_with_role(Role.INSTRUCTIONAL_COACH, school=o["other_school"])
    assert list(selectors.creatable_schools(actor_for(coach.user))) == [o["other_school"]]
