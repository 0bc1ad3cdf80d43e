"""Every file that people upload or download, handled one way.

- Accepting: a file's type is what its first bytes say, never its name or the browser's claim;
  it is refused when too big, of another type, or one too many for what holds it.
- Keeping: the stored name keeps the person's words but takes the extension of what the file
  really is, so a saved copy never opens as something else. `Attachment` is the base of the
  models that keep one file each, with what was found on upload.
- Serving: always a download (`Content-Disposition: attachment` with a safe file name), in its
  stored type, never sniffed by the browser, never kept by a shared cache.

Imports of roster and HR data check their zips and tables with `cadre.core.tabular`; they
share the size refusal here.
"""

import unicodedata
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.http import content_disposition_header

from cadre.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 10  # on one ISD request, on one meeting
# What a file's first bytes say it is.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


# --- accepting -------------------------------------------------------------------------------


def check_size(upload, max_bytes: int, *, code: str, detail: str) -> None:
    """Refuse an upload larger than `max_bytes`, with the caller's code and words."""
    if upload.size > max_bytes:
        raise DomainError(code, detail, field="file")


def sniff(upload) -> str:
    """The type of an evidence file by its first bytes, or a refusal: no file, too big, or not
    a PDF, PNG or JPEG."""
    if upload is None:
        raise DomainError("attachment.missing", "Choose a file.", field="file")
    check_size(upload, MAX_BYTES, code="attachment.too_big", detail="Files are at most 10 MB.")
    head = upload.read(8)
    upload.seek(0)
    kind = next((t for sig, t in SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        raise DomainError("attachment.type", "Attach a PDF, PNG or JPEG file.", field="file")
    return kind


def check_room(held: int, *, holder: str) -> None:
    """Refuse one more file when the `holder` (a request, a meeting) already has its fill."""
    if held >= MAX_FILES:
        raise DomainError(
            "attachment.too_many", f"A {holder} holds at most {MAX_FILES} files.", field="file"
        )


# --- keeping ---------------------------------------------------------------------------------


def stored_name(upload, kind: str, *, fallback: str) -> str:
    """The person's name for the file with the extension of its sniffed `kind`."""
    stem = Path(upload.name or "").stem[:140] or fallback
    return f"{stem}{EXTENSIONS[kind]}"


def store(file: FieldFile, upload, kind: str, *, fallback: str) -> str:
    """Write the upload to `file` under its stored name (the row is saved by the caller, once
    its other fields are set) and return that name."""
    name = stored_name(upload, kind, fallback=fallback)
    file.save(name, upload, save=False)
    return name


class Attachment(models.Model):
    """One uploaded file and what was found on upload. Each concrete model adds its `file`
    (with its own storage path), its district and what the file belongs to."""

    file: FieldFile  # declared by each concrete model, with its own storage path

    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    def keep(self, upload, kind: str, *, fallback: str) -> None:
        """Write the upload and record its name, type and size; the caller saves the row."""
        self.name = store(self.file, upload, kind, fallback=fallback)
        self.content_type = kind
        self.size = upload.size


# --- serving ---------------------------------------------------------------------------------


def safe_filename(name: str, *, fallback: str = "download") -> str:
    """A file name fit for a header: no folders, no control characters."""
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = name.replace("/", "_").replace("\\", "_").strip(" .")
    return name or fallback


def disposition(filename: str, *, inline: bool = False) -> str:
    """The Content-Disposition of a download (or of a file shown in place, like a calendar
    feed), its name quoted or encoded as the header's rules want."""
    return content_disposition_header(not inline, safe_filename(filename))


def download(file: FieldFile, *, name: str = "", content_type: str = "") -> FileResponse:
    """A stored file as a download: 404 when the file is gone, its stored type (or plain
    bytes), never sniffed, never cached."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(name or file.name.rsplit("/", 1)[-1]),
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
