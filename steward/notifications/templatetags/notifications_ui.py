"""The bell in the top bar: the signed-in user's unread count, counted once per request."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward.notifications.queries import BELL_LIMIT, bell_count

register = template.Library()

_BELL = (
    '<svg class="bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">'
    '<path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84'
    'V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg>'
)


@register.simple_tag(takes_context=True)
def notification_bell(context) -> str:
    """A link to the notifications page; its name says how many are unread."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    count = bell_count(request)
    shown = f"{BELL_LIMIT}+" if count > BELL_LIMIT else str(count)
    if count:
        label = ngettext(
            "Notifications, %(count)s unread", "Notifications, %(count)s unread", count
        ) % {"count": shown}
    else:
        label = _("Notifications, none unread")
    url = reverse("notifications:list")
    current = mark_safe(' aria-current="page"') if request.path == url else ""
    badge = format_html('<span class="bell__count" aria-hidden="true">{}</span>', shown)
    return format_html(
        '<a class="bell{}" href="{}" aria-label="{}" title="{}"{}>{}{}</a>',
        " bell--unread" if count else "",
        url,
        label,
        label,
        current,
        mark_safe(_BELL),  # a constant
        badge if count else "",
    )
