from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "steward.services"
    label = "services"
    verbose_name = "Services"

    def ready(self):
        from steward.core.registry import DemoStep, register_demo
        from steward.services import demo, registrations  # noqa: F401

        register_demo(DemoStep("services", demo.load, order=20))
