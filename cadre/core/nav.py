"""Each role's navigation: only the places that person may go."""

from collections.abc import Callable

from django.urls import reverse

# Each app adds its places: a function of the actor returning (label, url) pairs. They show in
# the order the apps are ready in (INSTALLED_APPS), and those registered with `last` after all.
EXTRA: list[Callable] = []
LAST: list[Callable] = []


def register_nav(items: Callable, *, last: bool = False) -> None:
    (LAST if last else EXTRA).append(items)


def nav_for(actor) -> list[tuple[str, str]]:
    items = [("Home", reverse("home"))]
    for extra in EXTRA + LAST:
        items.extend(extra(actor))
    return items
