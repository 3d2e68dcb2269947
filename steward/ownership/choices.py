"""Enumerations of the ownership app, as string-valued choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Letter(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class Severity(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class PartyKind(models.TextChoices):
    ROLE = "role", _("Role")
    GROUP = "group", _("Group")
    USER = "user", _("Person")
