"""Writing articles: creation (sanitised, versioned, journaled), edits (every edit a version,
nothing changed nothing written, stale version refused), confidence and audience."""

from __future__ import annotations

import pytest

from steward.core.errors import StaleVersion, TransitionNotAllowed, ValidationError
from steward.core.models import JournalEntry
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence
from steward.knowledge.models import Article, ArticleVersion, IncidentArticle


def entries(record, action=None):
    qs = JournalEntry.objects.filter(record_type=record._meta.label_lower, record_id=str(record.pk))
    return list(qs.filter(action=action) if action else qs)


def test_create_starts_wip_internal_with_first_version(kb):
    candidate = kb["people"]["candidate"]
    article = ops.create_article(
        candidate,
        title="  Printer jams on tray 2 ",
        issue="Paper jams",
        services=[kb["services"]["retail_live"]],
        category=kb["categories"]["network"],
    )
    assert article.number.startswith("KB")
    assert (article.confidence, article.audience, article.revision) == ("wip", "internal", 1)
    assert article.title == "Printer jams on tray 2"
    assert article.owner == candidate and article.created_by == candidate
    version = ArticleVersion.objects.get(article=article)
    assert (version.revision, version.author, version.title) == (1, candidate, article.title)
    [created] = entries(article, "created")
    assert created.changes["services"] == [None, ["Online Banking"]]
    assert created.actor == candidate


def test_the_history_keeps_the_words_of_the_rich_text(kb):
    author = kb["people"]["candidate"]
    article = ops.create_article(author, title="Settings", issue="<p>Where is it?</p>")
    ops.update_article(
        author, article, version=article.version, resolution="<p>Settings &gt; Accounts</p>"
    )

    entry = JournalEntry.objects.for_record(article).get(action="updated")
    # no tags and no entities: the timeline escapes what it shows
    assert entry.changes["resolution"] == ["", "Settings > Accounts"]
    created = JournalEntry.objects.for_record(article).get(action="created")
    assert created.changes["issue"] == [None, "Where is it?"]


def test_html_is_sanitised_and_script_inert(kb):
    article = ops.create_article(
        kb["people"]["candidate"],
        title="<b>Title</b>",
        issue='<p onclick="steal()">Steps<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>'
        '<iframe src="https://evil"></iframe>',
        resolution='<ul><li><a href="https://example.org/fix">fix</a></li></ul><style>*{}</style>',
    )
    article.refresh_from_db()
    assert "script" not in article.issue and "alert" not in article.issue
    assert "onclick" not in article.issue and "onerror" not in article.issue
    assert "javascript:" not in article.issue and "iframe" not in article.issue
    assert article.issue.startswith("<p>Steps</p>")
    assert '<a href="https://example.org/fix"' in article.resolution
    assert "style" not in article.resolution
    version = ArticleVersion.objects.get(article=article)
    assert version.issue == article.issue  # the version keeps the clean text too
    # an edit with script is cleaned the same way
    ops.update_article(
        kb["people"]["candidate"],
        article,
        version=article.version,
        cause="<svg onload=alert(1)></svg>plain",
    )
    assert Article.objects.get(pk=article.pk).cause == "plain"


def test_required_text_names_the_field(kb):
    with pytest.raises(ValidationError) as refused:
        ops.create_article(kb["people"]["candidate"], title=" ", issue="x")
    assert "title" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.create_article(kb["people"]["candidate"], title="x", issue="<script></script>")
    assert "issue" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.create_article(kb["people"]["candidate"], title="x", issue="y", language="english")
    assert "language" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.create_article(
            kb["people"]["candidate"], title="x", issue="y", owner=kb["people"]["requester"]
        )
    assert "owner" in refused.value.fields
    assert not Article.objects.exists()


def test_every_edit_is_a_version_with_its_author(kb, make_article):
    people = kb["people"]
    article = make_article(people["candidate"])
    ops.update_article(people["candidate"], article, version=article.version, title="VPN drops")
    ops.update_article(
        people["contributor"],
        article,
        version=article.version,
        resolution="Reinstall the client.",
        summary="better fix",
    )
    ops.update_article(
        people["contributor"],
        article,
        version=article.version,
        services=[kb["services"]["retail_live"], kb["services"]["corporate_live"]],
    )
    versions = list(ArticleVersion.objects.filter(article=article).order_by("revision"))
    assert [(v.revision, v.author.username) for v in versions] == [
        (1, "candidate"),
        (2, "candidate"),
        (3, "contributor"),
        (4, "contributor"),
    ]
    assert versions[1].title == "VPN drops" and versions[0].title != "VPN drops"
    assert versions[2].resolution == "Reinstall the client." and versions[2].summary == "better fix"
    article.refresh_from_db()
    assert article.revision == 4
    updated = entries(article, "updated")
    assert updated[-1].changes["services"][1] == ["Online Banking", "Treasury"]
    assert updated[0].changes["revision"] == [1, 2]


def test_edit_that_changes_nothing_writes_nothing(kb, make_article):
    candidate = kb["people"]["candidate"]
    article = make_article(candidate)
    before = (article.version, ArticleVersion.objects.count(), JournalEntry.objects.count())
    ops.update_article(
        candidate,
        article,
        version=article.version,
        title=article.title,
        resolution=article.resolution,
        services=[kb["services"]["retail_live"]],
    )
    article.refresh_from_db()
    assert (article.version, ArticleVersion.objects.count(), JournalEntry.objects.count()) == before


def test_stale_version_is_refused_and_nothing_written(kb, make_article):
    candidate = kb["people"]["candidate"]
    article = make_article(candidate)
    read_at = article.version
    ops.update_article(candidate, article, version=read_at, title="First")
    stale = Article.objects.get(pk=article.pk)
    counts = (ArticleVersion.objects.count(), JournalEntry.objects.count())
    with pytest.raises(StaleVersion):
        ops.update_article(candidate, stale, version=read_at, title="Second")
    with pytest.raises(StaleVersion):
        ops.set_confidence(candidate, stale, Confidence.NOT_VALIDATED, version=read_at)
    assert Article.objects.get(pk=article.pk).title == "First"
    assert (ArticleVersion.objects.count(), JournalEntry.objects.count()) == counts


def test_unknown_field_is_refused(kb, make_article):
    article = make_article()
    with pytest.raises(ValidationError) as refused:
        ops.update_article(kb["people"]["admin"], article, version=article.version, number="X")
    assert "number" in refused.value.fields


def test_validation_stamps_once_and_needs_a_resolution(kb, make_article):
    admin = kb["people"]["admin"]
    article = make_article(resolution="")
    with pytest.raises(ValidationError) as refused:
        ops.set_confidence(admin, article, Confidence.VALIDATED, version=article.version)
    assert "resolution" in refused.value.fields
    ops.update_article(admin, article, version=article.version, resolution="Restart it.")
    ops.set_confidence(admin, article, Confidence.VALIDATED, version=article.version)
    first = article.validated_at
    assert first is not None
    ops.set_confidence(admin, article, Confidence.NOT_VALIDATED, version=article.version)
    ops.set_confidence(admin, article, Confidence.VALIDATED, version=article.version)
    assert Article.objects.get(pk=article.pk).validated_at == first
    ops.set_confidence(admin, article, Confidence.ARCHIVED, version=article.version)
    assert article.archived_at is not None
    with pytest.raises(TransitionNotAllowed):
        ops.set_confidence(admin, article, Confidence.VALIDATED, version=article.version)
    ops.set_confidence(admin, article, Confidence.NOT_VALIDATED, version=article.version)
    assert Article.objects.get(pk=article.pk).archived_at is None


def test_unknown_confidence_names_the_field(kb, make_article):
    article = make_article()
    with pytest.raises(ValidationError) as refused:
        ops.set_confidence(kb["people"]["admin"], article, "gold", version=article.version)
    assert "confidence" in refused.value.fields


def test_leaving_validated_makes_an_external_article_internal(kb, make_article):
    admin = kb["people"]["admin"]
    article = make_article(confidence=Confidence.VALIDATED, audience=Audience.PUBLIC)
    ops.set_confidence(
        admin, article, Confidence.NOT_VALIDATED, version=article.version, comment="wrong"
    )
    article.refresh_from_db()
    assert (article.confidence, article.audience) == ("not_validated", "internal")
    [entry] = entries(article, "confidence_changed")[-1:]
    assert entry.changes["audience"] == ["public", "internal"]
    assert entry.changes["confidence"] == ["validated", "not_validated"]


def test_audience_guards(kb, make_article):
    publisher = kb["people"]["publisher"]
    draft = make_article()
    with pytest.raises(ValidationError) as refused:
        ops.set_audience(publisher, draft, Audience.PUBLIC, version=draft.version)
    assert "audience" in refused.value.fields
    article = make_article(confidence=Confidence.VALIDATED)
    with pytest.raises(ValidationError) as refused:
        ops.set_audience(publisher, article, Audience.CUSTOMERS, version=article.version)
    assert "organizations" in refused.value.fields
    with pytest.raises(ValidationError) as refused:
        ops.set_audience(publisher, article, "everyone", version=article.version)
    assert "audience" in refused.value.fields
    assert Article.objects.get(pk=article.pk).audience == "internal"
    retail = kb["orgs"]["retail"]
    ops.set_audience(
        publisher, article, Audience.CUSTOMERS, version=article.version, organizations=[retail]
    )
    article.refresh_from_db()
    published = article.published_at
    assert article.audience == "customers" and list(article.organizations.all()) == [retail]
    assert published is not None
    ops.set_audience(publisher, article, Audience.INTERNAL, version=article.version)
    ops.set_audience(publisher, article, Audience.PUBLIC, version=article.version)
    article.refresh_from_db()
    assert article.published_at == published  # the first time it became external
    assert not article.organizations.exists()
    [entry] = entries(article, "audience_changed")[:1]
    assert entry.changes["organizations"] == [[], ["Retail"]]


def test_capture_from_incident_prefills_and_links_as_create(kb, open_incident):
    from steward.incidents import operations as incident_ops

    agent = kb["people"]["agent"]
    incident = open_incident(category=kb["categories"]["network"])
    incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(
        agent,
        incident,
        "resolved",
        resolution_code="solved",
        resolution_notes="Updated the VPN client.",
    )
    article = ops.capture_from_incident(agent, incident)
    assert article.title == incident.title
    assert article.issue == incident.description
    assert article.resolution == "Updated the VPN client."
    assert list(article.services.all()) == [kb["services"]["retail_live"]]
    assert article.category == kb["categories"]["network"]
    assert article.created_from == incident and article.confidence == "wip"
    link = IncidentArticle.objects.get(incident=incident, article=article)
    assert link.kind == "create"
    assert entries(incident, "article_linked")


def test_capture_from_problem(kb):
    from steward.problems import operations as problem_ops

    agent = kb["people"]["agent"]
    group = kb["group"]
    problem = problem_ops.create_problem(
        agent,
        title="DB pool exhausted",
        statement="Connections run out at peak.",
        owning_group=group,
        impact=2,
        urgency=2,
        services=[kb["services"]["retail_live"]],
    )
    problem_ops.update_problem(agent, problem, version=None, workaround="Restart the pool.")
    article = ops.capture_from_problem(agent, problem)
    assert article.problem == problem
    assert article.issue == "Connections run out at peak."
    assert article.resolution == "Restart the pool."
    assert list(article.services.all()) == [kb["services"]["retail_live"]]
