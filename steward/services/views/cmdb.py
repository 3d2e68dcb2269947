"""Pages of the CMDB's configuration items: the list, a CI with its attributes (a form generated
from its class's JSON Schema), relationships and the services it serves, and its impact view.
The CI classes are in ``classes.py``, the CSV import in ``imports.py``.

IT staff read the CMDB (requesters get 404); administrators and a CI's owner group change a CI;
administrators define classes and import. Every write calls an operation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.people import conflicts
from steward.people.forms import add_domain_error
from steward.services import impact, impact_graph, lists, rules
from steward.services import operations as ops
from steward.services.forms import (
    CIEditForm,
    CIFilterForm,
    CIForm,
    RelationshipForm,
    attribute_form_class,
    resolve_ci,
)
from steward.services.models import CIRelationship, ConfigurationItem, ServiceCI

PAGE_SIZE = 50
HISTORY_LIMIT = 50


def require_it(user) -> None:
    if not rules.may_read_cmdb(user):
        raise Http404


def _cis():
    return ConfigurationItem.objects.select_related("ci_class", "owner_group")


def _ci(request, pk: int) -> ConfigurationItem:
    require_it(request.user)
    return get_object_or_404(_cis().for_user(request.user, "view"), pk=pk)


def _editable(request, pk: int) -> ConfigurationItem:
    ci = _ci(request, pk)
    if not rules.may_edit_ci(request.user, ci):
        raise DjangoPermissionDenied
    return ci


# --- the list -----------------------------------------------------------------------------------


@login_required
@require_GET
def ci_list(request):
    require_it(request.user)
    form = CIFilterForm(request.GET)
    sort = lists.clean_ci_sort(request.GET.get("sort"))
    cis = lists.filter_cis(_cis().for_user(request.user, "view"), **form.filters)
    context = {
        "form": form,
        "sort": sort,
        "page_obj": Paginator(cis.order_by(*lists.ci_ordering(sort)), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "results_template": "services/cmdb/_ci_results.html",
        "may_record": rules.may_record_ci(request.user),
        "may_import": rules.may_import(request.user),
    }
    partial = request.htmx.target == "results"
    template = "services/cmdb/_ci_results.html" if partial else "services/cmdb/ci_list.html"
    return render(request, template, context)


# --- one CI -------------------------------------------------------------------------------------


def _detail(request, ci: ConfigurationItem, *, status: int = 200, **state):
    user = request.user
    actions = rules.ci_actions(user, ci)
    AttributeForm = attribute_form_class(ci.ci_class.attribute_schema)
    attribute_form = state.get("attribute_form") or AttributeForm(
        initial=AttributeForm.initial_from(ci.attributes), auto_id="attr_%s"
    )
    rels = CIRelationship.objects.for_user(user, "view").select_related(
        "source__ci_class", "target__ci_class"
    )
    outgoing = list(rels.filter(source=ci).order_by("type", "target__name", "id"))
    incoming = list(rels.filter(target=ci).order_by("type", "source__name", "id"))
    context = {
        "ci": ci,
        "actions": actions,
        "attribute_form": attribute_form,
        "attribute_conflict": state.get("attribute_conflict"),
        "attribute_rows": [
            (field.label, ci.attributes.get(name.removeprefix("attr_")))
            for name, field in attribute_form.fields.items()
            if name.startswith("attr_")
        ],
        "outgoing": outgoing,
        "incoming": incoming,
        "relationship_count": len(outgoing) + len(incoming),
        "relationship_form": state.get("relationship_form") or RelationshipForm(auto_id="rel_%s"),
        "links": ServiceCI.objects.for_user(user, "view")
        .filter(ci=ci)
        .select_related("service")
        .order_by("service__name"),
        "history": journal.history(ci).order_by("-id")[:HISTORY_LIMIT],
        "seen": conflicts.last_seen(ci),
    }
    return render(request, "services/cmdb/ci_detail.html", context, status=status)


@login_required
@require_GET
def ci_detail(request, pk: int):
    return _detail(request, _ci(request, pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ci_create(request):
    require_it(request.user)
    form = CIForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                ci = ops.create_ci(request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s has been recorded: fill in its attributes.") % {"name": ci.name},
                )
                return redirect(ci)
    return render(request, "services/cmdb/ci_form.html", {"form": form, "ci": None}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ci_edit(request, pk: int):
    ci = _editable(request, pk)
    conflict, status = None, 200
    if request.method != "POST":
        initial = {name: getattr(ci, name) for name in CIEditForm.FIELDS}
        initial |= {"version": ci.version, "seen": conflicts.last_seen(ci)}
        form = CIEditForm(initial=initial)
    else:
        form = CIEditForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                ops.update_ci(
                    request.user, ci, version=form.cleaned_data["version"], **form.changes
                )
            except StaleVersion as exc:
                ci = _ci(request, pk)
                conflict, status = conflicts.stale_edit(form, ci, exc.current), 409
            except DomainError as exc:
                ci = _ci(request, pk)
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s has been saved.") % {"name": ci.name})
                return redirect(ci)
    context = {"form": form, "ci": ci, "conflict": conflict}
    return render(request, "services/cmdb/ci_form.html", context, status=status)


@login_required
@require_POST
def ci_attributes(request, pk: int):
    """Save the attributes form; the operation checks them against the class's schema again and
    each problem is shown beside its field."""
    ci = _editable(request, pk)
    AttributeForm = attribute_form_class(ci.ci_class.attribute_schema)
    form = AttributeForm(request.POST, auto_id="attr_%s")
    version = request.POST.get("version", "")
    if not version.isdigit():
        raise Http404
    if form.is_valid():
        try:
            ops.update_ci(
                request.user, ci, version=int(version), attributes=form.attributes(ci.attributes)
            )
        except StaleVersion:
            ci = _ci(request, pk)
            seen = request.POST.get("seen", "")
            entries = conflicts.changes_since(ci, int(seen) if seen.isdigit() else None)
            conflict = {"entries": entries, "record": ci}
            return _detail(
                request, ci, status=409, attribute_form=form, attribute_conflict=conflict
            )
        except DomainError as exc:
            if not form.add_problems(exc.fields):
                form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The attributes of %(name)s have been saved.") % {"name": ci.name}
            )
            return redirect(ci)
    return _detail(request, _ci(request, pk), status=422, attribute_form=form)


@login_required
@require_POST
def relationship_add(request, pk: int):
    ci = _editable(request, pk)
    form = RelationshipForm(request.POST, auto_id="rel_%s")
    if form.is_valid():
        target = resolve_ci(form, "target", _cis().for_user(request.user, "view"))
        if target is not None:
            try:
                rel = ops.create_relationship(
                    request.user, source=ci, target=target, type=form.cleaned_data["type"]
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("Recorded: %(rel)s.") % {"rel": rel})
                return redirect(ci)
    return _detail(request, ci, status=422, relationship_form=form)


@login_required
@require_POST
def relationship_remove(request, pk: int, rel_pk: int):
    ci = _ci(request, pk)
    rel = get_object_or_404(
        CIRelationship.objects.for_user(request.user, "view").select_related("source", "target"),
        pk=rel_pk,
    )
    if ci.pk not in (rel.source_id, rel.target_id):
        raise Http404
    if not rules.may_edit_ci(request.user, rel.source):
        raise DjangoPermissionDenied
    text = str(rel)
    try:
        ops.delete_relationship(request.user, rel)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed: %(rel)s.") % {"rel": text})
    return redirect(ci)


@login_required
@require_GET
def ci_impact(request, pk: int):
    """What fails with this CI: the services (with the path that explains each) and their
    customers, drawn as an SVG graph and listed."""
    ci = _ci(request, pk)
    result = impact.analyse(ci)
    graph = impact_graph.layout(result, ci.ci_class.name)
    customers = {}
    for row in result["services"]:
        for org in row["customers"]:
            customers.setdefault(org["id"], org["name"])
    context = {
        "ci": ci,
        "impact": result,
        "graph": graph,
        "box_w": impact_graph.BOX_W,
        "box_h": impact_graph.BOX_H,
        "customers": sorted(customers.values()),
    }
    return render(request, "services/cmdb/ci_impact.html", context)
