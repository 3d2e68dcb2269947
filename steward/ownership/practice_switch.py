"""The practices as the Practices page and ``/api/v1/practices`` show them: what each does,
whether it is on, what it needs, and its process owner (the owner of its process here).

Lives in ownership, not core, because the process owner is ownership's data; the switch itself
(``core.practices``, ``core.operations.set_practice_enabled``) is the core's.
"""

from __future__ import annotations

from steward.core import practices
from steward.core.api_support import person_brief
from steward.ownership.models import Process


def rows(only: str | None = None) -> list[dict]:
    """Every practice (or the one ``only``), in order, in two queries."""
    everything = practices.all_practices()
    if only is not None:
        everything = [p for p in everything if p.key == only]
    stored = practices.stored_states()
    process_keys = [p.process_key for p in everything if p.process_key]
    processes = {}
    if process_keys:
        found = Process.objects.filter(key__in=process_keys).select_related("owner")
        processes = {p.key: p for p in found}
    names = {p.key: str(p.name) for p in practices.all_practices()}
    out = []
    for p in everything:
        process = processes.get(p.process_key)
        owner = process.owner if process is not None else None
        out.append(
            {
                "key": p.key,
                "name": str(p.name),
                "description": str(p.description),
                "brings": [str(b) for b in p.brings],
                "enabled": practices.is_on(p, stored),
                "switchable": p.switchable,
                "on_by_default": p.on_by_default,
                "depends_on": list(p.depends_on),
                "depends_on_names": [names.get(k, k) for k in p.depends_on],
                "needed_by": [d.key for d in practices.dependents(p.key)],
                "needed_by_names": [str(d.name) for d in practices.dependents(p.key)],
                "process": process,
                "process_owner": owner,
            }
        )
    return out


def api_row(row: dict) -> dict:
    return {
        **{k: v for k, v in row.items() if not k.endswith("_names") and k != "process"},
        "process": (
            {"id": row["process"].pk, "key": row["process"].key, "name": row["process"].name}
            if row["process"] is not None
            else None
        ),
        "process_owner": person_brief(row["process_owner"]),
    }
