"""Navigation, search and start-page entries of the people app (see steward.core.registry)."""

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
from steward.people.models import SupportGroup, User


def _is_it(user) -> bool:
    return user.is_authenticated and user.is_it


def search_groups(user, text: str, limit: int) -> list[SearchHit]:
    rows = (
        SupportGroup.objects.for_user(user, "view")
        .filter(Q(name__icontains=text) | Q(description__icontains=text) | Q(email__icontains=text))
        .order_by("name")[:limit]
    )
    return [
        SearchHit("group", g.name, reverse("group_detail", args=[g.pk]), g.description[:120])
        for g in rows
    ]


def search_users(user, text: str, limit: int) -> list[SearchHit]:
    if not _is_it(user):
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
            reverse("user_detail", args=[u.username]),
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
            reverse("group_detail", args=[g.pk]),
            _("manager") if g.manager_id == user.pk else "",
        )
        for g in groups[:limit]
    ]
    return count, rows


register_nav(NavEntry("home", _("Home"), "home", order=0))
register_nav(NavEntry("groups", _("Groups"), "group_list", order=80, visible=_is_it))

register_search(SearchProvider("groups", _("Support groups"), search_groups, order=50))
register_search(SearchProvider("users", _("People"), search_users, order=60))

register_home_panel(
    HomePanel(
        "my_groups",
        _("My groups"),
        my_groups,
        order=20,
        more_url="group_list",
        empty=_("You are not in any support group."),
        visible=_is_it,
    )
)
