from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "steward.satisfaction"
    label = "satisfaction"
    verbose_name = "Satisfaction"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, DetailPanel, HomePanel, NavEntry
        from steward.satisfaction import demo, jobs, kpis, mail_events, rules  # noqa: F401 (jobs: Huey's)
        from steward.satisfaction import registrations as r

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})

        register_practice(
            Practice(
                key="satisfaction",
                mail_events=mail_events.EVENTS,
                name=_("Satisfaction"),
                description=_(
                    "Ask the people whose ticket was resolved how satisfied they are, follow up "
                    "on low scores, and measure satisfaction by service, group, agent and month."
                ),
                brings=[
                    _("A one-question survey (1–5 and a comment) after each resolved ticket"),
                    _("Follow-ups of low scores for the group's manager"),
                    _("CSAT and response rate in the results page and the KPI catalogue"),
                ],
                depends_on=["incidents"],
                process_key="service_level",
                on_by_default=True,
                order=80,
                nav=[
                    NavEntry(
                        "satisfaction",
                        _("Satisfaction"),
                        "satisfaction:results",
                        order=60,
                        visible=rules.may_view_results,
                    )
                ],
                home_panels=[
                    HomePanel(
                        "satisfaction_surveys",
                        _("Surveys waiting for you"),
                        r.my_surveys,
                        order=3,
                        empty=_("No survey waits for you."),
                        # requesters find theirs on the portal's home, where they land
                        visible=lambda user: user.is_authenticated and user.is_it,
                        waiting=True,
                    ),
                    HomePanel(
                        "satisfaction_follow_ups",
                        _("Low scores to follow up"),
                        r.my_follow_ups,
                        order=4,
                        more_url="satisfaction:follow_ups",
                        empty=_("No low score waits for you."),
                        visible=rules.may_view_follow_ups,
                        waiting=True,
                    ),
                ],
                detail_panels=[
                    DetailPanel(
                        f"satisfaction.{record_type}",
                        record_type,
                        "satisfaction/includes/ticket_panel.html",
                        r.ticket_survey,
                        order=40,
                    )
                    for record_type in ("incidents.incident", "fulfilment.requesteditem")
                ],
                kpis=kpis.KPIS,
                demo=[DemoStep("satisfaction", demo.load, order=85)],
            )
        )
