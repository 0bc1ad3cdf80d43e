import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from cadre.districts.oneroster import import_oneroster


class Command(BaseCommand):
    help = "Import a OneRoster 1.1 or 1.2 CSV export (zip or folder) into a district."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The export: a .zip file or a folder of CSV files.")
        parser.add_argument("--district", required=True, help="The district's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and write nothing."
        )

    def handle(self, *args, path, district, dry_run, **options):
        bar = tqdm(
            total=1,
            unit="row",
            file=sys.stderr,
            dynamic_ncols=True,
            disable=not sys.stderr.isatty() and options.get("verbosity", 1) < 2,
        )

        def progress(stage: str, done: int, total: int) -> None:
            bar.set_description(stage)
            bar.total = max(total, 1)
            bar.n = done
            bar.refresh()

        result = import_oneroster(path, district_slug=district, dry_run=dry_run, progress=progress)
        bar.close()
        for problem in result.problems:
            self.stderr.write(str(problem))
        if not result.ok:
            raise CommandError(f"{len(result.problems)} problem(s); nothing was written.")
        self.stdout.write(
            f"OneRoster {result.version}{' (dry run: nothing written)' if dry_run else ''}"
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
        self.stdout.write(self.style.SUCCESS("Validated." if dry_run else "Imported."))
