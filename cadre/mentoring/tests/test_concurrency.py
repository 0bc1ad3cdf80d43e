"""A mentor's caseload cap holds under parallel confirmations (ARCHITECTURE rule 7).
PostgreSQL only: SQLite serialises writers anyway."""

import pytest
from django.db import connection

from cadre.districts.factories import SchoolYearFactory, staff_with_role
from cadre.districts.models import Role
from cadre.funding.factories import FundingSourceFactory
from cadre.funding.models import FundingSource, Use
from cadre.funding.tests.test_concurrency import _parallel
from cadre.mentoring import services
from cadre.mentoring.factories import new_mentor, new_teacher
from cadre.mentoring.models import Match

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="parallel row locks need PostgreSQL"
    ),
]


def _setup(cap: int, mentees: int):
    admin = staff_with_role(Role.DISTRICT_ADMIN)
    district = admin.district
    school = staff_with_role(Role.PRINCIPAL, district=district).assignments.get().school
    year = SchoolYearFactory(district=district)
    fund = FundingSourceFactory(
        district=district, kind=FundingSource.Kind.GENERAL, allowed_uses=[Use.STIPEND]
    )
    mentor = new_mentor(school=school, year=year, cap=cap)
    proposals = [
        services.match_propose(
            district=district,
            actor=admin.user,
            mentor=mentor,
            mentee=new_teacher(school=school),
            source=fund,
        )
        for _ in range(mentees)
    ]
    return admin, mentor, proposals, year


@pytest.mark.parametrize(("cap", "mentees"), [(3, 12), (1, 8)])
def test_parallel_confirmations_never_take_a_mentor_past_the_cap(cap, mentees):
    admin, mentor, proposals, _ = _setup(cap, mentees)

    outcomes = _parallel(
        mentees,
        lambda i: services.match_confirm(
            match=Match.objects.get(pk=proposals[i].pk), actor=admin.user
        ),
    )
    assert outcomes.count("ok") == cap
    assert outcomes.count("match.over_cap") == mentees - cap
    assert Match.objects.filter(mentor=mentor, status="active").count() == cap
    assert Match.objects.filter(mentor=mentor, status="proposed").count() == mentees - cap
    assert services.caseload(mentor) == cap


def test_parallel_confirmations_of_one_match_confirm_it_once():
    admin, mentor, (proposal,), _ = _setup(3, 1)

    outcomes = _parallel(
        6,
        lambda i: services.match_confirm(match=Match.objects.get(pk=proposal.pk), actor=admin.user),
    )
    assert outcomes.count("ok") == 1 and outcomes.count("match.not_proposed") == 5
    assert services.caseload(mentor) == 1


def test_parallel_proposals_for_one_new_teacher_leave_one_open_match():
    admin, mentor, _, year = _setup(3, 0)
    school = mentor.staff.assignments.get().school
    others = [new_mentor(school=school, year=year) for _ in range(4)]
    mentee = new_teacher(school=school)
    candidates = [mentor, *others]

    outcomes = _parallel(
        5,
        lambda i: services.match_propose(
            district=admin.district, actor=admin.user, mentor=candidates[i], mentee=mentee
        ),
    )
    assert outcomes.count("ok") == 1 and outcomes.count("match.open_exists") == 4
    assert Match.objects.filter(mentee=mentee, status="proposed").count() == 1
