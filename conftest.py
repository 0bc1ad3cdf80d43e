import pytest
from django_scopes import scopes_disabled


@pytest.fixture(autouse=True)
def _no_scope_in_test_bodies():
    """Test code sets up rows freely; requests still run inside their district's scope."""
    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SECURE_SSL_REDIRECT = False
