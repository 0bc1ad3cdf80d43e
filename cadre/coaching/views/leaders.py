"""Pages for leaders: coaching's counts and dates per school and coach (never what was said),
and implementation rates from walkthroughs' look-fors."""

from django.shortcuts import render

from cadre.coaching import selectors
from cadre.coaching.models import Cycle, Observation
from cadre.coaching.views.common import _year
from cadre.core.charts import stacked_bars
from cadre.core.views import actor_required, parse_choice, parse_int
from cadre.districts import access

KIND_COLOURS = ["#1f4e8c", "#1b6b3a", "#8a5300", "#6b3fa0"]


@actor_required
def overview(request):
    actor = request.actor
    access.require(actor, "follow", Cycle)
    years, year = _year(request)
    schools = selectors.overview_schools(actor)
    school = parse_int(request.GET.get("school"))
    found = selectors.overview(actor, year, school=school) if year else None
    chart = None
    if found and found.schools:
        chart = stacked_bars(
            [(r.label, [r.kinds.get(k, 0) for k, _ in selectors.KINDS]) for r in found.schools],
            [
                (label, colour)
                for (_, label), colour in zip(selectors.KINDS, KIND_COLOURS, strict=True)
            ],
        )
    return render(
        request,
        "coaching/overview.html",
        {
            "year": year,
            "years": years,
            "schools": schools,
            "school": school,
            "overview": found,
            "chart": chart,
        },
    )


@actor_required
def implementation(request):
    actor = request.actor
    access.require(actor, "implementation", Observation)
    years, year = _year(request)
    by = parse_choice(request.GET.get("by"), selectors.BY) or "offering"
    school = parse_int(request.GET.get("school"))
    found = selectors.implementation(actor, year, by=by, school=school) if year else None
    chart = None
    if found:
        shown = [r for r in found.rows if r.total.rate is not None]
        if shown:
            chart = stacked_bars(
                [(r.label, [r.total.rate, 100 - r.total.rate]) for r in shown],
                [("Seen", "#1b6b3a"), ("Not seen", "#c9cfd9")],
            )
    return render(
        request,
        "coaching/implementation.html",
        {
            "year": year,
            "years": years,
            "by": by,
            "bys": selectors.BY,
            "schools": selectors.overview_schools(actor),
            "school": school,
            "report": found,
            "chart": chart,
            "chart_title": f"Implementation rate by {found.by_label.lower()}, the year so far "
            "(percent of marked items seen)"
            if found
            else "",
        },
    )
