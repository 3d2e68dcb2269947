"""Fulfilment tasks (IT staff): the queues, one task, and working it (assign, start, close)."""

from __future__ import annotations

from django.db import transaction
from ninja import Query

from steward.core.api_input import RecordNumber
from steward.core.api_support import ERRORS, PageParams, page_of, paginate, visible_ref
from steward.core.errors import ValidationError
from steward.fulfilment import lists
from steward.fulfilment import operations as ops
from steward.fulfilment.api.common import router, task_for, task_out
from steward.fulfilment.schemas import FulfilmentTaskFilters, FulfilmentTaskOut, FulfilmentTaskPatch
from steward.people.models import User


@router.get(
    "/tasks",
    response={200: page_of(FulfilmentTaskOut), **ERRORS},
    summary="Fulfilment tasks (IT staff)",
    description="`status` empty: the tasks to work now (open, in progress); `any`: every task. "
    "`mine=true`: assigned to you.",
)
def list_tasks(request, filters: Query[FulfilmentTaskFilters], page: Query[PageParams]):
    user = request.auth
    if filters.mine:
        filters.queue = "mine"
    qs = lists.tasks_filtered(user, filters) if user.is_it else lists.tasks_filtered(user).none()
    return paginate(qs, page, task_out)


@router.get(
    "/tasks/{number}",
    response={200: FulfilmentTaskOut, **ERRORS},
    summary="One fulfilment task (IT staff)",
)
def get_task(request, number: RecordNumber):
    return task_out(task_for(request.auth, number))


@router.patch(
    "/tasks/{number}",
    response={200: FulfilmentTaskOut, **ERRORS},
    summary="Work a task: assign it (`assignee`), start it, close it (`outcome`, `notes`)",
)
def update_task(request, number: RecordNumber, payload: FulfilmentTaskPatch):
    user = request.auth
    task = task_for(user, number)
    given = payload.model_fields_set
    if payload.action == "close" and payload.outcome is None:
        raise ValidationError.field("outcome", "complete or incomplete, to close the task")
    if payload.action != "close" and payload.outcome is not None:
        raise ValidationError.field("outcome", "only with action close")
    version = payload.version
    with transaction.atomic():
        if "assignee" in given:
            assignee = visible_ref(User.objects, user, "assignee", payload.assignee, "User")
            task = ops.assign_task(user, task, assignee=assignee, version=version)
            version = task.version
        if payload.action == "start":
            task = ops.start_task(user, task, version=version)
        elif payload.action == "close":
            task = ops.close_task(
                user, task, outcome=payload.outcome, notes=payload.notes, version=version
            )
    return task_out(task_for(user, number))
