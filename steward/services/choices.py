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
