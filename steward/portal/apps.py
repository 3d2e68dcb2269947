from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "steward.portal"
    label = "portal"
    verbose_name = "Self-service portal"

    def ready(self):
        pass  # the registration call (core.practices.register_practice) goes here
