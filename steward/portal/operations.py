"""The portal's one write of its own: reporting a problem with a file is two incident
operations (raise it, attach the file) that must succeed or fail together, so they run here in
one transaction. Everything else the portal does calls the practices' operations directly."""

from __future__ import annotations

from django.db import transaction

from steward.incidents import operations as incident_ops
from steward.incidents.choices import Level, Visibility


@transaction.atomic
def report_problem(
    actor,
    *,
    title: str,
    description: str = "",
    service=None,
    urgency: int = Level.MEDIUM,
    upload=None,
):
    """Raise an incident for ``actor`` (the caller is always the person reporting) and attach
    ``upload`` to it publicly. A refused file rolls the incident back: nothing is written."""
    incident = incident_ops.open_incident(
        actor,
        title=title,
        caller=actor,
        impact=Level.MEDIUM,
        urgency=urgency,
        description=description,
        service=service,
    )
    if upload is not None:
        incident_ops.add_attachment(actor, incident, upload, visibility=Visibility.PUBLIC)
    return incident
