import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail

from cadre.districts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_active_staff_signs_in_with_email(client, world):
    response = _login(client, world.obj("a.teacher").user.email.upper())
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_a_login_without_a_staff_record_cannot_sign_in(client):
    user = UserFactory()
    response = _login(client, user.email)
    assert response.status_code == 302 and response.url == "/accounts/inactive/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_inactive_staff_cannot_sign_in(client, world):
    teacher = world.obj("a.teacher")
    teacher.is_active = False
    teacher.save()
    assert _login(client, teacher.user.email).url == "/accounts/inactive/"
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_and_rate_limited(client, world):
    email = world.obj("a.teacher").user.email
    pages = [_login(client, email, "wrong").content.decode() for _ in range(6)]
    assert all("too many" not in p.lower() for p in pages[:5])
    assert "too many failed login attempts" in pages[5].lower()
    # even the right password is refused while the limit holds
    assert "_auth_user_id" not in client.session
    _login(client, email)
    assert "_auth_user_id" not in client.session


def test_signup_is_closed(client):
    response = client.post(
        "/accounts/signup/", {"email": "x@example.org", "password1": "a-long-password-1"}
    )
    assert "closed" in response.content.decode().lower()
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(email="x@example.org").exists()


def test_password_reset_sends_an_email(client, world):
    email = world.obj("a.teacher").user.email
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_totp_two_factor_is_asked_at_sign_in(client, world):
    user = world.obj("a.teacher").user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = _login(client, user.email)
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_production_hashing_is_argon2():
    from cadre import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_expire():
    from cadre import settings as production

    assert production.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert production.SESSION_EXPIRE_AT_BROWSER_CLOSE
