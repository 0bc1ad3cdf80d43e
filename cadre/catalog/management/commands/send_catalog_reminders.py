"""Queue the meeting reminders for every district (or one). Run it hourly, e.g. from cron;
each registered person hears once about each meeting, within the district's
`catalog_reminder_hours` before it starts. `send_reminders` (daily) queues them too."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from cadre.catalog.tasks import catalog_reminders
from cadre.districts.models import District


class Command(BaseCommand):
    help = "Queue reminders of catalogue meetings starting soon."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="Only this district's slug.")

    def handle(self, *args, district=None, **options):
        with scopes_disabled():
            districts = District.objects.order_by("pk")
            if district:
                districts = districts.filter(slug=district)
            for d in districts:
                catalog_reminders.enqueue(d.pk)
                self.stdout.write(f"Queued meeting reminders for {d.slug}.")
