from cadre.audit.models import AuditEvent
from cadre.districts import access
from cadre.districts.access import admin

access.register(
    AuditEvent,
    visible=lambda actor, qs: qs if actor.is_district_admin else qs.none(),
    rules={"list": admin, "view": admin},
)
