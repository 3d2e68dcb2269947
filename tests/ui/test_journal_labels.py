"""How the timeline names what happened: acronyms in capitals, times in the reader's zone."""

from __future__ import annotations

from django.utils import timezone

from steward.core.templatetags.steward_ui import field_label, journal_value


def test_journal_actions_and_fields_keep_their_acronyms():
    assert field_label("sla_started") == "SLA started"
    assert field_label("ola_breached") == "OLA breached"
    assert field_label("standard_p2_response") == "Standard P2 response"
    assert field_label("affected_ci") == "Affected CI"
    assert field_label("time_zone") == "Time zone"


def test_a_stored_timestamp_reads_in_the_readers_time_zone():
    with timezone.override("Europe/Amsterdam"):
        assert journal_value("2026-11-24T10:57:45+00:00") == "24 Nov 2026, 11:57"
    with timezone.override("America/New_York"):
        assert journal_value("2026-11-24T10:57:45+00:00") == "24 Nov 2026, 05:57"
    # text that only looks like a date is left alone
    assert journal_value("2026-11-24") == "2026-11-24"
    assert journal_value("see 2026-11-24T10:57:45+00:00") == "see 2026-11-24T10:57:45+00:00"
