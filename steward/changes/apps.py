from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "steward.changes"
    label = "changes"
    verbose_name = "Change enablement"

    def ready(self):
        from steward.changes import kpis
        from steward.changes import registrations as r
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import HomePanel, SearchProvider

        def is_it(user):
            return user.is_authenticated and user.is_it

        register_practice(
            Practice(
                key="changes",
                name=_("Changes"),
                description=_(
                    "Plan, authorize and schedule changes by risk, find their conflicts over "
                    "the CMDB before they collide, and learn from how they turned out."
                ),
                brings=[
                    _("Change requests with risk-based authorization and the CAB"),
                    _("The change calendar with maintenance windows, blackouts and conflicts"),
                    _("Post-implementation reviews and change success scores"),
                ],
                depends_on=["incidents"],
                process_key="change",
                on_by_default=True,
                order=80,
                search=[SearchProvider("changes", _("Changes"), r.search_changes, order=7)],
                home_panels=[
                    HomePanel(
                        "changes_mine",
                        _("My changes"),
                        r.my_changes,
                        order=8,
                        empty=_("You own or implement no open change."),
                        visible=is_it,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                kpis=kpis.KPIS,
            )
        )
