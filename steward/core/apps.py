from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = "Steward core"

    def ready(self):
        from steward.core import converters  # noqa: F401  registers <id:...> for the URLconfs
