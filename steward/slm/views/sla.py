"""SLA definition pages: the list (targets per priority), a definition's page with its edit
form and escalation rules (administrators; a service owner for their services' SLAs), and the
service owner's sign-off: a button on a page, not a curl command."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.models import Organization
from steward.services.models import Service
from steward.slm import operations as ops
from steward.slm import rules
from steward.slm.forms import (
    EscalationFormSet,
    SlaForm,
    hours_from_seconds,
    place_error,
)
from steward.slm.models import Calendar, SlaDefinition
from steward.slm.views.common import require_it, tabs

_RULE_FIELD = re.compile(r"^escalations\[(\d+)\]\.(\w+)$")


def _definitions(user):
    return SlaDefinition.objects.for_user(user, "view").select_related(
        "service__owner", "organization", "calendar", "signed_off_by"
    )


def _definition(request, pk: int) -> SlaDefinition:
    require_it(request)
    return get_object_or_404(_definitions(request.user), pk=pk)


def _form(request, data=None, initial=None) -> SlaForm:
    user = request.user
    services = Service.objects.for_user(user, "view").order_by("name")
    if not user.is_admin:
        services = services.filter(owner=user)
    return SlaForm(
        data,
        initial=initial,
        services=services,
        organizations=Organization.objects.for_user(user, "view").order_by("name"),
        calendars=Calendar.objects.for_user(user, "view").order_by("name"),
    )


def _initial(d: SlaDefinition) -> dict:
    return {
        "name": d.name,
        "description": d.description,
        "priority": d.priority,
        "service": d.service_id,
        "organization": d.organization_id,
        "response_hours": hours_from_seconds(d.response_seconds),
        "resolution_hours": hours_from_seconds(d.resolution_seconds),
        "calendar": d.calendar_id,
        "thresholds": ", ".join(str(t) for t in d.thresholds),
        "pause_when_paused": d.pause_when_paused,
        "reopen_policy": d.reopen_policy,
        "is_active": d.is_active,
        "version": d.version,
        "seen": conflicts.last_seen(d),
    }


def _rules(formset) -> list[dict]:
    return [rule for form in formset.forms if (rule := form.rule()) is not None]


def _place(form, formset, exc: DomainError) -> None:
    """An operation's error beside its field; a rule's error beside the rule's row."""
    rows = [f for f in formset.forms if f.rule() is not None]
    rest = {}
    for name, problems in exc.fields.items():
        match = _RULE_FIELD.match(name)
        if match and int(match[1]) < len(rows):
            row, field = rows[int(match[1])], match[2]
            for problem in problems:
                row.add_error(field if field in row.fields else None, problem)
        else:
            rest[name] = problems
    if rest or not exc.fields:
        place_error(form, type(exc)(exc.message, rest), SlaForm.FIELDS)


@login_required
@require_GET
def sla_list(request):
    """The SLA definitions with their targets, by service and priority."""
    require_it(request)
    rows = _definitions(request.user).order_by(
        "service__name", "organization__name", "priority", "name"
    )
    definitions = []
    for d in rows:
        d.response_hours = hours_from_seconds(d.response_seconds)
        d.resolution_hours = hours_from_seconds(d.resolution_seconds)
        d.actions = rules.allowed_actions(request.user, d)
        definitions.append(d)
    return render(
        request,
        "slm/sla_list.html",
        {
            "definitions": definitions,
            "may_create": rules.may_author_definitions(request.user),
            "tabs": tabs("slm:slas"),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sla_create(request):
    require_it(request)
    if not rules.may_author_definitions(request.user):
        raise DjangoPermissionDenied
    form = _form(
        request,
        request.POST or None,
        initial={"thresholds": "50, 75, 90", "pause_when_paused": True, "is_active": True},
    )
    formset = EscalationFormSet(request.POST or None, prefix="rule")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            definition = ops.create_definition(request.user, **form.values(_rules(formset)))
        except DomainError as exc:
            _place(form, formset, exc)
        else:
            messages.success(request, _("SLA “%(name)s” has been created.") % {"name": definition})
            return redirect("slm:sla", definition.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "tabs": tabs("slm:slas")}
    return render(request, "slm/sla_form.html", context, status=status)


def _page(request, definition, *, form=None, formset=None, conflict=None, status=200):
    actions = rules.allowed_actions(request.user, definition)
    if "change" in actions and form is None:
        form = _form(request, initial=_initial(definition))
        formset = EscalationFormSet(initial=definition.escalations, prefix="rule")
    definition.response_hours = hours_from_seconds(definition.response_seconds)
    definition.resolution_hours = hours_from_seconds(definition.resolution_seconds)
    context = {
        "definition": definition,
        "form": form,
        "formset": formset,
        "conflict": conflict,
        "actions": actions,
        "seen": conflicts.last_seen(definition),
        "tabs": tabs("slm:slas"),
    }
    return render(request, "slm/sla_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sla_detail(request, pk: int):
    definition = _definition(request, pk)
    if request.method != "POST":
        return _page(request, definition)
    if "change" not in rules.allowed_actions(request.user, definition):
        raise DjangoPermissionDenied
    form = _form(request, request.POST)
    formset = EscalationFormSet(request.POST, prefix="rule")
    if not (form.is_valid() and formset.is_valid()):
        return _page(request, definition, form=form, formset=formset, status=422)
    values = form.values(_rules(formset))
    try:
        ops.update_definition(
            request.user, definition, version=form.cleaned_data["version"], **values
        )
    except StaleVersion as exc:
        definition = _definition(request, pk)
        conflict = conflicts.stale_edit(form, definition, exc.current)
        return _page(request, definition, form=form, formset=formset, conflict=conflict, status=409)
    except DomainError as exc:
        definition = _definition(request, pk)
        _place(form, formset, exc)
        return _page(request, definition, form=form, formset=formset, status=422)
    messages.success(request, _("SLA “%(name)s” has been saved.") % {"name": definition})
    if definition.signed_off_by_id is None and values["service"] is not None:
        messages.info(request, _("The service owner is asked to sign the commitment off."))
    return redirect("slm:sla", definition.pk)


@login_required
@require_GET
def sign_off_list(request):
    """The SLAs the person may sign off: waiting for them first, then those signed."""
    require_it(request)
    user = request.user
    mine = _definitions(user).filter(is_active=True)
    if not user.is_admin:
        mine = mine.filter(Q(service__owner=user) | Q(service__isnull=True))
    waiting, signed = [], []
    for d in mine.order_by("service__name", "priority", "name"):
        if not rules.may_sign_off(user, d):
            continue
        d.response_hours = hours_from_seconds(d.response_seconds)
        d.resolution_hours = hours_from_seconds(d.resolution_seconds)
        (signed if d.signed_off_by_id else waiting).append(d)
    return render(
        request,
        "slm/sign_off.html",
        {"waiting": waiting, "signed": signed, "tabs": tabs("slm:sign_off")},
    )


@login_required
@require_POST
def sign_off(request, pk: int):
    """The service owner signs the SLA off, as they read it (a changed one is refused)."""
    definition = _definition(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    back = request.POST.get("next") == "list"
    if version is None:
        messages.error(request, _("Reload the page and sign the SLA off again."))
        return redirect("slm:sla", definition.pk)
    try:
        ops.sign_off(request.user, definition, version=version)
    except StaleVersion:
        entries = conflicts.changes_since(definition, _int(request.POST.get("seen")))
        last = entries[-1] if entries else None
        who = last.actor.display_name if last and last.actor else _("someone else")
        messages.error(
            request,
            _(
                "“%(name)s” was changed by %(who)s after you read it: nothing was signed. "
                "Read the commitment again before signing it off."
            )
            % {"name": definition, "who": who},
        )
        return redirect("slm:sla", definition.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("You signed “%(name)s” off: the commitment is yours.") % {"name": definition}
        )
    return redirect("slm:sign_off" if back else "slm:sla", *([] if back else [definition.pk]))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
