from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cadre.funding"
    label = "funding"

    def ready(self) -> None:
        from cadre.districts.demo import STEPS
        from cadre.funding import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.funding.demo import build

        if build not in STEPS:
            STEPS.append(build)
