from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadre.catalog.factories import OfferingFactory
from cadre.coaching import factories, selectors
from cadre.coaching.models import Observation
from cadre.coaching.services import cycles, observations
from cadre.districts.access import actor_for

D = Decimal


def _actor(staff):
    return actor_for(staff.user)


def _months(o):
    """Two dates in different months of the world's school year, neither in the future."""
    today = o["school"].district.today()
    earlier = today.replace(day=1) - timedelta(days=10)
    assert earlier >= o["year"].start_date
    return today, earlier


@pytest.fixture
def rated(o):
    """Four walkthroughs of three teachers at the principal's school on a new look-for of
    four items: two teachers in the later month, then the third in both months. Also a
    draft (never counted) and a walkthrough at the other school."""
    district = o["school"].district
    offering = OfferingFactory(district=district, title="Formative assessment")
    look_for = factories.look_for(
        district,
        title="Formative checks",
        strategy="Exit tickets",
        offering=offering,
        items=["A", "B", "C", "D"],
    )
    later, earlier = _months(o)
    teachers = [factories.teacher(school=o["school"]) for _ in range(3)]
    walk = {"observer": o["principal"], "look_for": look_for}
    factories.walkthrough(teacher=teachers[0], seen=[True, True, False, False], on=later, **walk)
    factories.walkthrough(teacher=teachers[1], seen=[True] * 4, on=later, **walk)
    factories.walkthrough(teacher=teachers[2], seen=[True, True, True, False], on=later, **walk)
    factories.walkthrough(teacher=teachers[2], seen=[True, False, False, False], on=earlier, **walk)
    factories.walkthrough(teacher=teachers[0], seen=[True] * 4, on=later, share=False, **walk)
    elsewhere = factories.teacher(school=o["other_school"])
    factories.walkthrough(
        observer=o["coach"], teacher=elsewhere, look_for=look_for, seen=[False] * 4, on=later
    )
    return {"offering": offering, "look_for": look_for, "later": later, "earlier": earlier}


def _row(report, key):
    return next(r for r in report.rows if r.key == key)


# --- implementation rates ------------------------------------------------------------------


def test_the_rate_is_items_seen_of_items_marked_in_shared_walkthroughs(o, rated):
    report = selectors.implementation(_actor(o["principal"]), o["year"], by="offering")
    row = _row(report, rated["offering"].pk)
    assert row.label == "Formative assessment"
    # 2 + 4 + 3 + 1 seen of 16 marked; the draft and the other school's walkthrough are out.
    assert (row.total.seen, row.total.marked) == (10, 16)
    assert row.total.rate == D("62.5")
    assert (row.total.walkthroughs, row.total.teachers) == (4, 3)
    later = report.months.index(rated["later"].replace(day=1))
    earlier = report.months.index(rated["earlier"].replace(day=1))
    assert row.months[later].rate == D("75.0")  # 9 of 12, three teachers
    assert row.months[later].walkthroughs == 3
    # One teacher in the earlier month: suppressed, the figure never shown.
    assert row.months[earlier].suppressed and row.months[earlier].rate is None
    assert sum(1 for c in row.months if not c.empty) == 2


def test_fewer_than_three_teachers_are_suppressed(o):
    report = selectors.implementation(_actor(o["principal"]), o["year"], by="offering")
    row = _row(report, o["offering"].pk)  # the world's walkthrough: one teacher
    assert (row.total.seen, row.total.marked, row.total.teachers) == (2, 3, 1)
    assert row.total.suppressed and row.total.rate is None
    assert report.total.suppressed


def test_administrators_count_the_district_and_principals_their_schools(o, rated):
    admin = selectors.implementation(_actor(o["admin"]), o["year"], by="school")
    assert {r.key for r in admin.rows} == {o["school"].pk, o["other_school"].pk}
    principal = selectors.implementation(_actor(o["principal"]), o["year"], by="school")
    assert [r.key for r in principal.rows] == [o["school"].pk]
    assert principal.rows[0].label == o["school"].name
    director = selectors.implementation(_actor(o["director"]), o["year"], by="school")
    assert len(director.rows) == 2
    only = selectors.implementation(
        _actor(o["admin"]), o["year"], by="school", school=o["other_school"].pk
    )
    assert [r.key for r in only.rows] == [o["other_school"].pk]
    teacher = selectors.implementation(_actor(o["teacher"]), o["year"])
    assert teacher.rows == [] and teacher.total.empty


def test_rates_by_strategy(o, rated):
    report = selectors.implementation(_actor(o["admin"]), o["year"], by="strategy")
    row = _row(report, "Exit tickets")
    assert row.label == "Exit tickets"
    assert (row.total.seen, row.total.marked, row.total.teachers) == (10, 20, 4)
    assert row.total.rate == D("50.0")
    assert selectors.implementation(_actor(o["admin"]), o["year"], by="nonsense").by == "offering"


def test_implementation_reads_in_four_queries(o, rated, django_assert_num_queries):
    actor = _actor(o["admin"])
    for by in ("offering", "school", "strategy"):
        expected = 3 if by == "strategy" else 4  # strategies need no names
        with django_assert_num_queries(expected):
            selectors.implementation(actor, o["year"], by=by)


def test_the_months_run_over_the_school_year(o):
    report = selectors.implementation(_actor(o["admin"]), o["year"])
    assert report.months[0] == date(2026, 7, 1) and report.months[-1] == date(2027, 6, 1)
    assert len(report.months) == 12


# --- the overview: counts and dates --------------------------------------------------------


def test_the_overview_counts_per_school_and_coach(o):
    district = o["school"].district
    second = factories.cycle(coach=o["coach"], teacher=o["other_teacher"])
    for _ in range(5):
        second = cycles.cycle_advance(cycle=second, actor=o["coach"].user)
    found = selectors.overview(_actor(o["admin"]), o["year"])
    by_school = {r.key: r for r in found.schools}
    here = by_school[o["school"].pk]
    assert (here.open_cycles, here.closed_cycles) == (1, 0)
    assert here.kinds == {"coaching": 1, "walkthrough": 1}
    assert here.by_kind == [1, 0, 0, 1]
    assert here.last_activity == district.today() - timedelta(days=3)  # the observation
    there = by_school[o["other_school"].pk]
    assert (there.open_cycles, there.closed_cycles, there.observations) == (0, 1, 0)
    assert there.last_activity == district.today()  # closed today
    coach = {r.key: r for r in found.coaches}[o["coach"].pk]
    assert (coach.open_cycles, coach.closed_cycles, coach.kinds) == (1, 1, {"coaching": 1})
    assert coach.label == o["coach"].full_name
    assert o["principal"].pk not in {r.key for r in found.coaches}  # not a coach
    assert (found.total.open_cycles, found.total.closed_cycles, found.total.observations) == (
        1,
        1,
        2,
    )


def test_principals_count_their_schools_and_coaches_their_own_work(o):
    factories.cycle(coach=o["coach"], teacher=o["other_teacher"])
    principal = selectors.overview(_actor(o["principal"]), o["year"])
    assert [r.key for r in principal.schools] == [o["school"].pk]
    assert principal.total.open_cycles == 1
    other_coach = factories.coach(school=o["other_school"])
    factories.cycle(coach=other_coach, teacher=o["program_teacher"])
    mine = selectors.overview(_actor(other_coach), o["year"])
    assert mine.total.open_cycles == 1 and [r.key for r in mine.coaches] == [other_coach.pk]
    coach = selectors.overview(_actor(o["coach"]), o["year"])
    assert coach.total.open_cycles == 2 and coach.total.observations == 1
    one = selectors.overview(_actor(o["admin"]), o["year"], school=o["other_school"].pk)
    assert [r.key for r in one.schools] == [o["other_school"].pk]


def test_the_overview_holds_counts_dates_and_names_of_places_and_coaches_only(o):
    found = selectors.overview(_actor(o["admin"]), o["year"])
    row_fields = {f.name for f in fields(selectors.OverviewRow)}
    assert row_fields == {
        "key",
        "label",
        "open_cycles",
        "closed_cycles",
        "kinds",
        "last_activity",
    }
    labels = {r.label for r in [*found.schools, *found.coaches]}
    assert labels == {o["school"].name, o["coach"].full_name}
    assert o["teacher"].full_name not in labels


def test_drafts_are_not_counted_in_the_overview(o):
    observations.observation_create(
        district=o["school"].district,
        actor=o["coach"].user,
        kind=Observation.Kind.COACHING,
        observer=o["coach"],
        cycle=o["cycle"],
    )
    found = selectors.overview(_actor(o["admin"]), o["year"])
    assert found.total.kinds == {"coaching": 1, "walkthrough": 1}


def test_the_overview_reads_in_six_queries(o, django_assert_num_queries):
    factories.cycle(coach=factories.coach(school=o["other_school"]), teacher=o["other_teacher"])
    actor = _actor(o["admin"])
    with django_assert_num_queries(6):
        selectors.overview(actor, o["year"])


# --- mine: cycles, observations, visits, what to act on -------------------------------------


def test_cycles_are_the_pairs_alone(o):
    assert list(selectors.cycles(_actor(o["teacher"]))) == [o["cycle"]]
    assert list(selectors.cycles(_actor(o["coach"]), role="coach")) == [o["cycle"]]
    assert list(selectors.cycles(_actor(o["coach"]), role="teacher")) == []
    for who in ("admin", "principal", "director"):
        assert list(selectors.cycles(_actor(o[who]))) == []


def test_observations_waiting_for_acknowledgement_come_first(o):
    teacher = _actor(o["teacher"])
    observations.observation_acknowledge(observation=o["observation"], actor=o["teacher"].user)
    newer = factories.walkthrough(
        observer=o["principal"],
        teacher=o["teacher"],
        look_for=o["look_for"],
        seen=[True, True, True],
        on=o["school"].district.today() - timedelta(days=10),
    )
    listed = list(selectors.observations(teacher))
    assert listed[:2] == [o["walkthrough"], newer]  # both waiting, newest first
    assert listed[2] == o["observation"]
    assert list(selectors.awaiting_acknowledgement(teacher)) == [o["walkthrough"], newer]
    assert list(selectors.observations(_actor(o["principal"]), side="of_me")) == []
    made = list(selectors.observations(_actor(o["principal"]), side="made"))
    assert made == [o["walkthrough"], newer]


def test_a_teacher_never_sees_a_draft_of_them(o):
    draft = observations.observation_create(
        district=o["school"].district,
        actor=o["coach"].user,
        kind=Observation.Kind.COACHING,
        observer=o["coach"],
        cycle=o["cycle"],
    )
    assert draft not in selectors.observations(_actor(o["teacher"]))
    assert draft in selectors.observations(_actor(o["coach"]))
    assert selectors.cycle_observations(_actor(o["teacher"]), o["cycle"]) == [o["observation"]]
    assert len(selectors.cycle_observations(_actor(o["coach"]), o["cycle"])) == 2


def test_what_to_act_on_in_three_queries(o, django_assert_num_queries):
    actor = _actor(o["teacher"])
    with django_assert_num_queries(3):
        todo = selectors.to_do(actor)
    assert todo.cycles == [o["cycle"]]
    assert set(todo.to_acknowledge) == {o["observation"], o["walkthrough"]}
    assert todo.to_answer == [o["visit"]] and todo.upcoming == [] and todo.drafts == []
    visitor = selectors.to_do(_actor(o["new_teacher"]))
    assert visitor.to_answer == [] and not visitor.upcoming  # still requested
    assert not selectors.to_do(_actor(o["director"])).any


def test_visits_asked_and_hosted(o):
    assert list(selectors.visits(_actor(o["teacher"]), side="hosted")) == [o["visit"]]
    assert list(selectors.visits(_actor(o["teacher"]), side="asked")) == []
    assert list(selectors.visits(_actor(o["new_teacher"]), side="asked")) == [o["visit"]]
    assert list(selectors.visits(_actor(o["principal"]))) == []


def test_the_rubric_tree_is_prefetched(o, django_assert_num_queries):
    factories.rubric(o["school"].district, name="Second", components=("1a", "1b", "1c"))
    actor = _actor(o["teacher"])
    with django_assert_num_queries(4):
        found = list(selectors.rubrics(actor, tree=True))
        shape = [
            (
                r.name,
                [
                    (c.code, len(c.levels.all()))
                    for d in r.domains.all()
                    for c in d.components.all()
                ],
            )
            for r in found
        ]
    assert shape == [
        ("Framework for teaching", [("3b", 4), ("3d", 4)]),
        ("Second", [("1a", 4), ("1b", 4), ("1c", 4)]),
    ]


def test_the_sheet_reads_rubric_look_for_ratings_and_marks_in_few_queries(
    o, django_assert_max_num_queries
):
    observation = o["observation"]
    Observation.objects.filter(pk=observation.pk).update(look_for=o["look_for"])
    observation.refresh_from_db()
    with django_assert_max_num_queries(6):
        sheet = selectors.sheet(observation)
        chosen = [c.chosen for c in sheet.components]
    assert [c.component.code for c in sheet.components] == ["3b", "3d"]
    assert chosen[0].label == "Proficient" and chosen[1] is None
    assert len(sheet.items) == 3 and sheet.marked == 0 and sheet.to_mark == 3


def test_look_fors_filter_and_prefetch_items(o, django_assert_num_queries):
    factories.look_for(o["school"].district, title="Think-pair-share", strategy="Discourse")
    actor = _actor(o["teacher"])
    with django_assert_num_queries(2):
        found = [(lf.title, len(lf.items.all())) for lf in selectors.look_fors(actor)]
    assert found == [("Checking for understanding", 3), ("Think-pair-share", 3)]
    assert [lf.title for lf in selectors.look_fors(actor, q="discourse")] == ["Think-pair-share"]


def test_walkthrough_teachers_are_the_leaders_schools(o):
    principal = set(selectors.walkthrough_teachers(_actor(o["principal"])))
    assert o["teacher"] in principal and o["other_teacher"] not in principal
    assert o["principal"] not in principal
    admin = set(selectors.walkthrough_teachers(_actor(o["admin"])))
    assert {o["teacher"], o["other_teacher"]} <= admin
