from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "steward.incidents"
    label = "incidents"
    verbose_name = "Incident management"

    def ready(self):
        from steward.core.registry import DemoStep, register_demo
        from steward.incidents import demo, jobs, registrations, sla  # noqa: F401

        register_demo(DemoStep("incidents", demo.load, order=60))
        sla.register()
        sla.register_gaps()
