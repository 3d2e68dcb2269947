"""The mail administration pages: mailboxes, the message log with its quarantine, and one
message (its sanitized HTML in a sandboxed frame, its raw .eml as a download)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.mailbox import operations as ops
from steward.mailbox.choices import MailMessageStatus
from steward.mailbox.forms import DiscardForm, MailboxForm
from steward.mailbox.models import InboundMessage, Mailbox
from steward.people import conflicts
from steward.people.admin_area import admin_context, require_admin_page
from steward.people.forms import add_domain_error

PAGE_SIZE = 50
#: The policy of a message's HTML: a sandbox without scripts, forms or same origin; nothing
#: loaded (no images, styles or fonts from anywhere); only Steward's own page may frame it.
MESSAGE_CSP = "sandbox; default-src 'none'; frame-ancestors 'self'; form-action 'none'"


def _admin(request):
    require_admin_page(request.user)
    return request.user


def _context(request, section: str, **extra) -> dict:
    return {**admin_context(request, section), **extra}


@login_required
def mailbox_list(request):
    user = _admin(request)
    boxes = Mailbox.objects.for_user(user, "view").select_related("default_group")
    quarantined = InboundMessage.objects.filter(status=MailMessageStatus.QUARANTINED).count()
    return render(
        request,
        "mailbox/mailboxes.html",
        _context(request, "mail", mailboxes=boxes, quarantined=quarantined),
    )


def _mailbox(user, pk) -> Mailbox:
    found = Mailbox.objects.for_user(user, "view").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _initial(mailbox: Mailbox) -> dict:
    return {
        **{f: getattr(mailbox, f) for f in ops.mailboxes.FIELDS},
        "version": mailbox.version,
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def mailbox_edit(request, pk: int | None = None):
    user = _admin(request)
    mailbox = _mailbox(user, pk) if pk is not None else None
    conflict, status = None, 200
    if request.method == "POST":
        form = MailboxForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            values = form.values()
            try:
                if mailbox is None:
                    mailbox = ops.create_mailbox(user, **values)
                else:
                    ops.update_mailbox(
                        user, mailbox, version=form.cleaned_data.get("version") or 0, **values
                    )
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, mailbox, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("The mailbox %(name)s is saved.") % {"name": values["name"]}
                )
                return redirect("mailbox:mailboxes")
    else:
        form = MailboxForm(user=user, initial=_initial(mailbox) if mailbox else None)
    history = journal.history(mailbox).order_by("-id")[:30] if mailbox else []
    context = _context(
        request, "mail", form=form, mailbox=mailbox, conflict=conflict, history=history
    )
    return render(request, "mailbox/mailbox_form.html", context, status=status)


@login_required
def message_list(request):
    """Every message received, newest first; ``?status=quarantined`` is the quarantine."""
    user = _admin(request)
    status = request.GET.get("status", "")
    rows = InboundMessage.objects.for_user(user, "view").select_related("mailbox")
    if status in MailMessageStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-received_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = _context(
        request,
        "mail",
        page_obj=page,
        status=status,
        statuses=MailMessageStatus.choices,
    )
    return render(request, "mailbox/messages.html", context)


def _message(user, pk) -> InboundMessage:
    found = InboundMessage.objects.for_user(user, "view").select_related("mailbox").filter(pk=pk)
    found = found.first()
    if found is None:
        raise Http404
    return found


@login_required
def message_detail(request, pk: int):
    user = _admin(request)
    message = _message(user, pk)
    context = _context(
        request,
        "mail",
        message=message,
        discard_form=DiscardForm(),
        history=journal.history(message).order_by("-id"),
    )
    return render(request, "mailbox/message.html", context)


@login_required
@xframe_options_sameorigin
def message_html(request, pk: int):
    """The message's HTML, sanitized when received, in a sandbox of its own."""
    message = _message(_admin(request), pk)
    response = HttpResponse(message.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = MESSAGE_CSP
    response["Cache-Control"] = "no-store"
    return response


@login_required
def message_raw(request, pk: int):
    """The .eml as received, as a download (never shown in the browser)."""
    message = _message(_admin(request), pk)
    try:
        handle = default_storage.open(message.raw_path, "rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"message-{message.pk}.eml",
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def message_retry(request, pk: int):
    user = _admin(request)
    try:
        message = ops.retry(user, _message(user, pk))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if message.status == MailMessageStatus.QUARANTINED:
            messages.error(request, _("Still quarantined: %(reason)s") % {"reason": message.reason})
        else:
            messages.success(request, _("The message was processed."))
    return redirect("mailbox:message", pk)


@login_required
@require_POST
def message_discard(request, pk: int):
    user = _admin(request)
    form = DiscardForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        ops.discard(user, _message(user, pk), reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message was discarded; its raw copy is kept."))
    return redirect("mailbox:message", pk)
