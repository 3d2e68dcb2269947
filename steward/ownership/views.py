"""Pages of the ownership app: processes with their RACI grid (edited a row at a time with
htmx), the ownership gaps, and "what I own". IT staff only: others get a 404, as for a missing
page. Every write goes through ``ownership.operations``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from steward.core import journal
from steward.core.errors import DomainError, StaleVersion
from steward.ownership import gaps as gap_registry
from steward.ownership import operations as ops
from steward.ownership import validation
from steward.ownership.choices import Letter, Severity
from steward.ownership.exports import raci_csv
from steward.ownership.forms import ActivityForm, ProcessForm
from steward.ownership.models import Activity, Process
from steward.people.choices import IT_ROLES, Role
from steward.people.forms import add_domain_error
from steward.people.models import SupportGroup, User

LETTERS = [(c.value, c.label) for c in Letter]


def _require_it(user) -> None:
    if not user.is_it:
        raise Http404


def _can_edit(user, process: Process) -> bool:
    return Process.objects.for_user(user, "change").filter(pk=process.pk).exists()


def _grid(process: Process, findings: list[dict]) -> list[dict]:
    """One row per activity: its parties by letter and its findings."""
    by_activity: dict[int, list[dict]] = {}
    for f in findings:
        by_activity.setdefault(f["activity"]["id"], []).append(f)
    rows = []
    for act in process.activities.all():
        cells = {letter: [] for letter, _label in LETTERS}
        for a in act.assignments.all():
            cells[a.letter].append(a)
        rows.append(
            {
                "activity": act,
                "cells": [cells[letter] for letter, _label in LETTERS],
                # each cell with its column's name (the grid becomes cards on a phone)
                "labelled_cells": [
                    (f"{letter} · {label}", cells[letter]) for letter, label in LETTERS
                ],
                "findings": by_activity.get(act.pk, []),
            }
        )
    return rows


@login_required
@require_GET
def process_list(request):
    _require_it(request.user)
    processes = list(
        validation.matrix_queryset()
        .prefetch_related(Prefetch("managers", queryset=User.objects.order_by("username")))
        .order_by("name")
    )
    findings = validation.validate_processes(processes)
    rows = [
        {
            "process": p,
            "errors": sum(1 for f in findings[p.pk] if f["severity"] == Severity.ERROR),
            "warnings": sum(1 for f in findings[p.pk] if f["severity"] == Severity.WARNING),
        }
        for p in processes
    ]
    return render(request, "ownership/process_list.html", {"rows": rows})


@login_required
@require_GET
def process_detail(request, pk: int):
    _require_it(request.user)
    process = get_object_or_404(
        validation.matrix_queryset().prefetch_related(
            Prefetch("managers", queryset=User.objects.order_by("username"))
        ),
        pk=pk,
    )
    findings = validation.validate_processes([process])[process.pk]
    context = {
        "process": process,
        "letters": LETTERS,
        "rows": _grid(process, findings),
        "errors": sum(1 for f in findings if f["severity"] == Severity.ERROR),
        "warnings": sum(1 for f in findings if f["severity"] == Severity.WARNING),
        "can_edit": _can_edit(request.user, process),
        "history": journal.history(process).order_by("-id")[:30],
        "rules": validation.RULES,
    }
    return render(request, "ownership/process_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def process_edit(request, pk: int):
    """Owner, managers and description (admins and the process owner; only admins change the
    owner), and adding an activity."""
    _require_it(request.user)
    process = get_object_or_404(
        Process.objects.select_related("owner").prefetch_related("managers"), pk=pk
    )
    if not _can_edit(request.user, process):
        raise PermissionDenied
    admin = request.user.is_admin
    initial = {
        "version": process.version,
        "owner": process.owner,
        "managers": list(process.managers.all()),
        "description": process.description,
    }
    form = ProcessForm(initial=initial, can_change_owner=admin)
    activity_form = ActivityForm(initial={"version": process.version})
    if request.method == "POST" and request.POST.get("form") == "activity":
        activity_form = ActivityForm(request.POST)
        if activity_form.is_valid():
            data = activity_form.cleaned_data
            try:
                ops.add_activity(
                    request.user,
                    process,
                    version=data["version"],
                    name=data["name"],
                    order=data["order"],
                )
            except DomainError as exc:
                add_domain_error(activity_form, exc)
            else:
                messages.success(request, _("Activity added."))
                return redirect("ownership:process_detail", pk=process.pk)
    elif request.method == "POST":
        form = ProcessForm(request.POST, initial=initial, can_change_owner=admin)
        if form.is_valid():
            data = form.cleaned_data
            changes = {"description": data["description"]}
            if admin and data["owner"] != process.owner:
                changes["owner"] = data["owner"]
            try:
                ops.update_process(
                    request.user,
                    process,
                    version=data["version"],
                    managers=data["managers"],
                    **changes,
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("The process has been saved."))
                return redirect("ownership:process_detail", pk=process.pk)
    context = {"process": process, "form": form, "activity_form": activity_form}
    return render(request, "ownership/process_edit.html", context)


@login_required
@require_GET
def process_raci_csv(request, pk: int):
    _require_it(request.user)
    process = get_object_or_404(validation.matrix_queryset(), pk=pk)
    response = HttpResponse(raci_csv(process), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="raci-{process.key}.csv"'
    return response


# --- editing one row of the grid ----------------------------------------------------------------


def _party_options():
    groups = SupportGroup.objects.filter(is_active=True).order_by("name")
    people = (
        User.objects.filter(is_active=True, role_rows__role__in=IT_ROLES)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
    return {
        "roles": [(f"role:{value}", label) for value, label in Role.choices],
        "groups": [(f"group:{g.pk}", g.name) for g in groups],
        "people": [(f"user:{u.pk}", u.display_name) for u in people],
        "accountable_people": [(u.pk, u.display_name) for u in people],
    }


def _selected(activity: Activity) -> dict:
    chosen: dict[str, list[str]] = {letter: [] for letter, _label in LETTERS}
    person = None
    for a in activity.assignments.all():
        chosen[a.letter].append(f"{a.party_kind}:{a.party_id}")
        if a.accountable_person_id:
            person = a.accountable_person_id
    return {"chosen": chosen, "accountable_person": person}


def _cells_from_post(post, activity: Activity) -> list[ops.Cell]:
    groups = {g.pk: g for g in SupportGroup.objects.all()}
    person_id = post.get("accountable_person") or None
    person = User.objects.filter(pk=person_id).first() if person_id else None
    cells = []
    for letter, _label in LETTERS:
        for value in post.getlist(letter):
            kind, _sep, ident = value.partition(":")
            if kind == "role" and ident in Role.values:
                party = {"role": ident}
            elif kind == "group" and ident.isdigit() and int(ident) in groups:
                party = {"group": groups[int(ident)]}
            elif kind == "user" and ident.isdigit():
                user = User.objects.filter(pk=int(ident)).first()
                if user is None:
                    continue
                party = {"user": user}
            else:
                continue
            accountable = person if letter == Letter.ACCOUNTABLE and kind != "user" else None
            cells.append(
                ops.Cell(activity=activity, letter=letter, accountable_person=accountable, **party)
            )
    return cells


@login_required
@require_http_methods(["GET", "POST"])
def activity_raci_edit(request, pk: int, activity_pk: int):
    _require_it(request.user)
    process = get_object_or_404(validation.matrix_queryset(), pk=pk)
    activity = next((a for a in process.activities.all() if a.pk == activity_pk), None)
    if activity is None:
        raise Http404
    if not _can_edit(request.user, process):
        return HttpResponse(status=403)
    error, conflict = None, False
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = -1
        try:
            ops.set_raci(
                request.user,
                process,
                version=version,
                cells=_cells_from_post(request.POST, activity),
                activities=[activity],
            )
        except StaleVersion:
            # someone saved the process since this row was opened: show the row as it is
            # saved now (with the current version), and say so
            conflict = True
            error = _(
                "Someone else changed this process while you were editing it, so your change "
                "was not saved. The row now shows what is saved: make your change again."
            )
        except DomainError as exc:
            error = exc.message
        else:
            if not request.htmx:
                return redirect("ownership:process_detail", pk=process.pk)
            process = validation.matrix_queryset().get(pk=process.pk)
            findings = validation.validate_processes([process])[process.pk]
            row = next(r for r in _grid(process, findings) if r["activity"].pk == activity.pk)
            return render(
                request,
                "ownership/_raci_row.html",
                {"row": row, "process": process, "can_edit": True, "saved": True},
            )
    context = {
        "process": process,
        "activity": activity,
        "letters": LETTERS,
        "options": _party_options(),
        "error": error,
        **_selected(activity),
    }
    if request.method == "POST" and not conflict:
        context["chosen"] = {letter: request.POST.getlist(letter) for letter, _label in LETTERS}
        context["accountable_person"] = (
            int(request.POST["accountable_person"])
            if request.POST.get("accountable_person", "").isdigit()
            else None
        )
    template = "ownership/_raci_row_edit.html" if request.htmx else "ownership/raci_edit.html"
    return render(request, template, context, status=409 if conflict else 200)


@login_required
@require_GET
def activity_raci_row(request, pk: int, activity_pk: int):
    """The read-only row again (the grid's Cancel button)."""
    _require_it(request.user)
    process = get_object_or_404(validation.matrix_queryset(), pk=pk)
    findings = validation.validate_processes([process])[process.pk]
    row = next((r for r in _grid(process, findings) if r["activity"].pk == activity_pk), None)
    if row is None:
        raise Http404
    context = {"row": row, "process": process, "can_edit": _can_edit(request.user, process)}
    return render(request, "ownership/_raci_row.html", context)


# --- gaps and "mine" ----------------------------------------------------------------------------


@login_required
@require_GET
def gap_list(request):
    _require_it(request.user)
    kind = request.GET.get("kind", "")
    items = gap_registry.collect(request.user)
    counts: dict[str, int] = {}
    for g in items:
        counts[g["kind"]] = counts.get(g["kind"], 0) + 1
    if kind:
        items = [g for g in items if g["kind"] == kind]
    return render(
        request,
        "ownership/gap_list.html",
        {"gaps": items, "kind": kind, "kinds": gap_registry.kinds(), "counts": counts},
    )


@login_required
@require_GET
def mine(request):
    _require_it(request.user)
    data = gap_registry.mine(request.user)
    data["process_count"] = len(data["processes"]) + len(data["managed_processes"])
    return render(request, "ownership/mine.html", {"data": data})
