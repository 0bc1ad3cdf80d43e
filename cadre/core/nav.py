"""Each role's navigation: only the places that person may go."""

from collections.abc import Callable

from django.urls import reverse

from cadre.districts import access

# Other apps add their places: a function of the actor returning (label, url) pairs.
EXTRA: list[Callable] = []


def register_nav(items: Callable) -> None:
    EXTRA.append(items)


def nav_for(actor) -> list[tuple[str, str]]:
    from cadre.audit.models import AuditEvent
    from cadre.districts.models import Assignment, ImportRun, Program, School, Staff

    items = [
        ("Home", reverse("home")),
        ("My profile", reverse("staff-detail", args=[actor.staff.pk])),
    ]
    for label, name, model in [
        ("Staff", "staff-list", Staff),
        ("Schools", "school-list", School),
        ("Programs", "program-list", Program),
        ("Assignments", "assignment-list", Assignment),
        ("Imports", "import-list", ImportRun),
        ("Audit log", "audit-list", AuditEvent),
    ]:
        if access.can(actor, "list", model):
            items.append((label, reverse(name)))
    for extra in EXTRA:
        items.extend(extra(actor))
    if access.can(actor, "change", actor.district):
        items.append(("School years", reverse("school-year-list")))
        items.append(("Settings", reverse("district-settings")))
    return items
