from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    name = "cadre.districts"
    label = "districts"
