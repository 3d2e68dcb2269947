from django.apps import AppConfig


class SlmConfig(AppConfig):
    name = "steward.slm"
    label = "slm"
    verbose_name = "Service level management"

    def ready(self):
        from steward.core.registry import DemoStep, register_demo
        from steward.slm import demo, gaps, jobs, panels, registrations  # noqa: F401

        register_demo(DemoStep("slm", demo.load, order=40))
        gaps.register()
        panels.register()
