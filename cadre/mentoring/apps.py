from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "cadre.mentoring"
    label = "mentoring"

    def ready(self) -> None:
        from cadre.districts import serializers
        from cadre.districts.demo import STEPS
        from cadre.mentoring import homes, rules, selectors  # noqa: F401  (registers access rules and homes)
        from cadre.mentoring.demo import build

        serializers.staff_eligibility.plug(selectors.staff_eligibility)
        serializers.with_support.plug(selectors.with_current_support)

        if build not in STEPS:
            STEPS.append(build)
