from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "cadre.collaboration"
    label = "collaboration"

    def ready(self) -> None:
        from cadre.collaboration import rules  # noqa: F401  (registers access rules)
