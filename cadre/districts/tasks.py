"""Background work for the districts app: roster and HR-data imports from the upload pages."""

import json
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from django_tasks import task

from cadre.core import attachments
from cadre.core.errors import DomainError
from cadre.core.tabular import zip_problem
from cadre.districts.models import District, ImportRun
from cadre.districts.oneroster import import_oneroster

log = logging.getLogger(__name__)

SUFFIXES = {
    ImportRun.Kind.ROSTER: ({".zip"}, "Upload the roster export as a .zip file."),
    ImportRun.Kind.STAFF_DATA: ({".csv", ".txt", ".tsv"}, "Upload the HR data as a .csv file."),
}


def import_run_start(
    *,
    district: District,
    user,
    uploaded_file,
    dry_run: bool,
    kind: str = ImportRun.Kind.ROSTER,
    options: dict | None = None,
) -> ImportRun:
    """Keep the upload and queue its import; the result page follows its progress."""
    name = Path(uploaded_file.name or "").name
    suffixes, message = SUFFIXES[kind]
    if Path(name.lower()).suffix not in suffixes:
        raise DomainError("import.bad_file", message, field="file")
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    attachments.check_size(
        uploaded_file,
        limit,
        code="import.too_big",
        detail=f"The file is larger than {limit // (1024 * 1024)} MB.",
    )
    if kind == ImportRun.Kind.ROSTER:
        # Refused now, from the zip's directory alone, rather than by the worker later.
        problem = zip_problem(uploaded_file, max_unpacked=settings.IMPORT_MAX_UNPACKED_BYTES)
        if problem:
            raise DomainError("import.unsafe_zip", problem, field="file")
    run = ImportRun(
        district=district,
        kind=kind,
        uploaded_by=user,
        original_name=name[:255],
        dry_run=dry_run,
        options=options or {},
        stage="Waiting for the worker",
    )
    run.file.save(name, uploaded_file, save=False)
    run.save()
    transaction.on_commit(lambda: import_run_execute.enqueue(run.pk))
    return run


class _Reporter:
    """Writes progress to the run's progress file at most twice a second, so the page can
    follow it (see `ImportRun.progress_file`): never to the database, whose connection is
    busy with the import's transaction, and sometimes in the middle of a COPY."""

    def __init__(self, run: ImportRun):
        self.path = run.progress_file
        self.stage = ""
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self.path is None or (stage == self.stage and now - self.last < 0.5):
            return
        self.stage, self.last = stage, now
        partial = self.path.with_suffix(".progress-new")
        try:
            partial.write_text(json.dumps({"stage": stage, "done": done, "total": total}))
            os.replace(partial, self.path)
        except OSError:  # progress is a courtesy: never stop an import over it
            log.warning("Could not write the progress of %s", self.path, exc_info=True)

    def finish(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)


def _run_import(run: ImportRun, reporter: _Reporter):
    options = run.options or {}
    if run.kind == ImportRun.Kind.STAFF_DATA:
        from cadre.districts.staffdata import import_staff_data

        return import_staff_data(
            run.file.path,
            district=run.district,
            dry_run=run.dry_run,
            actor=run.uploaded_by,
            progress=reporter,
            encoding=options.get("encoding") or None,
            mapping=options.get("mapping") or {},
            file_name=run.original_name,
        )
    return import_oneroster(
        run.file.path,
        district_slug=run.district.slug,
        dry_run=run.dry_run,
        actor=run.uploaded_by,
        progress=reporter,
        encoding=options.get("encoding") or None,
        allow_mass_deactivation=bool(options.get("allow_mass_deactivation")),
    )


@task()
def import_run_execute(import_run_id: int) -> None:
    with scopes_disabled():
        run = ImportRun.objects.select_related("district", "uploaded_by").get(pk=import_run_id)
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.RUNNING, stage="Reading the files"
        )
        reporter = _Reporter(run)
        try:
            result = _run_import(run, reporter)
        except Exception:  # never leave a run "running": say it failed, keep the trace in logs
            log.exception("Import %s failed", run.pk)
            run.status = ImportRun.Status.FAILED
            run.problems = [
                {
                    "file": run.original_name,
                    "line": None,
                    "column": None,
                    "reason": "The import stopped on an unexpected error. Nothing "
                    "was written. The error is in the server log.",
                }
            ]
        else:
            if not result.ok:
                run.status = ImportRun.Status.REJECTED
            elif run.dry_run:
                run.status = ImportRun.Status.VALIDATED
            else:
                run.status = ImportRun.Status.SUCCEEDED
            run.summary = result.summary
            run.problems = result.report.errors_json()
            run.warnings = result.report.warnings_json()
        reporter.finish()
        run.stage = ""
        run.finished_at = timezone.now()
        run.progress_done = run.progress_total = max(run.progress_total, 1)
        run.save(
            update_fields=[
                "status",
                "summary",
                "problems",
                "warnings",
                "stage",
                "finished_at",
                "progress_done",
                "progress_total",
                "updated_at",
            ]
        )
