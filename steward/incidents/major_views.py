"""The major-incident manager's page: the communication plan (audiences, channels, cadence).
Thin like every page: read through ``for_user``, call ``operations.set_plan``, show a refusal
beside its field and a stale save as who changed what meanwhile."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from steward.core.errors import DomainError, StaleVersion
from steward.incidents import operations as ops
from steward.incidents import queries, rules
from steward.incidents.choices import CADENCE_MAX, CADENCE_MIN, Channel, default_cadence
from steward.incidents.models import MajorIncident
from steward.incidents.operations import major_plan
from steward.people import conflicts
from steward.people.models import SupportGroup, User


class PlanForm(forms.Form):
    """The communication plan as the manager edits it; stakeholders by username."""

    FIELDS = ("cadence_minutes", "customer_channel", "stakeholder_channel", "desk_group")

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    cadence_minutes = forms.IntegerField(
        label=gettext_lazy("Update every (minutes)"),
        min_value=CADENCE_MIN,
        max_value=CADENCE_MAX,
        error_messages={
            "required": gettext_lazy("Say how many minutes may pass between updates."),
            "invalid": gettext_lazy("Write the cadence as a whole number of minutes."),
            "min_value": gettext_lazy("The update cadence is at least %(limit_value)s minutes."),
            "max_value": gettext_lazy("The update cadence is at most %(limit_value)s minutes."),
        },
    )
    customer_channel = forms.ChoiceField(
        label=gettext_lazy("Customers' contacts"),
        choices=[(Channel.EMAIL, Channel.EMAIL.label), (Channel.NONE, Channel.NONE.label)],
    )
    stakeholders = forms.CharField(
        label=gettext_lazy("Named stakeholders"),
        required=False,
        max_length=4000,
        help_text=gettext_lazy("User names, separated by commas or spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    stakeholder_channel = forms.ChoiceField(
        label=gettext_lazy("Stakeholders hear by"), choices=Channel.choices
    )
    desk_group = forms.ModelChoiceField(
        label=gettext_lazy("Service desk group"),
        queryset=SupportGroup.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("No group"),
    )
    desk_channel = forms.ChoiceField(
        label=gettext_lazy("The service desk hears by"), choices=Channel.choices
    )

    def __init__(self, *args, starts_at: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if starts_at is not None:
            self.fields["cadence_minutes"].help_text = _(
                "This priority starts at %(minutes)s minutes."
            ) % {"minutes": starts_at}
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.HiddenInput):
                described = [f"id_{name}_helptext"] if field.help_text else []
                if self.is_bound and self.errors.get(name):
                    described.append(f"id_{name}_error")
                    field.widget.attrs["aria-invalid"] = "true"
                if described:
                    field.widget.attrs["aria-describedby"] = " ".join(described)

    def clean_stakeholders(self) -> list[User]:
        names = list(dict.fromkeys(self.cleaned_data["stakeholders"].replace(",", " ").split()))
        if len(names) > major_plan.MAX_STAKEHOLDERS:
            raise forms.ValidationError(
                _("Name at most %(count)s stakeholders.") % {"count": major_plan.MAX_STAKEHOLDERS}
            )
        found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise forms.ValidationError(
                _("No active user is called %(names)s.") % {"names": ", ".join(unknown[:5])}
            )
        return [found[n] for n in names]


def _major(request, number: str):
    incident = queries.incidents_for(request.user).filter(number=number.upper()).first()
    if incident is None or not request.user.is_it:
        raise Http404
    major = (
        MajorIncident.objects.for_user(request.user, "view")
        .select_related("manager", "incident")
        .filter(incident=incident)
        .first()
    )
    if major is None:
        raise Http404
    return incident, major


def _may_lead(user, major) -> bool:
    return user.pk == major.manager_id or rules.may_lead_major(user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def plan_edit(request, number: str):
    """The communication plan of a major incident: who hears the updates, how, how often."""
    incident, major = _major(request, number)
    plan = ops.plan_of(major)
    may_edit = _may_lead(request.user, major)
    conflict, status = None, 200
    starts_at = default_cadence(incident.priority)
    if request.method == "POST" and may_edit:
        form = PlanForm(request.POST, starts_at=starts_at)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                ops.set_plan(
                    request.user,
                    incident,
                    version=data["version"],
                    cadence_minutes=data["cadence_minutes"],
                    customer_channel=data["customer_channel"],
                    stakeholders=data["stakeholders"],
                    stakeholder_channel=data["stakeholder_channel"],
                    desk_group=data["desk_group"],
                    desk_channel=data["desk_channel"],
                )
            except StaleVersion as exc:
                conflict, status = conflicts.stale_edit(form, incident, exc.current), 409
            except DomainError as exc:
                named = [n for n in exc.fields if n in form.fields]
                form.add_error(named[0] if named else None, exc.message)
            else:
                messages.success(request, _("The communication plan has been saved."))
                return redirect("incidents:detail", incident.number)
        plan.refresh_from_db()
    else:
        form = PlanForm(
            starts_at=starts_at,
            initial={
                "version": plan.version,
                "seen": conflicts.last_seen(incident),
                "cadence_minutes": plan.cadence_minutes,
                "customer_channel": plan.customer_channel,
                "stakeholders": " ".join(
                    plan.stakeholders.order_by("username").values_list("username", flat=True)
                ),
                "stakeholder_channel": plan.stakeholder_channel,
                "desk_group": plan.desk_group_id,
                "desk_channel": plan.desk_channel,
            },
        )
    context = {
        "incident": incident,
        "major": major,
        "plan": plan,
        "form": form,
        "may_edit": may_edit,
        "conflict": conflict,
        "contacts": ops.customer_contacts(incident),
        "automatic": ops.stakeholders(incident),
        "overdue": major_plan.is_overdue(plan, incident),
        "reload_url": reverse("incidents:major_plan", args=[incident.number]),
    }
    return render(request, "incidents/major_plan.html", context, status=status)
