"""Who sees and does what in the catalogue.

- Published and archived offerings, their sessions and the partners are seen by everyone in the
  district. A draft is seen by those who manage it and its facilitators.
- An offering is managed by the district's administrators (the PD office), or, when a school or
  program runs it, by that school's leaders or that program's director. Managers edit the
  offering, its sessions and meetings, and close or cancel sessions.
- Facilitators (of the offering or the session) take attendance.
- A registration is seen by the registrant, their school's leaders or program director, the
  session's facilitators and the offering's managers, and administrators. It is approved by
  whom the offering names: the registrant's principal or director, or the district PD office.
  Nobody approves their own.
- Principals and directors assign a session to their school's or program's staff.
- External hours follow professional goals: the author's supervisor approves them.
- A calendar feed is its owner's alone.
"""

from django.db.models import Q, QuerySet

from cadre.catalog.models import (
    Attendance,
    CalendarFeed,
    Completion,
    ExternalHours,
    FocusArea,
    Meeting,
    Offering,
    Partner,
    PartnerAgreement,
    PartnerContact,
    Registration,
    Session,
    SessionAssignment,
)
from cadre.districts import access
from cadre.districts.access import Actor, admin, anyone, leader
from cadre.growth.rules import decides, is_author, supervised_q


def managed_q(actor: Actor, prefix: str = "") -> Q:
    """Offerings this person manages (with `prefix` leading to the offering)."""
    if actor.is_district_admin:
        return Q()
    return actor.unit_q(prefix)


def manages(actor: Actor, offering: Offering | None) -> bool:
    if offering is None:
        return leader(actor)
    return (
        actor.leads(offering.school_id, offering.program_id)
        if (offering.school_id or offering.program_id)
        else actor.is_district_admin
    )


def facilitated_q(actor: Actor, prefix: str = "") -> Q:
    """Sessions this person facilitates (with `prefix` leading to the session)."""
    me = actor.staff.pk
    return Q(
        **{
            f"{prefix}pk__in": Session.objects.filter(
                Q(facilitators=me) | Q(offering__facilitators=me)
            ).values("pk")
        }
    )


def facilitates(actor: Actor, session: Session) -> bool:
    me = actor.staff.pk
    return (
        Session.objects.filter(pk=session.pk)
        .filter(Q(facilitators=me) | Q(offering__facilitators=me))
        .exists()
    )


def visible_offerings(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_district_admin:
        return qs
    me = actor.staff.pk
    facilitated = Session.objects.filter(facilitators=me).values("offering_id")
    return qs.filter(
        ~Q(status=Offering.Status.DRAFT)
        | managed_q(actor)
        | Q(pk__in=Offering.objects.filter(facilitators=me).values("pk"))
        | Q(pk__in=facilitated)
    )


def _visible_sessions(actor: Actor, qs: QuerySet) -> QuerySet:
    if actor.is_district_admin:
        return qs
    return qs.filter(offering__in=visible_offerings(actor, Offering.objects.all()))


def _manages_session(actor: Actor, obj=None) -> bool:
    return manages(actor, obj.offering if obj is not None else None)


def takes_attendance(actor: Actor, obj=None) -> bool:
    """The session's or offering's facilitators and its managers."""
    if obj is None:
        return True
    session = obj.session if isinstance(obj, Meeting) else obj
    return manages(actor, session.offering) or facilitates(actor, session)


def assigns_to(actor: Actor, obj=None) -> bool:
    """Assigns a session to the staff of a school or a program they lead. An assignment that
    names both or neither is the service's to refuse, with its own message."""
    if obj is None:
        return leader(actor)
    if (obj.school_id is None) == (obj.program_id is None):
        return True
    return actor.leads(obj.school_id, obj.program_id)


def registrations_q(actor: Actor, prefix: str = "") -> Q:
    """Registrations this person sees (with `prefix` leading to the registration)."""
    if actor.is_district_admin:
        return Q()
    return (
        Q(**{f"{prefix}staff_id": actor.staff.pk})
        | actor.unit_q(prefix)
        | managed_q(actor, f"{prefix}session__offering__")
        | facilitated_q(actor, f"{prefix}session__")
    )


def approves(actor: Actor, obj=None) -> bool:
    """The approver the offering names; never the registrant themself."""
    if obj is None:
        return decides(actor)
    if is_author(actor, obj):
        return False
    approval = obj.session.offering.approval
    if approval == Offering.Approval.DISTRICT:
        return actor.is_district_admin
    return decides(actor, obj)


def cancels(actor: Actor, obj=None) -> bool:
    """The registrant (unless the seat is required of them), the offering's managers, or
    whoever decides for the registrant."""
    if obj is None:
        return True
    if manages(actor, obj.session.offering) or decides(actor, obj):
        return True
    return is_author(actor, obj) and not obj.assigned


access.register(
    FocusArea,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
access.register(
    Partner,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
access.register(
    PartnerContact,
    visible=lambda actor, qs: qs,
    rules={"view": anyone, "create": admin, "change": admin},
)
access.register(
    PartnerAgreement,
    # Costs and terms are for those who plan spending.
    visible=lambda actor, qs: qs if leader(actor) or actor.is_business_office else qs.none(),
    rules={"list": leader, "view": leader, "create": admin, "change": admin},
)
access.register(
    Offering,
    visible=visible_offerings,
    rules={
        "list": anyone,
        "view": anyone,
        "create": leader,
        "change": lambda actor, obj=None: manages(actor, obj),
    },
)
access.register(
    Session,
    visible=_visible_sessions,
    rules={
        "list": anyone,
        "view": anyone,
        "create": leader,
        "change": _manages_session,
        "attend": takes_attendance,
        "assign": leader,  # to the staff of the schools and programs one leads
        "register": anyone,
    },
)
access.register(
    Meeting,
    visible=lambda actor, qs: qs.filter(
        session__in=_visible_sessions(actor, Session.objects.all())
    ),
    rules={
        "view": anyone,
        "change": lambda actor, obj=None: _manages_session(actor, obj.session if obj else None),
        "attend": takes_attendance,
    },
)
access.register(
    Registration,
    visible=lambda actor, qs: qs.filter(registrations_q(actor)),
    rules={
        "list": anyone,
        "view": anyone,
        "create": anyone,
        "cancel": cancels,
        "approve": approves,
        "deny": approves,
        # attendance: the registrant attests modules; the offering's managers re-evaluate.
        "attest": is_author,
        # The money a seat holds: for those who plan or pay for it, not for facilitators.
        "see_ledger": lambda actor, obj=None: (
            actor.is_business_office
            or decides(actor, obj)
            or manages(actor, obj.session.offering if obj else None)
        ),
        "evaluate": lambda actor, obj=None: manages(actor, obj.session.offering if obj else None),
    },
)
access.register(
    Attendance,
    visible=lambda actor, qs: qs.filter(registrations_q(actor, "registration__")),
    rules={"list": anyone, "view": anyone},
)
access.register(
    Completion,
    visible=lambda actor, qs: qs.filter(registrations_q(actor, "registration__")),
    rules={"list": anyone, "view": anyone},
)
access.register(
    ExternalHours,
    visible=lambda actor, qs: qs.filter(supervised_q(actor)),
    rules={
        "list": anyone,
        "view": anyone,
        "create": anyone,
        "change": is_author,
        "submit": is_author,
        "withdraw": is_author,
        "approve": decides,
        "return": decides,
    },
)
access.register(
    CalendarFeed,
    visible=lambda actor, qs: qs.filter(staff=actor.staff),
    rules={"view": lambda actor, obj=None: obj is None or obj.staff_id == actor.staff.pk},
)
access.register(
    SessionAssignment,
    # An empty Q() joined by | vanishes, so administrators are answered first.
    visible=lambda actor, qs: (
        qs
        if actor.is_district_admin
        else qs.filter(actor.unit_q() | managed_q(actor, "session__offering__"))
    ),
    rules={"list": anyone, "view": anyone, "create": assigns_to},
)
