"""Reads for registration: the session page's panel, a person's learning, the approvals that
wait, a session's roster, and the calendar feed's rows. Every read starts from
`access.visible`, or from rows the caller already reached through it."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from cadre.catalog.models import CalendarFeed, Meeting, Offering, Registration, Session
from cadre.catalog.services import registration as services
from cadre.core.errors import DomainError
from cadre.districts import access
from cadre.districts.access import Actor
from cadre.growth.rules import author_leads_school
from cadre.growth.selectors import history  # noqa: F401  (the registration page's trail)

Status = Registration.Status
RELATED = (
    "staff",
    "school",
    "program",
    "session__offering",
    "session__school_year",
    "decided_by",
    "assigned_by",
)
# Who decided or assigned, by their staff record in this district (a login may have several).
PEOPLE = ("decided_by__staff_records", "assigned_by__staff_records")


def registration_detail(actor: Actor, pk: int) -> Registration:
    return access.get_visible_or_404(
        actor,
        Registration.objects.select_related(*RELATED, "session__district").prefetch_related(
            *PEOPLE
        ),
        pk=pk,
    )


def registration_list(
    actor: Actor,
    *,
    session: int | None = None,
    status: str = "",
    staff: int | None = None,
) -> QuerySet:
    qs = access.visible(actor, Registration).select_related(*RELATED).prefetch_related(*PEOPLE)
    if session:
        qs = qs.filter(session_id=session)
    if status:
        qs = qs.filter(status=status)
    if staff:
        qs = qs.filter(staff_id=staff)
    return qs


# --- the session page's panel ----------------------------------------------------------------


def closed_reason(session: Session, now=None) -> str:
    """Why the session takes no self-registration now ("" when it does)."""
    try:
        services._check_open(session, now or timezone.now())
    except DomainError as exc:
        return exc.detail
    return ""


def may_cancel_now(actor: Actor, reg: Registration, now=None) -> bool:
    """Whether the cancel button is offered: the service decides for certain."""
    if reg.status not in services.CANCELLABLE or not access.can(actor, "cancel", reg):
        return False
    now = now or timezone.now()
    session = reg.session
    if reg.status == Status.WAITLISTED:
        return True
    if session.ends_at and session.ends_at <= now:
        return False
    past_deadline = bool(session.cancel_by and now > session.cancel_by)
    return not (reg.staff_id == actor.staff.pk and past_deadline)


def session_panel(actor: Actor, session: Session) -> dict:
    """What the session page shows about registration for this person (the contract with the
    session page). `session` is one the person sees."""
    now = timezone.now()
    counts = Registration.objects.filter(session=session).aggregate(
        taken=Count("pk", filter=Q(status__in=Registration.HOLDS_SEAT)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    mine = (
        Registration.objects.filter(session=session, staff=actor.staff)
        .order_by("-created_at", "-id")
        .first()
    )
    if mine is not None:
        mine.session = session
    active = mine if mine is not None and mine.status in Registration.ACTIVE else None
    reason = closed_reason(session, now)
    seats_left = max(session.capacity - counts["taken"], 0)
    offering = session.offering
    can_assign = (
        session.status == Session.Status.SCHEDULED
        and offering.status == Offering.Status.PUBLISHED
        and not (session.ends_at and session.ends_at <= now)
        and access.can(actor, "assign", session)
    )
    panel = {
        "session": session,
        "capacity": session.capacity,
        "taken": counts["taken"],
        "seats_left": seats_left,
        "waitlist_length": counts["waiting"],
        "mine": active,
        "last": mine if active is None else None,
        "required": bool(active and active.assigned),
        "closed_reason": reason,
        "can_register": active is None and not reason and access.can(actor, "register", session),
        "will_waitlist": seats_left == 0,
        "needs_approval": offering.approval != Offering.Approval.NONE,
        "approval_label": offering.get_approval_display(),
        "can_cancel": active is not None and may_cancel_now(actor, active, now),
        "cancel_by": session.cancel_by,
        "opens": session.registration_opens,
        "closes": session.registration_closes,
        "can_see_roster": access.can(actor, "attend", session),
        "can_assign": can_assign,
    }
    return panel


# --- my learning -----------------------------------------------------------------------------


@dataclass
class Learning:
    required: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)
    awaiting: list = field(default_factory=list)
    waitlisted: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.required or self.upcoming or self.awaiting or self.waitlisted)


def _current_q(now) -> Q:
    return Q(status__in=services.CANCELLABLE) & (
        Q(session__ends_at__isnull=True) | Q(session__ends_at__gt=now)
    )


def my_learning(actor: Actor) -> Learning:
    """The person's current registrations: required first, then registered, awaiting
    approval, and waitlisted with their place, each soonest first."""
    now = timezone.now()
    regs = (
        Registration.objects.filter(staff=actor.staff)
        .filter(_current_q(now))
        .select_related("session__offering", "assigned_by")
        .prefetch_related("assigned_by__staff_records")
        .order_by("session__starts_at", "id")
    )
    out = Learning()
    for reg in regs:
        if reg.status == Status.WAITLISTED:
            out.waitlisted.append(reg)
        elif reg.status == Status.REQUESTED:
            out.awaiting.append(reg)
        elif reg.assigned:
            out.required.append(reg)
        else:
            out.upcoming.append(reg)
    return out


def my_past_learning(actor: Actor) -> QuerySet:
    """Finished, cancelled and denied registrations, latest first."""
    now = timezone.now()
    return (
        Registration.objects.filter(staff=actor.staff)
        .exclude(_current_q(now))
        .select_related("session__offering")
        .order_by("-session__starts_at", "-id")
    )


# --- approvals and rosters -------------------------------------------------------------------


def approvals_for(actor: Actor) -> QuerySet:
    """Requests waiting for this person's decision (the rule is `rules.approves`)."""
    qs = (
        access.visible(actor, Registration)
        .filter(status=Status.REQUESTED)
        .exclude(staff=actor.staff)
        .select_related("staff", "school", "program", "session__offering")
        .order_by("created_at", "id")
    )
    if actor.is_district_admin:
        return qs
    mine = Q(school_id__in=actor.approving_school_ids) | Q(
        school__isnull=True, program_id__in=actor.directed_program_ids
    )
    # A school leader's own request goes to a principal, not to an assistant principal.
    led_by_author = author_leads_school(actor.today) & ~Q(school_id__in=actor.principal_school_ids)
    return (
        qs.filter(session__offering__approval=Offering.Approval.SUPERVISOR)
        .filter(mine)
        .exclude(led_by_author)
    )


ROSTER_ORDER = {
    Status.REGISTERED: 0,
    Status.REQUESTED: 1,
    Status.COMPLETED: 2,
    Status.INCOMPLETE: 3,
    Status.WAITLISTED: 4,
    Status.DENIED: 5,
    Status.CANCELLED: 6,
}


def session_roster(session: Session) -> list[Registration]:
    """Every registration of the session: seats first (by name), then the waitlist in order,
    then denied and cancelled. The caller has checked who may see it."""
    regs = list(
        Registration.objects.filter(session=session)
        .select_related("staff", "school", "program", "assigned_by")
        .prefetch_related("assigned_by__staff_records")
    )

    def key(r: Registration):
        place = r.position or 0 if r.status == Status.WAITLISTED else 0
        return (ROSTER_ORDER[r.status], place, r.staff.last_name, r.staff.first_name, r.pk)

    return sorted(regs, key=key)


# --- calendar feeds -------------------------------------------------------------------------


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed for a token (the caller runs without a district scope)."""
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("staff", "district").filter(token=token).first()


def feed_registrations(feed: CalendarFeed) -> list[Registration]:
    """The person's active registrations in sessions not cancelled, with their timed
    meetings, from a year back on."""
    since = timezone.now() - timedelta(days=365)
    return list(
        Registration.objects.filter(
            district=feed.district_id,
            staff=feed.staff_id,
            status__in=Registration.ACTIVE,
            session__status__in=[Session.Status.SCHEDULED, Session.Status.CLOSED],
        )
        .filter(Q(session__ends_at__isnull=True) | Q(session__ends_at__gte=since))
        .select_related("session__offering", "session__district")
        .prefetch_related(
            Prefetch(
                "session__meetings",
                Meeting.objects.filter(starts_at__isnull=False).order_by("starts_at", "id"),
            )
        )
        .order_by("session__starts_at", "id")
    )
