from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

#: What people call the journal's common actions and fields (every app's records have them);
#: each app describes its own in its ready() (``journal.describe``).
JOURNAL_WORDS = {
    "created": _("Created"),
    "updated": _("Updated"),
    "removed": _("Removed"),
    "practice_switched_on": _("Practice switched on"),
    "practice_switched_off": _("Practice switched off"),
    "enabled": _("On"),
    "name": _("Name"),
    "description": _("Description"),
    "status": _("Status"),
    "owner": _("Owner"),
    "email": _("Email"),
    "is_active": _("Active"),
    "key": _("Key"),
    "order": _("Order"),
    "language": _("Language"),
    "time_zone": _("Time zone"),
}


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = "Steward core"

    def ready(self):
        # converters registers <id:...> for the URLconfs
        from steward.core import converters, demo, journal  # noqa: F401
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, NavEntry

        journal.describe(JOURNAL_WORDS)

        register_practice(
            Practice(
                key="core",
                name=_("Core"),
                description=_("The journal, numbering, search box and the practice switch."),
                switchable=False,
                order=0,
                nav=[NavEntry("home", _("Home"), "core:home", order=0)],
                demo=[DemoStep("practices", demo.load, order=1000)],
            )
        )
