"""Navigation entries of the slm app (see steward.core.registry)."""

from django.utils.translation import gettext_lazy as _

from steward.core.registry import NavEntry, register_nav

register_nav(
    NavEntry(
        "sla",
        _("Service levels"),
        "sla_compliance",
        order=60,
        visible=lambda user: user.is_authenticated and user.is_it,
    )
)
