"""Mail off the request path. A page that sends mail renders it and hands it to `send_later`;
the `send_email` task sends it, and when the mail server is down it tries again later, a
bounded number of times, and logs each failure (never the body, which may hold a reset link).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)  # then 2, 4, 8… minutes


def send_later(message: EmailMessage) -> None:
    """Queue a rendered message (text, and an HTML alternative if it has one)."""
    if message.attachments:
        raise ValueError("send_later carries no attachments")
    html = [body for body, kind in getattr(message, "alternatives", []) if kind == "text/html"]
    send_email.enqueue(
        subject=message.subject,
        body=message.body,
        to=list(message.to),
        from_email=message.from_email,
        html=html[0] if html else "",
        body_is_html=message.content_subtype == "html",
        headers=dict(message.extra_headers),
    )


@task()
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    html: str = "",
    body_is_html: bool = False,
    headers: dict | None = None,
    attempt: int = 1,
) -> bool:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    if body_is_html:
        message.content_subtype = "html"
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception as error:  # any backend's failure: SMTP, connection, timeout
        attempts = settings.EMAIL_SEND_ATTEMPTS
        log.warning(
            "Email %r to %d recipient(s) not sent (attempt %d of %d): %s: %s",
            subject,
            len(to),
            attempt,
            attempts,
            type(error).__name__,
            error,
        )
        if attempt >= attempts:
            log.error("Email %r given up after %d attempts", subject, attempt)
            raise  # the task's result says it failed
        again = send_email
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + FIRST_RETRY * 2 ** (attempt - 1))
        again.enqueue(
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            html=html,
            body_is_html=body_is_html,
            headers=headers,
            attempt=attempt + 1,
        )
        return False
    return True
