"""The mail practice's KPI (declared in apps.py, computed by core.kpis): how much of the mail
that reaches the desk is set aside in quarantine. Facts are the
received messages, dated when they arrived; the group is the mailbox's default group (the
desk that receives it)."""

from __future__ import annotations

from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steward.core.kpis import Dialect, Kpi
from steward.mailbox.choices import MailMessageStatus
from steward.mailbox.models import InboundMessage, Mailbox

MESSAGE = InboundMessage._meta.db_table
MAILBOX = Mailbox._meta.db_table
_FROM = (
    f"FROM {MESSAGE} AS m JOIN {MAILBOX} AS b ON b.id = m.mailbox_id "
    f"WHERE m.status <> '{MailMessageStatus.RECEIVED}'"
)


def message_records(user, sql: str, params: list, offset: int, limit: int):
    """The received messages whose ids ``sql`` selects, as ``user`` may see them (the
    administrators), newest first."""
    rows = (
        InboundMessage.objects.for_user(user, "view")
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611  (core.kpis builds it, values bound)
        .order_by("-received_at", "-id")
    )
    count = rows.count()
    page = rows.values_list("pk", "subject", "from_address", "status")[offset : offset + limit]
    labels = dict(MailMessageStatus.choices)
    return count, [
        (
            subject or _("(no subject)"),
            reverse("mailbox:message", args=[pk]),
            f"{sender} · {labels.get(status, status)}",
        )
        for pk, subject, sender, status in page
    ]


def _quarantined(d: Dialect) -> str:
    return (
        f"SELECT m.received_at AS at, m.id AS rid, NULL AS v, CASE WHEN m.status IN "
        f"('{MailMessageStatus.QUARANTINED}', '{MailMessageStatus.DISCARDED}') THEN 1 ELSE 0 "
        f"END AS num, 1 AS den, b.default_group_id AS group_id {_FROM}"
    )


KPIS = [
    Kpi(
        key="mail_quarantine_rate",
        name=_("Mail set aside in quarantine"),
        description=_(
            "Of the messages received in the period, the share that could not be read or "
            "trusted and waited in quarantine for an administrator (retried or discarded)."
        ),
        formula=_("messages quarantined or discarded ÷ messages received"),
        unit="percent",
        good="down",
        aggregate="rate",
        facts=_quarantined,
        dimensions=("group",),
        records=message_records,
        records_label=_("received messages"),
        order=180,
    ),
]
