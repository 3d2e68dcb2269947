"""The forms of the fulfilment staff pages: the queues' filters, working an item and a task
(assign, comment, cancel, start, close), and the catalog administration — a category, a
catalog item, and its three lists kept as data (the order form's fields, the approval steps
and the task templates) edited as server-side formsets: a row per entry, "Remove" and "Order"
on each, and a button that adds an empty row without saving. The rows become the same JSON the
API takes; the operations check everything again and their errors go back beside the row's
field (``place_error``)."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.fulfilment.choices import (
    ApprovalMode,
    ApproverSource,
    CatalogAudience,
    ConditionOp,
    FieldType,
    RecurringCadence,
    RequestCommentVisibility,
    TaskOutcome,
)
from steward.fulfilment.models import CatalogCategory
from steward.people.choices import IT_ROLES
from steward.people.forms import add_domain_error
from steward.people.models import Organization, SupportGroup, User
from steward.services.models import Service

TEXT_MAX = 20_000
SLUG = r"^[a-z][a-z0-9_]{0,39}$"
#: Rows a formset may hold (the operations refuse more anyway).
MAX_ROWS = 50


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name or obj.username


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name or obj.username


def it_staff():
    """Active IT staff (who may own a catalog item or be assigned work)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role_rows__role__in=sorted(IT_ROLES)))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def members_of(group):
    """The active members of ``group`` (who may be assigned its work), by name."""
    if group is None:
        return User.objects.none()
    return group.members.filter(is_active=True).order_by("first_name", "last_name", "username")


def _text(label, rows=4, required=False, help_text="", max_length=TEXT_MAX):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


class VersionedForm(forms.Form):
    """Carries the version the page was read at and the newest journal entry seen then."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionOnly(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- the queues ----------------------------------------------------------------------------------


class ItemFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service"), required=False, queryset=Service.objects.none(), empty_label=_("Any")
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args, user, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Active")), ("any", _("Any")), *statuses]
        self.fields["service"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["group"].queryset = SupportGroup.objects.for_user(user, "view").order_by("name")

    def data_or_empty(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, widget=forms.SearchInput)
    status = forms.ChoiceField(label=_("Status"), required=False)
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label=_("Any"),
    )

    def __init__(self, *args, user, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Active")), ("any", _("Any")), *statuses]
        self.fields["group"].queryset = SupportGroup.objects.for_user(user, "view").order_by("name")

    def data_or_empty(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


# --- an item and a task ---------------------------------------------------------------------------


class AssignForm(VersionOnly):
    assignee = PersonChoice(
        label=_("Assignee"), required=False, queryset=User.objects.none(), empty_label=_("Nobody")
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members_of(group)


class ItemAssignForm(AssignForm):
    """Assign a requested item, or move it to another group (then to one of its members, or to
    nobody)."""

    group = forms.ModelChoiceField(
        label=_("Owning group"), queryset=SupportGroup.objects.none(), empty_label=None
    )

    field_order = ["group", "assignee", "version"]

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, group=group, **kwargs)
        groups = SupportGroup.objects.filter(is_active=True).order_by("name")
        self.fields["group"].queryset = groups
        if self.is_bound:
            posted = groups.filter(pk=_int(self.data.get("group"))).first()
            if posted is not None:
                self.fields["assignee"].queryset = members_of(posted)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class CommentForm(forms.Form):
    body = _text(_("Comment"), rows=4, required=True)
    visibility = forms.ChoiceField(
        label=_("Who reads it"),
        choices=RequestCommentVisibility.choices,
        initial=RequestCommentVisibility.INTERNAL,
        widget=forms.RadioSelect,
    )


class CancelForm(VersionOnly):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CloseTaskForm(VersionOnly):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=TaskOutcome.choices,
        initial=TaskOutcome.COMPLETE,
        widget=forms.RadioSelect,
    )
    notes = _text(
        _("Notes"),
        rows=3,
        help_text=_("What was done; required when the task could not be completed."),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == TaskOutcome.INCOMPLETE and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Say why the task could not be completed."))
        return data


# --- the catalog ---------------------------------------------------------------------------------


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = _text(_("Description"), rows=2)
    parent = forms.ModelChoiceField(
        label=_("Inside"),
        required=False,
        queryset=CatalogCategory.objects.none(),
        empty_label=_("(top level)"),
    )
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=32_767,
        initial=100,
        help_text=_("Categories are shown from the lowest number up."),
    )
    is_active = forms.BooleanField(label=_("Shown in the catalog"), required=False, initial=True)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        parents = CatalogCategory.objects.order_by("order", "name")
        if category is not None:
            parents = parents.exclude(pk=category.pk)
        self.fields["parent"].queryset = parents

    @staticmethod
    def initial_for(category) -> dict:
        return {
            "name": category.name,
            "description": category.description,
            "parent": category.parent_id,
            "order": category.order,
            "is_active": category.is_active,
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["description"] = data.get("description") or ""
        return data


class CatalogItemForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One line, shown in the catalog under the name."),
    )
    description = _text(_("Description"), rows=5, help_text=_("What the requester gets, how."))
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=CatalogCategory.objects.none())
    fulfilment_group = forms.ModelChoiceField(
        label=_("Fulfilment group"),
        queryset=SupportGroup.objects.none(),
        help_text=_("Owns the requested items."),
    )
    target_hours = forms.IntegerField(
        label=_("Delivery target (business hours)"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Empty: the service level agreements decide."),
    )
    owner = PersonChoice(
        label=_("Owner"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody"),
        help_text=_("Keeps the item, its form and its flow up to date."),
    )
    audience = forms.ChoiceField(
        label=_("Open to"),
        choices=CatalogAudience.choices,
        initial=CatalogAudience.EVERYONE,
        widget=forms.RadioSelect,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        required=False,
        queryset=Organization.objects.none(),
        help_text=_("With “chosen”: people of these organisations may order it."),
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Support groups"),
        required=False,
        queryset=SupportGroup.objects.none(),
        help_text=_("With “chosen”: members of these groups may order it."),
    )
    is_active = forms.BooleanField(
        label=_("In the catalog"),
        required=False,
        initial=True,
        help_text=_("A retired item takes no new orders; its requested items stay."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = Service.objects.for_user(user, "view").order_by("name")
        self.fields["category"].queryset = CatalogCategory.objects.order_by("order", "name")
        groups = SupportGroup.objects.for_user(user, "view").order_by("name")
        self.fields["fulfilment_group"].queryset = groups
        self.fields["groups"].queryset = groups
        self.fields["organizations"].queryset = Organization.objects.for_user(
            user, "view"
        ).order_by("name")
        self.fields["owner"].queryset = it_staff()

    def clean(self):
        data = super().clean()
        restricted = data.get("audience") == CatalogAudience.RESTRICTED
        if restricted and not (data.get("organizations") or data.get("groups")):
            self.add_error(
                "organizations", _("Choose the organisations or groups who may order it.")
            )
        return data

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "seen")}
        data["organizations"] = list(data.get("organizations") or [])
        data["groups"] = list(data.get("groups") or [])
        data["description"] = data.get("description") or ""
        return data

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "name": item.name,
            "summary": item.summary,
            "description": item.description,
            "service": item.service_id,
            "category": item.category_id,
            "fulfilment_group": item.fulfilment_group_id,
            "target_hours": item.target_hours,
            "owner": item.owner_id,
            "audience": item.audience,
            "organizations": [o.pk for o in item.organizations.all()],
            "groups": [g.pk for g in item.groups.all()],
            "is_active": item.is_active,
            "version": item.version,
        }


# --- the three lists of a catalog item --------------------------------------------------------


def _typed(text: str):
    """A condition's value as typed: a number when it reads as one, yes/no as true/false."""
    text = text.strip()
    if text.lower() in ("true", "yes"):
        return True
    if text.lower() in ("false", "no"):
        return False
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        return float(text)
    return text


def _values(text: str) -> list:
    return [_typed(v) for v in text.split(",") if v.strip()]


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    return "" if value is None else str(value)


def _choices_text(choices) -> str:
    lines = []
    for c in choices or []:
        value, label = c.get("value", ""), c.get("label", "")
        lines.append(value if value == label else f"{value} = {label}")
    return "\n".join(lines)


class FieldRow(forms.Form):
    """One question of the order form."""

    name = forms.RegexField(
        label=_("Key"),
        regex=SLUG,
        max_length=40,
        required=False,
        help_text=_("Lower case, digits and _; the answers' key in the API."),
        error_messages={"invalid": _("Lower case letters, digits and _, starting with a letter.")},
    )
    label = forms.CharField(label=_("Question"), max_length=200, required=False)
    type = forms.ChoiceField(label=_("Type"), choices=FieldType.choices, initial=FieldType.TEXT)
    required = forms.BooleanField(label=_("Required"), required=False)
    help = forms.CharField(label=_("Help"), max_length=1000, required=False)
    choices = _text(
        _("Choices"),
        rows=3,
        max_length=5_000,
        help_text=_("One per line: value = label (or just the label)."),
    )
    min = forms.DecimalField(label=_("Minimum"), required=False, max_digits=14, decimal_places=4)
    max = forms.DecimalField(label=_("Maximum"), required=False, max_digits=14, decimal_places=4)
    max_length = forms.IntegerField(
        label=_("Longest answer (characters)"), required=False, min_value=1, max_value=4000
    )
    visible_field = forms.RegexField(
        label=_("Shown only when the answer to"),
        regex=SLUG,
        max_length=40,
        required=False,
        help_text=_("The key of an earlier question; empty: always shown."),
    )
    visible_values = forms.CharField(
        label=_("is"),
        max_length=500,
        required=False,
        help_text=_("A value, or several separated by commas (any of them)."),
    )

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if not data.get("name") and "name" not in self.errors:
            self.add_error("name", _("Give the question a key."))
        if not (data.get("label") or "").strip():
            self.add_error("label", _("Write the question."))
        if data.get("type") in (FieldType.CHOICE, FieldType.MULTICHOICE) and not self._choices():
            self.add_error("choices", _("List the choices, one per line."))
        if data.get("visible_field") and not (data.get("visible_values") or "").strip():
            self.add_error("visible_values", _("Say which answer shows the question."))
        return data

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("name") or (data.get("label") or "").strip())

    def _choices(self) -> list[dict]:
        out = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            value, _sep, label = line.partition("=")
            value, label = value.strip(), label.strip()
            out.append({"value": value, "label": label or value})
        return out

    def definition(self) -> dict | None:
        if not self.is_valid() or self.is_blank():
            return None
        d = self.cleaned_data
        out = {
            "name": d["name"],
            "label": d["label"].strip(),
            "type": d["type"],
            "required": bool(d["required"]),
            "help": (d.get("help") or "").strip(),
        }
        if d["type"] in (FieldType.CHOICE, FieldType.MULTICHOICE):
            out["choices"] = self._choices()
        if d["type"] == FieldType.NUMBER:
            for key in ("min", "max"):
                if d.get(key) is not None:
                    value = d[key]
                    out[key] = int(value) if value == value.to_integral() else float(value)
        if d["type"] in (FieldType.TEXT, FieldType.TEXTAREA) and d.get("max_length"):
            out["max_length"] = d["max_length"]
        if d.get("visible_field"):
            values = _values(d["visible_values"])
            if len(values) == 1:
                out["visible_if"] = {"field": d["visible_field"], "equals": values[0]}
            else:
                out["visible_if"] = {"field": d["visible_field"], "in": values}
        return out

    @staticmethod
    def initial_for(field: dict) -> dict:
        visible = field.get("visible_if") or {}
        shown = visible.get("in") if "in" in visible else visible.get("equals")
        return {
            "name": field.get("name", ""),
            "label": field.get("label", ""),
            "type": field.get("type", FieldType.TEXT),
            "required": bool(field.get("required")),
            "help": field.get("help", ""),
            "choices": _choices_text(field.get("choices")),
            "min": field.get("min"),
            "max": field.get("max"),
            "max_length": field.get("max_length"),
            "visible_field": visible.get("field", ""),
            "visible_values": _shown(shown) if visible else "",
        }


class StepRow(forms.Form):
    """One step of the approval flow: who approves, how many, and when it applies."""

    name = forms.CharField(label=_("Step"), max_length=120, required=False)
    approver = forms.ChoiceField(
        label=_("Approver"), choices=ApproverSource.choices, initial=ApproverSource.LINE_MANAGER
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        required=False,
        queryset=SupportGroup.objects.none(),
        empty_label="—",
        help_text=_("With “a support group”."),
    )
    user = PersonChoice(
        label=_("Person"),
        required=False,
        queryset=User.objects.none(),
        empty_label="—",
        help_text=_("With “a named person”."),
    )
    mode = forms.ChoiceField(
        label=_("Who must approve"),
        choices=ApprovalMode.choices,
        initial=ApprovalMode.ANY,
        help_text=_("Of a group's members: any one of them, or all."),
    )
    quorum = forms.IntegerField(
        label=_("Approvals needed"),
        min_value=1,
        max_value=50,
        initial=1,
        required=False,
        help_text=_("With “any one”: how many must approve."),
    )
    condition_field = forms.RegexField(
        label=_("Only when the answer to"),
        regex=SLUG,
        max_length=40,
        required=False,
        help_text=_("A question's key; empty: always."),
    )
    condition_op = forms.ChoiceField(
        label=_("Comparison"), choices=ConditionOp.choices, initial=ConditionOp.GT
    )
    condition_value = forms.CharField(
        label=_("Value"),
        max_length=200,
        required=False,
        help_text=_("With “is one of”: values separated by commas."),
    )

    def __init__(self, *args, groups=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups
        if people is not None:
            self.fields["user"].queryset = people

    def is_blank(self) -> bool:
        return not (getattr(self, "cleaned_data", {}).get("name") or "").strip()

    def clean(self):
        data = super().clean()
        if self.is_blank():
            return data
        if data.get("approver") == ApproverSource.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group that approves."))
        if data.get("approver") == ApproverSource.USER and not data.get("user"):
            self.add_error("user", _("Choose the person who approves."))
        if data.get("condition_field") and not (data.get("condition_value") or "").strip():
            self.add_error("condition_value", _("Say what the answer is compared with."))
        return data

    def definition(self) -> dict | None:
        if not self.is_valid() or self.is_blank():
            return None
        d = self.cleaned_data
        out = {"name": d["name"].strip(), "approver": d["approver"], "mode": d["mode"]}
        if d["mode"] == ApprovalMode.ANY and (d.get("quorum") or 1) > 1:
            out["quorum"] = d["quorum"]
        if d["approver"] == ApproverSource.GROUP:
            out["group"] = d["group"].pk
        if d["approver"] == ApproverSource.USER:
            out["user"] = d["user"].pk
        if d.get("condition_field"):
            op = d["condition_op"]
            value = (
                _values(d["condition_value"])
                if op == ConditionOp.IN
                else _typed(d["condition_value"])
            )
            out["condition"] = {"field": d["condition_field"], "op": op, "value": value}
        return out

    @staticmethod
    def initial_for(step: dict) -> dict:
        condition = step.get("condition") or {}
        return {
            "name": step.get("name", ""),
            "approver": step.get("approver", ApproverSource.LINE_MANAGER),
            "group": step.get("group"),
            "user": step.get("user"),
            "mode": step.get("mode", ApprovalMode.ANY),
            "quorum": step.get("quorum", 1),
            "condition_field": condition.get("field", ""),
            "condition_op": condition.get("op", ConditionOp.GT),
            "condition_value": _shown(condition.get("value")) if condition else "",
        }


class TaskRow(forms.Form):
    """One task made when an item is approved: tasks of one stage run side by side, the
    stages one after the other."""

    name = forms.CharField(label=_("Task"), max_length=200, required=False)
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=SupportGroup.objects.none(), empty_label="—"
    )
    stage = forms.IntegerField(
        label=_("Stage"),
        min_value=1,
        max_value=20,
        initial=1,
        required=False,
        help_text=_("Same stage: side by side; a higher stage waits for the lower ones."),
    )
    description = _text(_("Instructions"), rows=2, max_length=5_000)

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups

    def is_blank(self) -> bool:
        return not (getattr(self, "cleaned_data", {}).get("name") or "").strip()

    def clean(self):
        data = super().clean()
        if not self.is_blank() and not data.get("group"):
            self.add_error("group", _("Choose the group that does the task."))
        return data

    def definition(self) -> dict | None:
        if not self.is_valid() or self.is_blank():
            return None
        d = self.cleaned_data
        return {
            "name": d["name"].strip(),
            "group": d["group"].pk,
            "stage": d.get("stage") or 1,
            "description": (d.get("description") or "").strip(),
        }

    @staticmethod
    def initial_for(task: dict) -> dict:
        return {
            "name": task.get("name", ""),
            "group": task.get("group"),
            "stage": task.get("stage", 1),
            "description": task.get("description", ""),
        }


class _RowsFormSet(forms.BaseFormSet):
    """A formset whose rows give a definition each (blank rows are skipped), in the order
    people gave them (the ``ORDER`` column), without the removed ones."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Position")
            form.fields["ORDER"].widget.attrs.update(min=1, max=MAX_ROWS)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")

    def definitions(self) -> list[dict]:
        rows = self.ordered_forms if self.can_order else self.forms
        out = []
        for form in rows:
            if self.can_delete and self._should_delete_form(form):
                continue
            definition = form.definition()
            if definition is not None:
                out.append(definition)
        return out

    def kept_forms(self) -> list:
        """The rows a definition came from, in the same order (to place the operation's
        errors: ``form[2].label`` is the third of these)."""
        rows = self.ordered_forms if self.can_order else self.forms
        return [
            f
            for f in rows
            if not (self.can_delete and self._should_delete_form(f)) and f.definition() is not None
        ]

    def clean(self):
        super().clean()
        names = [
            f.cleaned_data.get("name")
            for f in self.forms
            if hasattr(f, "cleaned_data")
            and not (self.can_delete and self._should_delete_form(f))
            and f.cleaned_data.get("name")
        ]
        if self.prefix == "field" and len(names) != len(set(names)):
            raise forms.ValidationError(_("Two questions have the same key."))


FieldFormSet = forms.formset_factory(
    FieldRow,
    formset=_RowsFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)
StepFormSet = forms.formset_factory(
    StepRow,
    formset=_RowsFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)
TaskFormSet = forms.formset_factory(
    TaskRow,
    formset=_RowsFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_ROWS,
    absolute_max=MAX_ROWS,
)

#: The item's JSON lists: (its key in the operations and API, the formset's prefix).
LISTS = (("form", "field"), ("approval_flow", "step"), ("task_templates", "task"))
_ROW_ERROR = re.compile(r"^(form|approval_flow|task_templates)\[(\d+)\](?:\.(\w+))?")


def place_error(form, formsets: dict, exc) -> None:
    """An operation's error beside its field: ``form[2].label`` beside the third kept row's
    ``label``; the item's own fields beside theirs; the rest above the form."""
    rest = {}
    kept = {key: formset.kept_forms() for key, formset in formsets.items()}
    for name, problems in exc.fields.items():
        match = _ROW_ERROR.match(name)
        if match and match[1] in kept:
            rows = kept[match[1]]
            index, field = int(match[2]), match[3]
            if index < len(rows):
                row = rows[index]
                target = field if field in row.fields else None
                if field == "visible_if":
                    target = "visible_field"
                elif field == "condition":
                    target = "condition_field"
                for problem in problems:
                    row.add_error(target, problem)
                continue
        rest[name] = problems
    if rest or not exc.fields:
        add_domain_error(form, type(exc)(exc.message, rest))


# --- recurring requests --------------------------------------------------------------------------


class RecurringToggleForm(VersionOnly):
    is_active = forms.BooleanField(required=False)


class RecurringForm(forms.Form):
    """A new recurring request: what, for whom, how often, from when. The answers to the
    item's questions are the item's own order form beside it (``forms_runtime.form_for``)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Empty: the catalog item's name."),
    )
    catalog_item = forms.ModelChoiceField(label=_("Catalog item"), queryset=None)
    requested_for = PersonChoice(label=_("Requested for"), queryset=User.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100, initial=1)
    cadence = forms.ChoiceField(
        label=_("How often"), choices=RecurringCadence.choices, initial=RecurringCadence.MONTHLY
    )
    interval = forms.IntegerField(
        label=_("Every how many periods"),
        min_value=1,
        max_value=366,
        initial=1,
        help_text=_("2 with “monthly”: every other month."),
    )
    next_run_at = forms.DateTimeField(
        label=_("First run"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Later runs keep its weekday or day of the month and its time."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from steward.fulfilment.models import CatalogItem

        self.fields["catalog_item"].queryset = (
            CatalogItem.objects.for_user(user, "view").filter(is_active=True).order_by("name")
        )
        self.fields["requested_for"].queryset = User.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
