"""Writing articles: creating them (directly, from an incident or from a problem), editing
them (every edit is a version, KCS), and moving them along both axes of their state:
confidence (workflow.ARTICLE) and audience (workflow.require_audience)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from steward.core import journal
from steward.core.concurrency import save_versioned
from steward.core.numbering import next_number
from steward.core.operations import full_clean
from steward.incidents.choices import ACTIVE_STATUSES as INCIDENT_ACTIVE
from steward.knowledge import rules
from steward.knowledge.choices import CONTENT_FIELDS, EXTERNAL_AUDIENCES, Audience, Confidence
from steward.knowledge.models import Article, ArticleVersion, IncidentArticle
from steward.knowledge.operations.common import (
    check_version,
    clean_field,
    invalid,
    locked,
    moment,
    names,
    refuse,
    require_staff,
    require_visible,
    snapshot,
)
from steward.knowledge.workflow import ARTICLE, require_audience

#: What ``update_article`` accepts besides the content fields.
META_FIELDS = ("language", "services", "ci_classes", "category", "owner")
EDITABLE = frozenset((*CONTENT_FIELDS, *META_FIELDS))


def _check_owner(owner) -> None:
    if owner is not None and not (owner.is_active and owner.is_it):
        raise invalid(
            "owner",
            _("%(name)s cannot own an article: the owner is an active member of IT.")
            % {"name": owner.display_name},
            "must be an active IT staff member",
        )


def _require_text(name: str, value: str) -> None:
    if not value:
        raise invalid(name, _("%(field)s cannot be empty.") % {"field": name}, "required")


def write_version(actor, article: Article, *, summary: str = "", at=None) -> ArticleVersion:
    """Keep the article's current content as version ``article.revision`` (never changed)."""
    return ArticleVersion.objects.create(
        article=article,
        revision=article.revision,
        author=actor if getattr(actor, "pk", None) else None,
        created_at=moment(at),
        summary=(summary or "").strip()[:200],
        confidence=article.confidence,
        audience=article.audience,
        **{name: getattr(article, name) for name in CONTENT_FIELDS},
    )


def _links_created_from(actor, article: Article, incident, at) -> None:
    """The incident an article was captured from is linked with kind create, whatever the
    clock says (it was written from it)."""
    IncidentArticle.objects.create(
        incident=incident,
        article=article,
        kind="create",
        linked_by=actor if getattr(actor, "pk", None) else None,
        linked_at=moment(at),
    )
    changes = {"incident": [None, incident.number], "kind": [None, "create"]}
    journal.record(actor, article, "article_linked", changes)
    journal.record(
        actor,
        incident,
        "article_linked",
        {"article": [None, article.number], "kind": changes["kind"]},
    )


@transaction.atomic
def create_article(
    actor,
    *,
    title,
    issue,
    environment="",
    resolution="",
    cause="",
    keywords="",
    language="en",
    services=(),
    ci_classes=(),
    category=None,
    owner=None,
    created_from=None,
    problem=None,
    at=None,
) -> Article:
    """Write a new article: WIP, internal, revision 1 with its first version. The owner (who
    receives its flags) is the author unless named. From an incident, the incident is linked
    with kind create."""
    require_staff(actor)
    if not rules.may_create(actor):
        raise refuse(_("You may not write articles."), "user", "may not create articles")
    owner = owner if owner is not None else actor
    if owner is None:
        raise invalid("owner", _("Name the article's owner."), "required")
    _check_owner(owner)
    content = {
        "title": title,
        "issue": issue,
        "environment": environment,
        "resolution": resolution,
        "cause": cause,
        "keywords": keywords,
    }
    content = {name: clean_field(name, value) for name, value in content.items()}
    _require_text("title", content["title"])
    _require_text("issue", content["issue"])
    article = Article(
        **content,
        language=(language or "en").strip(),
        category=category,
        owner=owner,
        created_by=actor if actor is not None else owner,
        created_from=created_from,
        problem=problem,
        confidence=Confidence.WIP,
        audience=Audience.INTERNAL,
        revision=1,
        number="KB",
    )
    full_clean(article, exclude=["number"], constraints=False)
    article.number = next_number("KB")
    article.save()
    when = moment(at)
    if at is not None:  # created_at is auto_now_add: a given time is written after the insert
        Article.objects.filter(pk=article.pk).update(created_at=when, updated_at=when)
        article.created_at = article.updated_at = when
    services, ci_classes = list(services or ()), list(ci_classes or ())
    if services:
        article.services.set(services)
    if ci_classes:
        article.ci_classes.set(ci_classes)
    write_version(actor, article, at=when)
    created = {f: [None, v] for f, v in snapshot(article).items() if v not in ("", None)}
    created["number"] = [None, article.number]
    if services:
        created["services"] = [None, names(services)]
    if ci_classes:
        created["ci_classes"] = [None, names(ci_classes)]
    journal.record(actor, article, "created", created)
    if created_from is not None:
        _links_created_from(actor, article, created_from, when)
    return article


def _m2m_names(article: Article) -> dict:
    return {
        "services": names(article.services.all()),
        "ci_classes": names(article.ci_classes.all()),
    }


@transaction.atomic
def update_article(actor, article: Article, *, version, summary="", **fields) -> Article:
    """Edit an article: any of its content fields, language, services, CI classes, category
    and owner. Every edit that changes something is the next version with its author (KCS:
    every edit is a version); an edit that changes nothing writes nothing."""
    require_visible(actor, article)
    unknown = sorted(set(fields) - EDITABLE)
    if unknown:
        raise invalid(
            unknown[0],
            _("%(field)s cannot be changed here.") % {"field": unknown[0]},
            "unknown field",
        )
    locked(article)
    check_version(article, version)
    if not rules.may_edit(actor, article):
        raise refuse(
            _("You may not edit %(number)s: your licence does not cover it.")
            % {"number": article.number},
            "version",
            "not licensed to edit this article",
        )
    for name in CONTENT_FIELDS:
        if name in fields:
            fields[name] = clean_field(name, fields[name])
    for name in ("title", "issue"):
        if name in fields:
            _require_text(name, fields[name])
    if "language" in fields:
        fields["language"] = (fields["language"] or "").strip()
        _require_text("language", fields["language"])
    if "owner" in fields:
        if fields["owner"] is None:
            raise invalid("owner", _("owner cannot be empty."), "required")
        _check_owner(fields["owner"])
    services = fields.pop("services", None)
    ci_classes = fields.pop("ci_classes", None)
    before = snapshot(article)
    before.update(_m2m_names(article))
    before_ids = {
        "services": set(article.services.values_list("pk", flat=True)),
        "ci_classes": set(article.ci_classes.values_list("pk", flat=True)),
    }
    for name, value in fields.items():
        setattr(article, name, value)
    changed_m2m = {}
    if services is not None and {s.pk for s in services} != before_ids["services"]:
        changed_m2m["services"] = services
    if ci_classes is not None and {c.pk for c in ci_classes} != before_ids["ci_classes"]:
        changed_m2m["ci_classes"] = ci_classes
    after = snapshot(article)
    row_changed = journal.diff(before, after)
    if not row_changed and not changed_m2m:
        return article
    full_clean(article, constraints=False)
    article.revision += 1
    save_versioned(article, version, [*fields, "revision"])
    for name, rows in changed_m2m.items():
        getattr(article, name).set(rows)
    article.__dict__.pop("_service_ids", None)
    write_version(actor, article, summary=summary)
    after.update(_m2m_names(article))
    diff = journal.diff(before, after)
    diff["revision"] = [article.revision - 1, article.revision]
    journal.record(actor, article, "updated", diff, comment=(summary or "").strip())
    return article


@transaction.atomic
def set_confidence(actor, article: Article, target, *, version, comment="") -> Article:
    """Move an article along its confidence (wip → not validated → validated → archived, see
    workflow.ARTICLE). The first validation stamps ``validated_at``; archiving stamps
    ``archived_at``. An external article that leaves Validated becomes internal again, in the
    same journal entry (a requester never reads what is not validated)."""
    require_visible(actor, article)
    locked(article)
    check_version(article, version)
    if target not in Confidence.values:
        raise invalid(
            "confidence",
            _("Unknown confidence %(value)s.") % {"value": repr(target)},
            f"must be one of {', '.join(Confidence.values)}",
        )
    if not rules.may_set_confidence(actor, article, target):
        raise refuse(
            _("You may not move %(number)s to %(state)s: your licence does not cover it.")
            % {"number": article.number, "state": Confidence(target).label},
            "confidence",
            "not licensed for this move",
        )
    ARTICLE.check(article.confidence, target, field_name="confidence", article=article)
    before = snapshot(article)
    now = moment()
    fields = ["confidence"]
    article.confidence = target
    if target == Confidence.VALIDATED and article.validated_at is None:
        article.validated_at = now
        fields.append("validated_at")
    if target == Confidence.ARCHIVED:
        article.archived_at = now
        fields.append("archived_at")
    elif article.archived_at is not None:
        article.archived_at = None  # restored
        fields.append("archived_at")
    if target != Confidence.VALIDATED and article.audience in EXTERNAL_AUDIENCES:
        article.audience = Audience.INTERNAL
        fields.append("audience")
    save_versioned(article, version, fields)
    diff = journal.diff(before, snapshot(article))
    journal.record(actor, article, "confidence_changed", diff, comment=(comment or "").strip())
    return article


@transaction.atomic
def set_audience(actor, article: Article, audience, *, version, organizations=()) -> Article:
    """Say who reads an article: IT staff only (internal), the customers of the named
    organisations, or every requester (public). Publishers only; external needs Validated.
    The first time it is external stamps ``published_at`` (time to publish)."""
    require_visible(actor, article)
    locked(article)
    check_version(article, version)
    if audience not in Audience.values:
        raise invalid(
            "audience",
            _("Unknown audience %(value)s.") % {"value": repr(audience)},
            f"must be one of {', '.join(Audience.values)}",
        )
    if not rules.may_set_audience(actor, article, audience):
        raise refuse(
            _("Only a Publisher of its domain may change who reads %(number)s.")
            % {"number": article.number},
            "audience",
            "needs a Publisher licence",
        )
    organizations = (
        list(dict.fromkeys(organizations or ())) if audience == Audience.CUSTOMERS else []
    )
    require_audience(
        confidence=article.confidence,
        audience=audience,
        organization_count=len(organizations),
    )
    before = snapshot(article)
    before["organizations"] = names(article.organizations.all())
    before_ids = set(article.organizations.values_list("pk", flat=True))
    fields = []
    if article.audience != audience:
        article.audience = audience
        fields.append("audience")
    if audience in EXTERNAL_AUDIENCES and article.published_at is None:
        article.published_at = moment()
        fields.append("published_at")
    orgs_changed = {o.pk for o in organizations} != before_ids
    if not fields and not orgs_changed:
        return article
    save_versioned(article, version, fields)
    if orgs_changed:
        article.organizations.set(organizations)
    after = snapshot(article)
    after["organizations"] = names(organizations)
    journal.record(actor, article, "audience_changed", journal.diff(before, after))
    return article


def _first_line(text: str, limit: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:limit]


@transaction.atomic
def capture_from_incident(actor, incident) -> Article:
    """One click: a WIP article prefilled from the incident (its title, its description as
    the issue, its resolution notes once resolved, its service and category), linked to it
    with kind create."""
    require_staff(actor)
    resolved = incident.status not in INCIDENT_ACTIVE
    return create_article(
        actor,
        title=_first_line(incident.title) or incident.number,
        issue=incident.description or incident.title,
        resolution=incident.resolution_notes if resolved else "",
        services=[incident.service] if incident.service_id else (),
        category=incident.category,
        created_from=incident,
    )


@transaction.atomic
def capture_from_problem(actor, problem) -> Article:
    """A problem's resolution as an article in one step: the issue from its statement, the
    cause from its root cause analysis, the resolution from its fix (else its workaround)."""
    require_staff(actor)
    rca = getattr(problem, "rca", None)  # a missing analysis raises AttributeError: None
    resolution = problem.fix_description or problem.workaround or ""
    return create_article(
        actor,
        title=_first_line(problem.title) or problem.number,
        issue=problem.statement or problem.title,
        cause=(rca.root_cause if rca is not None else "") or "",
        resolution=resolution,
        services=list(problem.services.all()),
        category=problem.category,
        problem=problem,
    )
