from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cadre.catalog"
    label = "catalog"

    def ready(self) -> None:
        from cadre.catalog import homes, rules  # noqa: F401  (registers access rules and homes)
        from cadre.catalog.demo import build
        from cadre.districts.demo import STEPS

        if build not in STEPS:
            STEPS.append(build)
