"""The PDF certificate of a completion (fpdf2): the district, the person, the offering, its
clock hours and category, any university credit, the dates, and the verification code with the
public address that confirms it.

The built-in PDF fonts cover Latin-1, so text outside it is folded to its closest letters
(é stays, ł becomes l) rather than failing; the verification code and address are ASCII.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from fpdf import FPDF

from cadre.catalog import credit
from cadre.catalog.models import Completion
from cadre.catalog.pdf import latin

INK = (29, 35, 48)
BRAND = (31, 78, 140)
MUTED = (74, 84, 102)


def verification_url(code: str) -> str:
    return f"{settings.SITE_URL}{reverse('certificate-verify', args=[code])}"


def _date(d) -> str:
    return f"{d:%B} {d.day}, {d:%Y}"


def dates_of(completion: Completion) -> str:
    """The session's span, from its first to its last meeting (the completion date when it
    has none, as for a self-paced session)."""
    session = completion.registration.session
    tz = completion.district.tz
    if session.starts_at and session.ends_at and not session.offering.is_self_paced:
        first = timezone.localtime(session.starts_at, tz).date()
        last = timezone.localtime(session.ends_at, tz).date()
        return _date(first) if first == last else f"{_date(first)} - {_date(last)}"
    return _date(completion.completed_on)


def hours_line(completion: Completion) -> str:
    hours = f"{completion.clock_hours:.2f}".rstrip("0").rstrip(".")
    unit = "clock hour" if completion.clock_hours == 1 else "clock hours"
    return f"{hours} {unit} ({completion.get_category_display()})"


def credits_line(completion: Completion) -> str:
    if not completion.credit_kind or not completion.credits:
        return ""
    return f"{completion.credits:.2f} {completion.get_credit_kind_display().lower()}"


def build(completion: Completion, *, compress: bool = True) -> bytes:
    """The certificate as PDF bytes."""
    district = completion.district
    session = completion.registration.session
    offering = completion.offering
    note = credit.minimum_note(district, session.minutes) if not completion.clock_hours else ""

    pdf = FPDF(orientation="landscape", unit="mm", format="Letter")
    pdf.set_compression(compress)
    pdf.set_title(latin(f"Certificate: {offering.title}"))
    pdf.set_author(latin(district.name))
    pdf.set_creator("Cadre")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width = pdf.w - 2 * pdf.l_margin

    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)

    def line(text: str, size: float, *, style: str = "", color=INK, height: float = 0, gap=2):
        pdf.set_font("Helvetica", style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(width, height or size * 0.5, latin(text), align="C")
        pdf.ln(gap)

    pdf.set_y(24)
    line(district.name, 16, style="B", color=BRAND, gap=6)
    line("Certificate of completion", 28, style="B", gap=8)
    line("This certifies that", 13, color=MUTED)
    line(completion.staff.full_name, 24, style="B", gap=4)
    line("completed", 13, color=MUTED)
    line(offering.title, 20, style="B", gap=2)
    provider = offering.provider
    detail = f"{session.name} - {provider}" if session.name else provider
    line(detail, 12, color=MUTED, gap=6)
    line(hours_line(completion), 16, style="B", gap=2)
    if note:
        line(note, 10, color=MUTED, gap=2)
    credits = credits_line(completion)
    if credits:
        line(f"University credit: {credits}", 13, gap=2)
    line(f"Dates: {dates_of(completion)}", 12, gap=1)
    line(f"Completed on {_date(completion.completed_on)}", 12, gap=1)

    pdf.set_y(pdf.h - 40)
    line(f"Verification code: {completion.code}", 12, style="B", gap=1)
    line(f"Verify at {verification_url(completion.code)}", 10, color=MUTED, gap=1)
    return bytes(pdf.output())
