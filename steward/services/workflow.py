"""The service lifecycle: a service is planned (pipeline), goes live, and is retired. A service
retired before it went live leaves the pipeline straight to retired; a retired service stays
retired (record a new one to bring it back)."""

from __future__ import annotations

from steward.core.workflow import TransitionTable
from steward.services.choices import Lifecycle

SERVICE = TransitionTable(
    "service",
    {
        Lifecycle.PIPELINE: {Lifecycle.LIVE, Lifecycle.RETIRED},
        Lifecycle.LIVE: {Lifecycle.RETIRED},
        Lifecycle.RETIRED: set(),
    },
)
