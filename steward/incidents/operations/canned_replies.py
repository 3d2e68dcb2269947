"""Saved (canned) replies: a small set of texts agents pick while writing a reply or a note.
A reply is personal (its owner keeps it) or a support group's (its manager and administrators
keep it; every member uses it). Each change is journaled on the reply."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, PermissionDenied
from steward.core.operations import full_clean
from steward.incidents import rules
from steward.incidents.models import CannedReply
from steward.incidents.operations.common import invalid
from steward.people.models import SupportGroup

TITLE_MAX = 80
BODY_MAX = 5_000
_FIELDS = ["title", "body", "owner", "group"]


def _check(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise invalid("title", _("Give the saved reply a short title."), "required")
    if len(title) > TITLE_MAX:
        raise invalid(
            "title",
            _("Keep the title under %(limit)d characters.") % {"limit": TITLE_MAX},
            f"at most {TITLE_MAX} characters",
        )
    if not body:
        raise invalid("body", _("Write the text of the saved reply."), "required")
    if len(body) > BODY_MAX:
        raise invalid(
            "body",
            _("The text is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(body), "limit": BODY_MAX},
            f"at most {BODY_MAX} characters",
        )
    return title, body


def _require_manager(actor, reply: CannedReply) -> None:
    if not rules.may_manage_canned_reply(actor, reply):
        raise PermissionDenied(
            _("Only its owner keeps a personal saved reply; a group's, its manager.")
        )


def _saved(reply: CannedReply, write) -> None:
    try:
        with transaction.atomic():
            write()
    except IntegrityError as exc:
        raise Conflict(
            _("There is already a saved reply called “%(title)s” there.") % {"title": reply.title},
            {"title": ["already used"]},
        ) from exc


@transaction.atomic
def create_canned_reply(
    actor, *, title: str, body: str, group: SupportGroup | None = None
) -> CannedReply:
    """A personal saved reply, or with ``group`` one the whole group uses (its manager's or an
    administrator's to make)."""
    if actor is None or not actor.is_it:
        raise PermissionDenied(_("Only IT staff keep saved replies."))
    title, body = _check(title, body)
    reply = CannedReply(title=title, body=body, owner=None if group else actor, group=group)
    _require_manager(actor, reply)
    full_clean(reply, exclude=["owner", "group"], constraints=False)
    _saved(reply, reply.save)
    journal.record(
        actor, reply, "created", {f: [None, v] for f, v in journal.snapshot(reply, _FIELDS).items()}
    )
    return reply


@transaction.atomic
def update_canned_reply(
    actor, reply: CannedReply, *, version: int | None, title: str, body: str
) -> CannedReply:
    _require_manager(actor, reply)
    before = journal.snapshot(reply, _FIELDS)
    reply.title, reply.body = _check(title, body)
    _saved(reply, lambda: save_versioned(reply, version, ["title", "body"]))
    journal.record(actor, reply, "updated", journal.diff(before, journal.snapshot(reply, _FIELDS)))
    return reply


@transaction.atomic
def delete_canned_reply(actor, reply: CannedReply) -> None:
    _require_manager(actor, reply)
    journal.record(actor, reply, "deleted", {"title": [reply.title, None]})
    reply.delete()
