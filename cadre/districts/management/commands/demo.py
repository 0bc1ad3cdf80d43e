import re
import time

from django.core.management.base import BaseCommand, CommandError
from django_tasks import task_backends
from django_tasks.backends.immediate import ImmediateBackend

from cadre.districts import demo

# A host name of two labels or more: letters, digits and hyphens, as email domains are.
DOMAIN = re.compile(r"^(?=.{4,200}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


class Command(BaseCommand):
    help = (
        "Build the demo district (Riverbend Union High School District), deterministically; "
        "or, with --slug, --name and --email-domain, another demo district beside it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo district already exists.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove the demo district and build it again."
        )
        parser.add_argument(
            "--slug",
            default=demo.SLUG,
            help=f"The district's short name in addresses (default {demo.SLUG}). Another slug "
            "builds a second demo district beside the first.",
        )
        parser.add_argument("--name", help=f"The district's name (default {demo.NAME}).")
        parser.add_argument(
            "--email-domain",
            help=f"Where its people's addresses end (default {demo.DOMAIN}); each demo "
            "district needs its own.",
        )

    def handle(self, *args, if_empty=False, reset=False, **options):
        slug, name, domain = self._district(options)
        started = time.monotonic()
        if reset:
            demo.reset_demo(slug)
        result = demo.build_demo(slug=slug, name=name, domain=domain)
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built {result.district.name} in {time.monotonic() - started:.1f} s."
                )
            )
            self.stdout.write(
                "  "
                + ", ".join(f"{app} {seconds:.1f} s" for app, seconds in result.timings.items())
            )
        else:
            self.stdout.write("The demo district already exists; nothing changed.")
        self.stdout.write("\nSign in at http://127.0.0.1:8000 with any of these accounts:\n")
        for label, email, person in result.accounts:
            self.stdout.write(f"  {label:<28} {email:<32} {person}")
        self.stdout.write(f"\nPassword for every account: {demo.DEMO_PASSWORD}\n")
        if not isinstance(task_backends["default"], ImmediateBackend):
            self.stdout.write(
                "\nUploads (roster and HR data) and emails wait for the background worker: "
                "run `python manage.py db_worker` beside the server (`python3 dev.py demo` "
                "starts both).\n"
            )

    def _district(self, options) -> tuple[str, str, str]:
        slug = options["slug"].strip().lower()
        if slug == demo.SLUG:
            name = options["name"] or demo.NAME
            domain = (options["email_domain"] or demo.DOMAIN).strip().lower()
        else:
            if not options["name"] or not options["email_domain"]:
                raise CommandError(
                    "A second demo district needs its own --name and --email-domain, for "
                    "example: --slug lakeside --name 'Lakeside Unified School District' "
                    "--email-domain lakeside.example"
                )
            name, domain = options["name"].strip(), options["email_domain"].strip().lower()
        if not SLUG.match(slug):
            raise CommandError(
                f"{slug!r} cannot be a district's short name: use lower-case letters, digits "
                "and hyphens, at most 60."
            )
        if not name:
            raise CommandError("The district needs a name.")
        if not DOMAIN.match(domain):
            raise CommandError(
                f"{domain!r} is not an email domain: give one like lakeside.example "
                "(no @, no spaces)."
            )
        if demo.domain_taken(slug, domain):
            raise CommandError(
                f"People outside the {slug!r} district already sign in with addresses at "
                f"{domain}: choose another --email-domain for this demo district."
            )
        return slug, name, domain
