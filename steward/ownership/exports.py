"""Exports of ownership records, shared by the pages and the API."""

from __future__ import annotations

import csv
import io

from steward.ownership.choices import Letter
from steward.ownership.models import Process


def raci_csv(process: Process) -> str:
    """The matrix as a spreadsheet: one row per activity, one column per party."""
    parties: dict[tuple, str] = {}
    for act in process.activities.all():
        for a in act.assignments.all():
            label = f"{a.party_name} ({a.party_kind})" if a.party_kind != "user" else a.party_name
            parties.setdefault(a.party_key, label)
    order = sorted(parties, key=lambda k: ({"role": 0, "group": 1, "user": 2}[k[0]], parties[k]))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Order", "Activity", *(parties[k] for k in order)])
    letters = "".join(Letter.values)
    for act in process.activities.all():
        cells: dict[tuple, list[str]] = {}
        for a in sorted(act.assignments.all(), key=lambda a: letters.index(a.letter)):
            text = a.letter
            if a.accountable_person_id:
                text += f" ({a.accountable_person.display_name})"
            cells.setdefault(a.party_key, []).append(text)
        writer.writerow([act.order, act.name, *("/".join(cells.get(k, [])) for k in order)])
    return out.getvalue()
