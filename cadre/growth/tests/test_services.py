from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.models import Budget, LedgerEntry
from cadre.funding.reconcile import reconcile
from cadre.growth import services
from cadre.growth.models import IsdAllotment, IsdRequest, ProfessionalGoal

D = Decimal
GOAL = {"statement": "s", "activities": "a", "evidence": "e"}


def _goal(o, staff=None, aligns=None, **data):
    staff = staff or o["teacher"]
    return services.goal_create(
        staff=staff,
        actor=staff.user,
        data={"title": "Readers", **GOAL, **data},
        aligns_to=[aligns or o["school_goal"]],
    )


def _request(o, staff=None, cost="100", hours="2", **data):
    staff = staff or o["teacher"]
    start = o["isd_request"].start_date
    return services.isd_request_create(
        staff=staff,
        actor=staff.user,
        data={
            "kind": "course",
            "title": "Course",
            "start_date": start,
            "end_date": start,
            "cost": D(cost),
            "hours": D(hours),
            "rationale": "why",
            **data,
        },
    )


# --- goals -----------------------------------------------------------------------------------


def test_the_goal_workflow_and_its_audit_trail(o):
    teacher, principal = o["teacher"].user, o["principal"].user
    goal = _goal(o)
    assert goal.status == "draft" and goal.school == o["school"] and goal.program is None
    goal = services.goal_submit(goal=goal, actor=teacher)
    goal = services.goal_withdraw(goal=goal, actor=teacher)
    assert goal.status == "draft" and goal.submitted_at is None
    goal = services.goal_submit(goal=goal, actor=teacher)
    with pytest.raises(DomainError) as exc:
        services.goal_return(goal=goal, actor=principal, comment="  ")
    assert exc.value.code == "goal.comment"
    goal = services.goal_return(goal=goal, actor=principal, comment="Name the students")
    assert goal.status == "returned" and goal.comment == "Name the students"
    with pytest.raises(Conflict) as exc:
        services.goal_withdraw(goal=goal, actor=teacher)
    assert exc.value.code == "goal.not_submitted"
    goal = services.goal_update(goal=goal, actor=teacher, data={"statement": "My 3rd graders"})
    goal = services.goal_submit(goal=goal, actor=teacher)
    goal = services.goal_approve(goal=goal, actor=principal)
    assert goal.status == "approved" and goal.decided_by == principal and goal.comment == ""
    with pytest.raises(Conflict):
        services.goal_withdraw(goal=goal, actor=teacher)  # someone acted on it
    with pytest.raises(Conflict):
        services.goal_update(goal=goal, actor=teacher, data={"title": "Changed"})
    goal = services.goal_reflect(
        goal=goal, actor=teacher, data={"reflection": "Most grew", "outcome": "partly_met"}
    )
    assert goal.outcome == "partly_met" and goal.reflected_at
    moves = list(
        AuditEvent.objects.filter(object_type="growth.professionalgoal", object_id=str(goal.pk))
        .filter(action="transition")
        .order_by("id")
        .values_list("from_state", "to_state")
    )
    assert moves == [
        ("draft", "submitted"),
        ("submitted", "draft"),
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "approved"),
    ]
    returned = AuditEvent.objects.get(object_id=str(goal.pk), to_state="returned")
    assert returned.comment == "Name the students"


def test_a_principal_approves_goals_together_or_not_at_all(o, django_assert_num_queries):
    teacher, principal = o["teacher"].user, o["principal"].user
    goals = [_goal(o, title=f"Goal {i}") for i in range(3)]
    for goal in goals[:2]:
        services.goal_submit(goal=goal, actor=teacher)
    # One is still a draft: nothing is approved, and the refusal is approving it alone's.
    with pytest.raises(Conflict) as exc:
        services.goal_approve_many(goals=goals, actor=principal)
    assert exc.value.code == "goal.not_submitted"
    assert "draft" in str(exc.value)
    assert not ProfessionalGoal.objects.filter(status="approved").exists()
    services.goal_submit(goal=goals[2], actor=teacher)
    # However many, as many queries as one alone: a savepoint and its release, the lock, the
    # update and the audit events (the approver's name, read once, is read before).
    warm, single = _goal(o, title="First"), _goal(o, title="Alone")
    for goal in (warm, single):
        services.goal_submit(goal=goal, actor=teacher)
    services.goal_approve(goal=warm, actor=principal)
    with CaptureQueriesContext(connection) as one:
        services.goal_approve(goal=single, actor=principal)
    assert len(one) <= 5
    with django_assert_num_queries(len(one)):
        approved = services.goal_approve_many(goals=[*goals, goals[0]], actor=principal)
    assert [g.pk for g in approved] == [g.pk for g in goals]  # in order, each once
    assert all(g.status == "approved" and g.decided_by == principal for g in approved)
    for goal in approved:
        goal.refresh_from_db()
        assert goal.status == "approved" and goal.decided_by == principal and goal.decided_at
        events = AuditEvent.objects.filter(
            object_type="growth.professionalgoal", object_id=str(goal.pk), to_state="approved"
        )
        assert [(e.action, e.from_state, e.actor, e.object_repr) for e in events] == [
            ("transition", "submitted", principal, goal.title)
        ]


def _events(goal):
    """The goal's audit events since its creation, but for its name."""
    return [
        (e.action, e.from_state, e.to_state, e.actor_id, e.changes, e.comment)
        for e in AuditEvent.objects.filter(
            object_type="growth.professionalgoal", object_id=str(goal.pk)
        )
        .exclude(action="create")
        .order_by("id")
    ]


def test_a_person_submits_goals_together_or_not_at_all(o, django_assert_num_queries):
    teacher = o["teacher"].user
    goals = [_goal(o, title=f"Goal {i}") for i in range(3)]
    bare = services.goal_create(staff=o["teacher"], actor=teacher, data={"title": "Bare"})
    # One is incomplete: nothing is submitted, and the refusal is submitting it alone's.
    with pytest.raises(DomainError) as exc:
        services.goal_submit_many(goals=[*goals, bare], actor=teacher)
    with pytest.raises(DomainError) as alone:
        services.goal_submit(goal=bare, actor=teacher)
    assert exc.value.code == alone.value.code == "goal.incomplete"
    assert str(exc.value) == str(alone.value)
    services.goal_submit(goal=goals[0], actor=teacher)
    # One is already submitted: the same refusal as submitting it alone again.
    with pytest.raises(Conflict) as exc:
        services.goal_submit_many(goals=goals, actor=teacher)
    with pytest.raises(Conflict) as alone:
        services.goal_submit(goal=goals[0], actor=teacher)
    assert exc.value.code == alone.value.code == "goal.not_editable"
    assert str(exc.value) == str(alone.value)
    assert (
        not ProfessionalGoal.objects.filter(pk__in=[g.pk for g in goals[1:]])
        .exclude(status="draft")
        .exists()
    )
    # However many, as many queries as one alone: a savepoint and its release, the lock, the
    # alignments, the update and the audit events.
    with CaptureQueriesContext(connection) as one:
        services.goal_submit(goal=goals[1], actor=teacher)
    assert len(one) <= 6
    more = [_goal(o, title=f"More {i}") for i in range(4)]
    with django_assert_num_queries(len(one)):
        submitted = services.goal_submit_many(goals=[*more, more[0]], actor=teacher)
    assert [g.pk for g in submitted] == [g.pk for g in more]  # in order, each once
    # The same rows and audit events as submitting them one by one.
    for goal in [goals[0], goals[1], *more]:
        goal.refresh_from_db()
        assert goal.status == "submitted" and goal.submitted_at
    alone = _events(goals[1])
    assert alone[-1] == ("transition", "draft", "submitted", teacher.pk, {}, "")
    for goal in more:
        assert _events(goal) == alone


def _row(staff, title, aligns=(), **data):
    data = {"title": title, **GOAL, **data}
    return {"staff": staff, "actor": staff.user, "data": data, "aligns_to": list(aligns)}


def _made(goal):
    """The goal's columns and audit events, but for its key, times and the events' keys."""
    goal.refresh_from_db()
    columns = {
        f.attname: getattr(goal, f.attname)
        for f in ProfessionalGoal._meta.concrete_fields
        if f.attname not in ("id", "created_at", "updated_at")
    }
    links = sorted(goal.aligns_to.values_list("pk", flat=True))
    events = [
        (e.action, e.from_state, e.to_state, e.actor_id, e.actor_name, e.changes, e.comment)
        for e in AuditEvent.objects.filter(
            object_type="growth.professionalgoal", object_id=str(goal.pk)
        ).order_by("id")
    ]
    return columns, links, events


def test_goals_are_created_together_as_each_alone(o, django_assert_num_queries):
    teacher, other = o["teacher"], o["other_teacher"]
    rows = [
        _row(teacher, "Readers", [o["school_goal"], o["district_goal"]]),
        _row(other, "Writers", [o["district_goal"]], school_year=o["year"]),
        _row(teacher, "  Bare  "),
    ]
    alone = [services.goal_create(**row) for row in rows]
    together = services.goals_create(rows=rows)
    assert [g.pk for g in together] == sorted(g.pk for g in together)  # in order
    for one, goal in zip(alone, together, strict=True):
        assert _made(goal) == _made(one)
    assert _made(together[0])[2][1][5] == {"aligns_to": [None, ["D1", "S1"]]}
    # All or none; the refusal is the one the goal alone gets.
    for bad in (
        _row(teacher, " "),
        _row(other, "Not mine", [o["school_goal"]]),  # another school's goal
    ):
        with pytest.raises(DomainError) as alone_exc:
            services.goal_create(**bad)
        count = ProfessionalGoal.objects.count()
        with pytest.raises(DomainError) as exc:
            services.goals_create(rows=[rows[0], bad, rows[1]])
        assert (exc.value.code, str(exc.value)) == (alone_exc.value.code, str(alone_exc.value))
        assert ProfessionalGoal.objects.count() == count
    assert services.goals_create(rows=[]) == []
    # However many, as many queries as one alone (a savepoint and its release, the current
    # year, the home units, the goals served, the goals, their links, the audit events), but
    # for one more audit write for each further author.
    with CaptureQueriesContext(connection) as one:
        services.goal_create(**rows[0])
    assert len(one) <= 8, [q["sql"] for q in one]
    with CaptureQueriesContext(connection) as two:
        services.goals_create(rows=rows)
    assert len(two) <= len(one) + 1  # PostgreSQL's COPY of the events is not counted
    with django_assert_num_queries(len(two)):
        services.goals_create(rows=rows * 5)


def test_the_goals_of_several_people_are_submitted_together(o, django_assert_num_queries):
    teacher, other = o["teacher"], o["other_teacher"]
    rows = [
        _row(teacher, "Readers", [o["school_goal"]]),
        _row(other, "Writers", [o["district_goal"]]),
    ]
    alone = services.goals_create(rows=rows * 2)
    for goal in alone[:2]:
        services.goal_submit(goal=goal, actor=goal.staff.user)
    pairs = [(goal, goal.staff.user) for goal in alone[2:]]
    together = services.goals_submit(rows=[*pairs, pairs[0]])
    assert [g.pk for g in together] == [g.pk for g, _ in pairs]  # in order, each once
    for one, goal in zip(alone[:2], together, strict=True):
        assert _made(goal)[1:] == _made(one)[1:]
        assert goal.status == "submitted" and goal.submitted_at
    # All or none; the refusal is the one the goal alone gets.
    bare = services.goal_create(staff=other, actor=other.user, data={"title": "Bare"})
    fresh = services.goals_create(rows=rows)
    with pytest.raises(DomainError) as alone_exc:
        services.goal_submit(goal=bare, actor=other.user)
    with pytest.raises(DomainError) as exc:
        services.goals_submit(rows=[(fresh[0], teacher.user), (bare, other.user)])
    assert (exc.value.code, str(exc.value)) == (alone_exc.value.code, str(alone_exc.value))
    assert not ProfessionalGoal.objects.filter(pk=fresh[0].pk).exclude(status="draft").exists()
    # However many, as many queries as one alone (a savepoint and its release, the lock, the
    # alignments, the update, the audit events), but for an update and an audit write for
    # each further author.
    with CaptureQueriesContext(connection) as one:
        services.goal_submit(goal=fresh[0], actor=teacher.user)
    assert len(one) <= 6
    goals = services.goals_create(rows=rows)
    with CaptureQueriesContext(connection) as two:
        services.goals_submit(rows=[(g, g.staff.user) for g in goals])
    assert len(two) <= len(one) + 2  # PostgreSQL's COPY of the events is not counted
    goals = services.goals_create(rows=rows * 5)
    with django_assert_num_queries(len(two)):
        services.goals_submit(rows=[(g, g.staff.user) for g in goals])


def test_reflections_are_taken_in_together_as_each_alone(o, django_assert_num_queries):
    teacher, other, principal = o["teacher"], o["other_teacher"], o["principal"].user
    rows = [
        _row(teacher, "Readers", [o["school_goal"]]),
        _row(other, "Writers", [o["district_goal"]]),
    ]
    goals = services.goals_create(rows=rows * 4)
    services.goals_submit(rows=[(g, g.staff.user) for g in goals])
    services.goal_approve_many(goals=goals, actor=principal)
    data = [
        {"reflection": "Most grew", "outcome": "met"},
        {"reflection": "  Some grew ", "outcome": "partly_met"},
    ]
    alone = [
        services.goal_reflect(goal=goal, actor=goal.staff.user, data=d)
        for goal, d in zip(goals[:2], data, strict=True)
    ]
    pairs = [(goal, goal.staff.user, d) for goal, d in zip(goals[2:4], data, strict=True)]
    together = services.goals_reflect(rows=pairs)
    assert [g.pk for g in together] == [g.pk for g, _, _ in pairs]
    for one, goal in zip(alone, together, strict=True):
        assert _made(goal)[1:] == _made(one)[1:]
        assert goal.reflection == one.reflection and goal.outcome == one.outcome
        assert goal.reflected_at
    # All or none; the refusal is the one the goal alone gets.
    draft = services.goal_create(**rows[0])
    bad = [(draft, teacher.user, data[0]), (goals[4], teacher.user, {"reflection": " "})]
    for row in bad:
        with pytest.raises(DomainError) as alone_exc:
            services.goal_reflect(goal=row[0], actor=row[1], data=row[2])
        with pytest.raises(DomainError) as exc:
            services.goals_reflect(rows=[(goals[5], other.user, data[0]), row])
        assert (exc.value.code, str(exc.value)) == (alone_exc.value.code, str(alone_exc.value))
        goals[5].refresh_from_db()
        assert goals[5].reflection == ""
    # One lock for all (beside a savepoint and its release); each reflection is its save and
    # its audit event.
    with CaptureQueriesContext(connection) as one:
        services.goal_reflect(goal=goals[4], actor=teacher.user, data=data[0])
    assert len(one) <= 5
    authors = [other.user, teacher.user, other.user]
    with django_assert_num_queries(len(one) + 2 * 2):
        services.goals_reflect(
            rows=[(g, a, data[1]) for g, a in zip(goals[5:], authors, strict=True)]
        )


def test_a_goal_needs_its_parts_and_a_valid_alignment_before_submitting(o):
    teacher = o["teacher"].user
    bare = services.goal_create(staff=o["teacher"], actor=teacher, data={"title": "Draft"})
    with pytest.raises(DomainError) as exc:
        services.goal_submit(goal=bare, actor=teacher)
    assert exc.value.code == "goal.incomplete"
    services.goal_update(goal=bare, actor=teacher, data=GOAL)
    with pytest.raises(DomainError) as exc:
        services.goal_submit(goal=bare, actor=teacher)
    assert exc.value.code == "goal.alignment_required"
    with pytest.raises(DomainError) as exc:
        services.goal_create(staff=o["teacher"], actor=teacher, data={"title": "  "})
    assert exc.value.code == "goal.title"
    # Not the draft plan's goals, and not another district's.
    for wrong in (
        o["draft_goal"],
        o["school_goal"].__class__.objects.exclude(district=o["school"].district).first(),
    ):
        with pytest.raises(DomainError):
            services.goal_update(goal=bare, actor=teacher, data={}, aligns_to=[wrong])
    # The program teacher's goals serve the district's goals, not a school's.
    with pytest.raises(DomainError) as exc:
        _goal(o, staff=o["program_teacher"])
    assert exc.value.code == "goal.alignment_invalid"
    goal = _goal(o, staff=o["program_teacher"], aligns=o["district_goal"])
    assert goal.program == o["program"] and goal.school is None


def test_who_sees_and_decides_goals(o, world):
    goal, program_goal = o["professional_goal"], o["program_goal"]
    mine = _goal(o, staff=o["other_teacher"], aligns=o["district_goal"])

    def seen(key):
        actor = actor_for(o[key].user)
        ids = set(access.visible(actor, ProfessionalGoal).values_list("pk", flat=True))
        return ids & {goal.pk, program_goal.pk, mine.pk}

    assert seen("teacher") == {goal.pk}
    assert seen("other_teacher") == {mine.pk}
    assert seen("principal") == {goal.pk}
    assert seen("director") == {program_goal.pk}
    assert seen("admin") == {goal.pk, program_goal.pk, mine.pk}
    principal, director = actor_for(o["principal"].user), actor_for(o["director"].user)
    assert access.can(principal, "approve", goal)
    assert not access.can(principal, "approve", program_goal)
    assert access.can(director, "approve", program_goal)
    assert not access.can(actor_for(o["teacher"].user), "approve", goal)
    assert not access.can(actor_for(world.b_objects["admin"].user), "view", goal)


def test_assistant_principals_approve_only_when_the_district_delegates(o):
    ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    goal = o["professional_goal"]
    assert access.can(actor_for(ap.user), "view", goal)
    assert not access.can(actor_for(ap.user), "approve", goal)
    district = o["school"].district
    district.assistant_principals_approve = True
    district.save()
    ap.user.refresh_from_db()
    assert access.can(actor_for(ap.user), "approve", goal)


def test_nobody_decides_their_own_goal(o):
    principal = o["principal"]
    own = _goal(o, staff=principal)
    services.goal_submit(goal=own, actor=principal.user)
    assert not access.can(actor_for(principal.user), "approve", own)
    assert access.can(actor_for(o["admin"].user), "approve", own)


# --- ISD -------------------------------------------------------------------------------------


def test_the_most_specific_allotment_applies(o):
    teacher, year, source = o["teacher"], o["year"], o["isd_source"]
    admin = o["admin"].user
    district = teacher.district
    assert services.allotment_for(teacher, year) == o["allotment"]
    by_role = services.allotment_create(
        district=district,
        actor=admin,
        data={"school_year": year, "role": Role.TEACHER, "source": source, "amount": D(900)},
    )
    assert services.allotment_for(teacher, year) == by_role
    teacher.bargaining_unit = "Riverbend EA"
    teacher.save()
    by_unit = services.allotment_create(
        district=district,
        actor=admin,
        data={"school_year": year, "bargaining_unit": "Riverbend EA", "source": source},
    )
    assert services.allotment_for(teacher, year) == by_unit
    with pytest.raises(Conflict):
        services.allotment_create(
            district=district,
            actor=admin,
            data={"school_year": year, "bargaining_unit": "Riverbend EA", "source": source},
        )
    with pytest.raises(DomainError) as exc:
        services.allotment_create(
            district=district,
            actor=admin,
            data={"school_year": year, "bargaining_unit": "X", "source": o["source"]},
        )
    assert exc.value.code == "allotment.source"


def test_an_isd_request_from_approval_to_reimbursement(o):
    teacher, principal, admin = o["teacher"].user, o["principal"].user, o["admin"].user
    request = o["isd_request"]  # $200, 6 hours; the approved one holds $300, 6 hours
    have = services.balance(o["teacher"], o["year"])
    assert (have.committed_amount, have.remaining_amount) == (D(300), D(1200))
    request = services.isd_approve(request=request, actor=principal)
    entry = request.encumbrance
    assert entry.kind == LedgerEntry.Kind.ENCUMBRANCE and entry.budget == o["isd_budget"]
    assert (entry.amount, entry.hours, entry.staff) == (D(200), D(6), o["teacher"])
    assert entry.cause == request
    with pytest.raises(DomainError) as exc:
        services.isd_complete(request=request, actor=teacher, note=" ")
    assert exc.value.code == "isd.evidence"
    request = services.isd_complete(request=request, actor=teacher, note="Attended all days")
    with pytest.raises(DomainError) as exc:
        services.isd_reimburse(request=request, actor=admin, paid_amount="250")
    assert exc.value.code == "isd.overpaid"
    for bad in ("abc", "-1", "1.234", "NaN", None):
        with pytest.raises(DomainError):
            services.isd_reimburse(request=request, actor=admin, paid_amount=bad)
    request = services.isd_reimburse(request=request, actor=admin, paid_amount="180.50")
    assert request.status == "reimbursed" and request.paid_amount == D("180.50")
    paid = LedgerEntry.objects.get(encumbrance=entry)
    assert paid.kind == LedgerEntry.Kind.EXPENDITURE and paid.amount == D("180.50")
    have = services.balance(o["teacher"], o["year"])
    assert have.spent_amount == D("180.50") and have.remaining_amount == D("1019.50")
    assert have.remaining_hours == D(18)
    budget = Budget.objects.get(pk=o["isd_budget"].pk)
    assert budget.spent_amount == D("180.50") and budget.committed_amount == D(300)
    assert reconcile(o["school"].district) == []


def test_denial_and_cancellation(o):
    principal, teacher = o["principal"].user, o["teacher"].user
    with pytest.raises(DomainError):
        services.isd_deny(request=o["isd_request"], actor=principal, reason="")
    denied = services.isd_deny(request=o["isd_request"], actor=principal, reason="Not this year")
    assert denied.status == "denied" and denied.encumbrance is None
    with pytest.raises(Conflict) as exc:
        services.isd_approve(request=denied, actor=principal)
    assert exc.value.code == "isd.not_submitted"
    approved = o["approved_request"]
    cancelled = services.isd_cancel(request=approved, actor=teacher, reason="Course cancelled")
    assert LedgerEntry.objects.get(encumbrance=approved.encumbrance).kind == "release"
    assert cancelled.status == "cancelled"
    assert services.balance(o["teacher"], o["year"]).remaining_amount == D(1500)
    assert Budget.objects.get(pk=o["isd_budget"].pk).committed_amount == 0
    assert reconcile(o["school"].district) == []


def test_the_balance_is_checked_when_asking_and_again_when_approving(o):
    principal = o["principal"].user
    with pytest.raises(Conflict) as exc:
        _request(o, cost="1300")  # $300 is already approved
    assert exc.value.code == "isd.balance"
    first, second = _request(o, cost="700"), _request(o, cost="700")
    services.isd_approve(request=first, actor=principal)
    with pytest.raises(Conflict) as exc:
        services.isd_approve(request=second, actor=principal)
    assert exc.value.code == "isd.balance" and "$500.00 remain" in exc.value.detail
    assert IsdRequest.objects.get(pk=second.pk).status == "submitted"
    with pytest.raises(Conflict):
        _request(o, cost="1", hours="40")  # hours count too


def test_bad_requests_are_refused_in_words(o):
    start = o["isd_request"].start_date
    for data, code in (
        ({"end_date": start - timedelta(days=1)}, "isd.dates"),
        ({"cost": D(-5)}, "isd.negative"),
        ({"cost": D(0), "hours": D(0)}, "isd.empty"),
        ({"goal": o["program_goal"]}, "isd.goal"),
    ):
        with pytest.raises(DomainError) as exc:
            _request(o, **data)
        assert exc.value.code == code
    IsdAllotment.objects.all().delete()
    with pytest.raises(DomainError) as exc:
        _request(o)
    assert exc.value.code == "isd.no_allotment"


def test_attachments_are_checked_by_their_content(o):
    request, teacher = o["isd_request"], o["teacher"].user
    png = services.isd_attach(
        request=request,
        actor=teacher,
        upload=SimpleUploadedFile("../../etc/r.png", b"\x89PNG\r\n\x1a\nxx", "image/png"),
    )
    assert png.content_type == "image/png" and png.name == "r.png"
    with pytest.raises(DomainError) as exc:
        services.isd_attach(
            request=request,
            actor=teacher,
            upload=SimpleUploadedFile("receipt.pdf", b"<html>not a pdf", "application/pdf"),
        )
    assert exc.value.code == "attachment.type"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(DomainError) as exc:
        services.isd_attach(request=request, actor=teacher, upload=big)
    assert exc.value.code == "attachment.too_big"


def test_program_staff_requests_go_to_the_director(o):
    request = o["program_request"]
    assert request.program == o["program"] and request.school is None
    director = actor_for(o["director"].user)
    assert access.can(director, "approve", request)
    principal = actor_for(o["principal"].user)
    assert not access.visible(principal, IsdRequest).filter(pk=request.pk).exists()
    assert not access.can(principal, "approve", request)
    approved = services.isd_approve(request=request, actor=o["director"].user)
    assert approved.encumbrance.budget == o["isd_budget"]  # no program budget: the district's


def test_a_second_school_assignment_does_not_change_the_supervisor(o):
    AssignmentFactory(staff=o["teacher"], role=Role.TEACHER, school=o["other_school"])
    school, program = services.home_unit(o["teacher"], o["school"].district.today())
    assert school == o["school"] and program is None


def test_home_units_are_each_persons_home_unit_in_one_query(o, django_assert_num_queries):
    AssignmentFactory(staff=o["teacher"], role=Role.TEACHER, school=o["other_school"])
    today = o["school"].district.today()
    people = [o["teacher"], o["program_teacher"], o["principal"], o["other_teacher"]]
    with django_assert_num_queries(0):
        assert services.home_units([], today) == {}
    with django_assert_num_queries(1):
        units = services.home_units([*people, o["teacher"]], today)
    assert units == {p.pk: services.home_unit(p, today) for p in people}
    assert units[o["teacher"].pk] == (o["school"], None)
    assert units[o["program_teacher"].pk] == (None, o["program"])


def test_an_assistant_principal_never_decides_for_a_leader_of_their_school(o):
    district = o["school"].district
    district.assistant_principals_approve = True
    district.save()
    ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    other_ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    principal = o["principal"]
    principals_goal = services.goal_submit(goal=_goal(o, staff=principal), actor=principal.user)
    aps_goal = services.goal_submit(goal=_goal(o, staff=other_ap), actor=other_ap.user)
    aps_request = _request(o, staff=other_ap)
    ap_actor, principal_actor = actor_for(ap.user), actor_for(principal.user)
    assert access.can(ap_actor, "approve", o["professional_goal"])  # a teacher's: delegated
    for item in (principals_goal, aps_goal, aps_request):
        assert not access.can(ap_actor, "approve", item)
    assert access.can(principal_actor, "approve", aps_goal)
    assert access.can(principal_actor, "approve", aps_request)
    assert not access.can(principal_actor, "approve", principals_goal)
    assert access.can(actor_for(o["admin"].user), "approve", principals_goal)
    # The lists agree with the rule.
    from cadre.growth import selectors

    to_decide = set(selectors.goals_to_decide(ap_actor))
    assert o["professional_goal"] in to_decide
    assert not to_decide & {principals_goal, aps_goal}
    assert aps_goal in set(selectors.goals_to_decide(principal_actor))
    requests = set(selectors.isd_request_list(ap_actor, show="decide"))
    assert o["isd_request"] in requests and aps_request not in requests


def test_nobody_pays_out_their_own_request(o):
    business = staff_with_role(Role.BUSINESS_OFFICE, district=o["school"].district)
    AssignmentFactory(staff=business, role=Role.TEACHER, school=o["school"])
    own = services.isd_approve(request=_request(o, staff=business), actor=o["principal"].user)
    actor = actor_for(business.user)
    assert not access.can(actor, "reimburse", own)
    assert access.can(actor, "reimburse", o["approved_request"])
    assert not access.can(actor_for(o["admin"].user), "reimburse", _request(o, staff=o["admin"]))


def test_a_request_is_completed_only_once_it_has_started(o):
    start = o["school"].district.today() + timedelta(days=10)
    later = services.isd_approve(
        request=_request(o, start_date=start, end_date=start), actor=o["principal"].user
    )
    with pytest.raises(DomainError) as exc:
        services.isd_complete(request=later, actor=o["teacher"].user, note="Went")
    assert exc.value.code == "isd.not_started"
    assert IsdRequest.objects.get(pk=later.pk).status == "approved"


def test_an_attachment_takes_the_extension_of_what_it_really_is(o):
    item = services.isd_attach(
        request=o["isd_request"],
        actor=o["teacher"].user,
        upload=SimpleUploadedFile("evil.html", b"%PDF-<script>alert(1)</script>", "text/html"),
    )
    assert item.name == "evil.pdf" and item.content_type == "application/pdf"
    assert item.file.name.endswith(".pdf")


def test_a_request_for_a_catalogue_offering_takes_its_title_provider_and_fee(o):
    offering = o["offering"]
    offering.cost = D("250")
    offering.save()
    start = o["isd_request"].start_date
    isd = services.isd_request_create(
        staff=o["teacher"],
        actor=o["teacher"].user,
        data={
            "offering": offering,
            "start_date": start,
            "end_date": start,
            "hours": D(3),
            "rationale": "why",
        },
    )
    assert (isd.kind, isd.title, isd.provider, isd.cost) == (
        "offering",
        "Guided reading",
        "Western University",
        D("250"),
    )
    # Naming an offering makes it an offering request, whatever kind was chosen.
    assert _request(o, kind="course", offering=offering, cost="10").kind == "offering"


def test_a_catalogue_request_needs_a_published_offering_of_the_district(o, world):
    with pytest.raises(DomainError) as refused:
        _request(o, kind="offering", offering=None)
    assert refused.value.code == "isd.offering"
    with pytest.raises(DomainError) as refused:
        _request(o, offering=o["draft_offering"])
    assert refused.value.code == "isd.offering"
    with pytest.raises(DomainError):
        _request(o, offering=world.b_objects["offering"])
