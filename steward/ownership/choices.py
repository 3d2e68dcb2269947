"""Enumerations of the ownership app, as string-valued choices."""

from django.db import models


class Letter(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class Severity(models.TextChoices):
    ERROR = "error", "Error"
    WARNING = "warning", "Warning"


class PartyKind(models.TextChoices):
    ROLE = "role", "Role"
    GROUP = "group", "Group"
    USER = "user", "Person"
