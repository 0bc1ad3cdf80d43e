from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "cadre.growth"
    label = "growth"

    def ready(self) -> None:
        from cadre.districts.demo import STEPS
        from cadre.growth import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.growth.demo import build

        if build not in STEPS:
            STEPS.append(build)
