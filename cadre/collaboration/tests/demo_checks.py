"""Checks of the demo district's collaboration part, run on one build by
cadre/tests/test_demo.py."""

import re

from django.db.models import Exists, OuterRef

from cadre.collaboration import selectors
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Meeting,
    Membership,
    Reflection,
    ResearchLesson,
)
from cadre.collaboration.transcript import group_lines
from cadre.districts import demo
from cadre.districts.access import actor_for
from cadre.districts.models import Assignment, District, Role, School, SchoolYear, Staff


def check(client, **_):
    """The demo has groups at every school with meetings check ins and evidence."""
    district = District.objects.get(slug="demo")
    year = SchoolYear.objects.get(district=district, is_current=True)
    today = district.today()
    assert district.group_hours  # meeting time shows on transcripts

    groups = Group.objects.filter(district=district)
    now = groups.filter(school_year=year)
    assert {g.kind for g in now} == set(Group.Kind)
    assert {g.support for g in now} == set(Group.Support)
    assert len({g.stage for g in now}) >= 4

    # Every school has a PLC this year that meets every other week and has a check-in; the
    # PLCs are teams of the school's own teachers, the facilitator among the members.
    plcs = now.filter(kind=Group.Kind.PLC)
    for school in School.objects.filter(district=district):
        mine = plcs.filter(school=school)
        assert 1 <= mine.count() <= 3, school
        assert any(g.meetings.count() >= 4 and g.check_ins.exists() for g in mine), school
    works_at = {
        (a.staff_id, a.school_id)
        for a in Assignment.objects.filter(district=district, school__isnull=False)
    }
    for group in plcs.prefetch_related("memberships"):
        members = {m.staff_id for m in group.memberships.all()}
        assert group.facilitator_id in members
        assert all((pk, group.school_id) in works_at for pk in members)
    meetings = Meeting.objects.filter(district=district, group__school_year=year)
    assert meetings.filter(held_on__gt=today).count() == 0
    assert {m.protocol for m in meetings} == {
        "",
        "tuning",
        "consultancy",
        "data_dialogue",
        "lesson_study",
    }
    spread = {m.held_on.isocalendar()[:2] for m in meetings.filter(group__kind=Group.Kind.PLC)}
    assert len(spread) >= 8  # every other week since the term began, not one day
    attendance = Attendance.objects.filter(district=district)
    assert attendance.filter(present=False).exists()
    assert attendance.filter(present=True).count() > 8 * attendance.filter(present=False).count()
    member = Membership.objects.filter(
        group_id=OuterRef("meeting__group_id"), staff_id=OuterRef("staff_id")
    )
    assert not attendance.exclude(Exists(member)).exists()  # attendance is of members
    reflections = Reflection.objects.filter(district=district)
    assert reflections.count() >= 50
    present = Attendance.objects.filter(
        meeting_id=OuterRef("meeting_id"), staff_id=OuterRef("staff_id"), present=True
    )
    assert not reflections.exclude(Exists(present)).exists()  # by members who were there
    assert meetings.exclude(decisions="").exclude(next_steps="").exclude(agenda="").exists()

    # No student is named in the work examined: none of the names the demo gives people.
    names = set(demo.FIRST) | set(demo.LAST)
    for text in Meeting.objects.filter(district=district).values_list("student_work", flat=True):
        words = set(re.findall(r"[A-Z][a-z]+", text))
        assert not words & names, text

    # The principal's school view: most groups checked in on, some overdue.
    principal = Staff.objects.get(email="principal@riverbend.example")
    rows = selectors.check_in_status(actor_for(principal.user), year)
    assert any(r.overdue for r in rows) and any(not r.overdue for r in rows)
    admin = actor_for(Staff.objects.get(email="admin@riverbend.example").user)
    overdue = selectors.overdue_count(admin, year)
    assert 1 <= overdue < now.count() / 2
    assert CheckIn.objects.filter(district=district, needs_changed=True).exists()
    assert not CheckIn.objects.filter(district=district, held_on__gt=today).exists()

    # Lesson study: research lessons at every stage, the public ones with observers (never
    # their own teacher); one revised.
    lessons = ResearchLesson.objects.filter(district=district).prefetch_related("observers")
    assert {lesson.stage for lesson in lessons} == set(ResearchLesson.Stage)
    assert now.filter(kind=Group.Kind.LESSON_STUDY).count() == 2
    for lesson in lessons:
        assert lesson.group.memberships.filter(staff=lesson.teacher).exists()
        if lesson.stage != ResearchLesson.Stage.PLANNING:
            observers = set(lesson.observers.all())
            assert observers and lesson.teacher not in observers and lesson.taught_on <= today
    revised = lessons.get(stage=ResearchLesson.Stage.REVISED)
    assert revised.plan and revised.debrief and revised.revision

    # Across schools: two critical friends groups (one online) and a book study.
    cross = now.filter(school__isnull=True)
    friends = cross.filter(kind=Group.Kind.CRITICAL_FRIENDS)
    assert friends.count() == 2
    online = friends.get(is_virtual=True)
    assert online.meeting_link.startswith("https://")
    assert cross.filter(kind=Group.Kind.BOOK_STUDY).exists()
    for group in cross:
        assert len({m.school_id for m in group.memberships.all()}) >= 3

    # Last year's groups: closed with evidence over the minimum group size, and judged.
    last = groups.exclude(school_year=year)
    assert last.count() >= 5
    assert all(g.status == Group.Status.CLOSED and g.closed_on for g in last)
    assert all(g.effectiveness and g.judged_by_id and g.judged_on for g in last)
    assert len({g.effectiveness for g in last}) >= 2
    evidence = Evidence.objects.filter(district=district)
    assert evidence.filter(group__in=last).count() >= len(last)
    assert all(e.students >= district.min_group_size for e in evidence)

    # The demo teacher is in a PLC at her school, reflects, and earns group hours.
    teacher = Staff.objects.get(email="teacher@riverbend.example")
    mine = selectors.my_groups(actor_for(teacher.user), year)
    assert mine.filter(kind=Group.Kind.PLC).exists()
    assert reflections.filter(staff=teacher).exists()
    assert group_lines(actor_for(teacher.user), district, teacher)
    assert Group.objects.filter(
        district=district, facilitator__email="coach@riverbend.example", school_year=year
    ).exists()
    assert (
        Role.INSTRUCTIONAL_COACH
        in actor_for(Staff.objects.get(email="coach@riverbend.example").user).roles
    )
