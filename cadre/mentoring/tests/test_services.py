from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.audit.models import AuditEvent
from cadre.core.errors import Conflict, DomainError
from cadre.districts import access
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, DistrictFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.models import Budget, LedgerEntry, StipendAward
from cadre.funding.reconcile import reconcile
from cadre.funding.services import stipends
from cadre.mentoring import selectors, services
from cadre.mentoring.factories import new_mentor, train
from cadre.mentoring.models import (
    ExtendedSupport,
    Log,
    Match,
    Mentor,
    OnboardingItem,
    OnboardingTask,
)

D = Decimal


def _teacher(o, contracted, substitute=0, **kw):
    return staff_with_role(
        Role.TEACHER,
        school=o["school"],
        contracted_days=contracted,
        substitute_days=substitute,
        **kw,
    )


def _log(match, actor, *, days_ago=1, minutes=30, **data):
    return services.log_create(
        match=match,
        actor=actor,
        data={
            "met_on": match.district.today() - timedelta(days=days_ago),
            "minutes": minutes,
            "kind": "observation",
            "focus": "Checking for understanding",
            **data,
        },
    )


def _code(exc_info) -> str:
    return exc_info.value.code


def _transitions(obj):
    return list(
        AuditEvent.objects.filter(
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            action=AuditEvent.Action.TRANSITION,
        )
        .order_by("at", "id")
        .values_list("from_state", "to_state", "comment")
    )


# --- eligibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contracted", "substitute", "kind", "reason"),
    [
        (60, 29, "new", "89 days: 60 contracted + 29 substitute"),
        (60, 30, "", "90 days: 60 contracted + 30 substitute (the threshold is 90)"),
        (61, 30, "", "91 days: 61 contracted + 30 substitute (the threshold is 90)"),
        (0, 89, "new", "89 days: 0 contracted + 89 substitute"),
        (89, 0, "new", "89 days: 89 contracted + 0 substitute"),
    ],
)
def test_eligibility_at_the_threshold_counts_substitute_days(
    o, contracted, substitute, kind, reason
):
    staff = _teacher(o, contracted, substitute)
    found = services.eligibility(staff)
    assert (found.kind, found.reason) == (kind, reason)
    assert found.eligible is bool(kind)
    assert found.label == ("New teacher" if kind else "")
    assert staff.is_new_teacher is bool(kind)


def test_the_world_new_teachers_reason_reads_in_words(o):
    found = services.eligibility(o["new_teacher"])
    assert found.kind == "new" and found.reason == "62 days: 40 contracted + 22 substitute"


def test_a_changed_district_threshold_moves_the_line(o):
    at_90 = _teacher(o, 60, 30)
    at_119 = _teacher(o, 100, 19)
    district = o["school"].district
    district.new_teacher_threshold_days = 120
    district.save()
    at_90.refresh_from_db()
    at_119.refresh_from_db()
    assert services.eligibility(at_90).kind == "new"
    assert services.eligibility(at_119).kind == "new"
    assert at_119.is_new_teacher
    # The selector reads the district's threshold too.
    actor = actor_for(o["admin"].user)
    listed = set(selectors.eligible(actor, o["year"]).values_list("pk", flat=True))
    assert {at_90.pk, at_119.pk} <= listed
    district.new_teacher_threshold_days = 60
    district.save()
    o["new_teacher"].refresh_from_db()
    found = services.eligibility(o["new_teacher"])
    assert found.kind == "" and found.reason.endswith("(the threshold is 60)")


def test_eligibility_follows_edits_to_the_staff_record(o, world):
    staff = _teacher(o, 60, 29)
    mentor = o["mentor"]
    assert services.eligibility(staff).kind == "new"
    staff.substitute_days = 31  # a roster correction: now 91 days
    staff.save()
    staff.refresh_from_db()
    assert services.eligibility(staff).kind == ""
    actor = actor_for(o["admin"].user)
    assert not selectors.eligible(actor, o["year"]).filter(pk=staff.pk).exists()
    with pytest.raises(DomainError) as exc:
        services.match_propose(district=world.a, actor=None, mentor=mentor, mentee=staff)
    assert _code(exc) == "mentoring.not_eligible"
    assert "91 days: 60 contracted + 31 substitute" in exc.value.detail
    staff.substitute_days = 20
    staff.save()
    staff.refresh_from_db()
    assert selectors.eligible(actor, o["year"]).filter(pk=staff.pk).exists()
    match = services.match_propose(district=world.a, actor=None, mentor=mentor, mentee=staff)
    assert match.status == "proposed"


def test_extended_support_needs_a_reason_and_a_district_or_grant_fund(o, world):
    admin = o["admin"].user
    staff = _teacher(o, 400)
    grant = {"district": world.a, "actor": admin, "staff": staff}
    with pytest.raises(DomainError) as exc:
        services.extended_support_grant(**grant, reason="   ", source=o["mentoring_fund"])
    assert _code(exc) == "mentoring.reason_required"
    with pytest.raises(DomainError) as exc:
        services.extended_support_grant(**grant, reason="New to grade 1", source=o["isd_source"])
    assert _code(exc) == "mentoring.source_kind"
    with pytest.raises(DomainError) as exc:
        services.extended_support_grant(**grant, reason="New to grade 1", source=None)
    assert _code(exc) == "mentoring.source_required"
    with pytest.raises(DomainError) as exc:
        services.extended_support_grant(**grant, reason="x", source=world.b_objects["source"])
    assert _code(exc) == "district.mismatch"
    assert not ExtendedSupport.objects.filter(staff=staff).exists()

    made = services.extended_support_grant(
        **grant, reason="  New to grade 1  ", source=o["mentoring_fund"]
    )
    assert made.reason == "New to grade 1" and made.school_year == o["year"]
    assert made.granted_by == admin
    found = services.eligibility(staff, extended=services.extended_for(staff, o["year"]))
    assert found.kind == "extended" and found.label == "Extended support"
    assert found.reason == "400 days: 400 contracted + 0 substitute; New to grade 1"
    assert AuditEvent.objects.filter(
        object_type="mentoring.extendedsupport", object_id=str(made.pk), action="create"
    ).exists()
    with pytest.raises(Conflict) as exc:
        services.extended_support_grant(**grant, reason="Again", source=o["mentoring_fund"])
    assert _code(exc) == "mentoring.already_extended"
    # A Title I grant pays as well: only ISD money is refused.
    other = _teacher(o, 500)
    services.extended_support_grant(
        district=world.a, actor=admin, staff=other, reason="Grant cohort", source=o["source"]
    )


def test_a_new_teacher_needs_no_extended_support(o, world):
    with pytest.raises(DomainError) as exc:
        services.extended_support_grant(
            district=world.a,
            actor=o["admin"].user,
            staff=o["new_teacher"],
            reason="Just in case",
            source=o["mentoring_fund"],
        )
    assert _code(exc) == "mentoring.already_new"
    assert "62 days: 40 contracted + 22 substitute" in exc.value.detail


def test_extended_support_makes_an_experienced_teacher_matchable(o, world):
    other = o["other_teacher"]
    assert services.eligibility(other).kind == ""
    found = services.eligibility(other, extended=o["extended_support"])
    assert found.kind == "extended"
    match = services.match_propose(
        district=world.a, actor=o["admin"].user, mentor=o["mentor"], mentee=other
    )
    assert match.school == o["other_school"]
    # Revoking the grant under an open match is refused; ending the match first allows it.
    with pytest.raises(Conflict) as exc:
        services.extended_support_revoke(grant=o["extended_support"], actor=None)
    assert _code(exc) == "mentoring.match_open"
    services.match_end(match=match, actor=None, reason="not_confirmed")
    services.extended_support_revoke(grant=o["extended_support"], actor=None, reason="Done")
    assert services.extended_for(other, o["year"]) is None


# --- experience unknown is not zero --------------------------------------------------------


def test_unknown_experience_is_not_a_new_teacher(o):
    staff = _teacher(o, None, None)
    found = services.eligibility(staff)
    assert (found.kind, found.eligible, found.label) == ("", False, "")
    assert found.reason == "Experience unknown: no HR data yet, so not counted as a new teacher"
    assert not staff.is_new_teacher and staff.experience_days is None
    actor = actor_for(o["admin"].user)
    assert not selectors.eligible(actor, o["year"]).filter(pk=staff.pk).exists()


@pytest.mark.parametrize(
    ("contracted", "substitute", "kind", "reason"),
    [
        (None, 89, "new", "89 days: 0 contracted + 89 substitute"),
        (89, None, "new", "89 days: 89 contracted + 0 substitute"),
        (90, None, "", "90 days: 90 contracted + 0 substitute (the threshold is 90)"),
    ],
)
def test_one_known_figure_counts_the_other_as_none(o, contracted, substitute, kind, reason):
    staff = _teacher(o, contracted, substitute)
    found = services.eligibility(staff)
    assert (found.kind, found.reason) == (kind, reason)
    actor = actor_for(o["admin"].user)
    listed = selectors.eligible(actor, o["year"]).filter(pk=staff.pk).exists()
    assert listed is bool(kind)


def test_a_match_for_unknown_experience_is_refused_with_its_own_code(o, world):
    staff = _teacher(o, None, None)
    with pytest.raises(DomainError) as exc:
        services.match_propose(district=world.a, actor=None, mentor=o["mentor"], mentee=staff)
    assert _code(exc) == "mentoring.experience_unknown"
    assert "experience is unknown" in exc.value.detail and "HR data" in exc.value.detail
    with pytest.raises(DomainError) as exc:
        services.checklist_open(district=world.a, actor=None, staff=staff)
    assert _code(exc) == "mentoring.experience_unknown"
    assert not Match.objects.filter(mentee=staff).exists()


def test_extended_support_reaches_a_teacher_whose_experience_is_unknown(o, world):
    staff = _teacher(o, None, None)
    grant = services.extended_support_grant(
        district=world.a,
        actor=o["admin"].user,
        staff=staff,
        reason="Joined mid-year; HR data to come",
        source=o["mentoring_fund"],
    )
    found = services.eligibility(staff, extended=grant)
    assert found.kind == "extended"
    assert found.reason == "Experience unknown: no HR data yet; Joined mid-year; HR data to come"
    match = services.match_propose(district=world.a, actor=None, mentor=o["mentor"], mentee=staff)
    assert match.status == "proposed"
    # HR data arrives: a new teacher after all, no longer resting on the grant.
    staff.contracted_days = 20
    staff.save()
    staff.refresh_from_db()
    assert services.eligibility(staff).kind == "new"


# --- mentors -----------------------------------------------------------------------------------


def test_only_trained_staff_become_mentors_once_with_the_district_cap(o, world):
    admin = o["admin"].user
    staff = _teacher(o, 400)
    with pytest.raises(DomainError) as exc:
        services.mentor_create(district=world.a, actor=admin, staff=staff, data={})
    assert _code(exc) == "mentor.untrained"
    assert not services.is_trained(staff)
    train(staff, year=o["year"])
    assert services.is_trained(staff)
    district = world.a
    district.mentor_caseload = 5
    district.save()
    mentor = services.mentor_create(district=district, actor=admin, staff=staff, data={})
    assert mentor.caseload_cap == 5 and mentor.is_available and mentor.is_active
    own = new_mentor(school=o["school"], year=o["year"], cap=2)
    assert own.caseload_cap == 2
    with pytest.raises(Conflict) as exc:
        services.mentor_create(district=district, actor=admin, staff=staff, data={})
    assert _code(exc) == "mentor.exists"
    with pytest.raises(Conflict) as exc:
        services.mentor_create(district=district, actor=admin, staff=o["teacher"], data={})
    assert _code(exc) == "mentor.exists"
    assert Mentor.objects.filter(staff=staff).count() == 1


def test_the_world_mentor_has_the_default_cap(o):
    assert o["mentor"].caseload_cap == 3 == o["school"].district.mentor_caseload
    assert o["mentor"].availability == "Tuesdays"


def test_orientation_does_not_qualify_a_mentor(o, world):
    from cadre.mentoring.models import Training

    staff = _teacher(o, 400)
    train(staff, year=o["year"], kind=Training.Kind.ORIENTATION)
    with pytest.raises(DomainError) as exc:
        services.mentor_create(district=world.a, actor=None, staff=staff, data={})
    assert _code(exc) == "mentor.untrained"


def test_another_districts_staff_cannot_mentor_here(o, world):
    with pytest.raises(DomainError) as exc:
        services.mentor_create(
            district=world.a, actor=None, staff=world.b_objects["teacher"], data={}
        )
    assert _code(exc) == "district.mismatch"


# --- matches -----------------------------------------------------------------------------------


def test_a_new_counselor_needs_extended_support(o, world):
    """The state's rule counts teaching days, so the programme is for teachers: anyone else
    under the threshold joins only when the district extends it to them."""
    admin = o["admin"].user
    counselor = staff_with_role(Role.COUNSELOR, school=o["school"], contracted_days=0)
    with pytest.raises(DomainError) as exc:
        services.match_propose(district=world.a, actor=admin, mentor=o["mentor"], mentee=counselor)
    assert _code(exc) == "mentoring.not_teaching"
    assert counselor.pk not in {
        s.pk for s in selectors.eligible(actor_for(o["admin"].user), o["year"])
    }


def test_propose_refuses_the_ineligible_the_self_and_a_second_open_match(o, world):
    admin, mentor = o["admin"].user, o["mentor"]
    veteran = _teacher(o, 400)
    with pytest.raises(DomainError) as exc:
        services.match_propose(district=world.a, actor=admin, mentor=mentor, mentee=veteran)
    assert _code(exc) == "mentoring.not_eligible"
    # The mentor, given extended support, still cannot mentor themselves.
    services.extended_support_grant(
        district=world.a,
        actor=admin,
        staff=o["teacher"],
        reason="New course",
        source=o["mentoring_fund"],
    )
    with pytest.raises(DomainError) as exc:
        services.match_propose(district=world.a, actor=admin, mentor=mentor, mentee=o["teacher"])
    assert _code(exc) == "match.self"
    other_mentor = new_mentor(school=o["school"], year=o["year"])
    for mentee in (o["new_teacher"], o["second_new_teacher"]):  # active, proposed
        with pytest.raises(Conflict) as exc:
            services.match_propose(
                district=world.a, actor=admin, mentor=other_mentor, mentee=mentee
            )
        assert _code(exc) == "match.open_exists"
    with pytest.raises(DomainError) as exc:
        services.match_propose(
            district=world.a,
            actor=admin,
            mentor=mentor,
            mentee=_teacher(o, 5),
            source=o["isd_source"],
        )
    assert _code(exc) == "mentoring.source_kind"
    assert Match.objects.filter(mentor=other_mentor).count() == 0


def test_propose_records_the_school_and_audits(o, world):
    mentee = _teacher(o, 5)
    match = services.match_propose(
        district=world.a,
        actor=o["principal"].user,
        mentor=o["mentor"],
        mentee=mentee,
        note="  Same hallway  ",
    )
    assert match.status == "proposed" and match.school == o["school"]
    assert match.school_year == o["year"] and match.note == "Same hallway"
    assert match.proposed_by == o["principal"].user and match.started_on is None
    event = AuditEvent.objects.get(object_type="mentoring.match", object_id=str(match.pk))
    assert event.action == "create" and event.to_state == "proposed"


def test_confirm_needs_a_source_room_and_a_start_in_the_year(o, world):
    admin, proposed, year = o["admin"].user, o["proposed_match"], o["year"]
    with pytest.raises(DomainError) as exc:
        services.match_confirm(match=proposed, actor=admin)
    assert _code(exc) == "match.source_required"
    with pytest.raises(DomainError) as exc:
        services.match_confirm(match=proposed, actor=admin, source=o["isd_source"])
    assert _code(exc) == "mentoring.source_kind"
    for outside in (year.start_date - timedelta(days=1), year.end_date + timedelta(days=1)):
        with pytest.raises(DomainError) as exc:
            services.match_confirm(
                match=proposed, actor=admin, source=o["mentoring_fund"], started_on=outside
            )
        assert _code(exc) == "match.start_outside_year"
    services.mentor_update(mentor=o["mentor"], actor=admin, data={"caseload_cap": 1})
    with pytest.raises(Conflict) as exc:
        services.match_confirm(match=proposed, actor=admin, source=o["mentoring_fund"])
    assert _code(exc) == "match.over_cap"
    assert "1 of a cap of 1" in exc.value.detail
    proposed.refresh_from_db()
    assert proposed.status == "proposed" and proposed.source is None
    services.mentor_update(mentor=o["mentor"], actor=admin, data={"caseload_cap": 2})
    done = services.match_confirm(
        match=proposed, actor=admin, source=o["mentoring_fund"], started_on=year.start_date
    )
    assert done.status == "active" and done.started_on == year.start_date
    assert done.source == o["mentoring_fund"] and done.confirmed_by == admin
    assert services.caseload(o["mentor"]) == 2
    with pytest.raises(Conflict) as exc:
        services.match_confirm(match=done, actor=admin)
    assert _code(exc) == "match.not_proposed"


def test_an_ended_match_frees_a_place_under_the_cap(o, world):
    admin = o["admin"].user
    services.mentor_update(mentor=o["mentor"], actor=admin, data={"caseload_cap": 1})
    services.match_end(match=o["match"], actor=admin, reason="reassigned")
    done = services.match_confirm(
        match=o["proposed_match"], actor=admin, source=o["mentoring_fund"]
    )
    assert done.status == "active" and done.started_on == world.a.today()


def test_an_inactive_mentor_cannot_be_proposed_or_confirmed(o, world):
    admin = o["admin"].user
    services.mentor_update(mentor=o["mentor"], actor=admin, data={"is_active": False})
    with pytest.raises(DomainError) as exc:
        services.match_propose(
            district=world.a, actor=admin, mentor=o["mentor"], mentee=_teacher(o, 5)
        )
    assert _code(exc) == "match.mentor_inactive"
    with pytest.raises(Conflict) as exc:
        services.match_confirm(match=o["proposed_match"], actor=admin, source=o["mentoring_fund"])
    assert _code(exc) == "match.mentor_inactive"


def test_the_match_workflow_audits_every_transition(o, world):
    admin = o["admin"].user
    mentee = _teacher(o, 5)
    match = services.match_propose(district=world.a, actor=admin, mentor=o["mentor"], mentee=mentee)
    match = services.match_confirm(match=match, actor=admin, source=o["mentoring_fund"])
    with pytest.raises(DomainError) as exc:
        services.match_end(match=match, actor=admin, reason="bored")
    assert _code(exc) == "match.end_reason"
    with pytest.raises(DomainError) as exc:
        services.match_end(
            match=match,
            actor=admin,
            reason="completed",
            ended_on=match.started_on - timedelta(days=1),
        )
    assert _code(exc) == "match.end_before_start"
    match = services.match_end(
        match=match, actor=admin, reason="mentee_left", note="  Moved away  "
    )
    assert match.status == "ended" and match.end_reason == "mentee_left"
    assert match.end_note == "Moved away" and match.ended_on == world.a.today()
    assert _transitions(match) == [
        ("proposed", "active", ""),
        ("active", "ended", "Moved away"),
    ]
    with pytest.raises(Conflict) as exc:
        services.match_end(match=match, actor=admin, reason="completed")
    assert _code(exc) == "match.ended"
    with pytest.raises(Conflict):
        services.match_confirm(match=match, actor=admin, source=o["mentoring_fund"])
    match.refresh_from_db()
    assert match.end_reason == "mentee_left" and len(_transitions(match)) == 2
    # The new teacher may now be proposed to someone else.
    again = services.match_propose(district=world.a, actor=admin, mentor=o["mentor"], mentee=mentee)
    assert again.status == "proposed"


def test_a_proposal_that_is_never_confirmed_ends(o):
    match = services.match_end(
        match=o["proposed_match"], actor=o["admin"].user, reason="not_confirmed"
    )
    assert match.status == "ended" and match.started_on is None
    assert _transitions(match) == [("proposed", "ended", "")]


# --- logs --------------------------------------------------------------------------------------


def test_logs_only_on_confirmed_matches_within_their_dates(o, world):
    mentor_user = o["teacher"].user
    with pytest.raises(Conflict) as exc:
        _log(o["proposed_match"], mentor_user)
    assert _code(exc) == "log.not_active"
    match = o["match"]
    with pytest.raises(DomainError) as exc:
        _log(match, mentor_user, days_ago=-1)
    assert _code(exc) == "log.future"
    with pytest.raises(DomainError) as exc:
        _log(match, mentor_user, days_ago=15)  # the match started 14 days ago
    assert _code(exc) == "log.before_start"
    on_start = _log(match, mentor_user, days_ago=14, minutes=50)
    today = _log(match, mentor_user, days_ago=0)
    assert on_start.met_on == match.started_on and today.met_on == world.a.today()
    assert on_start.logged_by == mentor_user and on_start.district == world.a
    with pytest.raises(DomainError) as exc:
        services.log_update(
            log=on_start, actor=mentor_user, data={"met_on": match.started_on - timedelta(days=1)}
        )
    assert _code(exc) == "log.before_start"
    services.log_update(log=on_start, actor=mentor_user, data={"minutes": 55})
    on_start.refresh_from_db()
    assert on_start.minutes == 55


def _log_events(log):
    return [
        (e.action, e.actor_id, e.object_repr, e.changes, e.comment)
        for e in AuditEvent.objects.filter(object_type="mentoring.log", object_id=str(log.pk))
    ]


def _log_row(log):
    return (
        log.match_id,
        log.district_id,
        log.logged_by_id,
        log.met_on,
        log.minutes,
        log.kind,
        log.focus,
        log.next_steps,
        log.reflection,
    )


def test_a_pairs_logs_are_written_together_or_not_at_all(o, django_assert_num_queries):
    match, mentor_user = o["match"], o["teacher"].user
    today = match.district.today()

    def row(days_ago, minutes=30):
        return {
            "met_on": today - timedelta(days=days_ago),
            "minutes": minutes,
            "kind": "planning",
            "focus": f"Week {days_ago}",
            "next_steps": "Try it",
        }

    # One is before the match started: none is written, and the refusal is its own.
    with pytest.raises(DomainError) as exc:
        services.log_create_many(match=match, actor=mentor_user, rows=[row(3), row(15)])
    assert _code(exc) == "log.before_start"
    assert not Log.objects.filter(match=match, met_on=today - timedelta(days=3)).exists()
    with pytest.raises(Conflict) as exc:
        services.log_create_many(match=o["proposed_match"], actor=mentor_user, rows=[row(1)])
    assert _code(exc) == "log.not_active"
    # However many, as many queries as one alone (the actor's name read once before): the
    # savepoint and its release, the match, the logs and their audit events.
    services.log_create(match=match, actor=mentor_user, data=row(9))
    with CaptureQueriesContext(connection) as one:
        alone = services.log_create(match=match, actor=mentor_user, data=row(8))
    assert len(one) <= 5
    with django_assert_num_queries(len(one)):
        made = services.log_create_many(
            match=match, actor=mentor_user, rows=[row(7), row(6, 45), row(5), row(4)]
        )
    assert [log.met_on for log in made] == [today - timedelta(days=d) for d in (7, 6, 5, 4)]
    assert all(log.pk for log in made)
    # The same rows and audit events as logging each alone.
    stored = Log.objects.get(pk=made[1].pk)
    assert _log_row(stored) == _log_row(made[1])
    assert stored.minutes == 45 and stored.created_at and stored.updated_at
    for log in made:
        expected = [
            (a, u, r.replace(str(alone), str(log)), ch, c) for a, u, r, ch, c in _log_events(alone)
        ]
        expected[0][3]["met_on"][1] = log.met_on.isoformat()
        expected[0][3]["minutes"][1] = log.minutes
        assert _log_events(log) == expected
    assert services.log_create_many(match=match, actor=mentor_user, rows=[]) == []


def test_an_ended_match_takes_late_logs_up_to_its_end_only(o):
    match = services.match_end(
        match=o["match"],
        actor=o["admin"].user,
        reason="completed",
        ended_on=o["match"].district.today() - timedelta(days=3),
    )
    late = _log(match, o["teacher"].user, days_ago=4)
    assert late.match == match
    with pytest.raises(DomainError) as exc:
        _log(match, o["teacher"].user, days_ago=2)
    assert _code(exc) == "log.after_end"


def test_a_match_that_never_started_takes_no_logs(o):
    """Proposed, then ended without confirmation: there was never a pair to log for."""
    match = services.match_end(
        match=o["proposed_match"], actor=o["admin"].user, reason="not_confirmed"
    )
    with pytest.raises(Conflict) as exc:
        _log(match, o["teacher"].user)
    assert _code(exc) == "log.not_active"
    assert not Log.objects.filter(match=match).exists()


def test_the_new_teacher_reflects_on_a_log(o):
    log = o["mentor_log"]
    with pytest.raises(DomainError) as exc:
        services.log_reflect(log=log, actor=o["new_teacher"].user, reflection="  \n ")
    assert _code(exc) == "log.reflection_empty"
    log.refresh_from_db()
    assert log.reflection == "" and log.reflected_at is None
    log = services.log_reflect(log=log, actor=o["new_teacher"].user, reflection=" It helped. ")
    log.refresh_from_db()
    assert log.reflection == "It helped." and log.reflected_at is not None


def test_only_the_pair_sees_its_logs(o, world):
    log = o["mentor_log"]
    coordinator = staff_with_role(Role.TEACHER, school=o["other_school"])
    AssignmentFactory(
        staff=coordinator, district=world.a, role=Role.MENTOR_COORDINATOR, school=None
    )
    actors = {
        name: actor_for(user)
        for name, user in (
            ("mentor", o["teacher"].user),
            ("mentee", o["new_teacher"].user),
            ("principal", o["principal"].user),
            ("admin", o["admin"].user),
            ("coordinator", coordinator.user),
            ("other", o["other_teacher"].user),
            ("second_mentee", o["second_new_teacher"].user),
        )
    }
    from cadre.mentoring import rules

    assert rules.coordinates(actors["coordinator"]) and rules.coordinates(actors["admin"])
    assert actors["principal"].is_school_leader
    for name in ("mentor", "mentee"):
        assert list(access.visible(actors[name], Log)) == [log], name
        assert list(selectors.logs(actors[name], o["match"])) == [log], name
    for name in ("principal", "admin", "coordinator", "other", "second_mentee"):
        assert not access.visible(actors[name], Log).exists(), name
        assert not selectors.logs(actors[name], o["match"]).exists(), name
    # Another district's pair never shows, even to its own... and they see only theirs.
    b_mentor = actor_for(world.b_objects["teacher"].user)
    assert list(access.visible(b_mentor, Log)) == [world.b_objects["mentor_log"]]
    # What they see of the work instead: counts and dates.
    figures = selectors.cadence(world.a, [o["match"]], world.a.today())[o["match"].pk]
    assert figures.count == 1 and figures.minutes == 45 and figures.last_met_on == log.met_on


# --- onboarding ------------------------------------------------------------------------------


def test_a_checklist_copies_the_default_steps_which_are_made_once(o, world):
    checklist = o["checklist"]
    tasks = list(checklist.tasks.all())
    assert [t.title for t in tasks] == services.DEFAULT_ONBOARDING
    assert [t.position for t in tasks] == [1, 2, 3, 4]
    assert all(t.done_on is None and t.item is not None for t in tasks)
    assert checklist.school == o["school"] and checklist.school_year == o["year"]
    second = services.checklist_open(
        district=world.a, actor=o["principal"].user, staff=o["second_new_teacher"]
    )
    assert [t.title for t in second.tasks.all()] == services.DEFAULT_ONBOARDING
    assert OnboardingItem.objects.filter(district=world.a).count() == 4
    with pytest.raises(Conflict) as exc:
        services.checklist_open(district=world.a, actor=None, staff=o["new_teacher"])
    assert _code(exc) == "onboarding.exists"
    with pytest.raises(DomainError) as exc:
        services.checklist_open(district=world.a, actor=None, staff=_teacher(o, 400))
    assert _code(exc) == "mentoring.not_eligible"


def test_a_checklist_copies_the_districts_edited_steps(o, world):
    admin = o["admin"].user
    items = list(OnboardingItem.objects.filter(district=world.a).order_by("position"))
    services.onboarding_item_update(item=items[0], actor=admin, data={"title": "Welcome!"})
    services.onboarding_item_update(item=items[1], actor=admin, data={"is_active": False})
    services.onboarding_item_create(
        district=world.a, actor=admin, data={"title": "Meet the union rep", "position": 9}
    )
    checklist = services.checklist_open(
        district=world.a, actor=admin, staff=o["second_new_teacher"]
    )
    assert [(t.title, t.position) for t in checklist.tasks.all()] == [
        ("Welcome!", 1),
        (services.DEFAULT_ONBOARDING[2], 3),
        (services.DEFAULT_ONBOARDING[3], 4),
        ("Meet the union rep", 9),
    ]
    # The checklist opened earlier keeps its own copy.
    assert [t.title for t in o["checklist"].tasks.all()] == services.DEFAULT_ONBOARDING


@pytest.mark.django_db
def test_a_districts_first_edit_keeps_the_defaults():
    district = DistrictFactory()
    item = services.onboarding_item_create(
        district=district, actor=None, data={"title": "Parking permit", "position": 5}
    )
    titles = [i.title for i in services.onboarding_items(district)]
    assert titles == [*services.DEFAULT_ONBOARDING, "Parking permit"]
    assert item.title == "Parking permit"
    assert len(services.onboarding_items(district)) == 5  # not made again


def test_marking_a_task_keeps_the_first_done_date(o, world):
    principal, admin = o["principal"].user, o["admin"].user
    task = o["onboarding_task"]
    task = services.task_mark(task=task, actor=principal, done=True, note=" Toured ")
    assert task.done_on == world.a.today() and task.done_by == principal and task.note == "Toured"
    earlier = world.a.today() - timedelta(days=5)
    OnboardingTask.objects.filter(pk=task.pk).update(done_on=earlier)
    task = services.task_mark(task=task, actor=admin, done=True, note="Toured")
    task.refresh_from_db()
    assert task.done_on == earlier and task.done_by == principal
    task = services.task_mark(task=task, actor=admin, done=False)
    task.refresh_from_db()
    assert task.done_on is None and task.done_by is None
    task = services.task_mark(task=task, actor=admin, done=True)
    task.refresh_from_db()
    assert task.done_on == world.a.today() and task.done_by == admin


# --- stipends ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "on", "months"),
    [
        (date(2026, 9, 1), date(2026, 9, 1), None, 1),  # one day: at least a month
        (date(2026, 9, 1), date(2026, 9, 15), None, 1),  # 15 days: 0.49 → 1 (the minimum)
        (date(2026, 9, 1), date(2026, 10, 16), None, 2),  # 46 days: 1.51 → 2
        (date(2026, 9, 1), date(2026, 10, 15), None, 1),  # 45 days: 1.48 → 1
        (date(2026, 9, 1), date(2026, 11, 30), None, 3),  # 91 days: 2.99 → 3
        (date(2026, 7, 1), date(2027, 6, 30), None, 12),  # the whole year
        (date(2026, 9, 1), None, None, 10),  # to the year's end: 303 days, 9.95 → 10
        (date(2026, 9, 1), None, date(2026, 10, 16), 2),  # to `on`
        (date(2026, 9, 1), None, date(2028, 1, 1), 10),  # `on` past the year: its end
        (date(2026, 9, 1), date(2026, 10, 16), date(2027, 6, 1), 2),  # the end wins over `on`
        (date(2027, 5, 1), date(2027, 8, 31), None, 2),  # ended past the year: paid to 30 June
        (None, None, None, 0),  # never started
    ],
)
def test_active_months_arithmetic(o, start, end, on, months):
    match = Match(school_year=o["year"], started_on=start, ended_on=end)
    assert services.active_months(match, on) == months


def test_match_stipends_prorate_post_and_reconcile(o, world):
    admin, district, match = o["admin"].user, world.a, o["match"]
    budget = o["mentoring_budget"]
    assert (budget.committed_amount, budget.spent_amount) == (0, 0)
    # The pair worked from 1 September; the coordinator ends the match and pays it.
    start = o["year"].start_date + timedelta(days=62)
    Match.objects.filter(pk=match.pk).update(started_on=start)
    first = _log(match, o["teacher"].user, days_ago=(district.today() - start).days, minutes=75)
    match = services.match_end(match=match, actor=admin, reason="completed")
    expected_months = services.active_months(match)
    days = (match.ended_on - start).days + 1
    assert expected_months == max(1, min(12, round(days / 30.4375)))
    with pytest.raises(Conflict) as exc:
        services.match_stipends(match=o["proposed_match"], actor=admin)
    assert _code(exc) == "match.not_started"

    mentor_award, mentee_award = services.match_stipends(match=match, actor=admin)
    last = o["mentor_log"].met_on
    evidence = f"2 contacts logged, 2.0 hours, {first.met_on:%-d %b %Y} to {last:%-d %b %Y}"
    mentor_pay = (D("1500") * expected_months / 10).quantize(D("0.01")).min(D("1500"))
    mentee_pay = (D("500") * expected_months / 10).quantize(D("0.01")).min(D("500"))
    for award, staff, schedule, amount in (
        (mentor_award, o["teacher"], o["schedule"], mentor_pay),
        (mentee_award, o["new_teacher"], o["mentee_schedule"], mentee_pay),
    ):
        assert award.staff == staff and award.schedule == schedule
        assert award.months == expected_months and award.amount == amount
        assert award.budget == budget and award.status == "proposed"
        assert award.evidence == evidence
        assert award.evidence_id == match.pk and award.evidence_type.model == "match"
    assert set(selectors.stipends(match)) == {mentor_award, mentee_award}
    with pytest.raises(Conflict) as exc:
        services.match_stipends(match=match, actor=admin)
    assert _code(exc) == "match.stipends_exist"

    for award in (mentor_award, mentee_award):
        stipends.award_approve(award=award, actor=admin)
    budget.refresh_from_db()
    total = mentor_pay + mentee_pay
    assert budget.committed_amount == total and budget.spent_amount == 0
    assert reconcile(district) == []
    awards = list(StipendAward.objects.filter(pk__in=[mentor_award.pk, mentee_award.pk]))
    batch = stipends.payroll_batch_create(district=district, actor=admin, awards=awards)
    assert batch.count == 2 and batch.total == total
    budget = Budget.objects.get(pk=budget.pk)
    assert budget.committed_amount == 0 and budget.spent_amount == total
    assert {a.status for a in StipendAward.objects.filter(pk__in=[a.pk for a in awards])} == {
        "paid"
    }
    spent = LedgerEntry.objects.filter(budget=budget, kind=LedgerEntry.Kind.EXPENDITURE)
    assert sorted(e.amount for e in spent) == sorted([mentor_pay, mentee_pay])
    assert reconcile(district) == []


def test_cancelled_stipends_can_be_made_again(o):
    admin, match = o["admin"].user, o["match"]
    awards = services.match_stipends(match=match, actor=admin)
    # A 15-day match earns the one-month minimum: a tenth of each schedule.
    assert [a.amount for a in awards] == [D("150.00"), D("50.00")]
    assert awards[0].evidence.startswith("1 contact logged, 0.8 hours, ")
    for award in awards:
        stipends.award_cancel(award=award, actor=admin, reason="Wrong months")
    again = services.match_stipends(match=match, actor=admin)
    assert len(again) == 2 and {a.pk for a in again}.isdisjoint({a.pk for a in awards})
    assert reconcile(match.district) == []
