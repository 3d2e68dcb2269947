"""What the services app contributes to search and the start page (declared in apps.py)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core.registry import SearchHit
from steward.services.choices import OwnershipStatus
from steward.services.models import OwnershipProposal, Service


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
            reverse("services:detail", args=[s.pk]),
            f"{s.get_status_display()} · {s.get_criticality_display()} · {s.owner.display_name}",
        )
        for s in rows
    ]


def services_i_own(user, limit: int):
    owned = (
        Service.objects.for_user(user, "view").filter(owner=user).order_by("criticality", "name")
    )
    rows = [
        (s.name, reverse("services:detail", args=[s.pk]), s.get_criticality_display())
        for s in owned[:limit]
    ]
    return owned.count(), rows


def services_for_my_organization(user, limit: int):
    services = Service.objects.for_user(user, "view").order_by("name")
    rows = [(s.name, reverse("services:detail", args=[s.pk]), "") for s in services[:limit]]
    return services.count(), rows


def proposals_to_me(user, limit: int):
    """Services whose ownership is proposed to the user and waits for their answer (accept or
    decline on the service's page), the oldest proposal first."""
    proposals = OwnershipProposal.objects.filter(
        proposed_owner=user, status=OwnershipStatus.PENDING
    ).filter(service__in=Service.objects.for_user(user, "view"))
    rows = []
    for p in proposals.select_related("service", "proposed_by").order_by("proposed_at", "id")[
        :limit
    ]:
        meta = (
            _("proposed by %(person)s") % {"person": p.proposed_by.display_name}
            if p.proposed_by_id
            else _("proposed")
        )
        rows.append((p.service.name, reverse("services:detail", args=[p.service_id]), meta))
    return proposals.count(), rows


#: What people call the services app's journal actions and fields (``journal.describe``).
JOURNAL_WORDS = {
    "owner_proposed": gettext_lazy("Owner proposed"),
    "ownership_accepted": gettext_lazy("Ownership accepted"),
    "ownership_declined": gettext_lazy("Ownership declined"),
    "support_set": gettext_lazy("Support groups set"),
    "dependencies_set": gettext_lazy("Dependencies set"),
    "ci_linked": gettext_lazy("CI linked"),
    "ci_unlinked": gettext_lazy("CI unlinked"),
    "relationship_added": gettext_lazy("Relationship added"),
    "relationship_removed": gettext_lazy("Relationship removed"),
    "proposed_owner": gettext_lazy("Proposed owner"),
    "criticality": gettext_lazy("Criticality"),
    "kind": gettext_lazy("Kind"),
    "review_date": gettext_lazy("Review date"),
    "customers": gettext_lazy("Customers"),
    "depends_on": gettext_lazy("Depends on"),
    "cis": gettext_lazy("CIs"),
    "relationship": gettext_lazy("Relationship"),
    "first line": gettext_lazy("First line"),
    "second line": gettext_lazy("Second line"),
    "third line": gettext_lazy("Third line"),
    "ci_class": gettext_lazy("CI class"),
    "environment": gettext_lazy("Environment"),
    "owner_group": gettext_lazy("Owner group"),
    "attributes": gettext_lazy("Attributes"),
    "attribute_schema": gettext_lazy("Attribute schema"),
}
