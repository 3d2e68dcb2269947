"""The mail template pages: the events Steward mails about, and a template per event and
language, written with a preview of the e-mail before it is saved."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, NotFound, StaleVersion
from steward.notifications import mail_templates
from steward.notifications.forms_mail_templates import MailTemplateForm
from steward.notifications.models import MailTemplate
from steward.notifications.operations import mail_templates as ops
from steward.people import conflicts
from steward.people.admin_area import admin_context, require_admin_page
from steward.people.forms import add_domain_error


def _admin(request):
    require_admin_page(request.user)
    return request.user


def _event(key: str, language: str) -> mail_templates.MailEvent:
    try:
        event = ops.event_of(key)
    except NotFound as exc:
        raise Http404 from exc
    if language not in dict(mail_templates.languages()):
        raise Http404
    return event


@login_required
def mail_template_list(request):
    _admin(request)
    rows = {(t.event, t.language): t for t in MailTemplate.objects.all()}
    languages = mail_templates.languages()
    events = [
        {
            "event": event,
            "states": [(code, name, rows.get((event.key, code))) for code, name in languages],
        }
        for event in mail_templates.events().values()
    ]
    context = {**admin_context(request, "mail_templates"), "events": events}
    return render(request, "notifications/mail_templates.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mail_template_edit(request, event: str, language: str):
    user = _admin(request)
    mail_event = _event(event, language)
    row = MailTemplate.objects.filter(event=event, language=language).first()
    conflict, status, preview = None, 200, None
    if request.method == "POST":
        form = MailTemplateForm(request.POST)
        status = 422
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            try:
                if request.POST.get("action") == "preview":
                    preview = ops.preview(user, event, language, subject=subject, body=body)
                    status = 200
                else:
                    version = form.cleaned_data.get("version") if row else None
                    ops.save_template(
                        user, event, language, subject=subject, body=body, version=version
                    )
                    messages.success(request, _("The template is saved: the next e-mail says it."))
                    return redirect("notifications:mail_template", event, language)
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, row, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
    else:
        if row is not None:
            initial = {"subject": row.subject, "body": row.body, "version": row.version}
        else:
            with translation.override(language):
                subject, body = mail_templates.builtin(mail_event)
            initial = {"subject": subject, "body": body}
        if row is not None:
            initial["seen"] = conflicts.last_seen(row)
        form = MailTemplateForm(initial=initial)
        preview = ops.preview(user, event, language, **_words(row))
    context = {
        **admin_context(request, "mail_templates"),
        "event": mail_event,
        "language": language,
        "language_name": dict(mail_templates.languages())[language],
        "variables": mail_templates.variables(mail_event),
        "row": row,
        "form": form,
        "preview": preview,
        "conflict": conflict,
        "history": journal.history(row).order_by("-id")[:20] if row else [],
    }
    return render(request, "notifications/mail_template_form.html", context, status=status)


def _words(row) -> dict:
    return {"subject": row.subject, "body": row.body} if row is not None else {}


@login_required
@require_POST
def mail_template_reset(request, event: str, language: str):
    user = _admin(request)
    _event(event, language)
    ops.reset_template(user, event, language)
    messages.success(request, _("Steward's own words are sent again."))
    return redirect("notifications:mail_template", event, language)
