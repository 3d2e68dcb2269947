"""The changes router and what its endpoints share: who may call them (IT staff; anyone else
finds nothing, as for a missing record), the lookups that answer 404 or a 422 naming the
field, and the serializers."""

from __future__ import annotations

from contextlib import contextmanager

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Router

from steward.changes import rules
from steward.changes.models import ChangeIncident, ChangeRequest
from steward.core.api_support import named_ref, person_brief, visible_ref, visible_refs
from steward.core.errors import NotFound, ValidationError
from steward.incidents.models import Incident
from steward.people.models import SupportGroup, User
from steward.services.models import ConfigurationItem, Service

router = Router(tags=["changes"])


def staff(request):
    """Change enablement is IT's: anyone else finds nothing here, not even a count."""
    if not rules.may_view(request.auth):
        raise NotFound(_("Not found."))
    return request.auth


def with_relations(qs):
    """What a change's answer reads, in a constant number of queries for any page."""
    return qs.select_related(
        "template",
        "requester",
        "owner",
        "owning_group",
        "implementer",
        "conflicts_overridden_by",
        "review__recorded_by",
    ).prefetch_related(
        "services",
        "cis",
        Prefetch(
            "caused",
            queryset=ChangeIncident.objects.select_related("incident").order_by("incident_id"),
        ),
    )


def change_for(user, number: str) -> ChangeRequest:
    change = (
        with_relations(ChangeRequest.objects.for_user(user, "view"))
        .filter(number=number.upper())
        .first()
    )
    if change is None:
        raise NotFound(_("Change %(number)s not found.") % {"number": number})
    return change


def _review_of(change: ChangeRequest):
    try:
        return change.review
    except ChangeRequest.review.RelatedObjectDoesNotExist:
        return None


def follow_up_people(changes) -> dict[int, User]:
    """The people the reviews' follow-ups name, in one query for every change given."""
    ids = set()
    for change in changes:
        review = _review_of(change)
        for item in review.follow_ups if review else ():
            if isinstance(item, dict) and isinstance(item.get("owner"), int):
                ids.add(item["owner"])
    return {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}


def override_out(change: ChangeRequest) -> dict | None:
    if not change.conflicts_override_reason:
        return None
    return {
        "reason": change.conflicts_override_reason,
        "by": person_brief(change.conflicts_overridden_by),
        "at": change.conflicts_overridden_at,
        "keys": list(change.conflicts_overridden or []),
    }


def review_out(change: ChangeRequest, people: dict[int, User]) -> dict | None:
    review = _review_of(change)
    if review is None:
        return None
    return {
        "what_happened": review.what_happened,
        "cause": review.cause,
        "follow_ups": [
            {
                "action": item.get("action", ""),
                "owner": person_brief(people.get(item.get("owner"))),
                "due": item.get("due") or None,
            }
            for item in review.follow_ups
            if isinstance(item, dict)
        ],
        "recorded_by": person_brief(review.recorded_by),
        "recorded_at": review.recorded_at,
    }


def change_out(c: ChangeRequest, people: dict[int, User] | None = None) -> dict:
    if people is None:
        people = follow_up_people([c])
    return {
        "number": c.number,
        "type": c.type,
        "template": named_ref(c.template),
        "title": c.title,
        "description": c.description,
        "reason": c.reason,
        "requester": person_brief(c.requester),
        "owner": person_brief(c.owner),
        "owning_group": named_ref(c.owning_group),
        "implementer": person_brief(c.implementer),
        "services": [named_ref(s) for s in c.services.all()],
        "cis": [named_ref(ci) for ci in c.cis.all()],
        "planned_start": c.planned_start,
        "planned_end": c.planned_end,
        "implementation_plan": c.implementation_plan,
        "backout_plan": c.backout_plan,
        "test_plan": c.test_plan,
        "communication_plan": c.communication_plan,
        "risk": c.risk,
        "risk_reasons": c.risk_reasons or [],
        "impact": c.impact,
        "outage_expected": c.outage_expected,
        "outage_minutes": c.outage_minutes,
        "tasks": list(c.tasks or []),
        "status": c.status,
        "approval_round": c.approval_round,
        "rejection_reasons": c.rejection_reasons,
        "outcome": c.outcome or None,
        "outcome_notes": c.outcome_notes,
        "cancel_reason": c.cancel_reason,
        "conflicts_override": override_out(c),
        "review": review_out(c, people),
        "caused_incidents": [link.incident.number for link in c.caused.all()],
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "authorized_at": c.authorized_at,
        "started_at": c.started_at,
        "finished_at": c.finished_at,
        "closed_at": c.closed_at,
        "version": c.version,
    }


def fresh_out(user, change: ChangeRequest) -> dict:
    """The change as it is now (after an operation), read again through the user's view."""
    return change_out(change_for(user, change.number))


def refs(actor, data: dict) -> dict:
    """Turn the ids of a body into rows (a missing or invisible one: 422 naming the field)."""
    out = {}
    if data.get("owning_group") is not None:
        out["owning_group"] = visible_ref(
            SupportGroup.objects, actor, "owning_group", data["owning_group"], _("group")
        )
    for name in ("owner", "implementer"):
        if name in data:
            out[name] = visible_ref(User.objects, actor, name, data[name], _("user"))
    if data.get("services") is not None:
        out["services"] = visible_refs(
            Service.objects, actor, "services", data["services"], _("services")
        )
    if data.get("cis") is not None:
        out["cis"] = visible_refs(
            ConfigurationItem.objects, actor, "cis", data["cis"], _("configuration items")
        )
    return out


def answers_of(answers: list[dict], field: str = "answers") -> dict[int, int]:
    """The questionnaire answers of a body as ``{question id: answer id}``; a question
    answered twice is refused."""
    out: dict[int, int] = {}
    for n, item in enumerate(answers):
        if item["question"] in out:
            raise ValidationError.field(
                f"{field}.{n}.question", _("this question is answered twice")
            )
        out[item["question"]] = item["answer"]
    return out


@contextmanager
def answers_named_by_place(answers: list[dict], field: str = "answers"):
    """The operations name a questionnaire problem by question (``answers.<question id>``);
    the body lists the answers, so the answer names it by place (``answers.<i>``)."""
    try:
        yield
    except ValidationError as exc:
        place = {str(item["question"]): n for n, item in enumerate(answers)}
        renamed = {}
        for name, problems in exc.fields.items():
            head, _dot, rest = name.partition(".")
            if head == field and rest in place:
                name = f"{field}.{place[rest]}"
            renamed.setdefault(name, []).extend(problems)
        exc.fields = renamed
        raise


def incidents_for(user, numbers: list[str], field: str) -> list[Incident]:
    wanted = list(dict.fromkeys(n.upper() for n in numbers))
    found = {i.number: i for i in Incident.objects.for_user(user, "view").filter(number__in=wanted)}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError.field(
            field, _("incidents %(numbers)s do not exist") % {"numbers": ", ".join(missing)}
        )
    return [found[n] for n in wanted]
