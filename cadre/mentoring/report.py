"""The coordinator's programme report for a school year: how many new teachers, how soon they
were matched, contact hours per pair, training completion, stipends and retention.

Every figure is computed from the records (matches, logs, completions, awards), in a fixed
number of queries whatever the district's size. It holds no student data.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q, Sum

from cadre.catalog.models import Completion
from cadre.core.charts import stacked_bars
from cadre.districts.access import Actor
from cadre.districts.models import SchoolYear, Staff
from cadre.funding.models import StipendAward, StipendRole
from cadre.mentoring import selectors
from cadre.mentoring.models import ExtendedSupport, Match, Mentor, Training
from cadre.mentoring.services import trained_q

HOUR_BUCKETS = [
    ("Under 5 hours", Decimal(0), Decimal(5)),
    ("5 to 10 hours", Decimal(5), Decimal(10)),
    ("10 to 20 hours", Decimal(10), Decimal(20)),
    ("20 to 40 hours", Decimal(20), Decimal(40)),
    ("40 hours or more", Decimal(40), None),
]
BLUE, GREEN, GREY, AMBER = "#2f5f98", "#2e7d4f", "#8a94a6", "#b7791f"


@dataclass
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def build(actor: Actor, year: SchoolYear) -> dict:
    district = actor.district
    today = actor.today
    people = list(
        selectors.eligible(actor, year).only(
            "pk", "hire_date", "contracted_days", "substitute_days", "district_id"
        )
    )
    ids = [p.pk for p in people]
    extended = set(
        ExtendedSupport.objects.filter(school_year=year, staff_id__in=ids).values_list(
            "staff_id", flat=True
        )
    )
    # Extended support can reach someone whose experience is unknown: never counted as new.
    threshold = district.new_teacher_threshold_days
    new_count = sum(1 for p in people if p.new_under(threshold))

    # Matched within the deadline: counted once the deadline has passed or a mentor started.
    first_start = dict(
        Match.objects.filter(school_year=year, mentee_id__in=ids, started_on__isnull=False)
        .values("mentee_id")
        .annotate(first=Min("started_on"))
        .values_list("mentee_id", "first")
    )
    days = district.mentor_match_days
    due, on_time, late, waiting = 0, 0, 0, 0
    for p in people:
        deadline = selectors.clock_start(p, year) + timedelta(days=days)
        started = first_start.get(p.pk)
        if started is None and deadline >= today:
            continue  # still inside the window
        due += 1
        if started is not None and started <= deadline:
            on_time += 1
        elif started is not None:
            late += 1
        else:
            waiting += 1

    # Contact hours per pair: every match of the year that started.
    pairs = list(
        Match.objects.filter(district=district, school_year=year, started_on__isnull=False)
        .select_related("school_year")
        .only("pk", "status", "started_on", "ended_on", "school_year__end_date")
    )
    figures = selectors.cadence(district, pairs, today)
    hours = [figures[m.pk].hours for m in pairs]
    buckets = Counter()
    for h in hours:
        for label, low, high in HOUR_BUCKETS:
            if h >= low and (high is None or h < high):
                buckets[label] += 1
                break
    active = [figures[m.pk] for m in pairs if m.status == Match.Status.ACTIVE]
    judged = [c for c in active if c.judged]
    behind = sum(1 for c in judged if c.behind)
    hour_rows = [(label, [Decimal(buckets[label])]) for label, _, _ in HOUR_BUCKETS]
    cadence_rows = [
        ("At or above the target", [Decimal(len(judged) - behind)]),
        ("Below the target", [Decimal(behind)]),
    ]

    # Training: required orientation for new teachers, mentor training for mentors.
    required = dict(
        Training.objects.filter(kind=Training.Kind.ORIENTATION)
        .order_by("offering__title")
        .values_list("offering_id", "offering__title")
    )
    pairs_done = set(
        Completion.objects.filter(staff_id__in=ids, offering_id__in=required).values_list(
            "staff_id", "offering_id"
        )
    )
    done_by = Counter(staff_id for staff_id, _ in pairs_done)
    oriented = sum(1 for p in ids if required and done_by[p] >= len(required))
    by_offering = Counter(offering_id for _, offering_id in pairs_done)
    orientation_rows = [(title, Share(by_offering[pk], len(ids))) for pk, title in required.items()]
    mentors = Mentor.objects.filter(district=district, is_active=True).aggregate(
        active=Count("pk"),
        trained=Count("pk", filter=trained_q(Training.Kind.MENTOR, "staff__")),
    )
    trained_staff = selectors.trained_staff(actor).count()

    # Stipends on the year's matches, by role and status.
    year_matches = Match.objects.filter(district=district, school_year=year).values("pk")
    stipend_rows = list(
        StipendAward.objects.filter(
            district=district,
            evidence_type__app_label="mentoring",
            evidence_type__model="match",
            evidence_id__in=year_matches,
        )
        .values("schedule__role", "status")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("schedule__role", "status")
    )
    statuses = dict(StipendAward.Status.choices)
    stipends = [
        {
            "role": StipendRole(r["schedule__role"]).label,
            "status": statuses[r["status"]],
            "count": r["count"],
            "amount": r["amount"],
        }
        for r in stipend_rows
    ]
    paid = sum(
        (r["amount"] for r in stipend_rows if r["status"] == StipendAward.Status.PAID), Decimal(0)
    )
    stipend_chart = stacked_bars(
        [
            (
                label,
                [
                    sum(
                        (
                            r["amount"]
                            for r in stipend_rows
                            if r["schedule__role"] == role and r["status"] == status
                        ),
                        Decimal(0),
                    )
                    for status in ("proposed", "approved", "paid")
                ],
            )
            for role, label in ((StipendRole.MENTOR, "Mentors"), (StipendRole.MENTEE, "Mentees"))
        ],
        [("Proposed", GREY), ("Approved", AMBER), ("Paid", GREEN)],
    )

    # Retention: last year's mentees still on the staff.
    previous = (
        SchoolYear.objects.filter(district=district, end_date__lt=year.start_date)
        .order_by("-start_date")
        .first()
    )
    retention = None
    if previous is not None:
        mentee_ids = Match.objects.filter(school_year=previous, started_on__isnull=False).values(
            "mentee_id"
        )
        counts = Staff.objects.filter(pk__in=mentee_ids).aggregate(
            total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
        )
        retention = {"year": previous, "share": Share(counts["active"], counts["total"])}

    return {
        "people": len(people),
        "new": new_count,
        "extended": len(extended),
        "deadline_days": days,
        "on_time": Share(on_time, due),
        "late": late,
        "waiting": waiting,
        "pairs": len(pairs),
        "median_hours": _median(hours),
        "total_hours": sum(hours, Decimal(0)),
        "hour_rows": [(label, int(values[0])) for label, values in hour_rows],
        "hour_chart": stacked_bars(hour_rows, [("Pairs", BLUE)]),
        "cadence_rows": [(label, int(values[0])) for label, values in cadence_rows],
        "cadence_chart": stacked_bars(cadence_rows, [("Active pairs", BLUE)]),
        "target": district.mentor_weekly_minutes,
        "orientation": Share(oriented, len(ids)) if required else None,
        "orientation_rows": orientation_rows,
        "required_count": len(required),
        "mentors": mentors,
        "trained_staff": trained_staff,
        "stipends": stipends,
        "stipend_chart": stipend_chart,
        "paid": paid,
        "retention": retention,
    }
