"""Who sees and decides professional goals and ISD requests.

- The author sees their own, and acts on them as the workflow allows.
- The school's principal and assistant principals see their school's staff's; the program
  director sees their program staff's; district administrators see all.
- The principal decides for school staff (assistant principals too where the district
  delegates), the director for program staff, and administrators for anyone, such as a
  principal's own goals. An assistant principal never decides for a leader of their school.
  Nobody decides their own.
- The business office records reimbursements, never of their own requests.
"""

from django.db.models import Exists, OuterRef, Q

from cadre.districts import access
from cadre.districts.access import Actor, admin, anyone
from cadre.districts.models import Assignment, Role
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal


def supervised_q(actor: Actor, prefix: str = "") -> Q:
    if actor.is_district_admin:
        return Q()
    return Q(**{f"{prefix}staff_id": actor.staff.pk}) | actor.unit_q(prefix)


def is_author(actor: Actor, obj=None) -> bool:
    return obj is not None and obj.staff_id == actor.staff.pk


LEADER_ROLES = (Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL)


def author_leads_school(today, prefix: str = "") -> Exists:
    """The author is a principal or assistant principal of the school the item belongs to."""
    return Exists(
        Assignment.objects.filter(
            staff_id=OuterRef(f"{prefix}staff_id"),
            school_id=OuterRef(f"{prefix}school_id"),
            role__in=LEADER_ROLES,
        ).current(today)
    )


def decides(actor: Actor, obj=None) -> bool:
    if obj is None:
        return actor.is_district_admin or bool(
            actor.approving_school_ids or actor.directed_program_ids
        )
    if is_author(actor, obj) or not actor.approves_for(obj.school_id, obj.program_id):
        return False
    if actor.is_district_admin or not obj.school_id:
        return True
    # A school leader's own goals and requests go to a principal, never to an assistant.
    return (
        obj.school_id in actor.principal_school_ids
        or not Assignment.objects.filter(
            staff_id=obj.staff_id, school_id=obj.school_id, role__in=LEADER_ROLES
        )
        .current(actor.today)
        .exists()
    )


def reimburses(actor: Actor, obj=None) -> bool:
    if obj is not None and is_author(actor, obj):
        return False  # someone else pays out one's own request
    return actor.is_business_office or actor.is_district_admin


access.register(
    ProfessionalGoal,
    visible=lambda actor, qs: qs.filter(supervised_q(actor)),
    rules={
        "list": anyone,
        "view": anyone,
        "create": anyone,
        "change": is_author,
        "submit": is_author,
        "withdraw": is_author,
        "reflect": is_author,
        "approve": decides,
        "return": decides,
    },
)


def _requests_visible(prefix: str = ""):
    # The business office pays reimbursements, so it sees every request and its receipts.
    def visible(actor: Actor, qs):
        return qs if actor.is_business_office else qs.filter(supervised_q(actor, prefix))

    return visible


access.register(
    IsdRequest,
    visible=_requests_visible(),
    rules={
        "list": anyone,
        "view": anyone,
        "create": anyone,
        "attach": is_author,
        "complete": is_author,
        "cancel": lambda actor, obj=None: is_author(actor, obj) or decides(actor, obj),
        "approve": decides,
        "deny": decides,
        "reimburse": reimburses,
    },
)
access.register(
    IsdAttachment,
    visible=_requests_visible("request__"),
    rules={"view": anyone},
)
access.register(
    IsdAllotment,
    visible=lambda actor, qs: qs,
    rules={"list": anyone, "view": anyone, "create": admin, "change": admin},
)
