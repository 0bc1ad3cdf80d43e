"""Sign-in addresses belong to the district, and one person may work in two districts.

Nobody manages their own addresses (allauth's email pages answer 404). A login with active
staff records in two districts signs in once, chooses the district, sees only that district,
and switches; an API token names the district in a header.
"""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from rest_framework.authtoken.models import Token

from cadre.core.actors import DISTRICT_SESSION_KEY
from cadre.districts import services
from cadre.districts.factories import PASSWORD, DistrictFactory
from cadre.districts.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach(world) -> Staff:
    """District A's teacher, also a coach in district B: the same login, two staff records."""
    teacher = world.obj("a.teacher")
    services.staff_create(
        district=world.b,
        actor=world.obj("b.admin").user,
        data={"first_name": "Cam", "last_name": "Coach", "email": teacher.email},
    )
    return teacher


def _sign_in(client, email):
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _choose(client, district, next_url="/"):
    return client.post(reverse("account-district"), {"district": district.pk, "next": next_url})


EMAIL_PAGES = [
    reverse("account_email"),
    reverse("account_email_verification_sent"),
    reverse("account_confirm_email", kwargs={"key": "not-a-real-key"}),
]


@pytest.mark.parametrize("url", EMAIL_PAGES)
def test_the_email_pages_are_not_there(client, world, url):
    teacher = world.obj("b.teacher")
    client.force_login(teacher.user, backend="cadre.accounts.backends.StaffBackend")
    assert client.get(url).status_code == 404
    target = world.obj("a.admin").email
    for action in ("action_add", "action_primary", "action_send", "action_remove"):
        response = client.post(url, {"email": target, action: ""})
        assert response.status_code == 404
    teacher.user.refresh_from_db()
    assert teacher.user.email == teacher.email
    assert not EmailAddress.objects.filter(email__iexact=target).exists()


def test_password_and_two_factor_pages_stay(client, world):
    client.force_login(world.obj("b.teacher").user, backend="cadre.accounts.backends.StaffBackend")
    assert client.get(reverse("account_change_password")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_one_district_signs_in_as_before(client, world):
    _sign_in(client, world.obj("a.principal").email)
    page = client.get("/")
    assert page.status_code == 200 and "Switch district" not in page.content.decode()


def test_two_districts_choose_see_one_and_switch(client, world, coach):
    school_a, school_b = world.obj("a.school"), world.obj("b.school")
    _sign_in(client, coach.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == f"{reverse('account-district')}?next=%2F"
    choice = client.get(response.url).content.decode()
    assert "Alder District" in choice and "Birch District" in choice

    assert _choose(client, world.b).url == "/"
    home = client.get("/").content.decode()
    assert "Birch District" in home and "Switch district" in home
    assert client.get(school_b.get_absolute_url()).status_code == 200
    assert client.get(school_a.get_absolute_url()).status_code == 404

    assert _choose(client, world.a).url == "/"
    assert client.get(school_a.get_absolute_url()).status_code == 200
    assert client.get(school_b.get_absolute_url()).status_code == 404


def test_a_district_that_is_not_theirs_is_never_taken(client, world, coach):
    _sign_in(client, coach.email)
    stranger = DistrictFactory(name="Cedar District")
    response = _choose(client, stranger)
    assert response.status_code == 400 and "Choose one of your districts." in (
        response.content.decode()
    )
    assert DISTRICT_SESSION_KEY not in client.session
    # Nor from a session that names it some other way.
    session = client.session
    session[DISTRICT_SESSION_KEY] = stranger.pk
    session.save()
    assert client.get("/").url.startswith(reverse("account-district"))


def test_the_choice_page_sends_only_to_this_site(client, world, coach):
    _sign_in(client, coach.email)
    response = _choose(client, world.b, next_url="https://evil.example/")
    assert response.url == "/"


def test_the_district_page_asks_a_visitor_to_sign_in(client):
    response = client.get(reverse("account-district"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_deactivated_in_the_chosen_district_goes_on_in_the_other(client, world, coach):
    _sign_in(client, coach.email)
    _choose(client, world.b)
    record = Staff.objects.with_scopes_disabled().get(district=world.b, user=coach.user)
    services.staff_deactivate(staff=record, actor=world.obj("b.admin").user)
    page = client.get("/")
    assert page.status_code == 200
    assert "Alder District" in page.content.decode()
    assert "Switch district" not in page.content.decode()


def _api(client, token, header=None):
    extra = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    if header is not None:
        extra["HTTP_X_CADRE_DISTRICT"] = header
    return client.get("/api/v1/schools/", **extra)


def _names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


def test_the_api_names_the_district_in_a_header(client, world, coach):
    token = Token.objects.create(user=coach.user)
    response = _api(client, token)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "district_header.choose"
    assert "X-Cadre-District" in body["detail"] and "world-a (Alder District)" in body["detail"]

    in_b = _api(client, token, "world-b")
    assert in_b.status_code == 200
    assert _names(in_b) == {world.obj("b.school").name, world.obj("b.other_school").name}
    in_a = _api(client, token, "world-a")
    assert _names(in_a) == {world.obj("a.school").name, world.obj("a.other_school").name}

    stranger = DistrictFactory(slug="cedar")
    response = _api(client, token, stranger.slug)
    assert response.status_code == 400 and response.json()["code"] == "district_header.unknown"


def test_one_district_needs_no_header_and_a_wrong_one_is_refused(client, world):
    token = Token.objects.create(user=world.obj("a.teacher").user)
    assert _api(client, token).status_code == 200
    assert _api(client, token, "world-a").status_code == 200
    assert _api(client, token, "world-b").status_code == 400


def test_the_token_page_names_the_header_for_two_districts(client, world, coach):
    _sign_in(client, coach.email)
    _choose(client, world.a)
    page = client.get(reverse("account-token")).content.decode()
    assert "X-Cadre-District" in page and "world-b" in page


def test_the_migration_undoes_addresses_people_set_themselves(world):
    from importlib import import_module

    from django.apps import apps

    fix = import_module("cadre.accounts.migrations.0002_district_set_addresses").forwards
    teacher = world.obj("b.teacher")
    grabbed = "future.hire@alder.example"
    type(teacher.user).objects.filter(pk=teacher.user_id).update(email=grabbed)
    EmailAddress.objects.create(user=teacher.user, email=grabbed, primary=True)
    EmailAddress.objects.create(user=teacher.user, email=world.obj("a.admin").email)
    fix(apps, None)
    teacher.user.refresh_from_db()
    assert teacher.user.email == teacher.email
    assert not EmailAddress.objects.filter(user=teacher.user).exists()
