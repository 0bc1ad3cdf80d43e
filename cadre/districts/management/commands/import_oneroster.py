from django.core.management.base import BaseCommand, CommandError

from cadre.core.cli import progress_bar
from cadre.core.tabular import encoding_name
from cadre.districts.oneroster import import_oneroster


class Command(BaseCommand):
    help = (
        "Import a roster export (zip or folder): OneRoster 1.0, 1.1 or 1.2 CSV, or Microsoft "
        "School Data Sync v2.1. Creates the district when it does not exist yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The export: a .zip file or a folder of CSV files.")
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument(
            "--district-name",
            default="",
            help="The district's name, when the export has no district org to take it from.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )
        parser.add_argument(
            "--encoding",
            help="The files' encoding when it is not UTF-8 (shift_jis, windows-1252, latin-1, "
            "utf-16); by default Cadre tells it and says so.",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="Import a whole-picture export even when it deactivates most staff.",
        )

    def handle(self, *args, path, district, dry_run, **options):
        try:
            encoding = encoding_name(options["encoding"]) if options["encoding"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with progress_bar(options) as progress:
            result = import_oneroster(
                path,
                district_slug=district,
                district_name=options["district_name"],
                dry_run=dry_run,
                progress=progress,
                encoding=encoding,
                allow_mass_deactivation=options["allow_mass_deactivation"],
            )
        for line in result.report.lines():
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(f"{result.report.error_count()} problem(s); nothing was written.")
        self.stdout.write(
            f"{result.summary['format']}{' (dry run: nothing written)' if dry_run else ''}"
        )
        self.stdout.write(
            f"{'':<14}{'created':>9}{'updated':>9}{'unchanged':>11}{'deactivated':>13}"
        )
        for name, tally in result.summary.items():
            if isinstance(tally, dict):
                self.stdout.write(
                    f"{name:<14}{tally['created']:>9}{tally['updated']:>9}"
                    f"{tally['unchanged']:>11}{tally['deactivated']:>13}"
                )
        self.stdout.write(
            f"Users who are not staff, not stored: {result.summary['skipped_non_staff_users']}"
        )
        if result.report.warnings:
            count = sum(w.count for w in result.report.warnings.values())
            self.stdout.write(f"Warnings (imported anyway): {count}")
        self.stdout.write(self.style.SUCCESS("Validated." if dry_run else "Imported."))
