from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    LIVE = "live", _("Live")
    RETIRED = "retired", _("Retired")


class Criticality(models.IntegerChoices):
    CRITICAL = 1, _("1 – Critical")
    HIGH = 2, _("2 – High")
    MEDIUM = 3, _("3 – Medium")
    LOW = 4, _("4 – Low")


class ServiceKind(models.TextChoices):
    BUSINESS = "business", _("Business service")
    TECHNICAL = "technical", _("Technical service")


class SupportLine(models.TextChoices):
    FIRST = "first", _("First line")
    SECOND = "second", _("Second line")
    THIRD = "third", _("Third line")


class OwnershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CIStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    MAINTENANCE = "maintenance", _("In maintenance")
    RETIRED = "retired", _("Retired")


class Environment(models.TextChoices):
    PRODUCTION = "production", _("Production")
    ACCEPTANCE = "acceptance", _("Acceptance")
    TEST = "test", _("Test")
    DEVELOPMENT = "development", _("Development")


class RelationshipType(models.TextChoices):
    """``source <type> target``: the app *depends on* the database, the VM *runs on* the host,
    the disk is *part of* the array, the switch is *connected to* the router."""

    DEPENDS_ON = "depends_on", _("depends on")
    RUNS_ON = "runs_on", _("runs on")
    CONNECTED_TO = "connected_to", _("connected to")
    PART_OF = "part_of", _("part of")
