"""The world's collaboration part (conftest.py joins the parts; see World there)."""

from datetime import timedelta

from django.core.files.base import ContentFile

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


def build(district, o: dict) -> None:
    """A PLC at the principal's school: the teacher facilitates, the new teacher is a
    member; one meeting (tuning protocol, both present, the teacher's reflection); the
    principal's check-in; a lesson-study group with a research lesson; a cross-school
    critical friends group of the other teacher's. The meeting has a PDF of the student
    work examined (`work_sample`)."""
    PDF = b"%PDF-1.4\n% exit tickets, names removed\n%%EOF\n"

    school, year = o["school"], o["year"]
    today = district.today()
    group = Group.objects.create(
        district=district,
        school_year=year,
        school=school,
        name="Grade 3 reading PLC",
        kind=Group.Kind.PLC,
        focus="Why do our readers stall on inference questions?",
        facilitator=o["teacher"],
        schedule="Tuesdays, 3:15",
        stage=Group.Stage.DATA,
    )
    group.goals.add(o["school_goal"])
    for person in (o["teacher"], o["new_teacher"]):
        Membership.objects.create(
            district=district, group=group, staff=person, school=school, joined_on=today
        )
    meeting = Meeting.objects.create(
        district=district,
        group=group,
        held_on=today - timedelta(days=10),
        minutes=60,
        agenda="Look at the unit 2 exit tickets",
        protocol="tuning",
        student_work="24 exit tickets, names removed",
        decisions="Model inference with think-alouds",
        next_steps="Try it for two weeks",
        recorded_by=o["teacher"],
    )
    for person in (o["teacher"], o["new_teacher"]):
        Attendance.objects.create(district=district, meeting=meeting, staff=person)
    reflection = Reflection.objects.create(
        district=district,
        meeting=meeting,
        staff=o["teacher"],
        text="The protocol kept us on evidence.",
    )
    check_in = CheckIn.objects.create(
        district=district,
        group=group,
        held_on=today - timedelta(days=7),
        by=o["principal"],
        needs_changed=False,
        adjustments="None yet",
        resources="Release time for a lesson study",
    )
    lesson_group = Group.objects.create(
        district=district,
        school_year=year,
        school=school,
        name="Fractions lesson study",
        kind=Group.Kind.LESSON_STUDY,
        focus="Students compare fractions with unlike denominators",
        facilitator=o["teacher"],
    )
    Membership.objects.create(
        district=district,
        group=lesson_group,
        staff=o["teacher"],
        school=school,
        joined_on=today,
    )
    lesson = ResearchLesson.objects.create(
        district=district,
        group=lesson_group,
        title="Comparing fractions on a number line",
        goal="Students reason about size, not just procedure",
        plan="Launch with a race on a number line; anticipate common errors.",
        teacher=o["teacher"],
    )
    sample = WorkSample(
        district=district,
        meeting=meeting,
        name="exit-tickets.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    sample.file.save("exit-tickets.pdf", ContentFile(PDF), save=False)
    sample.save()
    cross = Group.objects.create(
        district=district,
        school_year=year,
        name="Middle-years critical friends",
        kind=Group.Kind.CRITICAL_FRIENDS,
        focus="Feedback that moves writing forward",
        facilitator=o["other_teacher"],
        is_virtual=True,
        support=Group.Support.SELF,
    )
    Membership.objects.create(
        district=district,
        group=cross,
        staff=o["other_teacher"],
        school=o["other_school"],
        joined_on=today,
    )
    o |= {
        "group": group,
        "group_meeting": meeting,
        "work_sample": sample,
        "reflection": reflection,
        "check_in": check_in,
        "lesson_group": lesson_group,
        "research_lesson": lesson,
        "cross_group": cross,
    }
