from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadre.audit"
    label = "audit"

    def ready(self) -> None:
        from cadre.audit import homes, rules  # noqa: F401  (registers access rules, home, nav)
        from cadre.audit.models import AuditEvent
        from cadre.audit.services import audit_event, audit_many
        from cadre.core import trail

        trail.record.plug(audit_event)
        trail.record_many.plug(audit_many)
        trail.table.plug(lambda: AuditEvent._meta.db_table)
