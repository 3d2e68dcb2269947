from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlmConfig(AppConfig):
    name = "steward.slm"
    label = "slm"
    verbose_name = "Service level management"

    def ready(self):
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, DetailPanel, NavEntry
        from steward.slm import demo, gaps, jobs, panels  # noqa: F401  (jobs: Huey's tasks)

        register_practice(
            Practice(
                key="service_levels",
                app="slm",
                name=_("Service levels"),
                description=_(
                    "Agree service levels with customers (SLAs) and between groups (OLAs), "
                    "and keep every ticket's clocks on business calendars."
                ),
                brings=[
                    _("Business calendars, SLA and OLA definitions with their sign-off"),
                    _("Response and resolution clocks with warnings before a breach"),
                    _("The compliance report and the SLAs on each service's page"),
                ],
                process_key="service_level",
                on_by_default=True,
                order=60,
                nav=[
                    NavEntry(
                        "sla",
                        _("Service levels"),
                        "slm:compliance",
                        order=60,
                        visible=lambda user: user.is_authenticated and user.is_it,
                    )
                ],
                detail_panels=[
                    DetailPanel(
                        "slm.service_slas",
                        "services.service",
                        "slm/service_slas.html",
                        panels.service_slas,
                        order=50,
                    )
                ],
                gaps=gaps.PROVIDERS,
                demo=[DemoStep("slm", demo.load, order=40)],
            )
        )
