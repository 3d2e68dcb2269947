"""Functional escalation: what an SLA definition says happens when a clock reaches a threshold.

The clock already tells people (warnings to the assignee, the last one to the group manager, a
breach to the manager and the service owner); an escalation rule moves the work too. A rule
names a metric (``response`` or ``resolution``), a point ``at`` (a percentage of the target,
``100`` being the breach) and what happens there: ``hand_over`` (to the service's next support
line, a formal handover waiting for acceptance) and/or ``raise_priority`` (one step). Each rule
fires once per clock. slm does not know the records: the practice's tracked type carries the
``escalate`` callable that does the work through the practice's operations.

Stored on ``SlaDefinition.escalations`` as
``[{"metric": "resolution", "at": 75, "hand_over": true, "raise_priority": false}, ...]``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from steward.core.errors import ValidationError

BREACH = 100
METRICS = ("response", "resolution")
ACTIONS = ("hand_over", "raise_priority")
MAX_RULES = 10


def check_rules(rules: Any, *, targets: dict[str, int | None]) -> list[dict]:
    """Validate the rules of a definition whose targets are ``targets`` (metric -> seconds);
    return them normalized (sorted by metric and point). Errors name ``escalations[i].field``."""
    if rules is None:
        return []
    if not isinstance(rules, list):
        raise ValidationError.field("escalations", _("must be a list of rules"))
    if len(rules) > MAX_RULES:
        raise ValidationError.field("escalations", _("at most %(max)s rules") % {"max": MAX_RULES})
    problems: dict[str, list[str]] = {}
    seen: set[tuple[str, int]] = set()
    clean = []
    for index, rule in enumerate(rules):
        name = f"escalations[{index}]"
        if not isinstance(rule, dict):
            problems[name] = [_("must be an object with metric, at, hand_over, raise_priority")]
            continue
        unknown = set(rule) - {"metric", "at", *ACTIONS}
        if unknown:
            problems[name] = [_("unknown fields %(fields)s") % {"fields": sorted(unknown)}]
            continue
        metric, at = rule.get("metric"), rule.get("at")
        actions = {a: rule.get(a, False) for a in ACTIONS}
        if metric not in METRICS:
            problems[f"{name}.metric"] = [
                _("must be one of %(values)s") % {"values": ", ".join(METRICS)}
            ]
        elif not targets.get(metric):
            problems[f"{name}.metric"] = [
                _("the SLA sets no %(metric)s target") % {"metric": metric}
            ]
        if isinstance(at, bool) or not isinstance(at, int) or not 1 <= at <= BREACH:
            problems[f"{name}.at"] = [
                _("must be a percentage of the target from 1 to 100 (breach)")
            ]
        if not all(isinstance(v, bool) for v in actions.values()):
            problems[f"{name}.hand_over"] = [
                _("hand_over and raise_priority must be true or false")
            ]
        elif not any(actions.values()):
            problems[f"{name}.hand_over"] = [
                _("choose what happens: hand_over, raise_priority or both")
            ]
        if f"{name}.metric" in problems or f"{name}.at" in problems:
            continue
        if (metric, at) in seen:
            problems[f"{name}.at"] = [
                _("another rule already acts at %(at)s%% of the %(metric)s target")
                % {"at": at, "metric": metric}
            ]
            continue
        seen.add((metric, at))
        clean.append({"metric": metric, "at": at, **actions})
    if problems:
        summary = "; ".join(f"{k}: {', '.join(v)}" for k, v in problems.items())
        raise ValidationError(
            _("Invalid escalation rules — %(summary)s") % {"summary": summary}, problems
        )
    return sorted(clean, key=lambda r: (METRICS.index(r["metric"]), r["at"]))


def checkpoints(thresholds: list[int], rules: list[dict]) -> list[int]:
    """The points (percentages below the breach) where a clock must be looked at: its warning
    thresholds and the points of its escalation rules."""
    return sorted({*thresholds, *(r["at"] for r in rules if r["at"] < BREACH)})


def describe(rule: dict) -> str:
    """A rule in words, as the journal records it."""
    point = "at the breach" if rule["at"] >= BREACH else f"at {rule['at']}%"
    actions = [
        text
        for key, text in (
            ("hand_over", "hand over to the next support line"),
            ("raise_priority", "raise the priority one step"),
        )
        if rule.get(key)
    ]
    return f"{point} of the {rule['metric']} target: {' and '.join(actions)}"
