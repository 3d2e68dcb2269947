from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    name = "steward.mailbox"
    label = "mailbox"
    verbose_name = "Mail in"

    def ready(self):
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep
        from steward.mailbox import demo, gaps, jobs, kpis  # noqa: F401 (jobs: the worker's tasks)
        from steward.mailbox import registrations as r
        from steward.notifications import headers

        headers.reply_to_hook = r.reply_to

        register_practice(
            Practice(
                key="mailbox",
                name=_("Mail"),
                description=_(
                    "People write to the service desk's address: a new message opens an "
                    "incident, a reply joins its ticket, and Steward's own mail threads in "
                    "their client."
                ),
                brings=[
                    _("Mailboxes read over IMAP, or fed by the mail server's pipe"),
                    _("Replies threaded to their ticket; spoofed replies kept out"),
                    _("A quarantine for what cannot be read, kept raw"),
                ],
                depends_on=["incidents"],
                on_by_default=True,
                order=85,
                admin=r.ADMIN,
                gaps=gaps.GAP_PROVIDERS,
                kpis=kpis.KPIS,
                demo=[DemoStep("mailbox", demo.load, order=70)],
            )
        )
