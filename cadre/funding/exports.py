"""The monitoring figures as CSV and XLSX: the same rows the page shows."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from cadre.core import attachments
from cadre.funding.selectors import FIGURES, MEASURES, SummaryRow

HEADERS = {
    "amount": "dollars",
    "hours": "hours",
    "days": "release days",
}


def summary_table(rows: list[SummaryRow], total: SummaryRow) -> tuple[list[str], list[list]]:
    header = ["Funding source"] + [
        f"{figure.capitalize()} {HEADERS[m]}" for m in MEASURES for figure in FIGURES
    ]
    body = [
        [row.label] + [row.figure(m, f) for m in MEASURES for f in FIGURES]
        for row in [*rows, total]
    ]
    return header, body


def _safe(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], body: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachments.disposition(filename)
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    for line in body:
        writer.writerow([_safe(v) for v in line])
    return response


def xlsx_response(filename: str, title: str, header: list[str], body: list[list]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in body:
        sheet.append([float(v) if isinstance(v, Decimal) else _safe(v) for v in line])
    for column in sheet.iter_cols(min_col=2, min_row=2):
        for cell in column:
            cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 32
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = attachments.disposition(filename)
    return response
