"""What the people operations share: the fields each record type journals and edits, and the
check of role names."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from steward.core.errors import ValidationError
from steward.people.choices import Role

USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "organization",
    "job_title",
    "phone",
    "time_zone",
    "language",
    "is_active",
    "line_manager",
]
#: Fields a user may change on their own account; the rest are for administrators.
SELF_SERVICE_FIELDS = {
    "first_name",
    "last_name",
    "email",
    "job_title",
    "phone",
    "time_zone",
    "language",
}
ORG_FIELDS = ["name", "code", "description", "is_active"]
GROUP_FIELDS = ["name", "description", "email", "manager", "is_active"]
#: What a group's manager may change on their own group; the rest is for administrators.
GROUP_MANAGER_FIELDS = {"description", "email", "members"}
CONTACT_FIELDS = ["name", "email", "role", "language"]


def validate_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    bad = [r for r in roles if r not in Role.values]
    if bad:
        raise ValidationError.field(
            "roles",
            _("unknown roles %(bad)s; roles are %(roles)s") % {"bad": bad, "roles": Role.values},
        )
    return roles
