"""How a standard change template is doing: the success of its last closed changes.

A template is authorized once for every change made from it; that trust is watched. Over the
last ``template_success_window`` closed changes made from it (20 by default), the share that
closed *successful* (not "with issues", failed or backed out) is its success rate; below
``template_success_threshold`` (90 %) it is flagged for re-assessment. A template with no
closed change yet has no rate and is not flagged.

One statement for any number of templates: the changes are numbered per template, newest
closed first, by a window function, and only each template's last N are read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from steward.changes.choices import Outcome, Status
from steward.changes.models import ChangeRequest
from steward.changes.risk import settings


@dataclass(frozen=True)
class TemplateHealth:
    closed: int  # closed changes considered (at most the window)
    successful: int
    window: int
    threshold: int  # percent

    @property
    def rate(self) -> float | None:
        """The success rate in percent, or None before any change closed."""
        return round(100 * self.successful / self.closed, 1) if self.closed else None

    @property
    def flagged(self) -> bool:
        return self.closed > 0 and 100 * self.successful < self.threshold * self.closed


def template_health(template_ids) -> dict[int, TemplateHealth]:
    """``{template id: TemplateHealth}`` for every id given (a template without closed
    changes has ``closed == 0``)."""
    ids = sorted(set(template_ids))
    row = settings()
    window, threshold = row.template_success_window, row.template_success_threshold
    counts = {pk: [0, 0] for pk in ids}
    if ids:
        numbered = (
            ChangeRequest.objects.filter(template_id__in=ids, status=Status.CLOSED)
            .annotate(
                n=Window(
                    RowNumber(),
                    partition_by=[F("template_id")],
                    order_by=[F("closed_at").desc(), F("id").desc()],
                )
            )
            .filter(n__lte=window)
            .values_list("template_id", "outcome")
        )
        for template_id, outcome in numbered:
            counts[template_id][0] += 1
            counts[template_id][1] += outcome == Outcome.SUCCESSFUL
    return {
        pk: TemplateHealth(closed, successful, window, threshold)
        for pk, (closed, successful) in counts.items()
    }
