"""Who a sign-in address belongs to when a district gives it (cadre/districts/signin.py): an
administrator's edit, by page or API, and the roster import, against the same rule as the HR
import (test_staffdata.py)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from cadre.core.errors import Conflict
from cadre.districts import services
from cadre.districts.factories import PASSWORD, StaffFactory
from cadre.districts.models import Staff
from cadre.districts.oneroster import import_oneroster
from cadre.districts.tests.oneroster_export import as_zip, export_11, user11

pytestmark = pytest.mark.django_db


def _add(world, district: str, email: str, **data) -> Staff:
    return services.staff_create(
        district=getattr(world, district),
        actor=world.obj(f"{district}.admin").user,
        data={"first_name": "Cam", "last_name": "Coach", "email": email, **data},
    )


def _unchanged(staff: Staff, *, email: str, password: str) -> None:
    fresh = Staff.objects.with_scopes_disabled().select_related("user").get(pk=staff.pk)
    assert (fresh.email, fresh.user_id, fresh.is_active) == (email, staff.user_id, True)
    assert (fresh.user.email, fresh.user.password) == (email, password)


def test_a_person_of_another_district_gets_the_same_login_and_no_error(world):
    teacher = world.obj("a.teacher")
    password = teacher.user.password
    coach = _add(world, "b", teacher.email.upper())
    assert coach.user_id == teacher.user_id
    _unchanged(teacher, email=teacher.email, password=password)


def test_the_same_address_twice_in_one_district_is_refused(world):
    with pytest.raises(Conflict) as exc:
        _add(world, "b", world.obj("b.teacher").email)
    assert exc.value.code == "staff.email_taken"
    assert exc.value.detail.endswith("already signs in as another person.")


def test_an_operators_address_is_refused_even_with_a_record_elsewhere(world):
    get_user_model().objects.create_user(email="ops@host.example", is_superuser=True)
    with pytest.raises(Conflict):
        _add(world, "b", "ops@host.example")
    teacher = world.obj("a.teacher")
    type(teacher.user).objects.filter(pk=teacher.user_id).update(is_staff=True)
    with pytest.raises(Conflict):
        _add(world, "b", teacher.email)


def test_changing_a_shared_address_repoints_this_district_only(world):
    teacher = world.obj("a.teacher")
    password = teacher.user.password
    coach = _add(world, "b", teacher.email)
    services.staff_update(
        staff=coach, actor=world.obj("b.admin").user, data={"email": "cam@birch.example"}
    )
    coach.refresh_from_db()
    assert coach.user_id != teacher.user_id
    assert coach.user.email == "cam@birch.example" and not coach.user.has_usable_password()
    _unchanged(teacher, email=teacher.email, password=password)


def test_changing_an_address_nobody_shares_renames_the_login_without_its_credentials(world):
    teacher = world.obj("a.teacher")
    login = teacher.user_id
    EmailAddress.objects.create(user=teacher.user, email=teacher.email, primary=True)
    Token.objects.create(user=teacher.user)
    Authenticator.objects.create(user=teacher.user, type=Authenticator.Type.TOTP, data={})
    services.staff_update(
        staff=teacher, actor=world.obj("a.admin").user, data={"email": "new@alder.example"}
    )
    teacher.refresh_from_db()
    teacher.user.refresh_from_db()
    assert teacher.user_id == login and teacher.user.email == "new@alder.example"
    # The new mailbox proves itself with "Forgot your password?": nothing of the old one's
    # owner signs in under the new address.
    assert not teacher.user.has_usable_password()
    assert not Token.objects.filter(user_id=login).exists()
    assert not Authenticator.objects.filter(user_id=login).exists()
    # allauth's copy of the old address would still sign in and take resets: it is gone.
    assert not EmailAddress.objects.filter(user_id=login).exists()


def test_a_district_cannot_claim_an_address_another_district_gives_its_person_later(world, client):
    """B's administrator renames their own login to the address A will give a new hire, then
    A adds that person: B's password must not open A's person."""
    b_admin = world.obj("b.admin")
    services.staff_update(
        staff=b_admin, actor=b_admin.user, data={"email": "new.hire@alder.example"}
    )
    hire = _add(world, "a", "new.hire@alder.example")
    assert hire.user_id == b_admin.user_id  # one login for the address, as designed
    response = client.post(
        "/accounts/login/", {"login": "new.hire@alder.example", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_an_operators_login_is_never_renamed_by_a_district(world):
    teacher = world.obj("b.teacher")
    get_user_model().objects.filter(pk=teacher.user_id).update(is_superuser=True)
    operator = teacher.user_id
    services.staff_update(
        staff=teacher, actor=world.obj("b.admin").user, data={"email": "mine@birch.example"}
    )
    teacher.refresh_from_db()
    assert teacher.user_id != operator and teacher.user.email == "mine@birch.example"
    kept = get_user_model().objects.get(pk=operator)
    assert kept.email != "mine@birch.example" and kept.is_superuser


def test_deactivating_in_one_district_leaves_the_other(world, client):
    teacher = world.obj("a.teacher")
    coach = _add(world, "b", teacher.email)
    services.staff_deactivate(staff=coach, actor=world.obj("b.admin").user)
    assert Staff.objects.with_scopes_disabled().get(pk=teacher.pk).is_active
    response = client.post("/accounts/login/", {"login": teacher.email, "password": PASSWORD})
    assert response.url == "/"
    page = client.get("/")
    assert page.status_code == 200 and "Alder District" in page.content.decode()


def test_the_api_links_the_same_login_and_refuses_a_clash_here(client, world):
    admin = world.obj("b.admin").user
    token = Token.objects.create(user=admin)
    headers = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    teacher = world.obj("a.teacher")
    body = {"first_name": "Cam", "last_name": "Coach", "email": teacher.email}
    response = client.post("/api/v1/staff/", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    assert Staff.objects.with_scopes_disabled().get(pk=response.json()["id"]).user == teacher.user
    body["email"] = world.obj("b.principal").email
    response = client.post("/api/v1/staff/", body, content_type="application/json", **headers)
    assert response.status_code == 409 and response.json()["code"] == "staff.email_taken"


def test_the_staff_form_links_the_same_login(client, world):
    client.force_login(world.obj("b.admin").user, backend="cadre.accounts.backends.StaffBackend")
    teacher = world.obj("a.teacher")
    data = {
        "first_name": "Cam",
        "last_name": "Coach",
        "email": teacher.email,
        "contracted_days": "0",
        "substitute_days": "0",
    }
    response = client.post("/staff/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    coach = Staff.objects.with_scopes_disabled().get(district=world.b, last_name="Coach")
    assert coach.user_id == teacher.user_id


def test_a_roster_address_change_never_renames_a_login_another_district_shares(tmp_path):
    other = StaffFactory(email="m.garcia@alder.example")
    first = import_oneroster(as_zip(tmp_path / "r.zip", export_11()), district_slug="alder")
    assert first.ok
    files = export_11()
    files["users"][1] = user11(
        "t1", "teacher", "s1", "Marisol", "Garcia", "marisol@alder.example", "E1"
    )
    second = import_oneroster(as_zip(tmp_path / "r2.zip", files), district_slug="alder")
    assert second.ok, [str(p) for p in second.problems]
    garcia = Staff.objects.with_scopes_disabled().get(district__slug="alder", sourced_id="t1")
    assert garcia.user.email == "marisol@alder.example" and garcia.user_id != other.user_id
    other.user.refresh_from_db()
    assert other.user.email == "m.garcia@alder.example"


def test_a_roster_gives_an_address_another_person_here_signs_in_with(tmp_path):
    files = export_11()
    import_oneroster(as_zip(tmp_path / "r.zip", files), district_slug="alder")
    files["users"][2] = user11(
        "t2", "teacher", "dep1", "Tuan", "Nguyen", "m.garcia@alder.example", "E2"
    )
    files["users"][1] = user11("t1", "teacher", "s1", "Marisol", "Garcia", "", "E1")
    result = import_oneroster(as_zip(tmp_path / "r2.zip", files), district_slug="alder")
    assert [str(p) for p in result.problems] == [
        "users.csv:3: email: m.garcia@alder.example already signs in as another person in Cadre."
    ]
