"""A real IMAP server (Dovecot, from Debian's packages: `make test` installs it) started for
the test session on a free loopback port with a configuration of its own, and a fresh
account per test; the mailbox under test reads it over IMAP like a production one."""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imap_tools import MailBoxUnencrypted

DOVECOT = "/usr/sbin/dovecot"
ACCOUNTS = 500


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _config(root: Path, port: int) -> str:
    if os.geteuid() == 0:
        # Dovecot's login processes refuse to run as root: its own system users run them
        login, internal = "dovenull", "dovecot"
    else:
        login = internal = pwd.getpwuid(os.geteuid()).pw_name
    owner = pwd.getpwnam(internal)
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login}
default_internal_user = {internal}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


class ImapServer:
    def __init__(self, root: Path, port: int):
        self.root, self.port, self.host = root, port, "127.0.0.1"
        self._numbers = itertools.count(1)

    def new_account(self) -> tuple[str, str]:
        """A fresh account (address, password): each test reads its own empty INBOX."""
        number = next(self._numbers)
        assert number <= ACCOUNTS, "more mail tests than accounts: raise ACCOUNTS"
        return f"desk{number}@example.test", "secret"

    def deliver(self, account: str, raw: bytes) -> None:
        """Put a message in the account's INBOX, as the mail server's delivery would."""
        with MailBoxUnencrypted(self.host, self.port).login(account, "secret") as box:
            box.append(raw, "INBOX")

    def unseen(self, account: str) -> int:
        with MailBoxUnencrypted(self.host, self.port).login(account, "secret") as box:
            return len(box.uids("UNSEEN"))


@pytest.fixture(scope="session")
def imap_server():
    if not os.access(DOVECOT, os.X_OK):
        pytest.fail("Dovecot is not installed: `make test` installs it (apt dovecot-imapd)")
    root = Path(tempfile.mkdtemp(prefix="steward-imap-"))
    os.chmod(root, 0o755)  # noqa: S103 (Dovecot's own users read their configuration)
    for sub in ("run", "state", "home"):
        (root / sub).mkdir()
    # every account up front: Dovecot re-reads the file only when its mtime (in seconds) moves
    (root / "passwd").write_text(
        "".join(f"desk{n}@example.test:{{PLAIN}}secret\n" for n in range(1, ACCOUNTS + 1))
    )
    port = _free_port()
    (root / "dovecot.conf").write_text(_config(root, port))
    if os.geteuid() == 0:
        shutil.chown(root / "home", "dovecot", "dovecot")
    # in the foreground (-F): the fixture owns the process and stops it at the end
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    server = ImapServer(root, port)
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                if sock.recv(64).startswith(b"* OK"):
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Dovecot did not answer: {(root / 'dovecot.log').read_text()}")
            time.sleep(0.05)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(root, ignore_errors=True)


from tests.notifications.conftest import smtp  # noqa: E402, F401 (a real SMTP server)


def mail(
    *,
    sender: str,
    to: str = "desk@example.test",
    subject: str = "Printer on floor 3 is jammed",
    body: str = "The printer says paper jam but there is no paper in it.",
    message_id: str | None = "auto",
    html: str | None = None,
    headers: dict | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
) -> bytes:
    """A message as a mail client would send it (RFC 5322 bytes)."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate()
    if message_id == "auto":
        msg["Message-ID"] = make_msgid(domain="client.test")
    elif message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for name, data, ctype in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


@pytest.fixture
def desk(db, make_user, imap_server):
    """A mailbox on a fresh Dovecot account, routing new tickets to the Service Desk group."""
    from steward.mailbox import operations as ops
    from steward.people import operations as people_ops

    address, password = imap_server.new_account()
    manager = make_user("deskmanager")
    group = people_ops.create_group(None, name="Service Desk", manager=manager, members=[manager])
    box = ops.create_mailbox(
        None,
        name=f"desk-{address.partition('@')[0]}",
        address=address,
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        security="none",
        username=address,
        secret=password,
        default_group=group,
    )
    box.group = group
    return box
