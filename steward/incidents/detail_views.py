"""Pages that belong to one incident's page: editing its fields (with the version check shown
to the person), and an agent's saved replies."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from steward.core.errors import DomainError, StaleVersion
from steward.incidents import canned, page_writes, queries, rules
from steward.incidents import operations as ops
from steward.incidents.detail_forms import FIELDS, IncidentEditForm
from steward.incidents.models import CannedReply, Incident
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup
from steward.services.models import Service


def _editable(user, number: str) -> Incident:
    incident = queries.incidents_for(user).filter(number=number.upper()).first()
    if incident is None or not user.is_it:
        raise Http404
    return queries.with_relations([incident])[0]


def _merge_after_conflict(form: IncidentEditForm, incident: Incident) -> IncidentEditForm:
    """The form again after a stale save: the fields the person changed keep their input, the
    others (and the hidden "as read" values) show the incident as it is now, and the version
    moves on. Saving again sends only the person's changes: nobody else's is written back."""
    current = IncidentEditForm.values_of(incident)
    data = form.data.copy()
    for name in FIELDS:
        value = "" if current[name] is None else str(current[name])
        data[f"initial-{name}"] = value
        if name not in form.changed_data:
            data[name] = value
    data["version"] = str(incident.version)
    data["seen"] = str(page_writes.last_entry_id(incident))
    merged = IncidentEditForm(data, user=form.user, services=form.fields["service"].queryset)
    merged.is_valid()
    return merged


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def incident_edit(request, number: str):
    """Edit title, description, impact, urgency, category, service and CI. Only the fields
    the person changed are saved, against the version the form was read at; a stale save
    shows who changed what meanwhile and keeps the person's input."""
    user = request.user
    incident = _editable(user, number)
    if not rules.may_edit(user, incident):
        messages.error(
            request,
            _("%(number)s is %(status)s: it can no longer be changed.")
            % {"number": incident.number, "status": incident.get_status_display().lower()},
        )
        return redirect("incidents:detail", incident.number)
    services = Service.objects.for_user(user, "view").order_by("name")
    changed = []
    if request.method == "POST":
        form = IncidentEditForm(request.POST, user=user, services=services)
        if form.is_valid():
            changes = form.changes()
            try:
                if changes:
                    ops.change_incident(
                        user, incident, version=form.cleaned_data["version"], **changes
                    )
            except StaleVersion:
                incident = _editable(user, number)
                changed = page_writes.changes_since(incident, user, form.cleaned_data.get("seen"))
                form = _merge_after_conflict(form, incident)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                text = (
                    _("Your changes to %(number)s have been saved.")
                    if changes
                    else _("Nothing was changed in %(number)s.")
                )
                messages.success(request, text % {"number": incident.number})
                return redirect("incidents:detail", incident.number)
    else:
        initial = IncidentEditForm.values_of(incident)
        initial["seen"] = page_writes.last_entry_id(incident)
        form = IncidentEditForm(initial=initial, user=user, services=services)
    context = {"incident": incident, "form": form, "changed": changed, "audience": "staff"}
    return render(request, "incidents/incident_edit.html", context)


# --- saved replies ----------------------------------------------------------------------------


class CannedReplyForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=80,
        error_messages={"required": gettext_lazy("Give the saved reply a short title.")},
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Write the text of the saved reply.")},
    )
    group = forms.ModelChoiceField(
        label=gettext_lazy("For"),
        required=False,
        queryset=None,
        empty_label=gettext_lazy("Only me"),
        help_text=gettext_lazy("A group's saved replies are kept by its manager."),
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups


def _managed_groups(user):
    if user.is_admin:
        return SupportGroup.objects.filter(is_active=True).order_by("name")
    return SupportGroup.objects.filter(is_active=True, manager=user).order_by("name")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def canned_replies(request):
    """The saved replies an agent uses: theirs and their groups'; add one, delete one."""
    user = request.user
    if not user.is_it:
        raise Http404
    form = CannedReplyForm(request.POST or None, groups=_managed_groups(user))
    if request.method == "POST" and form.is_valid():
        try:
            ops.create_canned_reply(user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The saved reply has been added."))
            return redirect("incidents:canned_replies")
    rows = canned.replies_for(user)
    for row in rows:
        row.manageable = rules.may_manage_canned_reply(user, row)
    return render(request, "incidents/canned_replies.html", {"form": form, "replies": rows})


@login_required
@require_POST
def canned_reply_delete(request, pk: int):
    reply = CannedReply.objects.for_user(request.user, "view").filter(pk=pk).first()
    if reply is None:
        raise Http404
    try:
        ops.delete_canned_reply(request.user, reply)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(title)s” has been deleted.") % {"title": reply.title})
    return redirect("incidents:canned_replies")
