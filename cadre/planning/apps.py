from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "cadre.planning"
    label = "planning"

    def ready(self) -> None:
        from cadre.districts.demo import STEPS
        from cadre.planning import homes, rules  # noqa: F401  (registers rules, home, nav)
        from cadre.planning.demo import build

        if build not in STEPS:
            STEPS.append(build)
