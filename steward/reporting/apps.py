from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "steward.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import NavEntry

        register_practice(
            Practice(
                key="reporting",
                name=_("Reporting"),
                description=_(
                    "KPIs computed from the records and their journal, registered by each "
                    "practice: figures, trends and the records behind them."
                ),
                brings=[
                    _("The KPI catalogue and a page per KPI with its chart and figures"),
                    _("GET /api/v1/kpis and /api/v1/kpis/{key} for IT staff"),
                    _(
                        "Dashboards: each person composes their own from KPI widgets, shares "
                        "them with a group, and starts from their role's default"
                    ),
                ],
                on_by_default=True,
                order=90,
                nav=[
                    NavEntry(
                        "kpis",
                        _("KPIs"),
                        "reporting:catalogue",
                        order=70,
                        visible=lambda user: user.is_authenticated and user.is_it,
                    ),
                    NavEntry(
                        "dashboards",
                        _("Dashboards"),
                        "reporting:dashboards",
                        order=69,
                        visible=lambda user: user.is_authenticated and user.is_it,
                    ),
                ],
            )
        )
