from django.apps import AppConfig


class FulfilmentConfig(AppConfig):
    name = "steward.fulfilment"
    label = "fulfilment"
    verbose_name = "Request fulfilment"

    def ready(self):
        pass  # the registration call (core.practices.register_practice) goes here
