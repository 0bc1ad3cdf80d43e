from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cadre.mentoring"
    label = "mentoring"

    def ready(self) -> None:
        from cadre.districts.demo import STEPS
        from cadre.mentoring import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.mentoring.demo import build

        if build not in STEPS:
            STEPS.append(build)
