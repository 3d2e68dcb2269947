"""Which business calendar a service, a support group or a person works."""

from __future__ import annotations

from django.db import models

from steward.people.models import SupportGroup, User
from steward.services.models import Service


class ServiceCalendar(models.Model):
    """The business calendar a service's commitments count on (kept here, not on the service,
    because calendars live in a higher layer than services)."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="slm_calendar")
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.service} on {self.calendar}"


class GroupCalendar(models.Model):
    """The business calendar a support group works (its OLA targets count on it)."""

    group = models.OneToOneField(
        SupportGroup, on_delete=models.CASCADE, related_name="slm_calendar"
    )
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.group} on {self.calendar}"


class UserCalendar(models.Model):
    """The business calendar a person works."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="slm_calendar")
    calendar = models.ForeignKey("slm.Calendar", on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.user} on {self.calendar}"
