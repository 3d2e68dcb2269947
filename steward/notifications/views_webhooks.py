"""The webhook administration pages: subscriptions, a test delivery, the delivery log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.notifications.forms_webhooks import WebhookForm
from steward.notifications.models import Webhook, WebhookDelivery
from steward.notifications.operations import webhooks as ops
from steward.people import conflicts
from steward.people.admin_area import admin_context, require_admin_page
from steward.people.forms import add_domain_error

LOG_SIZE = 50


def _admin(request):
    require_admin_page(request.user)
    return request.user


def _webhook(user, pk) -> Webhook:
    found = Webhook.objects.for_user(user, "view").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
def webhook_list(request):
    user = _admin(request)
    context = {
        **admin_context(request, "webhooks"),
        "webhooks": Webhook.objects.for_user(user, "view").order_by("name", "id"),
    }
    return render(request, "notifications/webhooks.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def webhook_edit(request, pk: int | None = None):
    user = _admin(request)
    webhook = _webhook(user, pk) if pk is not None else None
    conflict, status, secret = None, 200, None
    if request.method == "POST":
        form = WebhookForm(request.POST)
        status = 422
        if form.is_valid():
            values = form.values()
            try:
                if webhook is None:
                    webhook = ops.create_webhook(user, **values)
                    secret = webhook.secret
                else:
                    version = form.cleaned_data.get("version") or 0
                    ops.update_webhook(user, webhook, version=version, **values)
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, webhook, exc.current), 409
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                if secret is None:
                    messages.success(request, _("The webhook is saved."))
                    return redirect("notifications:webhooks")
                status = 201  # the secret is shown once, on this page
                form = WebhookForm(initial=_initial(webhook))
    else:
        form = WebhookForm(initial=_initial(webhook) if webhook else None)
    deliveries = (
        WebhookDelivery.objects.filter(webhook=webhook).order_by("-created_at", "-id")[:LOG_SIZE]
        if webhook
        else []
    )
    context = {
        **admin_context(request, "webhooks"),
        "form": form,
        "webhook": webhook,
        "conflict": conflict,
        "secret": secret,
        "deliveries": deliveries,
        "history": journal.history(webhook).order_by("-id")[:30] if webhook else [],
    }
    return render(request, "notifications/webhook_form.html", context, status=status)


def _initial(webhook: Webhook) -> dict:
    return {
        "name": webhook.name,
        "url": webhook.url,
        "events": "\n".join(webhook.events),
        "allow_private_target": webhook.allow_private_target,
        "is_active": webhook.is_active,
        "version": webhook.version,
    }


@login_required
@require_POST
def webhook_test(request, pk: int):
    user = _admin(request)
    ops.test_webhook(user, _webhook(user, pk))
    messages.success(request, _("A test event is on its way; its delivery appears below."))
    return redirect("notifications:webhook", pk)


@login_required
@require_POST
def webhook_delete(request, pk: int):
    user = _admin(request)
    ops.delete_webhook(user, _webhook(user, pk))
    messages.success(request, _("The webhook was removed."))
    return redirect("notifications:webhooks")
