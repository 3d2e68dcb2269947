from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "steward.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import (
            DemoStep,
            DetailPanel,
            FormPanel,
            HomePanel,
            NavEntry,
            SearchProvider,
        )
        from steward.knowledge import demo, jobs, kpis, panels  # noqa: F401 (jobs: the worker's tasks)
        from steward.knowledge import registrations as r
        from steward.knowledge.choices import FlagReason, FlagStatus, LinkKind

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})
        journal.describe_choices(
            "knowledge.article",
            reason=FlagReason.choices,
            flag_status=FlagStatus.choices,
            kind=LinkKind.choices,
        )
        # a link is journaled on the incident too, with its kind
        journal.describe_choices("incidents.incident", kind=LinkKind.choices)

        def is_it(user):
            return user.is_authenticated and user.is_it

        def signed_in(user):
            return user.is_authenticated

        register_practice(
            Practice(
                key="knowledge",
                name=_("Knowledge"),
                description=_(
                    "Knowledge as everyone's work (KCS): articles captured while incidents are "
                    "solved, suggested while people type, improved by whoever uses them, and "
                    "measured for reuse and quality."
                ),
                brings=[
                    _("Articles with KCS confidence, audiences, versions and licences"),
                    _("Suggestions while an incident is typed, and the portal's search"),
                    _("Flags, coaching with the quality checklist, and the knowledge measures"),
                ],
                depends_on=["incidents"],
                process_key="knowledge",
                on_by_default=True,
                order=78,
                nav=[
                    NavEntry(
                        "knowledge", _("Knowledge"), "knowledge:list", order=5, visible=signed_in
                    )
                ],
                search=[SearchProvider("knowledge", _("Knowledge"), r.search_articles, order=5)],
                home_panels=[
                    HomePanel(
                        "knowledge_mine",
                        _("My knowledge work"),
                        r.my_knowledge_work,
                        order=9,
                        more_url="knowledge:list",
                        more_query="queue=mine",
                        empty=_("No article of yours needs attention."),
                        visible=is_it,
                    )
                ],
                detail_panels=[
                    DetailPanel(
                        "knowledge.incident_articles",
                        "incidents.incident",
                        "knowledge/includes/incident_articles_panel.html",
                        panels.incident_articles,
                        order=5,
                    ),
                    DetailPanel(
                        "knowledge.problem_article",
                        "problems.problem",
                        "knowledge/includes/problem_article_panel.html",
                        panels.problem_article,
                        order=20,
                    ),
                ],
                form_panels=[
                    FormPanel(
                        "knowledge.suggestions",
                        "incidents.incident",
                        "knowledge:suggest",
                        fields=("title", "description", "service", "affected_ci"),
                        order=5,
                        visible=is_it,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                kpis=kpis.KPIS,
                demo=[DemoStep("knowledge", demo.load, order=68)],
            )
        )
