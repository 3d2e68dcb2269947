"""Shared tables: the append-only journal, the number sequences and the practice switches."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steward.core.errors import JournalImmutableError


class JournalQuerySet(models.QuerySet):
    """Journal rows can be added and read, never changed or removed in bulk."""

    def update(self, **kwargs):
        raise JournalImmutableError()

    def delete(self):
        raise JournalImmutableError()

    def for_record(self, obj: models.Model) -> JournalQuerySet:
        return self.filter(record_type=obj._meta.label_lower, record_id=str(obj.pk))


class JournalEntry(models.Model):
    """One change to one record: who, when, what (field: [before, after]) and why.

    Append-only: the model refuses save-after-insert and delete, the queryset refuses bulk
    update/delete, and on PostgreSQL a trigger refuses UPDATE and DELETE outright.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the change; empty for the system itself.",
    )
    record_type = models.CharField(max_length=64, help_text="app_label.model, e.g. people.group")
    record_id = models.CharField(max_length=64)
    record_label = models.CharField(max_length=200, blank=True, help_text="Human name at the time")
    action = models.CharField(max_length=64)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    comment = models.TextField(blank=True)
    #: the system's comment as a core.texts.Text (JSON), said in each reader's language
    comment_text = models.JSONField(null=True, blank=True)

    objects = JournalQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["record_type", "record_id", "id"], name="journal_record")]
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"{self.record_type}#{self.record_id} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise JournalImmutableError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise JournalImmutableError()


class Sequence(models.Model):
    """The last number handed out for one prefix (INC, CHG, ...)."""

    prefix = models.CharField(max_length=10, primary_key=True)
    last = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.prefix}: {self.last}"


class VersionedModel(models.Model):
    """Base for records edited by people: carries an optimistic-concurrency version."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PracticeState(models.Model):
    """Whether an administrator switched a practice on or off (``core.practices``).

    A practice without a row has its declared default (``Practice.on_by_default``). Written
    only by ``core.operations.set_practice_enabled``; switching off deletes nothing.
    """

    key = models.CharField(max_length=40, unique=True)
    enabled = models.BooleanField()
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        from steward.core import practices

        practice = practices.get(self.key)
        return str(practice.name) if practice is not None else self.key
