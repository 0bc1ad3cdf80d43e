"""The audit trail's part of the home page and the navigation."""

from django.urls import reverse

from cadre.audit.models import AuditEvent
from cadre.core.nav import register_nav
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.homes import register_section


def recent(actor: Actor) -> dict | None:
    """A district administrator's last changes, under the district's figures."""
    if not actor.is_district_admin:
        return None
    events = list(AuditEvent.objects.filter(district=actor.district)[:8])
    return {"recent_events": events} if events else None


def nav(actor: Actor) -> list[tuple[str, str]]:
    return [("Audit log", reverse("audit-list"))] if access.can(actor, "list", AuditEvent) else []


register_section("audit/_home_recent.html", recent)
register_nav(nav)
