from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "steward.approvals"
    label = "approvals"
    verbose_name = "Approvals"

    def ready(self):
        from steward.approvals import jobs  # noqa: F401 (the worker's periodic task)
        from steward.approvals import registrations as r
        from steward.approvals.choices import Decision
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import HomePanel, NavEntry

        journal.describe({k: v for k, v in r.JOURNAL_WORDS.items() if journal.words_for(k) is None})
        for record_type in ("fulfilment.requesteditem", "changes.changerequest"):
            journal.describe_choices(record_type, decision=Decision.choices)

        register_practice(
            Practice(
                key="approvals",
                name=_("Approvals"),
                description=_(
                    "One approval mechanism for every practice: steps in sequence, any one or "
                    "all of the approvers, reminders and escalation, delegation while away, "
                    "and decisions from the pages, the API or a link in email."
                ),
                switchable=False,
                order=15,
                nav=[
                    NavEntry(
                        "approvals",
                        _("Approvals"),
                        "approvals:mine",
                        order=8,
                        visible=r.show_in_menu,
                    )
                ],
                home_panels=[
                    HomePanel(
                        "approvals_awaiting",
                        _("Awaiting my approval"),
                        r.awaiting_me,
                        order=2,
                        more_url="approvals:mine",
                        empty=_("Nothing awaits your approval."),
                        waiting=True,
                        visible=r.show_in_menu,
                    )
                ],
            )
        )
