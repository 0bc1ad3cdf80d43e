"""Who sees and decides professional goals and ISD requests.

- The author sees their own, and acts on them as the workflow allows.
- The school's principal and assistant principals see their school's staff's; the program
  director sees their program staff's; district administrators see all.
- The principal decides for school staff (assistant principals too where the district
  delegates), the director for program staff, and administrators for anyone, such as a
  principal's own goals. Nobody decides their own.
- The business office records reimbursements.
"""

from django.db.models import Q

from cadre.districts import access
from cadre.districts.access import Actor
from cadre.growth.models import IsdAllotment, IsdAttachment, IsdRequest, ProfessionalGoal


def supervised_q(actor: Actor, prefix: str = "") -> Q:
    if actor.is_district_admin:
        return Q()
    return Q(**{f"{prefix}staff_id": actor.staff.pk}) | actor.unit_q(prefix)


def is_author(actor: Actor, obj=None) -> bool:
    return obj is not None and obj.staff_id == actor.staff.pk


def decides(actor: Actor, obj=None) -> bool:
    if obj is None:
        return actor.is_district_admin or bool(
            actor.approving_school_ids or actor.directed_program_ids
        )
    return not is_author(actor, obj) and actor.approves_for(obj.school_id, obj.program_id)


def reimburses(actor: Actor, obj=None) -> bool:
    return actor.is_business_office or actor.is_district_admin


def _anyone(actor: Actor, obj=None) -> bool:
    return True


def _admin(actor: Actor, obj=None) -> bool:
    return actor.is_district_admin


access.register(
    ProfessionalGoal,
    visible=lambda actor, qs: qs.filter(supervised_q(actor)),
    rules={
        "list": _anyone,
        "view": _anyone,
        "create": _anyone,
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
        "list": _anyone,
        "view": _anyone,
        "create": _anyone,
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
    rules={"view": _anyone},
)
access.register(
    IsdAllotment,
    visible=lambda actor, qs: qs,
    rules={"list": _anyone, "view": _anyone, "create": _admin, "change": _admin},
)
