from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "cadre.coaching"
    label = "coaching"

    def ready(self) -> None:
        from cadre.coaching import rules  # noqa: F401  (registers access rules)
