from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "steward.core"
    label = "core"
    verbose_name = "Steward core"

    def ready(self):
        # converters registers <id:...> for the URLconfs
        from steward.core import converters, demo  # noqa: F401
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, NavEntry

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
