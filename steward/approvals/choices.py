"""Enumerations of the approvals app, as string-valued choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How a step is decided: one approval (or a quorum) of those asked, or every one of them."""

    ANY = "any", _("Any one")
    ALL = "all", _("All")


class State(models.TextChoices):
    """Where one step of approval is."""

    WAITING = "waiting", _("Waiting for an earlier step")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: Steps still to be decided (a round with one of these is still running).
OPEN_STATES = (State.WAITING, State.PENDING)


class Kind(models.TextChoices):
    """Why a person is among a step's approvers."""

    USER = "user", _("Named person")
    LINE_MANAGER = "line_manager", _("Line manager")
    SERVICE_OWNER = "service_owner", _("Service owner")
    GROUP = "group", _("Group member")
    ROLE = "role", _("Role holder")


class Decision(models.TextChoices):
    """One approver's answer."""

    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


#: What a person may answer.
DECISIONS = (Decision.APPROVED.value, Decision.REJECTED.value)
#: Decisions given (a row with one of these is decided).
DONE = (Decision.APPROVED.value, Decision.REJECTED.value)
