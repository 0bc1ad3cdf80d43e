from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from cadre.core.errors import DomainError
from cadre.districts import services
from cadre.districts.models import Assignment, District, Role, Staff


class Command(BaseCommand):
    help = (
        "Make a person a district administrator (creating the district and the person if "
        "needed). They then set a password with 'Forgot your password?'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument("--name", help="The district's name, when it is created here.")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    @transaction.atomic
    def handle(self, *args, district, name, email, first_name, last_name, **options):
        with scopes_disabled():
            place, created = District.objects.get_or_create(
                slug=district, defaults={"name": name or district}
            )
            staff = Staff.objects.filter(district=place, email__iexact=email).first()
            try:
                if staff is None:
                    if not (first_name and last_name):
                        raise CommandError("A new person needs --first-name and --last-name.")
                    staff = services.staff_create(
                        district=place,
                        actor=None,
                        data={"first_name": first_name, "last_name": last_name, "email": email},
                    )
                if (
                    not Assignment.objects.filter(staff=staff, role=Role.DISTRICT_ADMIN)
                    .current(place.today())
                    .exists()
                ):
                    services.assignment_create(
                        district=place,
                        actor=None,
                        data={
                            "staff": staff,
                            "role": Role.DISTRICT_ADMIN,
                            "start_date": place.today(),
                        },
                    )
            except DomainError as exc:
                raise CommandError(f"{exc.detail} ({exc.code})") from exc
        verb = "Created" if created else "Using"
        self.stdout.write(f"{verb} district {place.name} ({place.slug}).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{staff.full_name} <{staff.user.email}> is a district administrator."
            )
        )
