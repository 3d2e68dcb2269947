"""The problem lists, defined once for the pages and the API: the named queues (with their
counts), the filters and the sort."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from steward.problems import search
from steward.problems.choices import ACTIVE_STATUSES, PUBLISHED_STATUSES
from steward.problems.models import Problem, ProblemIncident

#: The queues of the list page (its tabs, in order).
QUEUES = {
    "open": _("Open problems"),
    "mine": _("My problems"),
    "unowned": _("Without owner"),
    "known_errors": _("Known errors"),
    "all": _("All problems"),
}
SORTS = {
    "-id": "-id",
    "id": "id",
    "priority": ("priority", "-id"),
    "-priority": ("-priority", "id"),
}


def queue_q(user, key: str) -> Q:
    active = Q(status__in=sorted(ACTIVE_STATUSES))
    if key == "open":
        return active
    if key == "mine":
        return active & Q(owner=user)
    if key == "unowned":
        return active & Q(owner__isnull=True)
    if key == "known_errors":
        return Q(known_error=True, status__in=sorted(PUBLISHED_STATUSES))
    return Q()


def queue_counts(user) -> dict[str, int]:
    """The count of every queue but "all", in one statement."""
    qs = Problem.objects.for_user(user, "view")
    keys = [k for k in QUEUES if k != "all"]
    return qs.aggregate(**{k: Count("pk", filter=queue_q(user, k)) for k in keys})


def filtered(user, filters):
    """The problems ``user`` may see, narrowed by ``filters`` (a ``ProblemFilters`` or any
    object with the same attributes), ordered."""
    qs = Problem.objects.for_user(user, "view")
    get = lambda name: getattr(filters, name, None)  # noqa: E731
    if get("queue"):
        qs = qs.filter(queue_q(user, get("queue")))
    if get("status"):
        qs = qs.filter(status=get("status"))
    if get("known_error") is not None:
        qs = qs.filter(known_error=get("known_error"))
    if get("owner"):
        qs = qs.filter(owner_id=get("owner"))
    if get("owning_group"):
        qs = qs.filter(owning_group_id=get("owning_group"))
    if get("service"):
        qs = qs.filter(
            pk__in=Problem.services.through.objects.filter(service_id=get("service")).values(
                "problem_id"
            )
        )
    if get("ci"):
        qs = qs.filter(
            pk__in=Problem.cis.through.objects.filter(configurationitem_id=get("ci")).values(
                "problem_id"
            )
        )
    if get("incident"):
        qs = qs.filter(
            pk__in=ProblemIncident.objects.filter(incident__number=get("incident").upper()).values(
                "problem_id"
            )
        )
    if get("q") and get("q").strip():
        qs = search.text_filter(qs, get("q"))
    order = SORTS.get(get("sort") or "-id", "-id")
    return qs.order_by(*(order if isinstance(order, tuple) else (order,)))
