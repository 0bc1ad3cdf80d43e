from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from cadre.districts.models import District
from cadre.funding.reconcile import reconcile


class Command(BaseCommand):
    help = "Check every ledger invariant. Prints each problem and exits non-zero on any."

    def add_arguments(self, parser):
        parser.add_argument("--district", help="Check only this district (its slug).")

    def handle(self, *args, district=None, **options):
        target = None
        if district:
            with scopes_disabled():
                target = District.objects.filter(slug=district).first()
            if target is None:
                raise CommandError(f"No district with the slug {district!r}.")
        problems = reconcile(target)
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s) found.")
        self.stdout.write(self.style.SUCCESS("The ledger reconciles: no problems found."))
