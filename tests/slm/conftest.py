"""Fixtures of the slm tests: the incident desk (groups, agents, an incident factory) for the
tests that drive SLA clocks through real incidents."""

from tests.incidents.conftest import desk, open_one  # noqa: F401  (fixtures)
