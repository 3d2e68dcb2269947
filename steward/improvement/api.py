"""``/api/v1/improvements``: the continual improvement register (CRUD with version, the
lifecycle, votes, comments, actions and the progress against the live KPI)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from steward.core.api_input import Id
from steward.core.api_support import (
    ERRORS,
    PageParams,
    named_ref,
    page_of,
    paginate,
    person_brief,
    visible_ref,
)
from steward.core.errors import NotFound, PermissionDenied, ValidationError
from steward.core.operations import get_visible
from steward.improvement import lists, queries, rules
from steward.improvement import operations as ops
from steward.improvement.models import Action, Comment, ImprovementItem, Vote
from steward.improvement.schemas import (
    ActionCreate,
    ActionUpdate,
    ImprovementActionOut,
    ImprovementCommentIn,
    ImprovementCommentOut,
    ImprovementTransitionIn,
    ItemBrief,
    ItemCreate,
    ItemFilters,
    ItemOut,
    ItemUpdate,
    ProgressOut,
    VotesOut,
)
from steward.people.models import User
from steward.services.models import Service

router = Router(tags=["improvement"])


def _measured(value, count, start, end) -> dict | None:
    if start is None or end is None:
        return None
    return {"value": value, "count": count or 0, "from": start, "to": end}


def action_out(a: Action) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "owner": person_brief(a.owner),
        "due_date": a.due_date,
        "done": a.done,
        "done_at": a.done_at,
    }


def item_brief(i: ImprovementItem) -> dict:
    return {
        "id": i.pk,
        "number": i.number,
        "url": i.get_absolute_url(),
        "title": i.title,
        "status": i.status,
        "owner": person_brief(i.owner),
        "service": named_ref(i.service),
        "kpi": i.kpi_key or None,
        "target": i.target,
        "due_date": i.due_date,
        "votes": i.votes,
        "updated_at": i.updated_at,
        "version": i.version,
    }


def item_out(i: ImprovementItem) -> dict:
    baseline = (
        _measured(i.baseline_value, i.baseline_count, i.baseline_from, i.baseline_to)
        if i.baseline_captured_at
        else None
    )
    return {
        **item_brief(i),
        "problem": i.problem,
        "proposer": person_brief(i.proposer),
        "public": i.public,
        "source": i.source,
        "kpi_filters": i.kpi_filters or {},
        "baseline": baseline,
        "review": _measured(i.review_value, i.review_count, i.review_from, i.review_to),
        "approved_at": i.approved_at,
        "outcome": i.outcome or None,
        "outcome_reason": i.outcome_reason,
        "closed_at": i.closed_at,
        "voted": bool(getattr(i, "voted", False)),
        "actions": [action_out(a) for a in i.actions.all()],
        "created_at": i.created_at,
    }


def _items(actor):
    voted = Vote.objects.filter(item=OuterRef("pk"), voter_id=getattr(actor, "pk", None))
    return (
        ImprovementItem.objects.for_user(actor, "view")
        .select_related("owner", "proposer", "service")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("id"))
        )
        .annotate(voted=Exists(voted))
    )


def _item(actor, item_id: int) -> ImprovementItem:
    return get_visible(_items(actor), actor, item_id, "Improvement")


def _refs(actor, data: dict) -> dict:
    """Ids of the body turned into rows the actor may see (422 naming the field otherwise)."""
    if data.get("owner") is not None:
        data["owner"] = visible_ref(User.objects, actor, "owner", data["owner"], "user")
    if data.get("service") is not None:
        data["service"] = visible_ref(Service.objects, actor, "service", data["service"], "service")
    if "kpi" in data:
        data["kpi_key"] = data.pop("kpi") or ""
    if "kpi_filters" in data:
        data["kpi_filters"] = data["kpi_filters"] or {}
    return data


@router.get("", response={200: page_of(ItemBrief), **ERRORS}, summary="The improvement register")
def list_items(request, filters: Query[ItemFilters], page: Query[PageParams]):
    """Items you may see, filtered and sorted in SQL (each sort backed by an index)."""
    qs = ImprovementItem.objects.for_user(request.auth, "view").select_related("owner", "service")
    qs = lists.filter_items(
        qs,
        user=request.auth,
        view=filters.view or "",
        q=filters.q,
        status=filters.status,
        owner=filters.owner,
        service=filters.service,
        kpi=filters.kpi,
    )
    sort = lists.clean_sort(filters.sort)
    return paginate(qs.order_by(*lists.ordering(sort)), page, item_brief)


@router.post("", response={201: ItemOut, **ERRORS}, summary="Propose an improvement", by_alias=True)
def create_item(request, payload: ItemCreate):
    """Anyone signed in may propose; IT staff may also name the owner and share it."""
    data = _refs(request.auth, payload.dict())
    item = ops.propose(request.auth, **data)
    return Status(201, item_out(_item(request.auth, item.pk)))


@router.get(
    "/{item_id}", response={200: ItemOut, **ERRORS}, summary="One improvement item", by_alias=True
)
def get_item(request, item_id: Id):
    return item_out(_item(request.auth, item_id))


@router.patch(
    "/{item_id}", response={200: ItemOut, **ERRORS}, summary="Change an item", by_alias=True
)
def update_item(request, item_id: Id, payload: ItemUpdate):
    """Send the version you read: a stale one gets 409 and changes nothing. The KPI, its
    filters and the baseline period are fixed once the item is approved."""
    item = _item(request.auth, item_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    for name in ("title", "problem", "public", "source", "kpi"):
        if name in data and data[name] is None:
            raise ValidationError.field(name, _("cannot be null"))
    data = _refs(request.auth, data)
    ops.update(request.auth, item, version=version, **data)
    return item_out(_item(request.auth, item_id))


@router.post(
    "/{item_id}/transitions",
    response={200: ItemOut, **ERRORS},
    summary="Move an item along its lifecycle",
    by_alias=True,
)
def transition_item(request, item_id: Id, payload: ImprovementTransitionIn):
    """proposed → approved (captures the baseline) → in_progress → benefits_review (freezes
    the review's figures) → closed (outcome; abandoning needs a reason). A refused move is a
    409 naming the allowed ones, or a 422 naming what is missing."""
    item = _item(request.auth, item_id)
    ops.transition(
        request.auth,
        item,
        to=payload.to,
        version=payload.version,
        outcome=payload.outcome or "",
        reason=payload.reason,
    )
    return item_out(_item(request.auth, item_id))


@router.get(
    "/{item_id}/progress",
    response={200: ProgressOut, **ERRORS},
    summary="Baseline, now, target and a series (IT staff)",
    by_alias=True,
)
def item_progress(request, item_id: Id):
    """The frozen baseline, the live KPI over the same-length period ending now, the target,
    and the KPI per week (or month) since the baseline began."""
    item = _item(request.auth, item_id)
    if not rules.may_see_progress(request.auth):
        raise PermissionDenied(_("Live KPI figures are for IT staff."))
    return queries.progress(item)


@router.post("/{item_id}/votes", response={200: VotesOut, **ERRORS}, summary="Vote for an item")
def add_vote(request, item_id: Id):
    """One vote per person; a second is a 409."""
    item = ops.vote(request.auth, _item(request.auth, item_id))
    return {"votes": item.votes, "voted": True}


@router.delete("/{item_id}/votes", response={200: VotesOut, **ERRORS}, summary="Withdraw your vote")
def remove_vote(request, item_id: Id):
    item = ops.withdraw_vote(request.auth, _item(request.auth, item_id))
    return {"votes": item.votes, "voted": False}


def comment_out(c: Comment) -> dict:
    return {
        "id": c.pk,
        "author": person_brief(c.author),
        "body": c.body,
        "created_at": c.created_at,
    }


@router.get(
    "/{item_id}/comments",
    response={200: page_of(ImprovementCommentOut), **ERRORS},
    summary="The comments on an item, oldest first",
)
def list_comments(request, item_id: Id, page: Query[PageParams]):
    item = _item(request.auth, item_id)
    qs = Comment.objects.filter(item=item).select_related("author").order_by("id")
    return paginate(qs, page, comment_out)


@router.post(
    "/{item_id}/comments",
    response={201: ImprovementCommentOut, **ERRORS},
    summary="Comment on an item",
)
def add_comment(request, item_id: Id, payload: ImprovementCommentIn):
    row = ops.comment(request.auth, _item(request.auth, item_id), body=payload.body)
    return Status(201, comment_out(row))


@router.post(
    "/{item_id}/actions",
    response={201: ImprovementActionOut, **ERRORS},
    summary="Add an action to an item",
)
def add_action(request, item_id: Id, payload: ActionCreate):
    item = _item(request.auth, item_id)
    data = payload.dict()
    if data["owner"] is not None:
        data["owner"] = visible_ref(User.objects, request.auth, "owner", data["owner"], "user")
    row = ops.add_action(request.auth, item, **data)
    return Status(201, action_out(row))


@router.patch(
    "/{item_id}/actions/{action_id}",
    response={200: ImprovementActionOut, **ERRORS},
    summary="Change an action or tick it off",
)
def update_action(request, item_id: Id, action_id: Id, payload: ActionUpdate):
    item = _item(request.auth, item_id)
    action = Action.objects.filter(item=item, pk=action_id).select_related("item").first()
    if action is None:
        raise NotFound(_("Action %(id)s not found.") % {"id": action_id})
    data = payload.dict(exclude_unset=True)
    for name in ("title", "done"):
        if name in data and data[name] is None:
            raise ValidationError.field(name, _("cannot be null"))
    if data.get("owner") is not None:
        data["owner"] = visible_ref(User.objects, request.auth, "owner", data["owner"], "user")
    row = ops.update_action(request.auth, action, **data)
    return action_out(Action.objects.select_related("owner").get(pk=row.pk))
