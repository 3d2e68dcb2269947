from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    name = "steward.changes"
    label = "changes"
    verbose_name = "Change enablement"

    def ready(self):
        from steward.changes import demo, kpis, rules
        from steward.changes import registrations as r
        from steward.changes.choices import ApprovalDecision
        from steward.changes.operations.approvals import approval_subject
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

        def keeps_admin_data(user):
            return user.is_authenticated and rules.may_keep_admin_data(user)

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
                admin=[
                    NavEntry(key, label, url, order=order, visible=keeps_admin_data)
                    for key, label, url, order in (
                        ("change_templates", _("Standard changes"), "changes:admin_templates", 60),
                        ("change_risk", _("Change risk"), "changes:admin_risk", 61),
                        ("change_authority", _("Change authority"), "changes:admin_authority", 62),
                        ("change_windows", _("Change windows"), "changes:admin_windows", 63),
                        ("change_settings", _("Change settings"), "changes:admin_settings", 64),
                    )
                ],
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
                # a change is authorized through the shared approvals (steward.approvals)
                approval_subjects=[approval_subject()],
                demo=[DemoStep("changes", demo.load, order=62)],
            )
        )
