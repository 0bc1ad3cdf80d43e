"""The group pages: lists with filters and a fixed number of queries, the group's page with
its stepper, members, meetings, check-ins and evidence, the forms (errors inline, never a
500), the meeting form with its protocol steps and attendance, reflections, student-work
downloads, research lessons, the principal's check-ins and school view, the report with its
charts and tables, the protocol library, read-only closed groups, and the home section."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadre.collaboration import homes
from cadre.collaboration.factories import PDF, evidence, meeting, new_group, upload
from cadre.collaboration.models import (
    Attendance,
    CheckIn,
    Group,
    Meeting,
    Membership,
    Reflection,
    ResearchLesson,
    WorkSample,
)
from cadre.collaboration.services import groups as services
from cadre.districts.access import actor_for
from cadre.districts.factories import staff_with_role
from cadre.districts.models import Role
from cadre.tests.kit import login, text, url

pytestmark = pytest.mark.django_db


# --- lists -----------------------------------------------------------------------------------


def test_the_list_shows_mine_first_with_figures_and_filters(client, o):
    body = text(login(client, o["teacher"]).get(url("group-list")))
    assert body.index("Fractions lesson study") < body.index("Grade 3 reading PLC")
    assert "Yours" in body and "Middle-years critical friends" not in body
    assert "New group" not in body  # teachers do not create groups
    filtered = text(client.get(url("group-list"), {"kind": "plc", "q": "reading"}))
    assert "Grade 3 reading PLC" in filtered and "Fractions lesson study" not in filtered
    admin = text(login(client, o["admin"]).get(url("group-list"), {"year": "all"}))
    assert "Middle-years critical friends" in admin and "Cross-school" in admin
    assert "New group" in admin and url("group-check-ins") in admin


def test_the_list_takes_a_fixed_number_of_queries(client, o, django_assert_max_num_queries):
    login(client, o["admin"])
    with django_assert_max_num_queries(12) as few:
        assert client.get(url("group-list")).status_code == 200
    for i in range(6):
        group = new_group(
            facilitator=o["teacher"], year=o["year"], school=o["school"], name=f"PLC {i}"
        )
        meeting(group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("group-list")).status_code == 200


def test_the_group_page_takes_a_fixed_number_of_queries(
    client, o, world, django_assert_max_num_queries
):
    district = world.a
    district.group_hours = True
    district.save()
    login(client, o["principal"])
    with django_assert_max_num_queries(25) as few:
        assert client.get(url("group-detail", o["group"])).status_code == 200
    for _ in range(4):
        person = staff_with_role(Role.TEACHER, school=o["school"])
        services.member_add(group=o["group"], actor=None, staff=person)
    for days_ago in range(1, 5):
        meeting(o["group"], days_ago=days_ago)
        CheckIn.objects.create(
            district=district,
            group=o["group"],
            by=o["principal"],
            held_on=district.today() - timedelta(days=days_ago),
        )
        evidence(o["group"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("group-detail", o["group"])).status_code == 200


def test_the_school_view_flags_overdue_groups_in_words(client, o, django_assert_max_num_queries):
    Group.objects.filter(pk=o["lesson_group"].pk).update(
        created_at=o["lesson_group"].created_at - timedelta(days=60)
    )
    login(client, o["principal"])
    with django_assert_max_num_queries(15) as few:
        page = client.get(url("group-check-ins"))
    body = text(page)
    assert page.context["overdue"] == 1 and '1</span><span class="stat-label">group overdue' in body
    assert "Overdue" in body and "On time" in body  # words, not colour alone
    assert body.index("Fractions lesson study") < body.index("Grade 3 reading PLC")
    assert url("check-in-create", o["lesson_group"]) in body
    for i in range(5):
        new_group(facilitator=o["teacher"], year=o["year"], school=o["school"], name=f"G{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("group-check-ins")).status_code == 200
    other = text(client.get(url("group-check-ins"), {"school": o["other_school"].pk}))
    assert "No groups here." in other


# --- the group's page ------------------------------------------------------------------------


def test_the_group_page_shows_the_cycle_members_meetings_and_check_ins(client, o):
    body = text(login(client, o["teacher"]).get(url("group-detail", o["group"])))
    assert 'aria-current="step"' in body and "(current stage)" in body
    assert o["new_teacher"].full_name in body and "Facilitator" in body
    assert "Tuning protocol" in body and "2 of 2" in body
    assert "Last check-in" in body and "On time" in body
    assert "Record a meeting" in body and "Log a check-in" not in body
    assert "Clock hours" not in body  # the district does not credit group time
    assert "History" in body
    principal = text(login(client, o["principal"]).get(url("group-detail", o["group"])))
    assert "Log a check-in" in principal and "Join this group" in principal
    assert "Judge the group" not in principal  # no evidence yet


def test_evidence_is_suppressed_below_the_minimum_group_size(client, o):
    evidence(o["group"], students=9, measure="Tiny group measure")
    evidence(o["group"], students=10, before="40", after="65", measure="Whole class CFA")
    body = text(login(client, o["principal"]).get(url("group-detail", o["group"])))
    assert "Withheld: fewer than 10 students" in body and "+25%" in body
    assert "Judge the group" in body


def test_a_group_is_created_and_edited_with_errors_inline(client, o):
    login(client, o["admin"])
    form = {
        "name": "Kindergarten PLC",
        "kind": "plc",
        "school": o["school"].pk,
        "school_year": o["year"].pk,
        "focus": "Letter sounds",
        "goals": [o["school_goal"].pk],
        "facilitator": o["other_teacher"].pk,  # works at another school
        "meeting_minutes": 45,
        "support": "coach",
    }
    bad = client.post(url("group-create"), form)
    assert bad.status_code == 400 and "group.facilitator_elsewhere" in text(bad)
    done = client.post(url("group-create"), {**form, "facilitator": o["teacher"].pk})
    group = Group.objects.get(name="Kindergarten PLC")
    assert done.status_code == 302 and done["Location"] == group.get_absolute_url()
    assert list(group.goals.all()) == [o["school_goal"]] and group.created_by == o["admin"].user
    assert Membership.objects.filter(group=group, staff=o["teacher"]).exists()
    edit = client.post(
        url("group-edit", group), {**form, "facilitator": o["teacher"].pk, "name": ""}
    )
    assert edit.status_code == 400
    client.post(url("group-edit", group), {**form, "facilitator": o["teacher"].pk, "name": "K PLC"})
    group.refresh_from_db()
    assert group.name == "K PLC"


def test_a_principal_creates_only_at_their_school(client, o):
    login(client, o["principal"])
    page = client.get(url("group-create"))
    schools = list(page.context["form"].fields["school"].queryset)
    assert schools == [o["school"]]
    bad = client.post(
        url("group-create"),
        {
            "name": "X",
            "kind": "plc",
            "school": o["other_school"].pk,
            "school_year": o["year"].pk,
            "focus": "Y",
            "facilitator": o["teacher"].pk,
            "meeting_minutes": 60,
            "support": "self",
        },
    )
    assert bad.status_code == 400 and not Group.objects.filter(name="X").exists()


def test_members_are_added_and_removed(client, o):
    login(client, o["teacher"])
    page = client.get(url("group-members", o["group"]))
    choices = set(page.context["form"].fields["staff"].queryset)
    assert o["principal"] in choices and o["new_teacher"] not in choices
    assert o["other_teacher"] not in choices  # a school group: its school's people
    client.post(url("group-members", o["group"]), {"staff": o["principal"].pk})
    assert Membership.objects.filter(group=o["group"], staff=o["principal"]).exists()
    client.post(url("group-members", o["group"]), {"remove": o["principal"].pk})
    assert not Membership.objects.filter(group=o["group"], staff=o["principal"]).exists()
    refused = client.post(
        url("group-members", o["group"]), {"remove": o["teacher"].pk}, follow=True
    )
    assert "group.facilitator_member" in text(refused)


def test_the_principal_joins_from_the_group_page(client, o):
    login(client, o["principal"])
    response = client.post(url("group-join", o["group"]), follow=True)
    assert "You joined" in text(response) and "Leave this group" in text(response)
    assert Membership.objects.get(group=o["group"], staff=o["principal"]).school == o["school"]


def test_stage_close_judge_and_reopen(client, o):
    login(client, o["teacher"])
    moved = client.post(url("group-stage", o["group"]), {"stage": "strategy", "note": "Ready"})
    assert moved.status_code == 302
    o["group"].refresh_from_db()
    assert o["group"].stage == "strategy"
    same = client.post(url("group-stage", o["group"]), {"stage": "strategy"})
    assert same.status_code == 400 and "group.stage_same" in text(same)
    today = o["group"].district.today().isoformat()
    closed = client.post(url("group-close", o["group"]), {"closed_on": today}, follow=True)
    assert "group.evidence_required" in text(closed)
    evidence(o["group"])
    client.post(url("group-close", o["group"]), {"closed_on": today})
    o["group"].refresh_from_db()
    assert o["group"].status == "closed"
    body = text(client.get(url("group-detail", o["group"])))
    assert "read-only" in body and "Record a meeting" not in body and "Move the group" not in body
    assert client.get(url("group-edit", o["group"])).status_code == 302
    assert client.get(url("group-meeting-create", o["group"])).status_code == 302
    judged = login(client, o["principal"]).post(
        url("group-judge", o["group"]), {"effectiveness": "effective", "note": "Up 25 points"}
    )
    assert judged.status_code == 302
    o["group"].refresh_from_db()
    assert o["group"].effectiveness == "effective" and o["group"].judged_by == o["principal"]
    bad = client.post(url("group-judge", o["group"]), {"effectiveness": "great"})
    assert bad.status_code == 400
    client.post(url("group-reopen", o["group"]), {"note": ""})
    o["group"].refresh_from_db()
    assert o["group"].status == "active" and o["group"].effectiveness == ""


def test_evidence_page_adds_and_removes(client, o):
    login(client, o["new_teacher"])  # a member records evidence
    bad = client.post(url("group-evidence", o["group"]), {"measure": "CFA", "students": 0})
    assert bad.status_code == 400
    client.post(
        url("group-evidence", o["group"]),
        {"measure": "CFA", "unit": "%", "before": "40", "after": "62.5", "students": 24},
    )
    item = o["group"].evidence.get()
    assert item.recorded_by == o["new_teacher"]
    client.post(url("group-evidence", o["group"]), {"remove": item.pk})
    assert not o["group"].evidence.exists()


# --- meetings --------------------------------------------------------------------------------


def test_the_meeting_form_offers_protocol_steps_and_everyone_present(client, o):
    page = login(client, o["teacher"]).get(url("group-meeting-create", o["group"]))
    body = text(page)
    assert "No student names." in body and 'enctype="multipart/form-data"' in body
    assert "Warm and cool feedback" in body and "Probing questions" in body
    assert "Predictions" in body and "Teach and observe" in body
    form = page.context["form"]
    assert set(form.initial["present"]) == {o["teacher"].pk, o["new_teacher"].pk}
    assert body.count('name="present"') == 2 and body.count("checked") >= 2


def test_recording_a_meeting_with_attendance_and_a_file(client, o):
    login(client, o["teacher"])
    day = o["group"].district.today()
    form = {
        "held_on": day.isoformat(),
        "minutes": 50,
        "agenda": "Exit tickets",
        "protocol": "consultancy",
        "present": [o["teacher"].pk],
        "student_work": "18 tickets, numbered",
        "decisions": "Reteach",
        "next_steps": "Small groups on Thursday",
    }
    future = client.post(
        url("group-meeting-create", o["group"]),
        {**form, "held_on": (day + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 400 and "group_meeting.future" in text(future)
    fake = client.post(
        url("group-meeting-create", o["group"]), {**form, "file": upload("x.pdf", b"GIF89a")}
    )
    assert fake.status_code == 400 and "attachment.type" in text(fake)
    assert Meeting.objects.filter(group=o["group"]).count() == 1  # nothing kept
    done = client.post(
        url("group-meeting-create", o["group"]), {**form, "file": [upload("tickets.pdf")]}
    )
    m = Meeting.objects.filter(group=o["group"]).first()
    assert done.status_code == 302 and done["Location"] == m.get_absolute_url()
    assert m.protocol == "consultancy" and m.recorded_by == o["teacher"]
    register = dict(Attendance.objects.filter(meeting=m).values_list("staff_id", "present"))
    assert register == {o["teacher"].pk: True, o["new_teacher"].pk: False}
    assert WorkSample.objects.get(meeting=m).name == "tickets.pdf"
    body = text(client.get(m.get_absolute_url()))
    assert "Consultancy protocol" in body and "Absent" in body and "tickets.pdf" in body


def test_editing_a_meeting_removes_a_file(client, o):
    login(client, o["teacher"])
    m = o["group_meeting"]
    page = client.get(url("group-meeting-edit", m))
    assert o["work_sample"] in page.context["form"].fields["remove"].queryset
    response = client.post(
        url("group-meeting-edit", m),
        {
            "held_on": m.held_on.isoformat(),
            "minutes": 60,
            "present": [o["teacher"].pk, o["new_teacher"].pk],
            "remove": [o["work_sample"].pk],
            "protocol": "tuning",
        },
    )
    assert response.status_code == 302 and not WorkSample.objects.filter(meeting=m).exists()


def test_members_reflect_on_a_meeting(client, o):
    m = o["group_meeting"]
    body = text(login(client, o["new_teacher"]).get(m.get_absolute_url()))
    assert "Reflect on this meeting" in body and "The protocol kept us on evidence." in body
    empty = client.post(url("group-meeting-reflect", m), {"text": "  "})
    assert empty.status_code == 400
    client.post(url("group-meeting-reflect", m), {"text": "I will try think-alouds."})
    client.post(url("group-meeting-reflect", m), {"text": "Think-alouds daily."})
    assert Reflection.objects.get(meeting=m, staff=o["new_teacher"]).text == "Think-alouds daily."
    assert "Edit your reflection" in text(client.get(m.get_absolute_url()))
    principal = text(login(client, o["principal"]).get(m.get_absolute_url()))
    assert "Reflect on this meeting" not in principal and "Think-alouds daily." in principal


def test_the_work_sample_is_a_download_never_sniffed(client, o):
    response = login(client, o["principal"]).get(url("group-work-sample", o["work_sample"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        login(client, o["director"]).get(url("group-work-sample", o["work_sample"])).status_code
        == 404
    )


# --- research lessons and check-ins ----------------------------------------------------------


def test_a_research_lesson_is_planned_taught_and_moved(client, o):
    login(client, o["teacher"])
    group = o["lesson_group"]
    body = text(client.get(url("group-detail", group)))
    assert "Plan a research lesson" in body and "Comparing fractions on a number line" in body
    client.post(
        url("research-lesson-create", group),
        {"title": "Halves", "goal": "Size", "plan": "Fold paper", "teacher": o["teacher"].pk},
    )
    lesson = ResearchLesson.objects.get(title="Halves")
    refused = client.post(url("research-lesson-stage", lesson), {"stage": "taught"}, follow=True)
    assert "lesson.taught_incomplete" in text(refused)
    today = group.district.today().isoformat()
    client.post(
        url("research-lesson-edit", lesson),
        {
            "title": "Halves",
            "goal": "Size",
            "plan": "Fold paper",
            "teacher": o["teacher"].pk,
            "taught_on": today,
            "observers": [o["principal"].pk],
        },
    )
    client.post(url("research-lesson-stage", lesson), {"stage": "taught"})
    lesson.refresh_from_db()
    assert lesson.stage == "taught"
    page = text(client.get(lesson.get_absolute_url()))
    assert o["principal"].full_name in page and 'aria-current="step"' in page


def test_the_principal_logs_a_check_in(client, o):
    login(client, o["principal"])
    day = o["group"].district.today()
    future = client.post(
        url("check-in-create", o["group"]),
        {"held_on": (day + timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 400 and "group_check_in.future" in text(future)
    done = client.post(
        url("check-in-create", o["group"]),
        {"held_on": day.isoformat(), "needs_changed": "on", "resources": "A coach"},
    )
    check_in = CheckIn.objects.filter(group=o["group"]).first()
    assert done.status_code == 302 and check_in.needs_changed and check_in.by == o["principal"]
    assert "A coach" in text(client.get(check_in.get_absolute_url()))
    client.post(url("check-in-edit", check_in), {"held_on": day.isoformat(), "resources": "Two"})
    check_in.refresh_from_db()
    assert check_in.resources == "Two" and not check_in.needs_changed


# --- the report, the library, the home -------------------------------------------------------


def test_the_report_has_charts_with_tables(client, o, django_assert_max_num_queries):
    evidence(o["group"], students=5, measure="Small")
    evidence(o["group"], students=30, before="50", after="70")
    services.group_judge(group=o["group"], actor=None, by=o["principal"], effectiveness="partly")
    login(client, o["admin"])
    with django_assert_max_num_queries(15) as few:
        page = client.get(url("group-report"))
    body = text(page)
    assert body.count("<svg") >= 2 and "Groups by type and stage" in body
    assert "Partly effective" in body and "Withheld" in body and "+20%" in body
    assert "Professional learning community" in body
    for i in range(4):
        evidence(new_group(facilitator=o["teacher"], year=o["year"], name=f"X{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url("group-report")).status_code == 200
    principal = text(login(client, o["principal"]).get(url("group-report")))
    assert "Critical friends" not in principal


def test_the_protocol_library_lists_each_protocol_with_its_steps(client, o):
    body = text(login(client, o["teacher"]).get(url("protocol-list")))
    for name in (
        "Tuning protocol",
        "Consultancy protocol",
        "Data-driven dialogue",
        "Lesson-study cycle",
    ):
        assert name in body
    assert "(10 min)" in body and "minutes in all" in body


def test_home_sections_and_navigation(client, o, django_assert_num_queries):
    body = text(login(client, o["new_teacher"]).get(reverse("home")))
    assert "Groups ·" in body and "Try it for two weeks" in body
    assert "awaiting your reflection" in body
    principal = text(login(client, o["principal"]).get(reverse("home")))
    assert "overdue a check-in" in principal
    actor = actor_for(o["teacher"].user)
    with django_assert_num_queries(0):
        assert homes.nav(actor) == [("Groups", reverse("group-list"))]
    assert homes.groups(actor_for(o["director"].user)) is None


def test_bad_input_is_never_a_500(client, o):
    login(client, o["teacher"])
    assert client.get(url("group-list"), {"school": "x" * 30, "page": "-1"}).status_code == 200
    m = o["group_meeting"]
    bad = client.post(
        url("group-meeting-edit", m),
        {"held_on": "yesterday", "minutes": "many", "present": ["99999999999999999999"]},
    )
    assert bad.status_code == 400
    big = client.post(url("group-members", o["group"]), {"staff": "99999999999999999999"})
    assert big.status_code == 400
    assert PDF.startswith(b"%PDF")
