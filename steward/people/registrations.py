"""What the people app contributes to search and the start page (declared in apps.py)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from steward.core.registry import SearchHit
from steward.people.models import SupportGroup, User


def is_it(user) -> bool:
    return user.is_authenticated and user.is_it


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_admin


def search_groups(user, text: str, limit: int) -> list[SearchHit]:
    rows = (
        SupportGroup.objects.for_user(user, "view")
        .filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(email__icontains=text))
        .order_by("name")[:limit]
    )
    return [
        SearchHit("group", g.name, reverse("people:group_detail", args=[g.pk]), g.description[:120])
        for g in rows
    ]


def search_users(user, text: str, limit: int) -> list[SearchHit]:
    if not is_it(user):
        return []
    rows = (
        User.objects.for_user(user, "view")
        .filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
        .filter(is_active=True)
        .order_by("last_name", "first_name", "username")[:limit]
    )
    return [
        SearchHit(
            "user",
            u.display_name,
            reverse("people:user_detail", args=[u.username]),
            " · ".join(filter(None, [u.username, u.job_title, u.email])),
        )
        for u in rows
    ]


def my_groups(user, limit: int):
    groups = (
        SupportGroup.objects.for_user(user, "view")
        .filter(Q(members=user) | Q(manager=user))
        .distinct()
        .order_by("name")
    )
    count = groups.count()
    rows = [
        (
            g.name,
            reverse("people:group_detail", args=[g.pk]),
            _("manager") if g.manager_id == user.pk else "",
        )
        for g in groups[:limit]
    ]
    return count, rows


#: What people call the people app's journal actions and fields (``journal.describe``).
JOURNAL_WORDS = {
    "password_set": gettext_lazy("Password set"),
    "api_token_created": gettext_lazy("API token created"),
    "api_token_revoked": gettext_lazy("API token revoked"),
    "contact_added": gettext_lazy("Contact added"),
    "contact_updated": gettext_lazy("Contact changed"),
    "contact_removed": gettext_lazy("Contact removed"),
    "username": gettext_lazy("Username"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "organization": gettext_lazy("Organization"),
    "job_title": gettext_lazy("Job title"),
    "phone": gettext_lazy("Phone"),
    "roles": gettext_lazy("Roles"),
    "role": gettext_lazy("Role"),
    "code": gettext_lazy("Code"),
    "manager": gettext_lazy("Manager"),
    "members": gettext_lazy("Members"),
}
