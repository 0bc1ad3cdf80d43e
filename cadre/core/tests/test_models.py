"""Distinct takes over only the plain "two keys differ" check; any other is the database's."""

import pytest
from django.db.models import CheckConstraint, F, Q

from cadre.core.models import _differ


@pytest.mark.parametrize(
    "condition, pair",
    [
        (~Q(coach=F("teacher")), ("coach", "teacher")),
        (~Q(coach__gt=F("teacher")), None),  # not equality
        (~Q(coach=F("teacher__school")), None),  # across a relation
        (Q(coach=F("teacher")), None),  # not negated
        (~Q(coach=F("teacher"), school=F("district")), None),  # two conditions
        (~Q(coach=7), None),  # a value, not another field
    ],
)
def test_only_a_plain_pair_of_keys_is_checked_in_python(condition, pair):
    assert _differ(CheckConstraint(condition=condition, name="probe")) == pair
