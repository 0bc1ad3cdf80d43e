import pytest

from cadre.core.views import parse_bool, parse_int

URLS = [
    "/staff/?school={n}&program={n}",
    "/assignments/?staff={n}&school={n}",
    "/funding/?fy={n}&school={n}&program={n}&source={n}",
    "/funding/plans/?year={n}&program={n}",
    "/funding/stipends/?schedule={n}",
    "/funding/stipends/schedules/?year={n}",
]


def test_parse_int_takes_only_ids_the_database_can_hold():
    assert parse_int("42") == 42
    assert parse_int("-3") == -3
    assert parse_int(str(2**63 - 1)) == 2**63 - 1
    assert parse_int(str(2**63)) is None
    assert parse_int("1e3") is None and parse_int("") is None and parse_int(None) is None
    assert parse_bool("yes") is True and parse_bool("all") is None


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("n", ["99999999999999999999", "-99999999999999999999", "abc"])
def test_filters_with_out_of_range_ids_answer_normally(client, world, url, n):
    client.force_login(world.obj("a.admin").user)
    assert client.get(url.format(n=n)).status_code == 200
