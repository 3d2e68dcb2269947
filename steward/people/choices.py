"""Enumerations of the people app, as string-valued choices."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    AGENT = "agent", _("Agent")
    GROUP_MANAGER = "group_manager", _("Group manager")
    PROCESS_OWNER = "process_owner", _("Process owner")
    SERVICE_OWNER = "service_owner", _("Service owner")
    CHANGE_MANAGER = "change_manager", _("Change manager")
    ADMIN = "admin", _("Administrator")


#: Roles that work inside IT (everything but requester): they see the whole organisation.
IT_ROLES = frozenset(r.value for r in Role) - {Role.REQUESTER.value}


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class ContactRole(models.TextChoices):
    """What a customer organization's contact is there for."""

    PRIMARY = "primary", _("Primary contact")
    TECHNICAL = "technical", _("Technical contact")
    ESCALATION = "escalation", _("Escalation contact")
    COMMUNICATIONS = "communications", _("Communications (major incidents)")


LANGUAGE_CHOICES = settings.LANGUAGES
