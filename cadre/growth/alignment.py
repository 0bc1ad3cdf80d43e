"""The alignment view: each district goal, the school and program goals that serve it, the
personal goals under those, and the learning under each, as far as the viewer may see.

One page, a fixed number of queries: the tree is assembled in memory from four reads."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import render

from cadre.core.views import actor_required, parse_int
from cadre.districts import access
from cadre.districts.models import Program, School, SchoolYear
from cadre.growth import selectors
from cadre.growth.models import IsdRequest, ProfessionalGoal
from cadre.planning.models import Goal, StrategicPlan


@dataclass
class Node:
    goal: object
    children: list = field(default_factory=list)  # unit goals under a district goal
    personal: list = field(default_factory=list)  # personal goals aligned directly

    @property
    def personal_count(self) -> int:
        return len(self.personal) + sum(len(c.personal) for c in self.children)


def _covers(year: SchoolYear, prefix: str = "plan__") -> Q:
    return Q(**{f"{prefix}first_year__start_date__lte": year.start_date}) & Q(
        **{f"{prefix}last_year__start_date__gte": year.start_date}
    )


def alignment_tree(actor, year: SchoolYear, *, school: int | None, program: int | None):
    """The published district goals for `year` with everything under them that `actor` may
    see, and the personal goals that align to nothing shown (so nothing goes missing)."""
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
    unit_goals = list(
        units.select_related("plan__school", "plan__program").prefetch_related(
            Prefetch("aligns_to", queryset=Goal.objects.only("pk"))
        )
    )
    personal = access.visible(actor, ProfessionalGoal).filter(school_year=year)
    if school:
        personal = personal.filter(school_id=school)
    if program:
        personal = personal.filter(program_id=program)
    requests = access.visible(actor, IsdRequest).exclude(
        status__in=[IsdRequest.Status.DENIED, IsdRequest.Status.CANCELLED]
    )
    personal = list(
        personal.select_related("staff").prefetch_related(
            Prefetch("aligns_to", queryset=Goal.objects.only("pk")),
            Prefetch("isd_requests", queryset=requests.order_by("start_date", "id")),
        )
    )
    nodes = {g.pk: Node(g) for g in district_goals}
    unit_nodes = {g.pk: Node(g) for g in unit_goals}
    for g in unit_goals:
        for parent in g.aligns_to.all():
            if parent.pk in nodes:
                nodes[parent.pk].children.append(unit_nodes[g.pk])
    unplaced = []
    for p in personal:
        placed = False
        for target in p.aligns_to.all():
            holder = unit_nodes.get(target.pk) or nodes.get(target.pk)
            if holder is not None:
                holder.personal.append(p)
                placed = True
        if not placed:
            unplaced.append(p)
    return [nodes[g.pk] for g in district_goals], unplaced


def _status_counts(tree) -> dict[str, int]:
    counts = defaultdict(int)
    for node in tree:
        for p in node.personal + [p for c in node.children for p in c.personal]:
            counts[p.status] += 1
    return dict(counts)


@actor_required
def alignment(request):
    actor = request.actor
    years = list(SchoolYear.objects.filter(district=actor.district).order_by("-start_date"))
    wanted = parse_int(request.GET.get("year"))
    # Between school years (none current, none covering today) the latest year is shown.
    year = selectors.pick_year(actor, years, wanted) or next(iter(years), None)
    leads = actor.is_district_admin or actor.is_school_leader or actor.is_program_director
    schools = School.objects.filter(district=actor.district, is_active=True)
    programs = Program.objects.filter(district=actor.district, is_active=True)
    if not actor.is_district_admin:
        schools = schools.filter(pk__in=actor.led_school_ids | actor.school_ids)
        programs = programs.filter(pk__in=actor.directed_program_ids | actor.program_ids)
    school = parse_int(request.GET.get("school")) if leads else None
    program = parse_int(request.GET.get("program")) if leads else None
    if year is None:
        tree, unplaced = [], []
    else:
        tree, unplaced = alignment_tree(actor, year, school=school, program=program)
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
            "counts": _status_counts(tree),
        },
    )
