"""Demo mail: the service desk's address, piped in, with a week and a half of messages
replayed through the intake on the simulated clock — new incidents written by end users,
replies threaded by the ticket token, an out-of-office reply and a bounce left alone, a
stranger refused, and one broken message waiting in quarantine.

Idempotent: nothing happens once the mailbox exists."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from steward.core import clock
from steward.incidents.models import Incident
from steward.mailbox import operations as ops
from steward.mailbox.models import Mailbox
from steward.mailbox.operations import intake
from steward.people.models import SupportGroup, User

ADDRESS = "servicedesk@example.org"

NEW = [
    ("johan.veenstra", 10, "Cash recycler in Utrecht branch reports error E42",
     "Good morning,\n\nThe cash recycler in our Utrecht branch shows error E42 since opening "
     "and will not accept deposits. Customers are queueing.\n\nJohan Veenstra\n-- \n"
     "Branch manager Utrecht"),
    ("femke.huisman", 7, "Payment batch file rejected by the bank's gateway",
     "Hi,\n\nThis morning's SEPA batch was rejected with 'invalid creditor id'. Nothing changed "
     "on our side. Can someone look before the 14:00 cut-off?\n\nFemke"),
    ("ingrid.kok", 4, "Cannot open the HR portal from home",
     "Hello service desk,\n\nSince yesterday the HR portal says 'access denied' when I work "
     "from home; in the office it works.\n\nKind regards,\nIngrid Kok"),
    ("ahmed.elamrani", 2, "Mortgage calculator shows an old interest rate",
     "The mortgage calculator in the advisor app still uses last month's rate (3.9%). "
     "Customers see 3.7% on the website.\n\nAhmed"),
]  # fmt: skip


def _message(sender: str, subject: str, body: str, at: dt.datetime, **headers) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ADDRESS
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = make_msgid(domain="mail.example.org")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def _replay(now: dt.datetime, group: SupportGroup | None) -> int:
    people = {u.username: u for u in User.objects.filter(username__in=[n for n, *_ in NEW])}
    clock.set(now - dt.timedelta(days=11))
    box = ops.create_mailbox(
        None,
        name="servicedesk",
        address=ADDRESS,
        default_group=group,
        new_senders="reject",
    )
    count = 0
    opened = []
    for username, days_ago, subject, body in NEW:
        user = people.get(username)
        if user is None:
            continue
        at = now - dt.timedelta(days=days_ago, hours=3)
        clock.set(at)
        row = intake.ingest(box, _message(f"{user.display_name} <{user.email}>", subject, body, at))
        count += 1
        if row.record_id:
            opened.append((user, Incident.objects.get(pk=row.record_id), days_ago))
    for user, incident, days_ago in opened[:2]:
        at = now - dt.timedelta(days=days_ago - 1)
        clock.set(at)
        intake.ingest(
            box,
            _message(
                user.email,
                f"RE: [{incident.number}] {incident.title}",
                "It happened again this morning, same message.\n\n"
                f"On {at:%d %b %Y}, Service Desk wrote:\n> Could you tell us when it happens?",
                at,
            ),
        )
        count += 1
    if opened:
        user, incident, days_ago = opened[0]
        at = now - dt.timedelta(days=days_ago - 2)
        clock.set(at)
        intake.ingest(
            box,
            _message(
                user.email,
                f"Automatic reply: [{incident.number}] {incident.title}",
                "I am out of the office until Monday.",
                at,
                Auto_Submitted="auto-replied",
            ),
        )
        count += 1
    at = now - dt.timedelta(days=3)
    clock.set(at)
    for raw in (
        _message(
            "MAILER-DAEMON@mx.example.org",
            "Undelivered Mail Returned to Sender",
            "This is the mail system at host mx.example.org.\n\nI'm sorry to have to inform you "
            "that your message could not be delivered.",
            at,
        ),
        _message(
            "newsletter@vendor.example.com",
            "Your monthly printer supplies offer",
            "Order toner now and save 20%.",
            at,
            Precedence="bulk",
        ),
        _message(
            "p.devries@mail.example.net",
            "My bank card is blocked",
            "Hello, my debit card was blocked at the supermarket. Can you unblock it?",
            at,
        ),
        b"From: branch.printer@example.org\r\nTo: " + ADDRESS.encode() + b"\r\n"
        b"Subject: Scan from MFP-3F\r\nMessage-ID: <scan-3f-0042@example.org>\r\n"
        b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="scan"\r\n\r\n'
        b"--other\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 truncated\r\n",
    ):
        intake.ingest(box, raw, source="pipe")
        count += 1
    return count


def load(stdout, quiet: bool = False) -> None:
    if Mailbox.objects.exists() or not Incident.objects.exists():
        return
    group = SupportGroup.objects.filter(name="Service Desk").first()
    until = clock.real_now()
    if clock.is_simulated():
        count = _replay(until, group)
        clock.set(until)
    else:
        with clock.simulated(until - dt.timedelta(days=12)):
            count = _replay(until, group)
    if not quiet:
        stdout.write(f"mail: {count} demo messages\n")
