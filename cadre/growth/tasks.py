"""Background work for the growth app: the daily reminders, one task per district."""

import logging

from django_scopes import scopes_disabled
from django_tasks import task

from cadre.districts.models import District
from cadre.growth.reminders import send_reminders

log = logging.getLogger(__name__)


@task()
def district_reminders(district_id: int) -> dict[str, int]:
    with scopes_disabled():
        district = District.objects.get(pk=district_id)
        sent = send_reminders(district)
    log.info("Reminders for %s: %s", district.slug, sent)
    return sent
