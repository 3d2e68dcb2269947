from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "steward.changes"
    label = "changes"
    verbose_name = "Change enablement"

    def ready(self):
        from steward.changes import demo, kpis
        from steward.changes import registrations as r
        from steward.changes.choices import ApprovalDecision
        from steward.changes.operations.conflicts import on_cmdb_changed
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, HomePanel, NavEntry, SearchProvider
        from steward.services.signals import cmdb_changed

        # the CMDB moved under planned changes: their stored conflicts are rechecked
        cmdb_changed.connect(on_cmdb_changed, dispatch_uid="changes.recheck_conflicts")

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})
        journal.describe_choices("changes.changerequest", decision=ApprovalDecision.choices)

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
                nav=[NavEntry("changes", _("Changes"), "changes:list", order=7, visible=is_it)],
                search=[SearchProvider("changes", _("Changes"), r.search_changes, order=7)],
                home_panels=[
                    HomePanel(
                        "changes_mine",
                        _("My changes"),
                        r.my_changes,
                        order=8,
                        more_url="changes:list",
                        more_query="queue=mine",
                        empty=_("You own or implement no open change."),
                        visible=is_it,
                    )
                ],
                gaps=r.GAP_PROVIDERS,
                kpis=kpis.KPIS,
                demo=[DemoStep("changes", demo.load, order=62)],
            )
        )
