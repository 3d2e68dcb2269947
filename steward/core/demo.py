"""The core's part of ``load_demo``: switch every practice on, so the demo shows everything
(a new installation starts with only incidents and service levels on).

With ``--once`` (``make run``, on every start) it does nothing once any switch has been
stored, so a practice an administrator switched off stays off across restarts."""

from __future__ import annotations

from steward.core import operations, practices
from steward.core.models import PracticeState


def _switch_on(practice: practices.Practice, stdout, quiet: bool) -> None:
    if practices.is_on(practice):
        return
    for key in practice.depends_on:  # what it needs first
        needed = practices.get(key)
        if needed is not None:
            _switch_on(needed, stdout, quiet)
    operations.set_practice_enabled(None, practice.key, True)
    if not quiet:
        stdout.write(f"Switched on the practice {practice.name}.")


def load(stdout, quiet: bool = False) -> None:
    if quiet and PracticeState.objects.exists():
        return
    for practice in practices.all_practices():
        _switch_on(practice, stdout, quiet)
