"""What every changes table shares: IT staff read everything, nobody else anything."""

from __future__ import annotations

from django.db.models import Q

from steward.core.permissions import NOTHING


def staff_only(user) -> Q:
    return Q() if user.is_it else NOTHING


class StaffOnly:
    """Mixin: rows that IT staff read and requesters never see."""

    @classmethod
    def permission_filter(cls, user, action):
        return staff_only(user)
