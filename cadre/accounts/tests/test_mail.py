"""allauth's mails go through the mail task: a mail server that is down never fails the page,
and the task tries again a bounded number of times (issue 16, finding 6)."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.signals import task_enqueued

from cadre.core.tasks import send_email

pytestmark = pytest.mark.django_db


class MailServerDown(BaseEmailBackend):
    tries = 0

    def send_messages(self, messages):
        MailServerDown.tries += 1
        raise ConnectionRefusedError(111, "Connection refused")


@pytest.fixture
def mail_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    MailServerDown.tries = 0
    return MailServerDown


def _reset(client, email):
    return client.post("/accounts/password/reset/", {"email": email})


def test_password_reset_says_sent_when_the_mail_server_is_down(
    settings, client, world, mail_down, caplog
):
    settings.EMAIL_SEND_ATTEMPTS = 3
    email = world.obj("a.teacher").user.email
    with caplog.at_level(logging.WARNING, logger="cadre.core.tasks"):
        response = _reset(client, email)
    assert response.status_code == 302 and response.url == "/accounts/password/reset/done/"
    assert mail_down.tries == 3
    failures = [r for r in caplog.records if r.name == "cadre.core.tasks"]
    assert [r.levelname for r in failures] == ["WARNING"] * 3 + ["ERROR"]
    logged = caplog.text
    assert "not sent (attempt 1 of 3): ConnectionRefusedError" in logged
    # neither the reset link nor the address's owner's body text reaches the logs
    assert "/accounts/password/reset/key/" not in logged and email not in logged


def test_password_reset_mail_goes_through_the_mail_task(client, world):
    queued = []

    def _seen(sender, task_result, **kwargs):
        queued.append(task_result.task.name)

    email = world.obj("a.teacher").user.email
    task_enqueued.connect(_seen)
    try:
        _reset(client, email)
    finally:
        task_enqueued.disconnect(_seen)
    assert queued == ["send_email"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_failed_send_is_tried_again_later(settings, mail_down):
    # The database backend defers; the dummy one keeps what was queued so it can be read.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    before = timezone.now()
    with pytest.raises(ConnectionRefusedError):
        send_email.call(subject="Hi", body="b", to=["x@example.org"], attempt=5)
    assert task_backends["default"].results == []  # the last attempt queues nothing
    assert send_email.call(subject="Hi", body="b", to=["x@example.org"], attempt=2) is False
    (again,) = task_backends["default"].results
    assert again.kwargs["attempt"] == 3 and again.kwargs["body"] == "b"
    assert again.task.run_after >= before + timedelta(minutes=2)
