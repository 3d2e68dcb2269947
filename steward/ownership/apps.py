from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnershipConfig(AppConfig):
    name = "steward.ownership"
    label = "ownership"
    verbose_name = "Ownership: processes, RACI and gaps"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry
        from steward.ownership import demo, gaps
        from steward.ownership import registrations as r

        journal.describe(r.JOURNAL_WORDS)

        def is_it(user):
            return user.is_it

        register_practice(
            Practice(
                key="ownership",
                name=_("Ownership"),
                description=_("Processes and their owners, RACI matrices, ownership gaps."),
                switchable=False,
                order=40,
                nav=[
                    NavEntry(
                        "processes",
                        _("Processes"),
                        "ownership:process_list",
                        order=30,
                        visible=is_it,
                    ),
                    NavEntry(
                        "ownership_gaps",
                        _("Ownership gaps"),
                        "ownership:gaps",
                        order=31,
                        visible=is_it,
                    ),
                    NavEntry(
                        "practices",
                        _("Practices"),
                        "practices:list",
                        order=90,
                        visible=lambda user: user.is_admin,
                    ),
                ],
                home_panels=[
                    HomePanel(
                        "ownership_needs_me",
                        _("Ownership gaps that need me"),
                        r.gaps_that_need_me,
                        order=15,
                        more_url="ownership:mine",
                        empty=_("Nothing you own is missing an owner."),
                        visible=is_it,
                    )
                ],
                gaps=gaps.PROVIDERS,
                demo=[DemoStep("ownership", demo.load, order=30)],
            )
        )
