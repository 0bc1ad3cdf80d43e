"""The group services: who may be facilitator and member, the cycle of inquiry, closing and
reopening, meetings with attendance and student-work files, reflections, research lessons,
check-ins, evidence and the effectiveness judgement; every write audited, text kept out of
the audit trail, and a closed group refusing changes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.audit.models import AuditEvent
from cadre.collaboration.factories import PNG, evidence, meeting, new_group, upload
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Evidence,
    Group,
    Membership,
    Reflection,
    ResearchLesson,
    WorkSample,
)
from cadre.collaboration.services import check_ins as check_in_services
from cadre.collaboration.services import evidence as evidence_services
from cadre.collaboration.services import groups as group_services
from cadre.collaboration.services import lessons as lesson_services
from cadre.collaboration.services import meetings as meeting_services
from cadre.core import attachments
from cadre.core.errors import Conflict, DomainError
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


def code(exc_info) -> str:
    return exc_info.value.code


def events(obj, action=None, pk=None):
    qs = AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(pk or obj.pk))
    return (qs.filter(action=action) if action else qs).order_by("at", "id")


def days(n: int):
    return timedelta(days=n)


# --- groups and members ----------------------------------------------------------------------


def test_create_makes_the_facilitator_a_member_and_records_schools(o):
    group = new_group(
        facilitator=o["teacher"],
        year=o["year"],
        school=o["school"],
        members=[o["new_teacher"], o["other_teacher"], o["teacher"]],
        actor=o["principal"].user,
    )
    schools = dict(Membership.objects.filter(group=group).values_list("staff_id", "school_id"))
    assert schools == {
        o["teacher"].pk: o["school"].pk,
        o["new_teacher"].pk: o["school"].pk,
        o["other_teacher"].pk: o["other_school"].pk,
    }
    assert group.created_by == o["principal"].user
    assert events(group, "create").get().changes["facilitator"] == [None, str(o["teacher"])]
    assert AuditEvent.objects.filter(object_type="collaboration.membership").count() >= 3


def _joined(group):
    """The group's members, and their audit events, as one member added alone has them."""
    rows = sorted(
        Membership.objects.filter(group=group).values_list("staff_id", "school_id", "joined_on")
    )
    trail = sorted(
        (e.action, e.actor_id, e.object_repr, sorted(e.changes.items()), e.comment)
        for e in AuditEvent.objects.filter(
            object_type="collaboration.membership",
            object_id__in=[str(m.pk) for m in group.memberships.all()],
        )
    )
    return rows, trail


def test_a_new_groups_members_join_together(o, django_assert_num_queries):
    """The same members and audit events as adding each alone, in as many queries however
    many join."""
    people = [o["new_teacher"], o["other_teacher"]]
    actor = o["principal"].user

    def make(members, name):
        return new_group(
            facilitator=o["teacher"],
            year=o["year"],
            school=o["school"],
            members=members,
            actor=actor,
            name=name,
        )

    apart = make([], "Apart")
    for person in people:
        group_services.member_add(group=apart, actor=actor, staff=person)
    together = make(people, "Together")
    rows, trail = _joined(together)
    assert rows == _joined(apart)[0]
    assert trail == [
        (
            a,
            u,
            r.replace("Apart", "Together"),
            [
                (k, [b, v.replace("Apart", "Together") if isinstance(v, str) else v])
                for k, (b, v) in ch
            ],
            c,
        )
        for a, u, r, ch, c in _joined(apart)[1]
    ]
    with CaptureQueriesContext(connection) as one:
        make([o["new_teacher"]], "One")
    with django_assert_num_queries(len(one)):
        make([o["new_teacher"], o["other_teacher"], o["principal"]], "Three")


def test_a_school_groups_facilitator_works_there_or_district_wide(o):
    with pytest.raises(DomainError) as refused:
        new_group(facilitator=o["other_teacher"], year=o["year"], school=o["school"])
    assert code(refused) == "group.facilitator_elsewhere" and refused.value.field == "facilitator"
    # A district administrator (a district-wide assignment) and a program teacher may.
    assert new_group(facilitator=o["admin"], year=o["year"], school=o["school"]).pk
    assert new_group(facilitator=o["program_teacher"], year=o["year"], school=o["school"]).pk
    # A cross-school group takes anyone active in the district.
    assert new_group(facilitator=o["other_teacher"], year=o["year"]).school is None


def test_facilitators_and_members_belong_to_the_district_and_are_active(world, o):
    with pytest.raises(DomainError) as refused:
        new_group(facilitator=world.b_objects["teacher"], year=o["year"])
    assert code(refused) == "district.mismatch"
    gone = staff_with_role(Role.TEACHER, school=o["school"], is_active=False)
    with pytest.raises(DomainError) as refused:
        new_group(facilitator=gone, year=o["year"], school=o["school"])
    assert code(refused) == "group.facilitator_inactive"
    with pytest.raises(DomainError) as refused:
        group_services.member_add(group=o["group"], actor=None, staff=gone)
    assert code(refused) == "group.member_inactive"


def test_goals_are_published_goals_of_the_school_or_district(o):
    group = new_group(facilitator=o["teacher"], year=o["year"], school=o["school"])
    group_services.group_update(group=group, actor=None, data={}, goals=[o["school_goal"]])
    assert list(group.goals.all()) == [o["school_goal"]]
    assert events(group, "update").filter(changes__has_key="goals").exists()
    with pytest.raises(DomainError) as refused:
        group_services.group_update(group=group, actor=None, data={}, goals=[o["draft_goal"]])
    assert code(refused) == "group.goal_invalid"
    # Moving the group to another school leaves its school goal behind: refused.
    with pytest.raises(DomainError) as refused:
        group_services.group_update(
            group=group,
            actor=None,
            data={"school": o["other_school"], "facilitator": o["other_teacher"]},
        )
    assert code(refused) == "group.goal_invalid"


def test_a_new_facilitator_becomes_a_member(o):
    group = o["lesson_group"]
    colleague = staff_with_role(Role.TEACHER, school=o["school"])
    group_services.group_update(group=group, actor=None, data={"facilitator": colleague})
    assert Membership.objects.filter(group=group, staff=colleague).exists()
    assert events(group, "update").get().changes["facilitator"] == [
        str(o["teacher"]),
        str(colleague),
    ]


def test_members_join_once_and_the_facilitator_stays(o):
    group = o["group"]
    with pytest.raises(Conflict) as twice:
        group_services.member_add(group=group, actor=None, staff=o["new_teacher"])
    assert code(twice) == "group.already_member"
    with pytest.raises(DomainError) as refused:
        group_services.member_remove(group=group, actor=None, staff=o["teacher"])
    assert code(refused) == "group.facilitator_member"
    with pytest.raises(DomainError) as refused:
        group_services.member_remove(group=group, actor=None, staff=o["other_teacher"])
    assert code(refused) == "group.not_member"
    group_services.member_remove(group=group, actor=None, staff=o["new_teacher"])
    assert not Membership.objects.filter(group=group, staff=o["new_teacher"]).exists()
    # Their attendance stays on the meeting's register.
    assert Attendance.objects.filter(meeting=o["group_meeting"], staff=o["new_teacher"]).exists()


def test_the_principal_joins_and_leaves(o):
    group = o["group"]
    joined = group_services.group_join(group=group, actor=o["principal"].user, staff=o["principal"])
    assert joined.school == o["school"]
    assert events(joined).get().comment == "Joined"
    group_services.group_leave(group=group, actor=o["principal"].user, staff=o["principal"])
    assert not Membership.objects.filter(group=group, staff=o["principal"]).exists()
    with pytest.raises(DomainError) as refused:
        group_services.group_leave(group=group, actor=None, staff=o["teacher"])
    assert code(refused) == "group.facilitator_member"


def test_the_stage_moves_forward_or_back_and_is_audited(o):
    group = o["group"]  # at the data stage
    group_services.group_stage(group=group, actor=None, to="implement", note="Trying it")
    group_services.group_stage(group=group, actor=None, to="question")
    moves = list(events(group, "transition").values_list("from_state", "to_state", "comment"))
    assert moves == [("data", "implement", "Trying it"), ("implement", "question", "")]
    with pytest.raises(DomainError) as refused:
        group_services.group_stage(group=group, actor=None, to="question")
    assert code(refused) == "group.stage_same"
    with pytest.raises(DomainError) as refused:
        group_services.group_stage(group=group, actor=None, to="done")
    assert code(refused) == "group.stage_invalid"


def test_closing_needs_evidence_except_for_a_book_study(o):
    group = o["group"]
    with pytest.raises(Conflict) as refused:
        group_services.group_close(group=group, actor=None)
    assert code(refused) == "group.evidence_required"
    evidence(group)
    closed = group_services.group_close(group=group, actor=None, note="Cycle done")
    assert closed.status == "closed" and closed.closed_on == group.district.today()
    assert events(group, "transition").get().to_state == "closed"
    books = new_group(
        facilitator=o["teacher"], year=o["year"], school=o["school"], kind="book_study"
    )
    assert group_services.group_close(group=books, actor=None).status == "closed"
    with pytest.raises(DomainError) as future:
        group_services.group_close(
            group=new_group(facilitator=o["teacher"], year=o["year"], kind="book_study"),
            actor=None,
            closed_on=group.district.today() + days(1),
        )
    assert code(future) == "group.close_future"


def test_a_closed_group_refuses_changes_but_takes_the_judgement(o):
    group = o["group"]
    evidence(group)
    group_services.group_close(group=group, actor=None)
    refusals = [
        lambda: group_services.member_add(group=group, actor=None, staff=o["principal"]),
        lambda: group_services.group_stage(group=group, actor=None, to="evidence"),
        lambda: meeting(group),
        lambda: meeting_services.meeting_update(
            meeting=o["group_meeting"], actor=None, data={"minutes": 30}
        ),
        lambda: meeting_services.reflection_save(
            meeting=o["group_meeting"], actor=None, staff=o["new_teacher"], text="Late"
        ),
        lambda: check_in_services.check_in_create(
            group=group, actor=None, by=o["principal"], data={"held_on": group.district.today()}
        ),
        lambda: check_in_services.check_in_update(check_in=o["check_in"], actor=None, data={}),
        lambda: evidence(group),
        lambda: evidence_services.evidence_remove(evidence=group.evidence.first(), actor=None),
        lambda: group_services.group_update(group=group, actor=None, data={"name": "Renamed"}),
        lambda: group_services.group_close(group=group, actor=None),
    ]
    for attempt in refusals:
        with pytest.raises(Conflict) as refused:
            attempt()
        assert code(refused) == "group.closed"
    judged = group_services.group_judge(
        group=group, actor=o["principal"].user, by=o["principal"], effectiveness="effective"
    )
    assert judged.effectiveness == "effective" and judged.judged_by == o["principal"]


def test_reopening_withdraws_the_judgement(o):
    group = o["group"]
    with pytest.raises(Conflict) as refused:
        group_services.group_reopen(group=group, actor=None)
    assert code(refused) == "group.not_closed"
    evidence(group)
    group_services.group_close(group=group, actor=None)
    group_services.group_judge(group=group, actor=None, by=o["principal"], effectiveness="partly")
    reopened = group_services.group_reopen(group=group, actor=None, note="One more unit")
    assert reopened.status == "active" and reopened.closed_on is None
    assert reopened.effectiveness == "" and reopened.judged_by is None
    assert events(group, "transition").last().comment == "One more unit"


def test_judging_needs_evidence_and_a_judgement(o):
    group = o["group"]
    with pytest.raises(Conflict) as refused:
        group_services.group_judge(
            group=group, actor=None, by=o["principal"], effectiveness="effective"
        )
    assert code(refused) == "group.no_evidence"
    evidence(group)
    with pytest.raises(DomainError) as refused:
        group_services.group_judge(group=group, actor=None, by=o["principal"], effectiveness="")
    assert code(refused) == "group.judgement_invalid"
    judged = group_services.group_judge(
        group=group, actor=None, by=o["principal"], effectiveness="not_effective", note="Flat"
    )
    assert judged.judged_on == group.district.today() and judged.effectiveness_note == "Flat"
    assert events(group, "update").last().changes["effectiveness"] == ["", "not_effective"]


# --- meetings --------------------------------------------------------------------------------


def test_a_meeting_records_everyone_present_or_absent(o):
    group = o["group"]
    m = meeting(group, present=[o["teacher"]], agenda="Unit 3 exit tickets", minutes=None)
    register = dict(Attendance.objects.filter(meeting=m).values_list("staff_id", "present"))
    assert register == {o["teacher"].pk: True, o["new_teacher"].pk: False}
    assert m.minutes == group.meeting_minutes  # the group's usual length when not given
    event = events(m, "create").get()
    assert event.changes["present"] == [None, [str(o["teacher"])]]
    assert "Unit 3" not in str(event.changes) and "Unit 3" not in event.comment


def test_meetings_are_recorded_once_held_within_the_year_by_members(o):
    group, today = o["group"], o["group"].district.today()
    with pytest.raises(DomainError) as refused:
        meeting(group, days_ago=-1)
    assert code(refused) == "group_meeting.future" and refused.value.field == "held_on"
    with pytest.raises(DomainError) as refused:
        meeting(group, days_ago=(today - o["year"].start_date).days + 1)
    assert code(refused) == "group_meeting.outside_year"
    with pytest.raises(DomainError) as refused:
        meeting(group, present=[o["other_teacher"]])
    assert code(refused) == "group_meeting.not_member" and refused.value.field == "present"


def test_updating_a_meeting_changes_attendance_and_audits_names_of_text_fields(o):
    m = o["group_meeting"]
    meeting_services.meeting_update(
        meeting=m,
        actor=None,
        data={"decisions": "Keep the think-alouds", "minutes": 75},
        present=[o["new_teacher"]],
    )
    m.refresh_from_db()
    assert m.minutes == 75 and m.decisions == "Keep the think-alouds"
    register = dict(Attendance.objects.filter(meeting=m).values_list("staff_id", "present"))
    assert register == {o["teacher"].pk: False, o["new_teacher"].pk: True}
    event = events(m, "update").get()
    assert event.changes["minutes"] == [60, 75]
    assert event.changes["present"] == [
        sorted([str(o["teacher"]), str(o["new_teacher"])]),
        [str(o["new_teacher"])],
    ]
    assert event.comment == "Changed: decisions" and "think-alouds" not in str(event.changes)
    # Nothing changed: nothing audited.
    meeting_services.meeting_update(meeting=m, actor=None, data={"minutes": 75})
    assert events(m, "update").count() == 1


def test_student_work_files_are_checked_by_content(o, django_capture_on_commit_callbacks):
    group = o["group"]
    m = meeting_services.meeting_create(
        group=group,
        actor=o["teacher"].user,
        data={"held_on": group.district.today(), "minutes": 45},
        present=[o["teacher"]],
        uploads=[upload("scan.PDF"), upload("chart.jpeg", PNG, "image/jpeg")],
    )
    samples = list(WorkSample.objects.filter(meeting=m).order_by("id"))
    assert [(s.name, s.content_type) for s in samples] == [
        ("scan.pdf", "application/pdf"),
        ("chart.png", "image/png"),  # what it is, not what it claims
    ]
    assert samples[0].uploaded_by == o["teacher"].user
    with pytest.raises(DomainError) as refused:
        meeting_services.work_sample_add(
            meeting=m, actor=None, upload=upload("names.pdf", b"Ann, Bo")
        )
    assert code(refused) == "attachment.type"
    first, stored = samples[0].pk, samples[0].file.name
    storage = samples[0].file.storage
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.work_sample_remove(sample=samples[0], actor=None)
    assert not storage.exists(stored)  # the file goes once the removal commits
    assert list(WorkSample.objects.filter(meeting=m)) == [samples[1]]
    assert events(samples[0], "delete", pk=first).exists()


def test_a_meeting_holds_at_most_ten_files(o):
    m = o["group_meeting"]  # already holds the world's PDF
    for i in range(attachments.MAX_FILES - 1):
        meeting_services.work_sample_add(meeting=m, actor=None, upload=upload(f"w{i}.pdf"))
    with pytest.raises(DomainError) as refused:
        meeting_services.work_sample_add(meeting=m, actor=None, upload=upload())
    assert code(refused) == "attachment.too_many"


def test_a_reflection_is_a_members_own_one_per_meeting(o):
    m = o["group_meeting"]
    first = meeting_services.reflection_save(
        meeting=m, actor=None, staff=o["new_teacher"], text="  I will model inference.  "
    )
    again = meeting_services.reflection_save(
        meeting=m, actor=None, staff=o["new_teacher"], text="I will model it daily."
    )
    assert first.pk == again.pk and again.text == "I will model it daily."
    assert Reflection.objects.filter(meeting=m, staff=o["new_teacher"]).count() == 1
    audit = list(events(first).values_list("action", "comment"))
    assert audit == [("create", ""), ("update", "Changed: text")]
    assert "inference" not in str(list(events(first).values_list("changes", flat=True)))
    with pytest.raises(DomainError) as refused:
        meeting_services.reflection_save(meeting=m, actor=None, staff=o["principal"], text="Hi")
    assert code(refused) == "reflection.not_member"
    with pytest.raises(DomainError) as refused:
        meeting_services.reflection_save(meeting=m, actor=None, staff=o["new_teacher"], text="  ")
    assert code(refused) == "reflection.empty"


# --- research lessons ------------------------------------------------------------------------


def _lesson(o, **data):
    return lesson_services.research_lesson_create(
        group=o["lesson_group"],
        actor=None,
        data={"title": "Equivalent fractions", "goal": "Reasoning", "plan": "Launch", **data},
    )


def test_research_lessons_belong_to_lesson_study_groups_taught_by_members(o):
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_create(
            group=o["group"], actor=None, data={"title": "X", "goal": "G", "plan": "P"}
        )
    assert code(refused) == "lesson.not_lesson_study"
    with pytest.raises(DomainError) as refused:
        _lesson(o, teacher=o["new_teacher"])
    assert code(refused) == "lesson.teacher_not_member"
    lesson = _lesson(o, teacher=o["teacher"])
    assert lesson.stage == "planning" and events(lesson, "create").exists()


def test_a_research_lesson_moves_one_step_at_a_time_with_what_each_needs(o):
    lesson = o["research_lesson"]  # planning, taught by the teacher, no date yet
    with pytest.raises(Conflict) as refused:
        lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="debriefed")
    assert code(refused) == "lesson.stage_skip"
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="taught")
    assert code(refused) == "lesson.taught_incomplete"
    today = lesson.district.today()
    lesson_services.research_lesson_update(
        lesson=lesson, actor=None, data={"taught_on": today}, observers=[o["principal"]]
    )
    lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="taught")
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="debriefed")
    assert code(refused) == "lesson.debrief_required"
    lesson_services.research_lesson_update(
        lesson=lesson, actor=None, data={"debrief": "They counted"}
    )
    lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="debriefed")
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="revised")
    assert code(refused) == "lesson.revision_required"
    # What the current stage needs cannot be taken away.
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_update(lesson=lesson, actor=None, data={"debrief": ""})
    assert code(refused) == "lesson.debrief_required"
    with pytest.raises(DomainError) as refused:
        lesson_services.research_lesson_update(lesson=lesson, actor=None, data={}, observers=[])
    assert code(refused) == "lesson.taught_incomplete"
    lesson_services.research_lesson_update(
        lesson=lesson, actor=None, data={"revision": "Start with 1/2"}
    )
    lesson_services.research_lesson_stage(lesson=lesson, actor=None, to="revised")
    back = lesson_services.research_lesson_stage(
        lesson=lesson, actor=None, to="planning", note="Again"
    )
    assert back.stage == "planning"
    moves = list(events(lesson, "transition").values_list("from_state", "to_state"))
    assert moves == [
        ("planning", "taught"),
        ("taught", "debriefed"),
        ("debriefed", "revised"),
        ("revised", "planning"),
    ]
    assert events(lesson, "update").filter(changes__has_key="observers").exists()
    assert "They counted" not in str(list(events(lesson).values_list("changes", flat=True)))


def test_a_public_lesson_is_not_dated_in_the_future(o):
    with pytest.raises(DomainError) as refused:
        _lesson(o, taught_on=o["school"].district.today() + days(3))
    assert code(refused) == "lesson.future"


# --- check-ins and evidence ------------------------------------------------------------------


def test_check_ins_are_dated_today_or_before(o):
    group, today = o["group"], o["group"].district.today()
    with pytest.raises(DomainError) as refused:
        check_in_services.check_in_create(
            group=group, actor=None, by=o["principal"], data={"held_on": today + days(1)}
        )
    assert code(refused) == "group_check_in.future"
    check_in = check_in_services.check_in_create(
        group=group,
        actor=o["principal"].user,
        by=o["principal"],
        data={"held_on": today, "needs_changed": True, "resources": "Sub coverage"},
    )
    assert check_in.by == o["principal"] and CheckIn.objects.filter(group=group).count() == 2
    event = events(check_in, "create").get()
    assert event.changes["needs_changed"] == [None, True] and "Sub coverage" not in str(
        event.changes
    )
    check_in_services.check_in_update(
        check_in=check_in, actor=None, data={"adjustments": "Meet weekly", "needs_changed": False}
    )
    update = events(check_in, "update").get()
    assert update.comment == "Changed: adjustments" and update.changes["needs_changed"] == [
        True,
        False,
    ]
    with pytest.raises(DomainError) as refused:
        check_in_services.check_in_update(
            check_in=check_in, actor=None, data={"held_on": today + days(2)}
        )
    assert code(refused) == "group_check_in.future"


def test_evidence_counts_students_and_is_removed_with_an_audit(o):
    group = o["group"]
    with pytest.raises(DomainError) as refused:
        evidence(group, students=0)
    assert code(refused) == "evidence.students"
    with pytest.raises(DomainError) as refused:
        evidence(group, before="not a number")
    assert code(refused) == "evidence.number"
    item = evidence(group, before="41.5", after="63.25", students=9)
    assert item.change == D("21.75") and events(item, "create").exists()
    pk = item.pk
    evidence_services.evidence_remove(evidence=item, actor=None)
    assert not Evidence.objects.filter(group=group).exists()
    assert events(item, "delete", pk=pk).exists()


def test_groups_lessons_and_check_ins_count_the_worlds(o):
    assert ResearchLesson.objects.filter(group=o["lesson_group"]).count() == 1
    assert Group.objects.filter(district=o["school"].district).count() == 3
