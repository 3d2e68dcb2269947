from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlmConfig(AppConfig):
    name = "steward.slm"
    label = "slm"
    verbose_name = "Service level management"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, DetailPanel, HomePanel, NavEntry
        from steward.slm import demo, gaps, jobs, mail_events, panels  # noqa: F401  (jobs: Huey's tasks)
        from steward.slm import registrations as r

        journal.describe(r.JOURNAL_WORDS)

        register_practice(
            Practice(
                key="service_levels",
                app="slm",
                mail_events=mail_events.EVENTS,
                name=_("Service levels"),
                description=_(
                    "Agree service levels with customers (SLAs) and between groups (OLAs), "
                    "and keep every ticket's clocks on business calendars."
                ),
                brings=[
                    _("Business calendars, SLA and OLA definitions with their sign-off"),
                    _("Escalation rules that hand work to the next support line or raise it"),
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
                        "slm:slas",
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
                    ),
                    DetailPanel(
                        "slm.group_calendar",
                        "people.supportgroup",
                        "slm/group_calendar.html",
                        panels.group_calendar,
                        order=50,
                    ),
                ],
                home_panels=[
                    HomePanel(
                        "slm_slas_to_sign",
                        _("SLAs waiting for my sign-off"),
                        r.slas_to_sign,
                        order=3,
                        empty=_("No SLA waits for your sign-off."),
                        visible=lambda user: user.is_it,
                        waiting=True,
                    )
                ],
                gaps=gaps.PROVIDERS,
                demo=[DemoStep("slm", demo.load, order=40)],
            )
        )
