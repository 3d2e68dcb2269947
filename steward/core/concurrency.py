"""Optimistic concurrency: a write names the version it read; a stale one changes nothing."""

from __future__ import annotations

from django.db import models
from django.db.models import F

from steward.core.errors import StaleVersion


def save_versioned(obj: models.Model, expected_version: int | None, fields: list[str]) -> None:
    """Write ``fields`` of ``obj`` only if the row is still at ``expected_version``.

    The check and the write are one conditional UPDATE (``WHERE version = expected``), so two
    writers holding the same version cannot both succeed on either database. On success the
    object's version is advanced in memory too. ``expected_version=None`` skips the check (for
    system jobs that have just locked the row themselves).
    """
    model = type(obj)
    values = {name: getattr(obj, name) for name in fields if name != "version"}
    if "updated_at" in {f.name for f in model._meta.concrete_fields}:
        obj.updated_at = models.functions.Now()  # resolved by the database
        values["updated_at"] = obj.updated_at
    rows = model._base_manager.filter(pk=obj.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    updated = rows.update(version=F("version") + 1, **values)
    if not updated:
        current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        raise StaleVersion(expected_version, current if current is not None else 0)
    obj.refresh_from_db(fields=["version", *(["updated_at"] if "updated_at" in values else [])])
