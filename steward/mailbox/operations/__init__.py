"""The mailbox app's writers: receiving and processing messages, the quarantine, mailboxes."""

from steward.mailbox.operations.intake import (
    discard,
    ingest,
    process,
    receive,
    retry,
)
from steward.mailbox.operations.mailboxes import (
    create_mailbox,
    delete_mailbox,
    update_mailbox,
)

__all__ = [
    "create_mailbox",
    "delete_mailbox",
    "discard",
    "ingest",
    "process",
    "receive",
    "retry",
    "update_mailbox",
]
