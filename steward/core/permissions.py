"""Row-level permissions in one place.

Every model that people read through the API or UI uses a :class:`RestrictedQuerySet`; its
``for_user(user, action)`` narrows the rows to those the user may see (``"view"``) or change
(``"change"``). A model says how by defining ``permission_filter(cls, user, action)`` returning
a ``Q`` (``Q()`` for everything, ``NOTHING`` for no row). Lists, pages and API reads all go
through ``for_user``, so nobody reads rows their role does not allow.
"""

from __future__ import annotations

from django.db import models

NOTHING = models.Q(pk__in=[])
ACTIONS = ("view", "change")


class RestrictedQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> RestrictedQuerySet:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; use one of {ACTIONS}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        q = self.model.permission_filter(user, action)
        if q is NOTHING:
            return self.none()
        return self.filter(q)
