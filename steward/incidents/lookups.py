"""Choosing a caller or an affected CI on the incident form without listing every user or CI
of the estate: the agent types, the page suggests (an htmx request filling a <datalist>), and
the form resolves what was typed. Suggestions use the same visibility rules as every read."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from steward.people.models import User
from steward.services.models import ConfigurationItem

SUGGESTIONS = 20
CI_ID = re.compile(r"\[#(\d+)\]\s*$")


def ci_label(ci: ConfigurationItem) -> str:
    """What a suggestion puts in the box: the name, and the id that makes it unambiguous."""
    return f"{ci.name} [#{ci.pk}]"


def resolve_caller(text: str) -> User | None:
    text = text.strip()
    if not text:
        return None
    user = User.objects.filter(username__iexact=text, is_active=True).first()
    if user is None:
        message = _("No active user has the username “%(name)s”.")
        raise forms.ValidationError(message % {"name": text})
    return user


def resolve_ci(user, text: str) -> ConfigurationItem | None:
    """A CI from ``name [#id]`` (a suggestion) or a name that only one visible CI has."""
    text = text.strip()
    if not text:
        return None
    visible = ConfigurationItem.objects.for_user(user, "view")
    if match := CI_ID.search(text):
        found = visible.filter(pk=int(match.group(1))).first()
        if found is not None:
            return found
        raise forms.ValidationError(_("There is no such configuration item."))
    found = list(visible.filter(name__iexact=text)[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise forms.ValidationError(
            _("Several configuration items are called “%(name)s”: pick one of the suggestions.")
            % {"name": text}
        )
    raise forms.ValidationError(_("No configuration item is called “%(name)s”.") % {"name": text})


def _typed(request) -> str:
    """The text typed so far (htmx sends the input under its own name)."""
    return next(iter(request.GET.values()), "").strip()[:100]


@login_required
@require_GET
def suggest_callers(request):
    if not request.user.is_it:
        raise Http404
    text = _typed(request)
    rows = []
    if text:
        rows = (
            User.objects.filter(is_active=True)
            .filter(
                Q(username__istartswith=text)
                | Q(first_name__istartswith=text)
                | Q(last_name__istartswith=text)
            )
            .order_by("username")[:SUGGESTIONS]
        )
    options = [(u.username, u.display_name) for u in rows]
    return render(request, "incidents/_suggestions.html", {"options": options})


@login_required
@require_GET
def suggest_cis(request):
    text = _typed(request)
    rows = []
    if text:
        rows = (
            ConfigurationItem.objects.for_user(request.user, "view")
            .filter(name__icontains=text)
            .select_related("ci_class")
            .order_by("name", "id")[:SUGGESTIONS]
        )
    options = [(ci_label(ci), ci.ci_class.name) for ci in rows]
    return render(request, "incidents/_suggestions.html", {"options": options})
