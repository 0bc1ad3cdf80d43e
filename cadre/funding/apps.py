from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "cadre.funding"
    label = "funding"

    def ready(self) -> None:
        from cadre.funding import homes, rules  # noqa: F401  (registers access rules and homes)
