"""The funding dashboard: budgets by source for a fiscal year, with the filters, charts and
pending transfers, and its CSV and XLSX exports (audited)."""

from decimal import Decimal

from django.shortcuts import render
from django.urls import path

from cadre.core.charts import stacked_bars
from cadre.core.views import actor_required, paginate, parse_int
from cadre.districts import access
from cadre.funding import exports, selectors
from cadre.funding.models import Budget, BudgetTransfer
from cadre.funding.rules import sees_all_money
from cadre.funding.services import fiscal_years as services

MONEY_SERIES = [("Spent", "#1f4e8c"), ("Committed", "#6f9bd1"), ("Remaining", "#d5dae3")]
TIME_SERIES = [("Used", "#1b6b3a"), ("Committed", "#7fb893"), ("Remaining", "#d5dae3")]


def _monitoring(request):
    """The budgets the filters pick, for the page and its exports."""
    actor = request.actor
    access.require(actor, "list", Budget)
    years = list(selectors.fiscal_years(actor))
    wanted = parse_int(request.GET.get("fy"))
    today = actor.today
    year = (
        next((y for y in years if y.pk == wanted), None)
        or next((y for y in years if y.start_date <= today <= y.end_date), None)
        or selectors.current_fiscal_year(actor)
    )
    if year not in years:
        years.insert(0, year)
    held = access.units(actor, every=sees_all_money(actor))
    filters = {
        "fiscal_year": year.pk,
        "school": parse_int(request.GET.get("school")),
        "program": parse_int(request.GET.get("program")),
        "source": parse_int(request.GET.get("source")),
        "owner": "district" if request.GET.get("owner") == "district" else "",
    }
    budgets = selectors.budget_list(actor, **filters)
    return {
        "year": year,
        "years": years,
        "schools": held.schools,
        "programs": held.programs,
        "filters": filters,
        "budgets": budgets,
    }


@actor_required
def dashboard(request):
    actor = request.actor
    context = _monitoring(request)
    rows, total = selectors.summary_by_source(context["budgets"])

    def chart(measure, series):
        return stacked_bars(
            [
                (
                    r.label,
                    [
                        r.figure(measure, "spent"),
                        r.figure(measure, "committed"),
                        max(r.figure(measure, "remaining"), Decimal(0)),
                    ],
                )
                for r in rows
            ],
            series,
        )

    params = request.GET.copy()
    return render(
        request,
        "funding/dashboard.html",
        {
            **context,
            "rows": rows,
            "total": total,
            "money_chart": chart("amount", MONEY_SERIES),
            "hours_chart": chart("hours", TIME_SERIES),
            "days_chart": chart("days", TIME_SERIES),
            "page": paginate(request, context["budgets"]),
            "export_query": params.urlencode(),
            "can_create": access.can(actor, "create", Budget),
            "pending_transfers": selectors.transfer_list(
                actor, status=BudgetTransfer.Status.REQUESTED
            )[:10],
        },
    )


def _export(request, fmt: str):
    actor = request.actor
    access.require(actor, "export", Budget)
    context = _monitoring(request)
    rows, total = selectors.summary_by_source(context["budgets"])
    header, body = exports.summary_table(rows, total)
    year = context["year"]
    services.summary_exported(year=year, actor=request.user, fmt=fmt, sources=len(rows))
    name = f"funding-{year.start_date.year}-{year.end_date.year}.{fmt}"
    if fmt == "xlsx":
        return exports.xlsx_response(name, f"Funding {year}", header, body)
    return exports.csv_response(name, header, body)


@actor_required
def export_csv(request):
    return _export(request, "csv")


@actor_required
def export_xlsx(request):
    return _export(request, "xlsx")


urls = [
    path("", dashboard, name="funding-dashboard"),
    path("export.csv", export_csv, name="funding-export-csv"),
    path("export.xlsx", export_xlsx, name="funding-export-xlsx"),
]
