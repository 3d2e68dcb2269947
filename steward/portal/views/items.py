"""One requested item as its requester follows it: status in words, the answers given, the
approvals' progress (each step's name, state, when it was decided and by whom; a rejection's
reason is the item's), the tasks' progress (names and states only), the public
conversation, a reply, a file, and cancelling it while it is still open."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from steward.core.errors import DomainError, StaleVersion
from steward.fulfilment import answers
from steward.fulfilment import operations as fulfilment_ops
from steward.fulfilment import rules as fulfilment_rules
from steward.fulfilment.approval import SUBJECT_TYPE
from steward.fulfilment.attachments import serve_attachment
from steward.fulfilment.choices import Visibility
from steward.fulfilment.models import RequestAttachment, RequestComment
from steward.portal import sources, words
from steward.portal.forms import AttachForm, CancelForm, ReplyForm
from steward.portal.views.common import page, require, show_error


def _item(user, number: str):
    require(sources.catalog_on())
    item = sources.item_for(user, number)
    if item is None:
        raise Http404
    return item


def _render(request, item, *, reply=None, attach=None, cancel=None, status=200):

    user = request.user
    actions = fulfilment_rules.allowed_actions(user, item)
    comments = (
        RequestComment.objects.for_user(user, "view")
        .filter(item=item, visibility=Visibility.PUBLIC)
        .select_related("author")
        .order_by("id")
    )
    files = RequestAttachment.objects.for_user(user, "view").filter(
        item=item, visibility=Visibility.PUBLIC
    )
    context = {
        "item": item,
        "answers": answers.in_words(
            item, user, file_url=lambda a: reverse("portal:item_file", args=[item.number, a.pk])
        ),
        "awaits_approval": words.awaits_approval(item),
        "steps": sources.approval_steps(SUBJECT_TYPE, item.pk),
        "tasks": list(item.tasks.order_by("stage", "id").only("name", "status", "stage")),
        "conversation": list(comments),
        "files": list(files.order_by("id")),
        "may_reply": "comment" in actions,
        "may_attach": "attach" in actions,
        "may_cancel": "cancel" in actions,
        "reply_form": reply or ReplyForm(),
        "attach_form": attach or AttachForm(),
        "cancel_form": cancel or CancelForm(),
    }
    return page(request, "portal/item.html", context, current="my", status=status)


@login_required
@require_GET
def item_detail(request, number: str):
    return _render(request, _item(request.user, number))


@login_required
@require_POST
def item_reply(request, number: str):

    user = request.user
    item = _item(user, number)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            fulfilment_ops.add_comment(
                user, item, body=form.cleaned_data["body"], visibility=Visibility.PUBLIC
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your reply has been added."))
            return redirect("portal:item", item.number)
    return _render(request, item, reply=form, status=422)


@login_required
@require_POST
def item_attach(request, number: str):

    user = request.user
    item = _item(user, number)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            fulfilment_ops.add_attachment(user, item, form.cleaned_data["file"])
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The file has been attached."))
            return redirect("portal:item", item.number)
    return _render(request, item, attach=form, status=422)


@login_required
@require_POST
def item_cancel(request, number: str):

    user = request.user
    item = _item(user, number)
    form = CancelForm(request.POST)
    if form.is_valid():
        version = request.POST.get("version", "")
        try:
            fulfilment_ops.cancel_item(
                user,
                item,
                reason=form.cleaned_data["reason"],
                version=int(version) if version.isdigit() else None,
            )
        except StaleVersion:
            messages.error(
                request,
                _("%(number)s changed while you were reading it: here it is as it is now.")
                % {"number": item.number},
            )
            return redirect("portal:item", item.number)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("%(number)s is cancelled.") % {"number": item.number})
            return redirect("portal:item", item.number)
    return _render(request, item, cancel=form, status=422)


@login_required
@require_GET
def item_file(request, number: str, pk: int):
    """A file of the item, after fulfilment's permission check (always a download)."""

    item = _item(request.user, number)

    if (
        not RequestAttachment.objects.for_user(request.user, "view")
        .filter(item=item, pk=pk)
        .exists()
    ):
        raise Http404
    try:
        return serve_attachment(request.user, pk)
    except DomainError as exc:
        raise Http404 from exc
