"""Domain operations of the people app: the only code that writes people, groups,
organizations and tokens. Each runs in one transaction and writes the journal. One module
per subject, re-exported here (callers write ``people_ops.create_user``)."""

from steward.people.operations.api_tokens import (
    LAST_USED_RESOLUTION,
    create_api_token,
    note_token_used,
    revoke_api_token,
)
from steward.people.operations.bulk import (
    bulk_create_groups,
    bulk_create_organizations,
    bulk_create_users,
)
from steward.people.operations.common import (
    CONTACT_FIELDS,
    GROUP_FIELDS,
    GROUP_MANAGER_FIELDS,
    ORG_FIELDS,
    SELF_SERVICE_FIELDS,
    USER_FIELDS,
    validate_roles,
)
from steward.people.operations.groups import (
    create_group,
    update_group,
)
from steward.people.operations.organizations import (
    add_contact,
    create_organization,
    remove_contact,
    update_contact,
    update_organization,
)
from steward.people.operations.sign_in import (
    begin_sign_in,
    clear_failed_logins,
    login_blocked_for,
    note_bad_token,
    note_failed_login,
    sign_in_succeeded,
)
from steward.people.operations.users import (
    create_user,
    set_password,
    update_user,
)

__all__ = [
    "CONTACT_FIELDS",
    "GROUP_FIELDS",
    "GROUP_MANAGER_FIELDS",
    "LAST_USED_RESOLUTION",
    "ORG_FIELDS",
    "SELF_SERVICE_FIELDS",
    "USER_FIELDS",
    "add_contact",
    "begin_sign_in",
    "bulk_create_groups",
    "bulk_create_organizations",
    "bulk_create_users",
    "clear_failed_logins",
    "create_api_token",
    "create_group",
    "create_organization",
    "create_user",
    "login_blocked_for",
    "note_bad_token",
    "note_failed_login",
    "note_token_used",
    "remove_contact",
    "revoke_api_token",
    "set_password",
    "sign_in_succeeded",
    "update_contact",
    "update_group",
    "update_organization",
    "update_user",
    "validate_roles",
]
