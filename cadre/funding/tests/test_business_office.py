"""The business office grant: sees every budget and posts payments, but neither approves,
creates budgets nor closes years. (The shared permission table's roles do not include it.)"""

import pytest
from django.urls import reverse

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role

pytestmark = pytest.mark.django_db

CASES = [
    ("get", "funding-dashboard", None, 200),
    ("get", "funding-export-xlsx", None, 200),
    ("get", "funding-source-list", None, 200),
    ("get", "funding-source-create", None, 403),
    ("get", "budget-create", None, 403),
    ("get", "budget-detail", "other_budget", 200),
    ("get", "budget-edit", "budget", 403),
    ("get", "budget-post", "budget", 200),
    ("get", "budget-transfer", "budget", 200),
    ("post", "transfer-approve", "transfer", 403),
    ("post", "fiscal-year-close", "fiscal_year", 403),
    ("get", "stipend-award-detail", "paid_award", 200),
    ("post", "stipend-award-approve", "award", 403),
    ("post", "stipend-award-cancel", "award", 403),
    ("get", "payroll", None, 200),
    ("get", "payroll-batch-csv", "batch", 200),
    ("get", "program-plan-create", None, 403),
    ("get", "api:budget-list", None, 200),
    ("post", "api:budget-post", "budget", 400),  # allowed; the empty body is refused
    ("post", "api:budget-transfer-approve", "transfer", 403),
    ("post", "api:fiscal-year-close", "fiscal_year", 403),
    ("post", "api:stipend-award-approve", "award", 403),
    ("get", "api:payroll-batch-list", None, 200),
    ("post", "api:payroll-batch-list", None, 400),  # allowed; the empty batch is refused
]


@pytest.mark.parametrize(("method", "name", "obj", "expected"), CASES)
def test_business_office(client, world, method, name, obj, expected):
    office = staff_with_role(Role.BUSINESS_OFFICE, district=world.a)
    client.force_login(office.user, backend="cadre.accounts.backends.StaffBackend")
    url = reverse(name, args=[world.obj(f"a.{obj}").pk] if obj else [])
    response = getattr(client, method)(url, {}, content_type="application/json")
    assert response.status_code == expected
    if obj:  # another district's object is not there at all
        other = reverse(name, args=[world.obj(f"b.{obj}").pk])
        assert (
            getattr(client, method)(other, {}, content_type="application/json").status_code == 404
        )
