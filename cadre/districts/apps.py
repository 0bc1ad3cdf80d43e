from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    name = "cadre.districts"
    label = "districts"

    def ready(self) -> None:
        from cadre.core import actors
        from cadre.districts import access, homes  # noqa: F401  (registers the nav)

        actors.actor_for.plug(access.actor_for)
        actors.districts_for.plug(access.districts_for)
        actors.require.plug(access.require)
