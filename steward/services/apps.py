from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "steward.services"
    label = "services"
    verbose_name = "Services"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry, SearchProvider
        from steward.services import demo
        from steward.services import registrations as r

        journal.describe(r.JOURNAL_WORDS)

        register_practice(
            Practice(
                key="services",
                name=_("Services and CMDB"),
                description=_("The service portfolio, service owners and configuration items."),
                switchable=False,
                order=30,
                nav=[
                    NavEntry("services", _("Services"), "services:list", order=20),
                    NavEntry(
                        "cmdb",
                        _("CMDB"),
                        "cmdb:list",
                        order=21,
                        visible=lambda user: user.is_it,
                    ),
                ],
                search=[SearchProvider("services", _("Services"), r.search_services, order=10)],
                home_panels=[
                    HomePanel(
                        "services_proposed_to_me",
                        _("Services proposed to me"),
                        r.proposals_to_me,
                        order=2,
                        empty=_("No service ownership waits for your answer."),
                        visible=lambda user: user.is_it,
                        waiting=True,
                    ),
                    HomePanel(
                        "services_i_own",
                        _("Services I own"),
                        r.services_i_own,
                        order=10,
                        more_url="services:list",
                        empty=_("You own no services."),
                        visible=lambda user: user.is_it,
                    ),
                    HomePanel(
                        "our_services",
                        _("Services for my organization"),
                        r.services_for_my_organization,
                        order=10,
                        more_url="services:list",
                        empty=_("No live services are recorded for your organization."),
                        visible=lambda user: not user.is_it,
                    ),
                ],
                demo=[DemoStep("services", demo.load, order=20)],
            )
        )
