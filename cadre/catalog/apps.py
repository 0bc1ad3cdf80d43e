from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cadre.catalog"
    label = "catalog"

    def ready(self) -> None:
        from cadre.catalog import homes, rules  # noqa: F401  (registers access rules and homes)
