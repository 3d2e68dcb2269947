from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "steward.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        from steward.core.registry import DemoStep, register_demo
        from steward.people import demo, registrations  # noqa: F401

        register_demo(DemoStep("people", demo.load, order=10))
