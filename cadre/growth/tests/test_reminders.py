from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.growth import services
from cadre.growth.models import Reminder
from cadre.growth.reminders import goal_reminder_due, send_reminders, waiting_by_approver


@pytest.fixture
def o(world):
    return world.a_objects


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
