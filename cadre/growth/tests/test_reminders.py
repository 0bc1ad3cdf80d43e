from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.growth import services
from cadre.growth.models import Reminder
from cadre.growth.reminders import goal_reminder_due, send_reminders, waiting_by_approver


def _due_in(o, days: int):
    year = o["year"]
    year.goals_due = o["school"].district.today() + timedelta(days=days)
    year.save()


def test_reminder_days_lead_up_to_the_deadline(o):
    district = o["school"].district
    assert [d for d in range(-2, 20) if goal_reminder_due(district, d)] == [0, 1, 3, 7, 14]


def test_staff_without_a_submitted_goal_are_reminded_once_a_day(o):
    _due_in(o, 7)
    district = o["school"].district
    sent = send_reminders(district)
    goal_mail = [m for m in mail.outbox if "are due" in m.subject]
    to = {m.to[0] for m in goal_mail}
    # The teacher and the program teacher have submitted goals; the others have not.
    assert o["teacher"].email not in to and o["program_teacher"].email not in to
    assert {o["other_teacher"].email, o["principal"].email, o["director"].email} <= to
    assert o["admin"].email not in to  # district office staff set no classroom goals
    assert sent["goal_due"] == len(goal_mail)
    assert "http" in goal_mail[0].body and "/growth/" in goal_mail[0].body
    mail.outbox.clear()
    assert send_reminders(district) == {"goal_due": 0, "pending": 0}  # a re-run sends nothing
    assert not mail.outbox


def test_no_goal_reminders_outside_the_lead_up(o):
    _due_in(o, 30)
    send_reminders(o["school"].district)
    assert not [m for m in mail.outbox if "are due" in m.subject]


def test_approvers_hear_about_what_waits_for_them(o):
    district = o["school"].district
    waiting = waiting_by_approver(district)
    principal, director = waiting[o["principal"].pk], waiting[o["director"].pk]
    # The teacher's goal and request, and the school's PD plan; the program teacher's for the
    # director.
    assert (principal.goals, principal.requests, principal.plans) == (1, 1, 1)
    assert (director.goals, director.requests, director.plans) == (1, 1, 0)
    assert o["admin"].pk not in waiting
    # The principal's own goal goes to the administrators.
    own = services.goal_create(
        staff=o["principal"],
        actor=o["principal"].user,
        data={"title": "Lead", "statement": "s", "activities": "a", "evidence": "e"},
        aligns_to=[o["school_goal"]],
    )
    services.goal_submit(goal=own, actor=o["principal"].user)
    assert waiting_by_approver(district)[o["admin"].pk].goals == 1
    send_reminders(district)
    digest = [m for m in mail.outbox if m.to == [o["principal"].email]]
    assert any("waiting" in m.subject and "ISD request" in m.body for m in digest)
    assert Reminder.objects.filter(staff=o["principal"], kind="pending").count() == 1


def test_assistant_principals_hear_only_when_they_approve(o):
    ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    district = o["school"].district
    assert ap.pk not in waiting_by_approver(district)
    district.assistant_principals_approve = True
    district.save()
    assert waiting_by_approver(district)[ap.pk].goals == 1


def test_the_command_queues_a_task_per_district(o, capsys):
    _due_in(o, 3)
    call_command("send_reminders", "--district", o["school"].district.slug)
    assert "Queued reminders for" in capsys.readouterr().out
    assert mail.outbox  # the immediate backend ran the task


def test_a_refused_sending_is_tried_again_on_the_next_run(o, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    _due_in(o, 7)
    district = o["school"].district

    def down(self, messages):
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", down)
        with pytest.raises(ConnectionRefusedError):
            send_reminders(district)
    assert not Reminder.objects.exists() and mail.outbox == []
    sent = send_reminders(district)
    assert sent["goal_due"] > 0 and sent["pending"] > 0 and len(mail.outbox) == sum(sent.values())


def test_between_school_years_approvers_still_hear_of_waiting_items(o):
    from cadre.districts.models import SchoolYear

    district = o["school"].district
    SchoolYear.objects.filter(district=district).update(
        is_current=False,
        start_date=district.today() - timedelta(days=400),
        end_date=district.today() - timedelta(days=40),
    )
    sent = send_reminders(district)
    assert sent == {"goal_due": 0, "pending": sent["pending"]} and sent["pending"] > 0


def test_a_school_leaders_own_items_wait_for_the_principal_not_an_assistant(o):
    district = o["school"].district
    district.assistant_principals_approve = True
    district.save()
    ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    other_ap = staff_with_role(Role.ASSISTANT_PRINCIPAL, school=o["school"])
    goal = services.goal_create(
        staff=other_ap,
        actor=other_ap.user,
        data={"title": "Lead", "statement": "s", "activities": "a", "evidence": "e"},
        aligns_to=[o["school_goal"]],
    )
    services.goal_submit(goal=goal, actor=other_ap.user)
    waiting = waiting_by_approver(district)
    # The teacher's goal waits for all three leaders; the assistant's for the principal only.
    assert waiting[o["principal"].pk].goals == 2
    assert waiting[ap.pk].goals == 1 and waiting[other_ap.pk].goals == 1
