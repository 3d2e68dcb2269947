"""Fixtures shared by the core tests."""

from __future__ import annotations

import dataclasses

import pytest

from steward.core import practices


@pytest.fixture
def only_incidents_and_service_levels_on_by_default():
    """These tests switch incidents and service levels off and on in a new installation: the
    practices built on them (problems on incidents...) start off here, so that the switches
    under test are the only ones stored (refusing a switch while a dependent is on is tested
    with the practices' own dependency between incidents and service levels)."""
    first = {"incidents", "service_levels"}
    saved, pending = {}, list(first)
    while pending:
        for dependent in practices.dependents(pending.pop()):
            if dependent.key not in first and dependent.key not in saved:
                saved[dependent.key] = dependent
                pending.append(dependent.key)
    for key, practice in saved.items():
        practices._practices[key] = dataclasses.replace(practice, on_by_default=False)
    practices._by_app.cache_clear()
    yield
    practices._practices.update(saved)
    practices._by_app.cache_clear()
