from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from steward.core import journal
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, NavEntry
        from steward.notifications import demo

        journal.describe(requeued=_("Sent again"), attempts=_("Attempts"), to_address=_("Address"))

        # The Huey consumer discovers ``tasks`` modules only; register the outbox jobs here.
        from steward.notifications import jobs  # noqa: F401
        from steward.notifications.operations import webhooks

        # every journal entry is an event for the webhooks that subscribe to it
        if webhooks.emit not in journal.listeners:
            journal.listeners.append(webhooks.emit)

        register_practice(
            Practice(
                key="notifications",
                name=_("Notifications"),
                description=_("In-app notifications and the email outbox."),
                switchable=False,
                order=20,
                demo=[DemoStep("notifications", demo.load, order=15)],
                admin=[
                    NavEntry(
                        "webhooks",
                        _("Webhooks"),
                        "notifications:webhooks",
                        order=72,
                        visible=lambda user: user.is_authenticated and user.is_admin,
                    ),
                    NavEntry(
                        "mail_templates",
                        _("Mail templates"),
                        "notifications:mail_templates",
                        order=71,
                        visible=lambda user: user.is_authenticated and user.is_admin,
                    ),
                ],
            )
        )
