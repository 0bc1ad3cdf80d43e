from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadre.audit"
    label = "audit"

    def ready(self) -> None:
        from cadre.audit import rules  # noqa: F401  (registers the access rules)
