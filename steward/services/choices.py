from django.db import models


class Lifecycle(models.TextChoices):
    PIPELINE = "pipeline", "Pipeline"
    LIVE = "live", "Live"
    RETIRED = "retired", "Retired"


class Criticality(models.IntegerChoices):
    CRITICAL = 1, "1 – Critical"
    HIGH = 2, "2 – High"
    MEDIUM = 3, "3 – Medium"
    LOW = 4, "4 – Low"


class ServiceKind(models.TextChoices):
    BUSINESS = "business", "Business service"
    TECHNICAL = "technical", "Technical service"


class SupportLine(models.TextChoices):
    FIRST = "first", "First line"
    SECOND = "second", "Second line"
    THIRD = "third", "Third line"


class OwnershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for acceptance"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CIStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    MAINTENANCE = "maintenance", "In maintenance"
    RETIRED = "retired", "Retired"


class Environment(models.TextChoices):
    PRODUCTION = "production", "Production"
    ACCEPTANCE = "acceptance", "Acceptance"
    TEST = "test", "Test"
    DEVELOPMENT = "development", "Development"


class RelationshipType(models.TextChoices):
    """``source <type> target``: the app *depends on* the database, the VM *runs on* the host,
    the disk is *part of* the array, the switch is *connected to* the router."""

    DEPENDS_ON = "depends_on", "depends on"
    RUNS_ON = "runs_on", "runs on"
    CONNECTED_TO = "connected_to", "connected to"
    PART_OF = "part_of", "part of"
