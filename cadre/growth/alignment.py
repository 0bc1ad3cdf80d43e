"""The alignment view: each district goal, the school and program goals that serve it, the
personal goals under those, and the learning under each, as far as the viewer may see.

One page, a fixed number of queries: the tree is assembled in memory from four reads."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.shortcuts import render

from cadre.core.views import actor_required, parse_int
from cadre.districts import access
from cadre.districts.models import SchoolYear
from cadre.growth import selectors
from cadre.growth.models import IsdRequest, ProfessionalGoal
from cadre.planning.models import Goal, StrategicPlan


@dataclass
class Node:
    goal: object
    children: list = field(default_factory=list)  # unit goals under a district goal
    personal: list = field(default_factory=list)  # personal goals aligned directly
    counts: dict = field(default_factory=dict)  # in a summary: personal goals by status

    @property
    def own_count(self) -> int:
        return sum(self.counts.values()) if self.counts else len(self.personal)

    @property
    def personal_count(self) -> int:
        return self.own_count + sum(c.own_count for c in self.children)


def _covers(year: SchoolYear, prefix: str = "plan__") -> Q:
    return Q(**{f"{prefix}first_year__start_date__lte": year.start_date}) & Q(
        **{f"{prefix}last_year__start_date__gte": year.start_date}
    )


Through = ProfessionalGoal.aligns_to.through


def alignment_tree(
    actor,
    year: SchoolYear,
    *,
    school: int | None,
    program: int | None,
    summary: bool = False,
    totals: dict | None = None,
):
    """The published district goals for `year` with everything under them that `actor` may
    see, and the personal goals that align to nothing shown (so nothing goes missing).

    A summary counts the personal goals under each goal by status instead of listing them:
    the whole district's thousands of goals are a table of numbers, not a page of names."""
    goals = (
        access.visible(actor, Goal)
        .filter(_covers(year), plan__status=StrategicPlan.Status.PUBLISHED)
        .select_related("plan")
    )
    district_goals = list(goals.filter(plan__level=StrategicPlan.Level.DISTRICT))
    units = goals.exclude(plan__level=StrategicPlan.Level.DISTRICT)
    if school:
        units = units.filter(plan__school_id=school)
    if program:
        units = units.filter(plan__program_id=program)
    unit_goals = list(units.select_related("plan__school", "plan__program"))
    nodes = {g.pk: Node(g) for g in district_goals}
    unit_nodes = {g.pk: Node(g) for g in unit_goals}
    for unit_id, parent_id in Goal.aligns_to.through.objects.filter(
        from_goal_id__in=[g.pk for g in unit_goals]
    ).values_list("from_goal_id", "to_goal_id"):
        if parent_id in nodes:
            nodes[parent_id].children.append(unit_nodes[unit_id])
    for node in nodes.values():
        node.children.sort(key=lambda n: (str(n.goal.plan.owner), n.goal.code))

    personal = access.visible(actor, ProfessionalGoal).filter(school_year=year)
    if school:
        personal = personal.filter(school_id=school)
    if program:
        personal = personal.filter(program_id=program)
    # Grouped in memory from plain rows: prefetching copies a query per goal, which is most
    # of the time over a whole district.
    links = Through.objects.filter(professionalgoal__in=personal.values("pk")).values_list(
        "professionalgoal_id", "goal_id"
    )
    if summary:
        status = dict(personal.values_list("pk", "status"))
        placed = set()
        for goal_id, target in links:
            holder = unit_nodes.get(target) or nodes.get(target)
            if holder is not None:
                holder.counts[status[goal_id]] = holder.counts.get(status[goal_id], 0) + 1
                placed.add(goal_id)
        if totals is not None:  # each goal once, though it may serve several goals shown
            for goal_id in placed:
                totals[status[goal_id]] = totals.get(status[goal_id], 0) + 1
        return [nodes[g.pk] for g in district_goals], len(status) - len(placed)

    rows = list(personal.select_related("staff").order_by("staff__last_name", "title", "pk"))
    aligned = defaultdict(list)
    for goal_id, target in links:
        aligned[goal_id].append(target)
    learning = defaultdict(list)
    for r in (
        access.visible(actor, IsdRequest)
        .filter(goal__in=personal.values("pk"))
        .exclude(status__in=[IsdRequest.Status.DENIED, IsdRequest.Status.CANCELLED])
        .order_by("start_date", "id")
    ):
        learning[r.goal_id].append(r)
    unplaced = []
    for p in rows:
        p.learning = learning[p.pk]
        placed = False
        for target in aligned[p.pk]:
            holder = unit_nodes.get(target) or nodes.get(target)
            if holder is not None:
                holder.personal.append(p)
                placed = True
        if not placed:
            unplaced.append(p)
        elif totals is not None:
            totals[p.status] = totals.get(p.status, 0) + 1
    return [nodes[g.pk] for g in district_goals], unplaced


@actor_required
def alignment(request):
    actor = request.actor
    years = list(SchoolYear.objects.filter(district=actor.district).order_by("-start_date"))
    wanted = parse_int(request.GET.get("year"))
    # Between school years (none current, none covering today) the latest year is shown.
    year = selectors.pick_year(actor, years, wanted) or next(iter(years), None)
    leads = actor.is_district_admin or actor.is_school_leader or actor.is_program_director
    units = access.units(actor, worked=True)
    schools, programs = units.schools, units.programs
    school = parse_int(request.GET.get("school")) if leads else None
    program = parse_int(request.GET.get("program")) if leads else None
    # The whole district at once is a summary; a school or program lists its people's goals.
    summary = actor.is_district_admin and not (school or program)
    totals = {}
    if year is None:
        tree, unplaced = [], []
    else:
        tree, unplaced = alignment_tree(
            actor, year, school=school, program=program, summary=summary, totals=totals
        )
    return render(
        request,
        "growth/alignment.html",
        {
            "tree": tree,
            "unplaced": unplaced,
            "year": year,
            "years": years,
            "schools": schools if leads else [],
            "programs": programs if leads else [],
            "filters": {"school": school, "program": program},
            "counts": totals,
            "summary": summary,
        },
    )
