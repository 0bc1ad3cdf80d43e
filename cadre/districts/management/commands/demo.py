import time

from django.core.management.base import BaseCommand

from cadre.districts import demo


class Command(BaseCommand):
    help = "Build the demo district (Riverbend Union High School District), deterministically."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo district already exists.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demo district and build it again."
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        started = time.monotonic()
        if reset:
            demo.reset_demo()
        result = demo.build_demo()
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built {result.district.name} in {time.monotonic() - started:.1f} s."
                )
            )
        else:
            self.stdout.write("The demo district already exists; nothing changed.")
        self.stdout.write("\nSign in at http://127.0.0.1:8000 with any of these accounts:\n")
        for label, email, name in result.accounts:
            self.stdout.write(f"  {label:<28} {email:<32} {name}")
        self.stdout.write(f"\nPassword for every account: {demo.DEMO_PASSWORD}\n")
