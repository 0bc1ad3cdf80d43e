"""Reads for the district and its people, always scoped to an actor."""

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from cadre.districts import access
from cadre.districts.access import Actor
from cadre.districts.models import (
    Assignment,
    District,
    Program,
    Role,
    School,
    SchoolYear,
    Staff,
)


def current_assignments_prefetch(actor: Actor) -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(district=actor.district)
        .current(actor.today)
        .select_related("school", "program"),
        to_attr="current_assignments",
    )


def staff_list(
    actor: Actor,
    *,
    q: str = "",
    school: int | None = None,
    program: int | None = None,
    role: str = "",
    active: bool | None = True,
    new_teacher: bool | None = None,
    experience_unknown: bool = False,
) -> QuerySet[Staff]:
    qs = access.visible(actor, Staff).select_related("district")
    if q:
        for word in q.split():
            qs = qs.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(employee_id__iexact=word)
            )
    where = {
        k: v for k, v in {"school_id": school, "program_id": program, "role": role}.items() if v
    }
    if where:
        current = Assignment.objects.filter(district=actor.district).current(actor.today)
        qs = qs.filter(pk__in=current.filter(**where).values("staff_id"))
    if active is not None:
        qs = qs.filter(is_active=active)
    if new_teacher is not None:
        new = new_teachers(actor)
        qs = qs.filter(pk__in=new) if new_teacher else qs.exclude(pk__in=new)
    if experience_unknown:  # the very people the "unknown experience" figures count
        qs = qs.filter(pk__in=unknown_experience(actor).values("pk"))
    return qs.prefetch_related(current_assignments_prefetch(actor)).order_by(
        "last_name", "first_name", "id"
    )


# --- experience ------------------------------------------------------------------------------
# The database twin of `Staff.experience_known`, `experience_days` and `is_new_teacher`: a
# person with neither contracted nor substitute days has *unknown* experience, which is not
# zero, so they are never a new teacher; one known figure counts the other as none.


def experience_known_q(prefix: str = "") -> Q:
    """Staff (with `prefix` leading to the staff) whose experience is known."""
    return Q(**{f"{prefix}contracted_days__isnull": False}) | Q(
        **{f"{prefix}substitute_days__isnull": False}
    )


def new_teacher_q(district: District, prefix: str = "") -> Q:
    """Known experience under the district's threshold (teaching now is asked separately)."""
    days = Coalesce(f"{prefix}contracted_days", Value(0)) + Coalesce(
        f"{prefix}substitute_days", Value(0)
    )
    return experience_known_q(prefix) & Q(LessThan(days, district.new_teacher_threshold_days))


def teaching_now(actor: Actor) -> QuerySet:
    """The ids of staff with a current teaching assignment."""
    return (
        Assignment.objects.filter(district=actor.district, role=Role.TEACHER)
        .current(actor.today)
        .values("staff_id")
    )


def new_teachers(actor: Actor) -> QuerySet[Staff]:
    """Staff teaching today whose known contracted plus substitute days are under the
    threshold. Staff whose experience is unknown are not among them (`unknown_experience`)."""
    return (
        Staff.objects.filter(district=actor.district)
        .filter(new_teacher_q(actor.district), pk__in=teaching_now(actor))
        .values("pk")
    )


def unknown_experience(actor: Actor, within: QuerySet[Staff] | None = None) -> QuerySet[Staff]:
    """Active staff teaching today whose experience is unknown (no HR data yet): they may be
    new teachers, and nobody can tell until HR data says. `within` narrows them to the people
    a page may show (by default, the staff this person sees). The one definition of the
    "staff with unknown experience" figure on every page and in the API."""
    people = access.visible(actor, Staff) if within is None else within
    return people.filter(
        district=actor.district,
        is_active=True,
        contracted_days__isnull=True,
        substitute_days__isnull=True,
        pk__in=teaching_now(actor),
    )


def staff_detail(actor: Actor, pk: int) -> Staff:
    qs = Staff.objects.select_related("district", "user").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("school", "program").order_by("-start_date"),
            to_attr="all_assignments",
        ),
        current_assignments_prefetch(actor),
    )
    return access.get_visible_or_404(actor, qs, pk=pk)


def school_list(actor: Actor, *, q: str = "", active: bool | None = True) -> QuerySet[School]:
    qs = access.visible(actor, School)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__iexact=q))
    if active is not None:
        qs = qs.filter(is_active=active)
    current = Assignment.objects.filter(district=actor.district).current(actor.today)
    return qs.annotate(
        staff_count=Count(
            "assignments__staff",
            filter=Q(assignments__in=current.values("pk"), assignments__staff__is_active=True),
            distinct=True,
        )
    ).order_by("name")


def program_list(actor: Actor, *, q: str = "", active: bool | None = True) -> QuerySet[Program]:
    qs = access.visible(actor, Program)
    if q:
        qs = qs.filter(name__icontains=q)
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.prefetch_related("schools").order_by("name")


def school_year_list(actor: Actor) -> QuerySet[SchoolYear]:
    return access.visible(actor, SchoolYear).order_by("-start_date")


def assignment_list(
    actor: Actor,
    *,
    q: str = "",
    staff: int | None = None,
    school: int | None = None,
    program: int | None = None,
    role: str = "",
    current: bool | None = True,
) -> QuerySet[Assignment]:
    """`current`: True for today's assignments, False for ended or future ones, None for all."""
    qs = access.visible(actor, Assignment).select_related("staff", "school", "program")
    for word in q.split():
        qs = qs.filter(Q(staff__first_name__icontains=word) | Q(staff__last_name__icontains=word))
    where = {"staff_id": staff, "school_id": school, "program_id": program, "role": role}
    qs = qs.filter(**{k: v for k, v in where.items() if v})
    if current is True:
        qs = qs.current(actor.today)
    elif current is False:
        qs = qs.exclude(pk__in=Assignment.objects.current(actor.today).values("pk"))
    return qs.order_by("staff__last_name", "staff__first_name", "role", "id")
