"""The transcript as CSV and as PDF: the same lines, totals and renewal progress as the page.

The CSV goes through `cadre.funding.exports.csv_response`, which neutralises cells a
spreadsheet would run as formulas. The PDF uses fpdf2's core fonts, which hold Latin-1 only:
typographic punctuation is mapped to its plain form and anything else outside Latin-1 shows
as "?", so no name can break the document.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from fpdf import FPDF
from fpdf.fonts import FontFace

from cadre.catalog.pdf import latin
from cadre.catalog.selectors.transcript import Transcript
from cadre.core import attachments
from cadre.funding.exports import csv_response

HEADER = [
    "School year",
    "Date",
    "Source",
    "Title",
    "Provider",
    "Category",
    "Clock hours",
    "University credit",
    "Credits",
    "Credit as clock hours",
    "Counted hours",
    "Verification code",
]


def _hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def filename(transcript: Transcript, ext: str) -> str:
    who = slugify(transcript.staff.full_name) or f"staff-{transcript.staff.pk}"
    period = slugify(transcript.year.name) if transcript.year else "all-years"
    return f"transcript-{who}-{period}.{ext}"


def csv_export(transcript: Transcript) -> HttpResponse:
    body: list[list] = [
        [
            str(line.school_year),
            line.on.isoformat(),
            line.kind_label,
            line.title,
            line.provider,
            line.category_label,
            _hours(line.clock_hours),
            line.credit_label,
            line.credits if line.credit_label else "",
            _hours(line.credit_hours) if line.credit_label else "",
            _hours(line.hours),
            line.code,
        ]
        for line in transcript.lines
    ]
    blank = [""] * len(HEADER)
    totals = transcript.totals
    label = f"Total, {transcript.period}"
    for _category, name, hours in totals.rows:
        row = list(blank)
        row[0], row[5], row[10] = label, name, _hours(hours)
        body.append(row)
    row = list(blank)
    row[0], row[5], row[10] = label, "All categories", _hours(totals.total)
    body.append(row)
    for kind, credits in totals.credit_rows:
        row = list(blank)
        row[0], row[7], row[8] = label, kind, credits
        body.append(row)
    renewal = transcript.renewal
    window = f"Renewal, {renewal.since.isoformat()} to {renewal.until.isoformat()}"
    for name, have, need in (
        ("All categories", renewal.earned, renewal.required),
        ("Equity-based", renewal.equity_earned, renewal.equity_required),
    ):
        row = list(blank)
        row[0], row[5], row[10] = window, f"{name} (of {need} required)", _hours(have)
        body.append(row)
    return csv_response(filename(transcript, "csv"), HEADER, body)


# --- PDF -------------------------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    return f"{_hours(value):,.2f}"


class _Document(FPDF):
    def __init__(self, transcript: Transcript):
        super().__init__(orientation="landscape", format="Letter")
        self.transcript = transcript
        self.set_title(latin(f"Transcript: {transcript.staff.full_name}"))
        self.set_author(latin(transcript.district.name))
        self.set_creator("Cadre")
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        t = self.transcript
        self.cell(
            0,
            6,
            latin(
                f"{t.district.name} - transcript of {t.staff.full_name} - generated "
                f"{t.generated_on:%B %-d, %Y} - page {self.page_no()}"
            ),
            align="C",
        )


def pdf_export(transcript: Transcript) -> HttpResponse:
    t = transcript
    pdf = _Document(t)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, latin(t.district.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Transcript of professional learning", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    who = t.staff.full_name + (f" (employee {t.staff.employee_id})" if t.staff.employee_id else "")
    for label, value in (
        ("Staff member", who),
        ("Period", t.period),
        ("Generated", f"{t.generated_on:%B %-d, %Y}"),
    ):
        pdf.cell(0, 6, latin(f"{label}: {value}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    heading = FontFace(emphasis="BOLD", fill_color=(230, 234, 240))
    widths = (22, 26, 88, 52, 28, 26, 17)
    if not t.lines:
        pdf.cell(0, 7, "No credit in this period.", new_x="LMARGIN", new_y="NEXT")
    for block in t.blocks:
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, latin(f"School year {block.year}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=9)
        with pdf.table(
            col_widths=widths,
            headings_style=heading,
            text_align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
            line_height=5,
        ) as table:
            table.row(
                ["Date", "Source", "Title", "Provider", "Category", "University credit", "Hours"]
            )
            for line in block.lines:
                table.row(
                    [
                        f"{line.on:%Y-%m-%d}",
                        line.kind_label,
                        latin(line.title),
                        latin(line.provider),
                        line.category_label,
                        latin(line.credit_label),
                        _fmt(line.hours),
                    ]
                )
            summary = ", ".join(f"{name} {_fmt(h)}" for _c, name, h in block.totals.rows)
            table.row(
                ["", "", latin(f"Year total ({summary})"), "", "", "", _fmt(block.totals.total)]
            )
        pdf.ln(3)

    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, latin(f"Clock hours by category: {t.period}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    with pdf.table(
        col_widths=(60, 30), width=90, align="LEFT", headings_style=heading, line_height=6
    ) as table:
        table.row(["Category", "Hours"])
        for _c, name, hours in t.totals.rows:
            table.row([name, _fmt(hours)])
        table.row(["All categories", _fmt(t.totals.total)])
        for kind, credits in t.totals.credit_rows:
            table.row([latin(f"University credit: {kind.lower()}"), f"{credits:,.2f}"])
    pdf.ln(4)

    r = t.renewal
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Progress toward certificate renewal", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    pdf.multi_cell(
        0,
        6,
        latin(
            f"Hours dated {r.since:%B %-d, %Y} to {r.until:%B %-d, %Y} (the last {r.years} "
            f"years): {_fmt(r.earned)} of {r.required} required ({r.percent}%); "
            f"{_fmt(r.remaining)} remain."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(
        0,
        6,
        latin(
            f"Equity-based hours: {_fmt(r.equity_earned)} of {r.equity_required} required "
            f"{'for administrators ' if r.is_administrator else ''}({r.equity_percent}%); "
            f"{_fmt(r.equity_remaining)} remain."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    for percent in (r.percent, r.equity_percent):
        pdf.ln(1)
        x, y = pdf.get_x(), pdf.get_y()
        pdf.set_draw_color(80, 80, 80)
        pdf.set_fill_color(255, 255, 255)
        pdf.rect(x, y, 120, 4, style="D")
        if percent:
            pdf.set_fill_color(40, 110, 70)
            pdf.rect(x, y, 120 * percent / 100, 4, style="F")
        pdf.ln(5)
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = attachments.disposition(filename(t, "pdf"))
    response["Cache-Control"] = "private, no-store"
    return response
