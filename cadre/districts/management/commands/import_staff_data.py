from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from cadre.core.cli import progress_bar
from cadre.core.tabular import encoding_name
from cadre.districts.models import District
from cadre.districts.staffdata import FIELDS, import_staff_data, parse_mapping


class Command(BaseCommand):
    help = (
        "Import HR or payroll data (a CSV): contracted and substitute days or years of "
        "experience, hire date, bargaining unit, FTE and email, matched to staff by sourcedId, "
        "employee number or email."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file.")
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )
        parser.add_argument(
            "--encoding",
            help="The file's encoding when it is not UTF-8 (windows-1252, latin-1, shift_jis, "
            "utf-16); by default Cadre tells it and says so.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"Read a column Cadre does not know as one of: {', '.join(FIELDS)}. "
            'For example --map "Days Worked=substitute_days". Repeat for more.',
        )

    def handle(self, *args, path, district, dry_run, **options):
        with scopes_disabled():
            found = District.objects.filter(slug=district).first()
        if found is None:
            raise CommandError(f'There is no district "{district}".')
        try:
            encoding = encoding_name(options["encoding"]) if options["encoding"] else None
            mapping = parse_mapping(options["map"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with progress_bar(options) as progress:
            result = import_staff_data(
                path,
                district=found,
                dry_run=dry_run,
                progress=progress,
                encoding=encoding,
                mapping=mapping,
            )
        for line in result.report.lines():
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(f"{result.report.error_count()} problem(s); nothing was written.")
        s = result.summary
        self.stdout.write(
            f"Rows {s['rows']}, staff matched {s['matched']}, updated {s['updated']}, "
            f"unchanged {s['unchanged']}, not in Cadre {s['not_found']}"
            + (" (dry run: nothing written)" if dry_run else "")
        )
        self.stdout.write(self.style.SUCCESS("Validated." if dry_run else "Imported."))
