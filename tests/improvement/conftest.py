"""Fixtures of the improvement tests: the incident desk, a manager who approves, an owner,
and a clock the tests move (``django.utils.timezone.now`` patched, so every stored time is the
one the story says)."""

from __future__ import annotations

import datetime as dt

import pytest

from steward.improvement import operations as ops
from steward.incidents import operations as incident_ops
from steward.people.choices import Role
from tests.incidents.conftest import desk  # noqa: F401  (a fixture)


def t(month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.now = t(1, 1)
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def __call__(self, moment: dt.datetime) -> Clock:
        self.now = moment
        return self


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def reg(desk, make_user):  # noqa: F811
    """The desk plus a manager (approves), an improvement owner (an agent) and a second
    agent (neither manager nor owner)."""
    people = desk["people"]
    return {
        **desk,
        "manager": make_user("manager", roles=[Role.AGENT, Role.PROCESS_OWNER]),
        "improver": make_user("improver", roles=[Role.AGENT]),
        "agent": people["agent"],
        "requester": people["requester"],
        "neighbour": people["neighbour"],
        "outsider": people["outsider"],
        "admin": people["admin"],
    }


@pytest.fixture
def incident_at(reg, clock):
    """incident_at(moment, service=...) -> an incident raised at ``moment``."""

    def make(moment, service=None, **fields):
        clock(moment)
        return incident_ops.open_incident(
            reg["agent"],
            title=fields.pop("title", "Cannot log in"),
            caller=reg["requester"],
            impact=2,
            urgency=2,
            service=service or reg["services"]["retail_live"],
            **fields,
        )

    return make


@pytest.fixture
def item(reg):
    """item(**fields) -> a proposed item (by the manager unless ``actor``), with an owner and
    a due date so that it can be approved."""

    def make(actor=None, **fields):
        fields.setdefault("title", "Route VPN incidents straight to Network")
        fields.setdefault("problem", "Every VPN incident is handed over once for nothing.")
        fields.setdefault("owner", reg["improver"])
        fields.setdefault("due_date", dt.date(2026, 6, 30))
        return ops.propose(actor or reg["manager"], **fields)

    return make
