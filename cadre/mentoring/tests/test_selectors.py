from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from cadre.districts import selectors as staff_selectors
from cadre.districts.access import actor_for
from cadre.districts.factories import AssignmentFactory, SchoolFactory, staff_with_role
from cadre.districts.models import Role, SchoolYear
from cadre.mentoring import selectors, services
from cadre.mentoring.factories import new_mentor, new_teacher, unknown_teacher
from cadre.mentoring.models import Match

D = Decimal


def _admin(o):
    return actor_for(o["admin"].user)


def _log(match, minutes, days_ago=1):
    return services.log_create(
        match=match,
        actor=match.mentor.staff.user,
        data={
            "met_on": match.district.today() - timedelta(days=days_ago),
            "minutes": minutes,
            "kind": "planning",
            "focus": "Lesson plans",
        },
    )


def _pair(o, mentor, mentee, **confirm):
    match = services.match_propose(
        district=mentee.district, actor=None, mentor=mentor, mentee=mentee
    )
    return services.match_confirm(match=match, actor=None, source=o["mentoring_fund"], **confirm)


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_rank_school_then_subject_then_grade_band_then_spare_places(o, world):
    year, here, elsewhere = o["year"], o["other_school"], SchoolFactory(district=world.a)
    mentee = new_teacher(school=here, subjects=["Math"], grade_bands=["6-8"])

    def mentor(school, subjects, bands, cap, **kw):
        return new_mentor(
            school=school, year=year, cap=cap, subjects=subjects, grade_bands=bands, **kw
        )

    same_school = mentor(here, ["Science"], ["K-5"], 1)
    both = mentor(elsewhere, ["Math"], ["6-8"], 10)
    subject = mentor(elsewhere, ["math"], ["K-5"], 2)
    band = mentor(elsewhere, ["Art"], ["6-8"], 8)
    roomy = mentor(elsewhere, ["Art"], ["K-5"], 9)
    snug = mentor(elsewhere, ["Art"], ["K-5"], 2)
    full = mentor(here, ["Math"], ["6-8"], 1)
    _pair(o, full, new_teacher(school=here))
    unavailable = mentor(here, ["Math"], ["6-8"], 5)
    services.mentor_update(mentor=unavailable, actor=None, data={"is_available": False})
    retired = mentor(here, ["Math"], ["6-8"], 5)
    services.mentor_update(mentor=retired, actor=None, data={"is_active": False})
    left = mentor(here, ["Math"], ["6-8"], 5)
    left.staff.is_active = False
    left.staff.save()
    # The world's mentor: another school, English 9-12, 1 of 3 places taken.
    world_mentor = o["mentor"]

    found = selectors.suggestions(_admin(o), mentee)
    order = [s.mentor for s in found]
    assert order == [same_school, both, subject, band, roomy, world_mentor, snug]
    assert not {full, unavailable, retired, left} & set(order)
    by_mentor = {s.mentor: s for s in found}
    assert by_mentor[same_school].reasons == ["same school", "1 of 1 places free"]
    assert by_mentor[both].reasons == [
        "same subject: Math",
        "same grade band: 6-8",
        "10 of 10 places free",
    ]
    assert by_mentor[subject].reasons == ["same subject: math", "2 of 2 places free"]
    assert by_mentor[band].reasons == ["same grade band: 6-8", "8 of 8 places free"]
    assert by_mentor[world_mentor].reasons == ["2 of 3 places free"]
    assert by_mentor[world_mentor].spare == 2 and by_mentor[roomy].spare == 9
    assert [s.mentor for s in selectors.suggestions(_admin(o), mentee, limit=2)] == order[:2]


def test_suggestions_never_offer_the_mentee_to_themselves(o):
    # The world's mentor, given extended support, appears in no list of their own.
    services.extended_support_grant(
        district=o["school"].district,
        actor=None,
        staff=o["teacher"],
        reason="New course",
        source=o["mentoring_fund"],
    )
    assert o["mentor"] not in [s.mentor for s in selectors.suggestions(_admin(o), o["teacher"])]
    assert o["mentor"] in [s.mentor for s in selectors.suggestions(_admin(o), o["other_teacher"])]


def test_a_mentor_becomes_suggestible_again_when_a_place_frees(o):
    mentee = new_teacher(school=o["school"])
    services.mentor_update(mentor=o["mentor"], actor=None, data={"caseload_cap": 1})
    assert o["mentor"] not in [s.mentor for s in selectors.suggestions(_admin(o), mentee)]
    services.match_end(match=o["match"], actor=None, reason="completed")
    found = selectors.suggestions(_admin(o), mentee)
    assert [s.mentor for s in found] == [o["mentor"]]
    assert found[0].reasons == [
        "same school",
        "same subject: English",
        "same grade band: 9-12",
        "1 of 1 places free",
    ]


# --- cadence -----------------------------------------------------------------------------------


def _restart(match, days_ago):
    Match.objects.filter(pk=match.pk).update(
        started_on=match.district.today() - timedelta(days=days_ago)
    )
    return Match.objects.select_related("school_year").get(pk=match.pk)


def test_cadence_averages_minutes_a_week_against_the_districts_target(o, world):
    district, today = world.a, world.a.today()
    match = o["match"]  # started 14 days ago (15 days counted), 45 minutes logged
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.count == 1 and figures.minutes == 45 and figures.target == 60
    assert figures.weeks == D(15) / 7 and figures.weekly_minutes == 21
    assert figures.judged and figures.behind
    assert figures.hours == D("0.8") and figures.last_met_on == today - timedelta(days=7)
    _log(match, 83, days_ago=2)  # 128 minutes in 15 days: 59.7 a week
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.weekly_minutes == 59 and figures.behind
    assert figures.last_met_on == today - timedelta(days=2)
    _log(match, 1, days_ago=1)  # 129 minutes: 60.2 a week
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.count == 3 and figures.weekly_minutes == 60 and not figures.behind
    district.mentor_weekly_minutes = 61
    district.save()
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.target == 61 and figures.behind


def test_cadence_gives_a_new_pair_a_fortnights_grace(o, world):
    district, today = world.a, world.a.today()
    match = _restart(o["match"], 12)  # 13 days counted: too soon to judge
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert not figures.judged and not figures.behind
    assert figures.weeks == D(13) / 7
    match = _restart(o["match"], 13)  # 14 days counted
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.judged and figures.behind
    # Under a week the average is over a full week, not inflated.
    match = _restart(o["match"], 2)
    figures = selectors.cadence(district, [match], today)[match.pk]
    assert figures.weeks == 1 and figures.weekly_minutes == 45


def test_cadence_judges_only_active_pairs(o, world):
    district, today = world.a, world.a.today()
    ended = services.match_end(match=o["match"], actor=None, reason="completed")
    proposed = o["proposed_match"]
    figures = selectors.cadence(district, [ended, proposed], today)
    assert not figures[ended.pk].judged and not figures[ended.pk].behind
    assert figures[ended.pk].minutes == 45
    assert figures[proposed.pk].count == 0 and figures[proposed.pk].minutes == 0
    assert figures[proposed.pk].weekly_minutes == 0 and not figures[proposed.pk].behind


# --- overdue and alerts ------------------------------------------------------------------------


def test_alerts_count_new_teachers_still_without_a_mentor_after_the_deadline(o, world):
    actor, year, today = _admin(o), o["year"], world.a.today()
    # In the world: the second new teacher (only proposed) and the teacher on extended
    # support (no match) have waited far past 30 days; the first new teacher is matched.
    base = selectors.alerts(actor, year).overdue
    assert base == 2
    assert set(selectors.people(actor, year, state="overdue")) == {
        o["second_new_teacher"],
        o["other_teacher"],
    }
    at_30 = new_teacher(school=o["school"], hire_date=today - timedelta(days=30))
    at_31 = new_teacher(school=o["school"], hire_date=today - timedelta(days=31))
    overdue = set(selectors.people(actor, year, state="overdue"))
    assert at_31 in overdue and at_30 not in overdue
    assert selectors.alerts(actor, year).overdue == base + 1
    rows = {p.staff: p for p in selectors.describe(actor, year, [at_30, at_31])}
    assert rows[at_31].overdue and not rows[at_30].overdue
    # An active match takes them off the list; a proposed one does not.
    match = services.match_propose(district=world.a, actor=None, mentor=o["mentor"], mentee=at_31)
    assert selectors.alerts(actor, year).overdue == base + 1
    services.match_confirm(match=match, actor=None, source=o["mentoring_fund"])
    assert selectors.alerts(actor, year).overdue == base
    world.a.mentor_match_days = 10
    world.a.save()
    assert at_30 in set(selectors.people(_admin(o), year, state="overdue"))


def test_the_deadline_clock_starts_with_the_school_year(o, world):
    """Someone hired before a year that started recently is not overdue for that year."""
    actor, today = _admin(o), world.a.today()
    year = SchoolYear.objects.create(
        district=world.a,
        name="Late-start year",
        start_date=today - timedelta(days=10),
        end_date=today + timedelta(days=200),
    )
    hired_long_ago = new_teacher(school=o["school"], hire_date=today - timedelta(days=200))
    assert selectors.clock_start(hired_long_ago, year) == year.start_date
    assert not selectors.describe(actor, year, [hired_long_ago])[0].overdue
    assert hired_long_ago not in set(selectors.people(actor, year, state="overdue"))
    assert selectors.alerts(actor, year).overdue == 0


def test_alerts_list_mentors_over_their_cap_and_pairs_behind(o, world):
    admin, year = _admin(o), o["year"]
    alerts = selectors.alerts(admin, year)
    assert alerts.over_cap == [] and [m for m, _ in alerts.behind] == [o["match"]]
    assert alerts.any
    services.match_confirm(match=o["proposed_match"], actor=None, source=o["mentoring_fund"])
    assert selectors.alerts(admin, year).over_cap == []  # 2 of 3
    services.mentor_update(mentor=o["mentor"], actor=None, data={"caseload_cap": 1})
    alerts = selectors.alerts(admin, year)
    assert alerts.over_cap == [o["mentor"]] and alerts.over_cap[0].active == 2
    assert selectors.over_cap(admin) == [o["mentor"]]
    # The principal follows their school's pairs; the caseloads are the coordinator's.
    principal = selectors.alerts(actor_for(o["principal"].user), year)
    assert principal.over_cap == []
    # The pair confirmed today is in its fortnight's grace; the older one is behind.
    assert [m for m, _ in principal.behind] == [o["match"]]
    other_school = staff_with_role(Role.PRINCIPAL, school=o["other_school"])
    assert selectors.alerts(actor_for(other_school.user), year).behind == []


def test_a_mentor_coordinator_gets_the_district_wide_alerts(o, world):
    person = staff_with_role(Role.TEACHER, school=o["other_school"])
    AssignmentFactory(staff=person, district=world.a, role=Role.MENTOR_COORDINATOR, school=None)
    services.match_confirm(match=o["proposed_match"], actor=None, source=o["mentoring_fund"])
    services.mentor_update(mentor=o["mentor"], actor=None, data={"caseload_cap": 1})
    alerts = selectors.alerts(actor_for(person.user), o["year"])
    assert alerts.over_cap == [o["mentor"]] and alerts.overdue == 1  # the extended teacher
    assert [m for m, _ in alerts.behind] == [o["match"]]


# --- reading what the pair writes --------------------------------------------------------------


def test_log_detail_is_404_outside_the_pair(o):
    log = o["mentor_log"]
    assert selectors.log_detail(actor_for(o["new_teacher"].user), log.pk) == log
    for user in (o["principal"].user, o["admin"].user):
        with pytest.raises(Http404):
            selectors.log_detail(actor_for(user), log.pk)


def test_match_lists_follow_the_pair_and_the_school(o, world):
    assert set(selectors.matches(_admin(o))) == {o["match"], o["proposed_match"]}
    assert set(selectors.matches(actor_for(o["principal"].user))) == {
        o["match"],
        o["proposed_match"],
    }
    assert set(selectors.matches(actor_for(o["new_teacher"].user))) == {o["match"]}
    assert list(selectors.matches(actor_for(o["other_teacher"].user))) == []
    assert list(selectors.matches(actor_for(world.b_objects["admin"].user), status="active")) == [
        world.b_objects["match"]
    ]


# --- staff with unknown experience -----------------------------------------------------------


def _coordinator(world):
    return actor_for(staff_with_role(Role.MENTOR_COORDINATOR, district=world.a).user)


def test_unknown_experience_is_the_coordinators_figure(o, world):
    admin, coordinator = _admin(o), _coordinator(world)
    before = selectors.unknown_experience(admin)
    unknown_teacher(school=o["school"])
    unknown_teacher(school=o["other_school"])
    # Not counted: not teaching, known experience, another district's.
    staff_with_role(Role.COUNSELOR, school=o["school"], contracted_days=None, substitute_days=None)
    new_teacher(school=o["school"])
    unknown_teacher(school=world.b_objects["school"])
    assert selectors.unknown_experience(admin) == before + 2
    assert selectors.unknown_experience(coordinator) == before + 2
    # Nobody in the programme: they are not new teachers.
    listed = set(selectors.people(admin, o["year"]).values_list("pk", flat=True))
    unknown = staff_selectors.unknown_experience(admin).values_list("pk", flat=True)
    assert unknown and not listed & set(unknown)
    # School leaders and teachers follow their own; the figure is the coordinator's.
    for key in ("principal", "teacher", "director"):
        assert selectors.unknown_experience(actor_for(o[key].user)) is None


def test_unknown_experience_takes_one_query_whatever_the_numbers(
    o, world, django_assert_num_queries
):
    coordinator = _coordinator(world)
    with django_assert_num_queries(1):
        few = selectors.unknown_experience(coordinator)
    for _ in range(12):
        unknown_teacher(school=o["school"])
    with django_assert_num_queries(1):
        assert selectors.unknown_experience(coordinator) == few + 12
    principal = actor_for(o["principal"].user)
    with django_assert_num_queries(0):
        assert selectors.unknown_experience(principal) is None
