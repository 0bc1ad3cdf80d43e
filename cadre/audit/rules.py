from cadre.audit.models import AuditEvent
from cadre.districts import access


def _admin(actor, obj=None) -> bool:
    return actor.is_district_admin


access.register(
    AuditEvent,
    visible=lambda actor, qs: qs if actor.is_district_admin else qs.none(),
    rules={"list": _admin, "view": _admin},
)
