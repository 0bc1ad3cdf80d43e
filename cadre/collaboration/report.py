"""The groups report for administrators (the district) and school leaders (the groups they
follow): groups by kind and stage of the cycle, the meetings they held, and effectiveness
judgements with the evidence behind them. Each chart comes with a table of the same
figures."""

from decimal import Decimal

from cadre.collaboration import selectors
from cadre.collaboration.models import Group
from cadre.core.charts import stacked_bars
from cadre.districts.access import Actor
from cadre.districts.models import SchoolYear

STAGE_COLOURS = ["#1b5e9e", "#2e7d4f", "#8a5a00", "#7b3f9e", "#a33a3a", "#5a6472"]
JUDGEMENT_COLOURS = {
    Group.Effectiveness.EFFECTIVE: "#2e7d4f",
    Group.Effectiveness.PARTLY: "#8a5a00",
    Group.Effectiveness.NOT_EFFECTIVE: "#a33a3a",
    Group.Effectiveness.NOT_JUDGED: "#8792a5",
}


def build(actor: Actor, year: SchoolYear) -> dict:
    stages = selectors.stage_rows(actor, year)
    summary = selectors.effectiveness(actor.district, year, groups=selectors.followed(actor, year))
    stage_series = [
        *zip(Group.Stage.labels, STAGE_COLOURS, strict=False),
        ("Cycle closed", STAGE_COLOURS[-1]),
    ]
    stage_chart = stacked_bars(
        [
            (
                row.label,
                [Decimal(row.stages[s]) for s in Group.Stage.values] + [Decimal(row.closed)],
            )
            for row in stages
        ],
        stage_series,
    )
    judgement_chart = stacked_bars(
        [
            (row.label, [Decimal(row.counts[v]) for v, _ in Group.Effectiveness.choices])
            for row in summary.kinds
        ],
        [(label, JUDGEMENT_COLOURS[v]) for v, label in Group.Effectiveness.choices],
    )
    return {
        "stages": stages,
        "stage_labels": Group.Stage.labels,
        "stage_values": Group.Stage.values,
        "stage_chart": stage_chart,
        "summary": summary,
        "judgement_chart": judgement_chart,
        "groups": sum(row.total for row in stages),
        "meetings": sum(row.meetings for row in stages),
        "hours": Decimal(sum(row.minutes for row in stages)) / 60,
        "judged": sum(n for v, n in summary.totals.items() if v != Group.Effectiveness.NOT_JUDGED),
    }
