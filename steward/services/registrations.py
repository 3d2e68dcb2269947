"""Navigation, search and start-page entries of the services app (see steward.core.registry)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.registry import (
    HomePanel,
    NavEntry,
    SearchHit,
    SearchProvider,
    register_home_panel,
    register_nav,
    register_search,
)
from steward.services.models import Service


def search_services(user, text: str, limit: int) -> list[SearchHit]:
    rows = (
        Service.objects.for_user(user, "view")
        .filter(Q(name__icontains=text) | Q(description__icontains=text))
        .select_related("owner")
        .order_by("name")[:limit]
    )
    return [
        SearchHit(
            "service",
            s.name,
            reverse("service_detail", args=[s.pk]),
            f"{s.get_status_display()} · {s.get_criticality_display()} · {s.owner.display_name}",
        )
        for s in rows
    ]


def services_i_own(user, limit: int):
    owned = (
        Service.objects.for_user(user, "view").filter(owner=user).order_by("criticality", "name")
    )
    rows = [
        (s.name, reverse("service_detail", args=[s.pk]), s.get_criticality_display())
        for s in owned[:limit]
    ]
    return owned.count(), rows


def services_for_my_organization(user, limit: int):
    services = Service.objects.for_user(user, "view").order_by("name")
    rows = [(s.name, reverse("service_detail", args=[s.pk]), "") for s in services[:limit]]
    return services.count(), rows


register_nav(NavEntry("services", _("Services"), "service_list", order=20))
register_search(SearchProvider("services", _("Services"), search_services, order=10))
register_home_panel(
    HomePanel(
        "services_i_own",
        _("Services I own"),
        services_i_own,
        order=10,
        more_url="service_list",
        empty=_("You own no services."),
        visible=lambda user: user.is_it,
    )
)
register_home_panel(
    HomePanel(
        "our_services",
        _("Services for my organization"),
        services_for_my_organization,
        order=10,
        more_url="service_list",
        empty=_("No live services are recorded for your organization."),
        visible=lambda user: not user.is_it,
    )
)
