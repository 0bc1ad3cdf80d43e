"""What each role's home page shows: the things that person must act on, and nothing empty."""

from collections.abc import Callable

from django.db.models import Count, Q
from django.urls import reverse

from cadre.core.nav import register_nav
from cadre.districts import access, selectors
from cadre.districts.access import Actor
from cadre.districts.models import Assignment, ImportRun, Program, School, SchoolYear, Staff

# Other apps add what their people must act on: (template, build(actor) -> dict or None).
SECTIONS: list[tuple[str, Callable[[Actor], dict | None]]] = []


def register_section(template: str, build: Callable[[Actor], dict | None]) -> None:
    SECTIONS.append((template, build))


def admin_home(actor: Actor) -> dict:
    staff = Staff.objects.filter(district=actor.district)
    active = staff.filter(is_active=True)
    imports = ImportRun.objects.filter(district=actor.district).select_related("uploaded_by")
    return {
        "current_year": SchoolYear.objects.filter(district=actor.district, is_current=True).first(),
        "counts": {
            "schools": School.objects.filter(district=actor.district, is_active=True).count(),
            "programs": Program.objects.filter(district=actor.district, is_active=True).count(),
            "staff": active.count(),
            "new_teachers": active.filter(pk__in=selectors.new_teachers(actor)).count(),
            # Teaching now with no HR data: not counted as new teachers, and not known not to be.
            "unknown_experience": selectors.unknown_experience(actor).count(),
            # No email, so no login: an HR file with emails fills them in.
            "without_email": active.filter(email="").count(),
        },
        "last_import": imports.filter(kind=ImportRun.Kind.ROSTER).first(),
        "last_staff_data": imports.filter(kind=ImportRun.Kind.STAFF_DATA).first(),
    }


def leader_home(actor: Actor) -> dict:
    schools = selectors.school_list(actor, active=None).filter(pk__in=actor.led_school_ids)
    programs = Program.objects.filter(pk__in=actor.directed_program_ids).annotate(
        staff_count=Count(
            "assignments__staff",
            distinct=True,
            filter=Q(assignments__in=Assignment.objects.current(actor.today)),
        )
    )
    new_teachers = list(selectors.staff_list(actor, new_teacher=True)[:25])
    return {
        "led_schools": schools,
        "directed_programs": programs,
        "new_teachers": [s for s in new_teachers if s.pk != actor.staff.pk],
    }


def home_context(actor: Actor) -> dict:
    me = selectors.staff_detail(actor, actor.staff.pk)
    context = {"me": me, "role": actor.primary_role}
    if actor.is_district_admin:
        context |= admin_home(actor)
    elif actor.is_school_leader or actor.is_program_director:
        context |= leader_home(actor)
    context["can_list_staff"] = access.can(actor, "list", Staff)
    # A section with nothing to show is left out rather than shown empty.
    context["sections"] = [
        {"template": template, **data} for template, build in SECTIONS if (data := build(actor))
    ]
    return context


def nav(actor: Actor) -> list[tuple[str, str]]:
    items = [("My profile", reverse("staff-detail", args=[actor.staff.pk]))]
    for label, name, model in [
        ("Staff", "staff-list", Staff),
        ("Schools", "school-list", School),
        ("Programs", "program-list", Program),
        ("Assignments", "assignment-list", Assignment),
        ("Imports", "import-list", ImportRun),
    ]:
        if access.can(actor, "list", model):
            items.append((label, reverse(name)))
    return items


def settings_nav(actor: Actor) -> list[tuple[str, str]]:
    if not access.can(actor, "change", actor.district):
        return []
    return [
        ("School years", reverse("school-year-list")),
        ("Settings", reverse("district-settings")),
    ]


register_nav(nav)
register_nav(settings_nav, last=True)
