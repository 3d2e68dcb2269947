"""Admin pages of the incident data, read-only: the priority matrix and categories change through
their operations (API: /api/v1/priority-matrix, /api/v1/incident-categories), which journal
every change; incidents and handovers change only through the incident operations."""

from __future__ import annotations

from django.contrib import admin

from steward.core.admin_support import ReadOnlyAdmin
from steward.incidents.models import (
    Handover,
    Incident,
    IncidentCategory,
    PriorityMatrix,
)


@admin.register(PriorityMatrix)
class PriorityMatrixAdmin(ReadOnlyAdmin):
    list_display = ["impact", "urgency", "priority"]


@admin.register(IncidentCategory)
class IncidentCategoryAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "status", "priority", "owning_group", "assignee"]
    list_filter = ["status", "priority"]
    search_fields = ["number", "title"]
    list_select_related = ["owning_group", "assignee"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["pk", "incident", "from_group", "to_group", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["incident", "from_group", "to_group"]
