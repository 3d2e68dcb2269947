"""Organizations (the customers) and their contacts."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import StaleVersion, ValidationError
from steward.core.operations import full_clean, require, require_admin
from steward.people.choices import ContactRole
from steward.people.models import (
    Organization,
    OrganizationContact,
)
from steward.people.operations.common import CONTACT_FIELDS, ORG_FIELDS


@transaction.atomic
def create_organization(actor, **fields) -> Organization:
    require_admin(actor, gettext_lazy("create organizations"))
    org = Organization(**fields)
    full_clean(org)
    org.save()
    journal.record(
        actor, org, "created", {f: [None, v] for f, v in journal.snapshot(org, ORG_FIELDS).items()}
    )
    return org


@transaction.atomic
def update_organization(
    actor, org: Organization, *, version: int | None, **changes
) -> Organization:
    require(actor, "change", org)
    before = journal.snapshot(org, ORG_FIELDS)
    for name, value in changes.items():
        setattr(org, name, value)
    full_clean(org)
    save_versioned(org, version, list(changes))
    journal.record(actor, org, "updated", journal.diff(before, journal.snapshot(org, ORG_FIELDS)))
    return org


# --- organization contacts -------------------------------------------------------------------
#
# Contacts are journaled on their organization (its history shows who was added, changed or
# removed) as well as on themselves while they exist.


def _check_contact_email(contact: OrganizationContact) -> None:
    if (
        contact.email
        and OrganizationContact.objects.filter(
            organization_id=contact.organization_id, email__iexact=contact.email
        )
        .exclude(pk=contact.pk)
        .exists()
    ):
        raise ValidationError.field(
            "email", _("this organization already has a contact with this email address")
        )


@transaction.atomic
def add_contact(actor, org: Organization, **fields) -> OrganizationContact:
    """Add a contact to a customer organization (administrators)."""
    require_admin(actor, gettext_lazy("manage organization contacts"))
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    fields.setdefault("role", ContactRole.PRIMARY)
    contact = OrganizationContact(organization=org, **fields)
    full_clean(contact, constraints=False)
    _check_contact_email(contact)
    contact.save()
    created = {f: [None, v] for f, v in journal.snapshot(contact, CONTACT_FIELDS).items()}
    journal.record(actor, contact, "created", created)
    journal.record(actor, org, "contact_added", created, comment=contact.name)
    return contact


@transaction.atomic
def update_contact(
    actor, contact: OrganizationContact, *, version: int | None, **changes
) -> OrganizationContact:
    require_admin(actor, gettext_lazy("manage organization contacts"))
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields %(fields)s") % {"fields": sorted(unknown)},
            {k: [_("unknown field")] for k in sorted(unknown)},
        )
    before = journal.snapshot(contact, CONTACT_FIELDS)
    for name, value in changes.items():
        setattr(contact, name, value)
    full_clean(contact, constraints=False)
    _check_contact_email(contact)
    save_versioned(contact, version, list(changes))
    changed = journal.diff(before, journal.snapshot(contact, CONTACT_FIELDS))
    journal.record(actor, contact, "updated", changed)
    journal.record(actor, contact.organization, "contact_updated", changed, comment=contact.name)
    return contact


@transaction.atomic
def remove_contact(actor, contact: OrganizationContact, *, version: int | None) -> None:
    """Remove a contact; the organization's history keeps who they were."""
    require_admin(actor, gettext_lazy("manage organization contacts"))
    rows = OrganizationContact.objects.filter(pk=contact.pk)
    if version is not None:
        rows = rows.filter(version=version)
    before = journal.snapshot(contact, CONTACT_FIELDS)
    if not rows.delete()[0]:
        current = (
            OrganizationContact.objects.filter(pk=contact.pk)
            .values_list("version", flat=True)
            .first()
        )
        raise StaleVersion(version, current or 0)
    journal.record(actor, contact, "removed", {f: [v, None] for f, v in before.items()})
    journal.record(
        actor,
        contact.organization,
        "contact_removed",
        {f: [v, None] for f, v in before.items()},
        comment=contact.name,
    )
