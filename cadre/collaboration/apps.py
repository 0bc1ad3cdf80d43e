from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "cadre.collaboration"
    label = "collaboration"

    def ready(self) -> None:
        from cadre.collaboration import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.collaboration.demo import build
        from cadre.districts.demo import STEPS

        if build not in STEPS:
            STEPS.append(build)
