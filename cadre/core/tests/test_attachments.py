"""The one way files are accepted, kept and served (`cadre.core.attachments`)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from cadre.core import attachments
from cadre.core.errors import DomainError

PDF = b"%PDF-1.4\n"


def refusal(call) -> str:
    with pytest.raises(DomainError) as refused:
        call()
    assert refused.value.field == "file"
    return refused.value.code


def test_a_file_is_what_its_first_bytes_say():
    assert attachments.sniff(SimpleUploadedFile("a.txt", PDF)) == "application/pdf"
    assert attachments.sniff(SimpleUploadedFile("a.pdf", b"\x89PNG\r\n\x1a\n.")) == "image/png"
    assert attachments.sniff(SimpleUploadedFile("a", b"\xff\xd8\xff\xe0")) == "image/jpeg"
    upload = SimpleUploadedFile("a.pdf", b"<html>", content_type="application/pdf")
    assert refusal(lambda: attachments.sniff(upload)) == "attachment.type"
    assert refusal(lambda: attachments.sniff(None)) == "attachment.missing"


def test_sniffing_leaves_the_upload_at_its_start():
    upload = SimpleUploadedFile("a.pdf", PDF)
    attachments.sniff(upload)
    assert upload.read() == PDF


def test_a_file_is_at_most_ten_megabytes():
    just = SimpleUploadedFile("a.pdf", PDF + b"0" * (attachments.MAX_BYTES - len(PDF)))
    assert attachments.sniff(just) == "application/pdf"
    over = SimpleUploadedFile("a.pdf", PDF + b"0" * attachments.MAX_BYTES)
    assert refusal(lambda: attachments.sniff(over)) == "attachment.too_big"


def test_what_holds_files_holds_at_most_ten():
    attachments.check_room(attachments.MAX_FILES - 1, holder="meeting")
    with pytest.raises(DomainError) as refused:
        attachments.check_room(attachments.MAX_FILES, holder="meeting")
    assert refused.value.code == "attachment.too_many"
    assert refused.value.detail == "A meeting holds at most 10 files."


def test_the_stored_name_takes_the_extension_of_what_the_file_is():
    upload = SimpleUploadedFile("receipt.exe", PDF)
    assert attachments.stored_name(upload, "application/pdf", fallback="x") == "receipt.pdf"
    nameless = SimpleUploadedFile("x", PDF)
    nameless.name = None
    assert attachments.stored_name(nameless, "image/png", fallback="work") == "work.png"


def test_a_download_names_its_file_safely():
    assert attachments.safe_filename("../a\r\nb/c.pdf") == "_ab_c.pdf"
    assert attachments.safe_filename("\x00") == "download"
    assert attachments.disposition("a.pdf") == 'attachment; filename="a.pdf"'
    assert attachments.disposition('say "hi".pdf') == 'attachment; filename="say \\"hi\\".pdf"'
    assert attachments.disposition("feed.ics", inline=True) == 'inline; filename="feed.ics"'
    assert attachments.disposition("Müller.pdf") == "attachment; filename*=utf-8''M%C3%BCller.pdf"


class Stored:
    """A stored file as a model's field holds it."""

    def __init__(self, name: str, content: bytes | None):
        self.name, self.content = name, content

    def open(self, mode):
        if self.content is None:
            raise FileNotFoundError(self.name)
        return ContentFile(self.content)


def test_a_download_is_an_unsniffed_private_attachment_in_its_stored_type():
    response = attachments.download(
        Stored("isd/1/2/receipt.pdf", PDF), name="receipt.pdf", content_type="application/pdf"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    plain = attachments.download(Stored("external-hours/2026/note.pdf", PDF))
    assert plain["Content-Type"] == "application/octet-stream"
    assert plain["Content-Disposition"] == 'attachment; filename="note.pdf"'


def test_a_missing_file_is_a_404():
    with pytest.raises(Http404):
        attachments.download(Stored("gone.pdf", None), name="gone.pdf")
