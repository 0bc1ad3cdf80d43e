"""A transfer's two budgets differ: validation says so in Python, as the database check does."""

import pytest
from django.core.exceptions import ValidationError

from cadre.funding.models import BudgetTransfer

OTHERS = {"district", "amount", "hours", "days"}  # the fields of the non-negative check


@pytest.mark.django_db
def test_the_two_budgets_check_is_djangos_without_a_query(django_assert_num_queries):
    (constraint,) = [
        c for c in BudgetTransfer._meta.constraints if c.name == "transfer_two_budgets"
    ]
    for first, second, refused in [(7, 7, True), (7, 8, False), (7, None, False)]:
        row = BudgetTransfer(from_budget_id=first, to_budget_id=second)
        expected = None
        try:
            constraint.validate(BudgetTransfer, row)
        except ValidationError as exc:
            expected = exc.messages
        assert (expected is not None) == refused
        with django_assert_num_queries(0):
            try:
                row.validate_constraints(exclude=OTHERS)
                got = None
            except ValidationError as exc:
                got = exc.messages
        assert got == expected
