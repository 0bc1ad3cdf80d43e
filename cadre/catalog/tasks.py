"""Background work for the catalogue: registration emails and meeting reminders."""

import logging

from django_scopes import scopes_disabled
from django_tasks import task

from cadre.catalog.notices import send_meeting_reminders, send_registration_notice
from cadre.districts.models import District

log = logging.getLogger(__name__)


@task()
def registration_notice(registration_id: int, kind: str) -> bool:
    """One email about a registration: confirmed, requested, waitlisted, promoted, assigned,
    approved, denied, cancelled or session_cancelled."""
    with scopes_disabled():
        return send_registration_notice(registration_id, kind)


@task()
def catalog_reminders(district_id: int) -> int:
    """Reminders for one district's meetings starting within its reminder window."""
    with scopes_disabled():
        district = District.objects.get(pk=district_id)
        sent = send_meeting_reminders(district)
    log.info("Meeting reminders for %s: %s", district.slug, sent)
    return sent
