"""Domain operations of the problems app: the only code that writes problems, their root
cause analysis, incident links and workaround uses. Each runs in one transaction, authorizes,
and writes the journal. Callers import this package."""

from steward.problems.operations.common import FIELDS, locked
from steward.problems.operations.lifecycle import (
    EDITABLE,
    create_problem,
    record_rca,
    transition,
    update_problem,
)
from steward.problems.operations.links import (
    apply_workaround,
    link_incidents,
    resolvable,
    resolve_incidents,
)

__all__ = [
    "EDITABLE",
    "FIELDS",
    "apply_workaround",
    "create_problem",
    "link_incidents",
    "locked",
    "record_rca",
    "resolvable",
    "resolve_incidents",
    "transition",
    "update_problem",
]
