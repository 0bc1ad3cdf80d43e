from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "cadre.collaboration"
    label = "collaboration"

    def ready(self) -> None:
        # Registers the access rules, the home section and navigation, and the transcript's
        # group-meeting lines.
        from cadre.collaboration import homes, rules, transcript  # noqa: F401
        from cadre.collaboration.demo import build
        from cadre.districts.demo import STEPS

        if build not in STEPS:
            STEPS.append(build)
