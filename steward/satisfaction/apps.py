from django.apps import AppConfig


class SatisfactionConfig(AppConfig):
    name = "steward.satisfaction"
    label = "satisfaction"
    verbose_name = "Satisfaction"

    def ready(self):
        pass  # the registration call (core.practices.register_practice) goes here
