"""What the change pages share: only IT staff get past ``staff``; a change is looked up by
its number through ``for_user`` (404 otherwise)."""

from __future__ import annotations

from django.http import Http404

from steward.changes import queries


def staff(request):
    user = request.user
    if not (user.is_authenticated and user.is_it):
        raise Http404
    return user


def change_or_404(request, number: str):
    change = queries.change_for(staff(request), number)
    if change is None:
        raise Http404
    return change
