from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "steward.incidents"
    label = "incidents"
    verbose_name = "Incident management"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry, SearchProvider
        from steward.incidents import demo, jobs, kpis, mail_events, sla  # noqa: F401  (jobs: Huey's tasks)
        from steward.incidents import registrations as r

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})

        def is_it(user):
            return user.is_it

        register_practice(
            Practice(
                key="incidents",
                name=_("Incidents"),
                description=_("Restore normal service quickly: log, hand over and resolve."),
                brings=[
                    _("The incident queue, incident pages and the incident API"),
                    _("Handovers between groups with acceptance targets, major incidents"),
                    _("Incidents in the search box and on the start page"),
                ],
                depends_on=["service_levels"],
                process_key="incident",
                on_by_default=True,
                mail_events=mail_events.EVENTS,
                order=70,
                nav=[NavEntry("incidents", _("Incidents"), "incidents:list", order=5)],
                admin=[
                    NavEntry(
                        "priority_matrix",
                        _("Priority matrix"),
                        "incidents:settings_matrix",
                        order=50,
                        visible=lambda user: user.is_admin,
                    ),
                    NavEntry(
                        "incident_categories",
                        _("Incident categories"),
                        "incidents:settings_categories",
                        order=55,
                        visible=lambda user: user.is_admin,
                    ),
                ],
                search=[SearchProvider("incidents", _("Incidents"), r.search_incidents, order=5)],
                home_panels=[
                    HomePanel(
                        "incidents_handovers_waiting",
                        _("Handovers waiting for my groups"),
                        r.handovers_waiting,
                        order=1,
                        more_url="incidents:handovers",
                        empty=_("No handover is waiting for your groups."),
                        visible=is_it,
                        waiting=True,
                    ),
                    HomePanel(
                        "incidents_my_work",
                        _("My work"),
                        r.my_work,
                        order=5,
                        more_url="incidents:list",
                        more_query="queue=mine",
                        empty=_("Nothing is assigned to you."),
                        visible=is_it,
                    ),
                    HomePanel(
                        "incidents_my_groups",
                        _("My groups' open incidents"),
                        r.my_groups,
                        order=6,
                        more_url="incidents:list",
                        more_query="queue=my_groups",
                        empty=_("Your groups have no open incidents."),
                        visible=is_it,
                    ),
                    HomePanel(
                        "incidents_mine",
                        _("My incidents"),
                        r.my_incidents,
                        order=5,
                        more_url="incidents:list",
                        empty=_("You have no open incidents."),
                        visible=lambda user: not user.is_it,
                    ),
                ],
                gaps=sla.GAP_PROVIDERS,
                tracked_types=[sla.TRACKED_TYPE],
                kpis=kpis.KPIS,
                demo=[DemoStep("incidents", demo.load, order=60)],
            )
        )
