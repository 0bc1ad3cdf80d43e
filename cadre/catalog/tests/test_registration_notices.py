"""Registration emails through background tasks, and the meeting reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from cadre.catalog.factories import add_meeting
from cadre.catalog.models import Notice, Offering, Registration, Session
from cadre.catalog.notices import send_meeting_reminders
from cadre.catalog.services import registration as services
from cadre.catalog.tests.test_registration_services import make_session, register, teachers

pytestmark = pytest.mark.django_db
S = Registration.Status


def _ics(message) -> Calendar:
    (name, content, kind) = next(a for a in message.attachments if a[2] == "text/calendar")
    assert name.endswith(".ics")
    return Calendar.from_ical(content)


def test_confirmation_waitlist_and_promotion_emails(o, django_capture_on_commit_callbacks):
    session = make_session(o, capacity=1)
    first, second = teachers(o, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seat = register(session, first)
    with django_capture_on_commit_callbacks(execute=True):
        queued = register(session, second)
    confirmed, waitlisted = mail.outbox
    assert confirmed.to == [first.email] and "You are registered" in confirmed.subject
    assert _ics(confirmed).walk("VEVENT")
    assert waitlisted.to == [second.email] and "number 1 on the waitlist" in waitlisted.body
    assert not waitlisted.attachments
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=seat, actor=first.user)
    promoted = mail.outbox[-1]
    assert promoted.to == [second.email] and "A seat freed" in promoted.subject
    kinds = set(Notice.objects.filter(registration=queued).values_list("kind", flat=True))
    assert kinds == {Notice.Kind.WAITLISTED, Notice.Kind.PROMOTED}
    # A repeated task sends nothing twice.
    from cadre.catalog.notices import send_registration_notice

    assert send_registration_notice(queued.pk, "promoted") is False


def test_request_approval_denial_and_assignment_emails(o, django_capture_on_commit_callbacks):
    session = make_session(o, capacity=5, approval=Offering.Approval.SUPERVISOR)
    a, b = teachers(o, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ra, rb = register(session, a), register(session, b)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Registration requested"] * 2
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_approve(registration=ra, actor=o["principal"].user)
        services.registration_deny(registration=rb, actor=o["principal"].user, reason="Budget")
    approved, denied = mail.outbox[-2:]
    assert "was approved" in approved.body and approved.attachments
    assert "Reason: Budget" in denied.body
    other = make_session(o, capacity=10)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.session_assign(session=other, actor=o["principal"].user, school=o["school"])
    assert mail.outbox and all(m.subject.startswith("Required learning") for m in mail.outbox)


def test_meeting_reminders_go_once_within_the_window(o):
    district = o["school"].district
    soon = make_session(o, capacity=5, start=timezone.now() + timedelta(hours=3))
    far = make_session(o, capacity=5, start=timezone.now() + timedelta(days=5))
    a, b = teachers(o, 2)
    register(soon, a)
    register(far, a)
    queued = make_session(o, capacity=5, start=timezone.now() + timedelta(hours=2))
    cancelled = register(queued, b)
    services.registration_cancel(registration=cancelled, actor=b.user)
    mail.outbox.clear()
    # The world's own session meets in a week: outside a day's window too.
    assert send_meeting_reminders(district) == 1
    (message,) = mail.outbox
    assert message.to == [a.email] and message.subject.startswith(f"Reminder: {soon}")
    assert _ics(message).walk("VEVENT")
    assert send_meeting_reminders(district) == 0  # once
    # A second meeting of the same session, also soon, is reminded on its own.
    add_meeting(Session.objects.get(pk=soon.pk), start=timezone.now() + timedelta(hours=5))
    assert send_meeting_reminders(district) == 1
    assert Notice.objects.filter(kind=Notice.Kind.REMINDER, registration__staff=a).count() == 2


def test_a_refused_sending_is_tried_again(o, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    district = o["school"].district
    session = make_session(o, capacity=5, start=timezone.now() + timedelta(hours=3))
    register(session, o["teacher"])

    def down(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    with pytest.raises(ConnectionRefusedError):
        send_meeting_reminders(district)
    assert not Notice.objects.filter(kind=Notice.Kind.REMINDER).exists()
    monkeypatch.undo()
    assert send_meeting_reminders(district) == 1


def test_the_commands_queue_the_reminders(o, capsys):
    district = o["school"].district
    session = make_session(o, capacity=5, start=timezone.now() + timedelta(hours=3))
    register(session, o["teacher"])
    mail.outbox.clear()
    call_command("send_catalog_reminders", "--district", district.slug)
    assert "Queued meeting reminders" in capsys.readouterr().out
    assert [m.to for m in mail.outbox] == [[o["teacher"].email]]
    second = make_session(o, capacity=5, start=timezone.now() + timedelta(hours=4))
    register(second, o["teacher"])
    call_command("send_reminders", "--district", district.slug)
    assert any(m.subject.startswith(f"Reminder: {second}") for m in mail.outbox)
