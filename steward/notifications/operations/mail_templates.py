"""Writing the administrators' mail templates (``notifications.mail_templates``), and the
preview of one before it is saved."""

from __future__ import annotations

from types import SimpleNamespace
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.errors import Conflict, NotFound, StaleVersion, ValidationError
from steward.core.operations import require_admin
from steward.notifications import headers, mail_templates
from steward.notifications.mail_html import html_for
from steward.notifications.models import MailTemplate

FIELDS = ["subject", "body"]
#: the number of the made-up record every event's preview is about
SAMPLE_LABEL = "INC0001234"
SUBJECT_MAX = MailTemplate._meta.get_field("subject").max_length
BODY_MAX = 20_000


class Preview(NamedTuple):
    subject: str
    text: str
    html: str


def event_of(key: str) -> mail_templates.MailEvent:
    event = mail_templates.events().get(key)
    if event is None:
        raise NotFound(_("There is no mail event %(event)s.") % {"event": key})
    return event


def _language(language: str) -> str:
    if language not in dict(mail_templates.languages()):
        raise ValidationError.field(
            "language",
            _("Choose one of %(languages)s.")
            % {"languages": ", ".join(dict(mail_templates.languages()))},
        )
    return language


def _braced(name: str) -> str:
    return "{{ " + name + " }}"


def _checked(event: mail_templates.MailEvent, subject: str, body: str) -> tuple[str, str]:
    """The template's words, or a 422 naming the field: a subject is one line, both are
    required, and each placeholder is one the event offers."""
    errors: dict[str, list[str]] = {}
    if any(c in subject for c in "\r\n"):
        errors.setdefault("subject", []).append(_("A subject is one line."))
    subject = subject.strip()
    body = body.replace("\r\n", "\n").strip("\n")
    for name, value, limit in (("subject", subject, SUBJECT_MAX), ("body", body, BODY_MAX)):
        if not value.strip():
            errors.setdefault(name, []).append(_("This field is required."))
        elif len(value) > limit:
            errors.setdefault(name, []).append(
                _("At most %(limit)s characters.") % {"limit": limit}
            )
        wrong = mail_templates.unknown(event, value)
        if wrong:
            errors.setdefault(name, []).append(
                _("%(names)s is not offered here; use %(offered)s.")
                % {
                    "names": ", ".join(_braced(n) for n in wrong),
                    "offered": ", ".join(_braced(n) for n in mail_templates.variables(event)),
                }
            )
    if errors:
        raise ValidationError(next(iter(errors.values()))[0], errors)
    return subject, body


@transaction.atomic
def save_template(
    actor, event: str, language: str, *, subject: str, body: str, version: int | None = None
) -> MailTemplate:
    """Create or rewrite the template of ``event`` in ``language``; administrators only.
    ``version``: the version the writer read (409 when someone saved in between)."""
    require_admin(actor, gettext_lazy("edit mail templates"))
    mail_event = event_of(event)
    language = _language(language)
    subject, body = _checked(mail_event, subject, body)
    row = MailTemplate.objects.select_for_update().filter(event=event, language=language).first()
    if row is None:
        row = MailTemplate(
            event=event, language=language, subject=subject, body=body, updated_by=actor
        )
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError as exc:  # another administrator created it a moment ago
            raise Conflict(
                _("Someone else saved this template a moment ago; reload it and try again.")
            ) from exc
        journal.record(actor, row, "created", {"subject": [None, subject], "body": [None, body]})
    else:
        before = journal.snapshot(row, FIELDS)
        row.subject, row.body = subject, body
        row.updated_by = actor
        save_versioned(row, version, [*FIELDS, "updated_by"])
        changes = journal.diff(before, journal.snapshot(row, FIELDS))
        if changes:
            journal.record(actor, row, "updated", changes)
    transaction.on_commit(mail_templates.forget)
    mail_templates.forget()
    return row


@transaction.atomic
def reset_template(actor, event: str, language: str, *, version: int | None = None) -> None:
    """Back to Steward's built-in words for ``event`` in ``language``."""
    require_admin(actor, gettext_lazy("edit mail templates"))
    event_of(event)
    row = (
        MailTemplate.objects.select_for_update()
        .filter(event=event, language=_language(language))
        .first()
    )
    if row is None:
        return
    if version is not None and version != row.version:
        raise StaleVersion(version, row.version)
    journal.record(actor, row, "deleted", {"subject": [row.subject, None]})
    row.delete()
    transaction.on_commit(mail_templates.forget)
    mail_templates.forget()


def preview(actor, event: str, language: str, *, subject: str = "", body: str = "") -> Preview:
    """The e-mail of ``event`` for a made-up record, said in ``language`` and the actor's time
    zone: with ``subject`` and ``body`` (a template being written, checked as on save), or
    with the built-in words when both are empty. Writes nothing."""
    require_admin(actor, gettext_lazy("edit mail templates"))
    mail_event = event_of(event)
    language = _language(language)
    template = None
    if subject or body:
        subject, body = _checked(mail_event, subject, body)
        template = MailTemplate(event=event, language=language, subject=subject, body=body)
    built_subject, built_body, extra = mail_event.sample()
    with translation.override(language), timezone.override(actor.time_zone):
        said_subject, said_body = mail_templates.compose(
            template,
            built_subject,
            built_body,
            recipient=actor,
            link=extra.pop("link", ""),
            extra=extra,
        )
    # as sent: one line, with the record's token ([INC0001234]) that threads the replies
    sent = SimpleNamespace(subject=" ".join(said_subject.split()), record_label=SAMPLE_LABEL)
    said_subject = headers.subject(sent)
    return Preview(said_subject, said_body, html_for(said_subject, said_body))
