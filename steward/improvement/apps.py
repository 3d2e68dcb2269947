from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "steward.improvement"
    label = "improvement"
    verbose_name = "Continual improvement"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, DetailPanel, HomePanel, NavEntry, SearchProvider
        from steward.improvement import demo, jobs  # noqa: F401  (jobs: Huey's tasks)
        from steward.improvement import registrations as r

        journal.describe(r.JOURNAL_WORDS)
        register_practice(
            Practice(
                key="improvement",
                name=_("Continual improvement"),
                description=_(
                    "A register of improvements measured against live KPIs: a frozen baseline, "
                    "a target, actions and a benefits review."
                ),
                brings=[
                    _("The improvement register, its pages and /api/v1/improvements"),
                    _("Anyone proposes, comments and votes; owners see progress on a chart"),
                    _("“Raise an improvement” on a major incident's page"),
                ],
                depends_on=["reporting"],
                process_key=r.PROCESS_KEY,
                on_by_default=True,
                order=95,
                nav=[NavEntry("improvements", _("Improvements"), "improvement:list", order=75)],
                search=[
                    SearchProvider("improvements", _("Improvements"), r.search_items, order=60)
                ],
                home_panels=[
                    HomePanel(
                        "improvements_mine",
                        _("My improvements"),
                        r.my_items,
                        order=40,
                        more_url="improvement:list",
                        more_query="view=mine",
                        empty=_("You own no open improvement."),
                        visible=lambda user: user.is_it,
                    )
                ],
                detail_panels=[
                    DetailPanel(
                        "improvement.raise_from_incident",
                        "incidents.incident",
                        "improvement/incident_panel.html",
                        r.incident_panel,
                        order=80,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                demo=[DemoStep("improvement", demo.load, order=90)],
            )
        )
