"""Who authorizes changes: the change boards (a support group acting as a CAB, its quorum,
whether a change manager must be among the approvals) and the authority table as a grid of
change type and risk → peer review, the change manager or a board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from steward.changes import operations as ops
from steward.changes.authorization import authority_table
from steward.changes.choices import AuthorityLevel, ChangeType, Risk
from steward.changes.forms_admin import GRID_TYPES, AuthorityForm, BoardForm, cell_value
from steward.changes.models import AuthorityRule, ChangeBoard
from steward.changes.operations.admin_removals import delete_board
from steward.changes.views.admin_common import area, attempt, history, keeper
from steward.core.errors import DomainError
from steward.core.models import JournalEntry
from steward.people import conflicts
from steward.people.forms import add_domain_error

SECTION = "change_authority"
RULE_RECORD = AuthorityRule._meta.label_lower


def _boards(user):
    return (
        ChangeBoard.objects.for_user(user, "view")
        .select_related("group")
        .annotate(member_count=Count("group__members", distinct=True))
        .order_by("group__name", "id")
    )


def _table(user) -> dict[tuple[str, str], str]:
    return {(c["type"], c["risk"]): cell_value(c["level"], c["board"]) for c in authority_table()}


def _grid_history():
    return JournalEntry.objects.filter(record_type=RULE_RECORD).select_related("actor")


def _last_seen() -> int:
    return _grid_history().order_by("-id").values_list("id", flat=True).first() or 0


def _grid_initial(table) -> dict:
    initial = {"seen": _last_seen()}
    for (type_, risk), value in table.items():
        initial[f"cell_{type_}_{risk}"] = value
        initial[f"read_{type_}_{risk}"] = value
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def authority(request):
    """The boards and the grid; posting the grid sets the cells that differ from the table."""
    user = keeper(request)
    boards = list(_boards(user))
    table = _table(user)
    conflict, status = None, 200
    if request.method == "POST":
        form = AuthorityForm(request.POST, boards=boards)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            moved = [
                cell
                for cell in form.cells
                if data.get(f"read_{cell[0]}_{cell[1]}", "") != table[cell]
            ]
            if moved:
                conflict, status = _stale_grid(form, table, data.get("seen")), 409
            else:
                try:
                    _save_grid(user, form, table)
                except DomainError as exc:
                    add_domain_error(form, exc)
                    status = exc.status
                else:
                    messages.success(request, _("The authority table has been saved."))
                    return redirect("changes:admin_authority")
    else:
        form = AuthorityForm(boards=boards, initial=_grid_initial(table))
    context = {
        "form": form,
        "boards": boards,
        "conflict": conflict,
        "risks": [Risk(r).label for r in Risk.values],
        "standard_label": ChangeType.STANDARD.label,
        "pre_authorized": AuthorityLevel.NONE.label,
        "history": _grid_history().order_by("-id")[:20],
        "rule_record": AuthorityRule(),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/authority.html", context, status=status)


def _stale_grid(form, table, seen) -> dict:
    """Someone changed the table meanwhile: cells the person left as read take the new value,
    the ones they changed keep their input; nothing is saved."""
    entries = list(_grid_history().filter(id__gt=seen or 0).order_by("id")[:10])
    fresh = form.data.copy()
    for type_, risk in form.cells:
        read = form.data.get(f"read_{type_}_{risk}", "")
        if form.data.get(f"cell_{type_}_{risk}") == read:
            fresh[f"cell_{type_}_{risk}"] = table[(type_, risk)]
        fresh[f"read_{type_}_{risk}"] = table[(type_, risk)]
    fresh["seen"] = str(_last_seen())
    form.data = fresh
    form.add_error(None, _("The authority table was changed while you were editing it."))
    return {"entries": entries, "record": AuthorityRule()}


@transaction.atomic
def _save_grid(user, form, table) -> None:
    """Every cell that differs from the table, through ``set_authority``, all or nothing."""
    for type_, risk in form.cells:
        value = form.cleaned_data[f"cell_{type_}_{risk}"]
        if value == table[(type_, risk)]:
            continue
        level, board = form.level_and_board(value)
        try:
            ops.set_authority(user, type=type_, risk=risk, level=level, board=board)
        except DomainError as exc:
            raise DomainError(exc.message, {f"cell_{type_}_{risk}": [exc.message]}) from exc


def _board(user, pk: int) -> ChangeBoard:
    board = _boards(user).filter(pk=pk).first()
    if board is None:
        raise Http404
    return board


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_create(request):
    user = keeper(request)
    status = 200
    if request.method == "POST":
        form = BoardForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            values = form.values()
            ok, _conflict, status = attempt(form, None, lambda: ops.create_board(user, **values))
            if ok:
                messages.success(
                    request, _("%(group)s is now a change board.") % {"group": values["group"]}
                )
                return redirect("changes:admin_authority")
    else:
        form = BoardForm(user=user)
    context = {"form": form, "board": None, **area(request, SECTION)}
    return render(request, "changes/admin/board_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def board_edit(request, pk: int):
    user = keeper(request)
    board = _board(user, pk)
    conflict, status = None, 200
    if request.method == "POST":
        form = BoardForm(request.POST, user=user)
        status = 422
        if form.is_valid():
            version = form.cleaned_data.get("version") or 0
            values = form.values()
            ok, conflict, status = attempt(
                form, board, lambda: ops.update_board(user, board, version=version, **values)
            )
            if ok:
                messages.success(request, _("The change board has been saved."))
                return redirect("changes:admin_authority")
    else:
        initial = BoardForm.initial_for(board) | {"seen": conflicts.last_seen(board)}
        form = BoardForm(user=user, initial=initial)
    uses = [
        (ChangeType(r.type).label, Risk(r.risk).label)
        for r in AuthorityRule.objects.filter(board=board).order_by("type", "risk")
        if r.type in GRID_TYPES
    ]
    context = {
        "form": form,
        "board": board,
        "uses": uses,
        "conflict": conflict,
        "history": history(board),
        **area(request, SECTION),
    }
    return render(request, "changes/admin/board_form.html", context, status=status)


@login_required
@require_POST
def board_delete(request, pk: int):
    user = keeper(request)
    board = _board(user, pk)
    name = board.group.name
    try:
        delete_board(user, board)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("changes:admin_board", board.pk)
    messages.success(request, _("%(group)s is no longer a change board.") % {"group": name})
    return redirect("changes:admin_authority")
