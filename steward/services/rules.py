"""Who may do what to services and CMDB records: the one place that answers it.

The operations enforce these rules; the pages ask :func:`service_actions` and
:func:`ci_actions` which buttons and forms to show. Role names live in ``people.choices``
(read through ``user.is_admin`` / ``user.is_it``); lifecycle moves in ``workflow.py``. ``user``
``None`` is the system itself (commands, importers, the demo), which may do everything.
"""

from __future__ import annotations

from steward.services.workflow import SERVICE


def may_create_service(user) -> bool:
    """Administrators record services (and name their first owner)."""
    return user is None or user.is_admin


def may_edit_service(user, service) -> bool:
    """Administrators and the service's own owner change it: its description, customers, support
    lines, dependencies, review date and lifecycle, and propose a successor."""
    if user is None or user.is_admin:
        return True
    return user.is_it and user.is_active and service.owner_id == user.pk


def may_decide_ownership(user, proposal) -> bool:
    """Only the proposed owner accepts or declines a proposal."""
    return proposal is not None and user is not None and proposal.proposed_owner_id == user.pk


def lifecycle_moves(service) -> tuple[str, ...]:
    """The lifecycle states a service may move to from where it is."""
    return SERVICE.allowed(service.status)


def service_actions(user, service, pending=None) -> frozenset[str]:
    """What ``user`` may do on the page of ``service``: ``edit`` (fields, customers, support,
    dependencies, lifecycle, propose an owner), ``link_ci``, ``decide`` (a pending proposal)."""
    actions = set()
    if may_edit_service(user, service):
        actions |= {"edit", "link_ci"}
    if may_decide_ownership(user, pending):
        actions.add("decide")
    return frozenset(actions)


# --- CMDB ---------------------------------------------------------------------------------------


def may_read_cmdb(user) -> bool:
    """IT staff read the CMDB; requesters see none of it."""
    return user is None or user.is_it


def may_define_classes(user) -> bool:
    return user is None or user.is_admin


def may_import(user) -> bool:
    """CSV imports write many CIs at once: administrators only."""
    return user is None or user.is_admin


def may_record_ci(user) -> bool:
    """IT staff record CIs (for a group they manage or belong to; administrators for any)."""
    return user is None or user.is_it


def in_owner_group(user, group) -> bool:
    if group is None:
        return False
    return group.manager_id == user.pk or group.members.filter(pk=user.pk).exists()


def may_edit_ci(user, ci) -> bool:
    """Administrators and the CI's owner group (its manager and members) change it and relate it
    to other CIs."""
    if user is None or user.is_admin:
        return True
    return user.is_it and in_owner_group(user, ci.owner_group)


def ci_actions(user, ci) -> frozenset[str]:
    """What ``user`` may do on the page of ``ci``: ``edit`` (fields, attributes, relationships)."""
    return frozenset({"edit"}) if may_edit_ci(user, ci) else frozenset()
