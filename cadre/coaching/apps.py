from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "cadre.coaching"
    label = "coaching"

    def ready(self) -> None:
        from cadre.coaching import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.coaching.demo import build
        from cadre.districts.demo import STEPS

        if build not in STEPS:
            STEPS.append(build)
