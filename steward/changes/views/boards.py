"""The approvals inbox (the changes awaiting my decision) and a change board's agenda (the
changes awaiting the board, for its next meeting, with the votes given so far)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from steward.changes import queries
from steward.changes.views.common import staff

PAGE_SIZE = 50


@login_required
def inbox(request):
    user = staff(request)
    page = Paginator(queries.inbox(user), PAGE_SIZE).get_page(request.GET.get("page"))
    changes = list(page.object_list)
    votes = queries.votes_by_change(changes)
    needed = queries.approvals_needed(changes)
    for change in changes:
        change.approved = sum(1 for v in votes.get(change.pk, []) if v.decision == "approved")
        change.needed = needed.get(change.pk, 1)
    return render(request, "changes/inbox.html", {"page_obj": page, "changes": changes})


@login_required
def agenda(request):
    user = staff(request)
    boards = queries.boards()
    wanted = request.GET.get("board", "")
    board = next((b for b in boards if str(b.pk) == wanted), boards[0] if boards else None)
    changes = list(queries.agenda(user, board)[: PAGE_SIZE * 4]) if board else []
    votes = queries.votes_by_change(changes)
    for change in changes:
        change.votes = votes.get(change.pk, [])
        change.approved = sum(1 for v in change.votes if v.decision == "approved")
    context = {"boards": boards, "board": board, "changes": changes}
    return render(request, "changes/agenda.html", context)
