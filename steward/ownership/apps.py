from django.apps import AppConfig


class OwnershipConfig(AppConfig):
    name = "steward.ownership"
    label = "ownership"
    verbose_name = "Ownership: processes, RACI and gaps"

    def ready(self):
        from steward.core.registry import DemoStep, register_demo
        from steward.ownership import demo, registrations  # noqa: F401

        register_demo(DemoStep("ownership", demo.load, order=30))
