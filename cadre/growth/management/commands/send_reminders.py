"""Queue today's reminder emails for every district (or one). Run it daily, e.g. from cron;
running it twice in a day sends nothing new."""

from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled

from cadre.catalog.tasks import catalog_reminders
from cadre.districts.models import District
from cadre.growth.tasks import district_reminders


class Command(BaseCommand):
    help = "Queue today's goal-deadline and waiting-item reminders, and meeting reminders."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="Only this district's slug.")

    def handle(self, *args, district=None, **options):
        with scopes_disabled():
            districts = District.objects.order_by("pk")
            if district:
                districts = districts.filter(slug=district)
            for d in districts:
                district_reminders.enqueue(d.pk)
                catalog_reminders.enqueue(d.pk)
                self.stdout.write(f"Queued reminders for {d.slug}.")
