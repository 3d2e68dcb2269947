from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProblemsConfig(AppConfig):
    name = "steward.problems"
    label = "problems"
    verbose_name = "Problem management"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import (
            BulkAction,
            DemoStep,
            DetailPanel,
            FormPanel,
            HomePanel,
            NavEntry,
            SearchProvider,
        )
        from steward.problems import demo, kpis
        from steward.problems import registrations as r
        from steward.problems.choices import CauseCategory, RcaMethod

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})
        journal.describe_choices(
            "problems.problem", method=RcaMethod.choices, causes=CauseCategory.choices
        )

        def is_it(user):
            return user.is_authenticated and user.is_it

        register_practice(
            Practice(
                key="problems",
                name=_("Problems"),
                description=_(
                    "Stop incidents from recurring: find root causes, publish known errors "
                    "with workarounds, and spot trends."
                ),
                brings=[
                    _("Problem pages and the problem API, with root cause analysis"),
                    _("Known errors with workarounds on matching incidents"),
                    _("The trends report: top services, CIs and recurring incidents"),
                ],
                depends_on=["incidents"],
                process_key="problem",
                on_by_default=True,
                order=75,
                nav=[NavEntry("problems", _("Problems"), "problems:list", order=6, visible=is_it)],
                search=[SearchProvider("problems", _("Problems"), r.search_problems, order=6)],
                home_panels=[
                    HomePanel(
                        "problems_mine",
                        _("My problems"),
                        r.my_problems,
                        order=7,
                        more_url="problems:list",
                        more_query="queue=mine",
                        empty=_("You own no open problem."),
                        visible=is_it,
                    )
                ],
                detail_panels=[
                    DetailPanel(
                        "problems.known_errors",
                        "incidents.incident",
                        "problems/includes/known_errors_panel.html",
                        r.known_error_panel,
                        order=10,
                    )
                ],
                form_panels=[
                    FormPanel(
                        "problems.known_errors",
                        "incidents.incident",
                        "problems:known_errors_matching",
                        fields=("service", "affected_ci"),
                        visible=is_it,
                    )
                ],
                bulk_actions=[
                    BulkAction(
                        "problems.from_incidents",
                        "incidents.incident",
                        _("Problem"),
                        _("Open a problem from these"),
                        "problems:from_incidents",
                        help=_(
                            "Opens the new problem form filled in from the selected "
                            "incidents, which it links when you save it."
                        ),
                        visible=is_it,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                kpis=kpis.KPIS,
                demo=[DemoStep("problems", demo.load, order=65)],
            )
        )
