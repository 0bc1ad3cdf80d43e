"""With DEBUG=0 the sign-in cookies are Secure: over plain http the sign-in page says why
signing in cannot work, instead of failing in silence."""

import pytest

NOTICE = "Signing in needs a secure connection."


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True


def test_plain_http_shows_the_notice(client, db, production):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    text = page.content.decode()
    assert NOTICE in text and "X-Forwarded-Proto" in text and 'role="alert"' in text


@pytest.mark.parametrize(
    "how", [{"secure": True}, {"HTTP_X_FORWARDED_PROTO": "https"}], ids=["https", "proxy"]
)
def test_https_shows_no_notice(client, db, production, how):
    page = client.get("/accounts/login/", **how)
    assert page.status_code == 200 and NOTICE not in page.content.decode()


def test_a_local_install_shows_no_notice(client, db, settings):
    settings.DEBUG = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and NOTICE not in page.content.decode()
