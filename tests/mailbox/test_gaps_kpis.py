"""The mail practice in the ownership gaps and the KPI catalogue: mail left in quarantine for
more than a day is the administrators' gap, and the share of mail set aside is a KPI."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from steward.core import clock, kpis
from steward.core.kpis import Query
from steward.core.operations import set_practice_enabled
from steward.mailbox import gaps
from steward.mailbox.operations import intake
from steward.ownership import gaps as ownership_gaps
from tests.mailbox.conftest import mail

BROKEN = b"From: nobody\r\nSubject: Hello\r\n\r\nbody\r\n"


def _at(days_ago: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_mail_waiting_in_quarantine_for_a_day_is_the_administrators_gap(desk, admin_user, agent):
    with clock.simulated(_at(2)):
        old = intake.ingest(desk, BROKEN)
    intake.ingest(desk, BROKEN.replace(b"Hello", b"Hello again"))  # just now: not yet a gap
    found = gaps.quarantine_waiting()
    assert [g["record"]["id"] for g in found] == [old.pk]
    assert found[0]["link"] == f"/mail/messages/{old.pk}/"
    assert "waited in quarantine" in found[0]["problem"]
    kinds = {p.kind: p for p in ownership_gaps.providers()}
    assert kinds["mail_quarantined"].collect_for(admin_user) == found
    assert kinds["mail_quarantined"].collect_for(agent) == []

    intake.discard(admin_user, old, reason="spam")  # looked at: the gap is closed
    assert gaps.quarantine_waiting() == []


def test_the_quarantine_rate_is_a_kpi_per_receiving_group(desk):
    with clock.simulated(_at(3)):
        for n in range(3):
            intake.ingest(desk, mail(sender=f"stranger{n}@elsewhere.test", subject=f"Mail {n}"))
        intake.ingest(desk, BROKEN)
    kpi = kpis.get_kpi("mail_quarantine_rate")
    figure = kpis.compute(kpi, Query(_at(10), _at(-1), {}, "group"))
    assert (figure.value, figure.count) == (25.0, 4)
    assert {p["key"]: p["value"] for p in figure.series} == {str(desk.group.pk): 25.0}


def test_the_kpi_and_the_gap_go_with_the_practice(desk):
    assert "mail_quarantine_rate" in {k.key for k in kpis.enabled_kpis()}
    set_practice_enabled(None, "mailbox", False)
    assert "mail_quarantine_rate" not in {k.key for k in kpis.enabled_kpis()}
    assert "mail_quarantined" not in {p.kind for p in ownership_gaps.providers()}
