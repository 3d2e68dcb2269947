from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "steward.portal"
    label = "portal"
    verbose_name = "Self-service portal"

    def ready(self):
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import NavEntry

        def signed_in(user):
            return user.is_authenticated

        register_practice(
            Practice(
                key="portal",
                name=_("Self-service portal"),
                description=_(
                    "The requester's pages: search the knowledge and the catalog, report a "
                    "problem, order from the catalog, follow requests and incidents, approve "
                    "what waits, answer surveys."
                ),
                brings=[
                    _("A home page with one search over articles and catalog items"),
                    _("Report a problem, with articles suggested while typing"),
                    _("My requests and incidents: status, the conversation, replies and files"),
                    _("Approvals and surveys waiting for the person"),
                ],
                depends_on=["incidents"],
                on_by_default=True,
                order=85,
                nav=[
                    NavEntry(
                        "portal",
                        _("Self-service portal"),
                        "portal:home",
                        order=1,
                        visible=signed_in,
                    )
                ],
                requester_home="portal:home",
            )
        )
