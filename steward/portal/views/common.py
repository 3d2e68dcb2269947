"""What every portal page shares: the portal's menu in the context, and the 404 for a
practice that is off."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from steward.portal.navigation import portal_nav


def page(request, template: str, context: dict, *, current: str = "", status: int = 200):
    """Render a portal page with the portal's menu (``current``: the entry to mark)."""
    context = {"portal_nav": portal_nav(request.user, current), **context}
    return render(request, template, context, status=status)


def require(on: bool) -> None:
    """404 when the practice a page needs is off (the page then does not exist)."""
    if not on:
        raise Http404


def show_error(form, exc) -> None:
    """An operation's refusal shown to the person: its sentence (in their language) beside
    the first field of the form it names, else above the form."""
    for name in exc.fields:
        if name in form.fields:
            form.add_error(name, exc.message)
            return
    form.add_error(None, exc.message)
