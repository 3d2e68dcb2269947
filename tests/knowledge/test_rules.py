"""KCS licence rules: each licence allowed and refused for each action (rules.py), and the
operations refusing what the rules refuse."""

from __future__ import annotations

import pytest

from steward.core.errors import NotFound, PermissionDenied
from steward.knowledge import operations as ops
from steward.knowledge import rules
from steward.knowledge.choices import Audience, Confidence, LicenceLevel


@pytest.fixture
def articles(kb, make_article):
    """Articles by the agent (a Candidate) in each kind of domain, and the candidate's own."""
    people, services, cats = kb["people"], kb["services"], kb["categories"]
    agent = people["agent"]
    return {
        "own": make_article(people["candidate"]),
        "banking": make_article(agent),  # the Online Banking service
        "network": make_article(agent, services=[], category=cats["network"]),
        "elsewhere": make_article(
            agent, services=[services["corporate_live"]], category=cats["database"]
        ),
        "validated_own": make_article(people["candidate"], confidence=Confidence.VALIDATED),
        "public": make_article(agent, confidence=Confidence.VALIDATED, audience=Audience.PUBLIC),
    }


def fresh(article):
    article.refresh_from_db()
    article.__dict__.pop("_service_ids", None)
    return article


# who may edit which article: (person, article) -> allowed
EDIT = {
    ("candidate", "own"): True,  # a Candidate edits their own while WIP / not validated
    ("candidate", "banking"): False,  # not others'
    ("candidate", "validated_own"): False,  # nor their own once validated
    ("contributor", "banking"): True,  # Contributor by service
    ("contributor", "network"): False,
    ("contributor", "elsewhere"): False,
    ("cat_contributor", "network"): True,  # Contributor by category
    ("cat_contributor", "banking"): False,
    ("everywhere", "elsewhere"): True,  # Contributor in every domain
    ("everywhere", "banking"): True,
    ("publisher", "banking"): True,
    ("publisher", "elsewhere"): False,
    ("admin", "elsewhere"): True,  # administrators act as Publishers everywhere
    ("requester", "public"): False,  # requesters read, rate and flag; nothing else
}


@pytest.mark.parametrize(("person", "which"), sorted(EDIT))
def test_edit_by_licence(kb, articles, person, which):
    user, article = kb["people"][person], articles[which]
    assert rules.may_edit(user, article) is EDIT[(person, which)]
    if EDIT[(person, which)]:
        updated = ops.update_article(user, article, version=article.version, keywords="vpn")
        assert updated.revision == 2
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            ops.update_article(user, article, version=article.version, keywords="vpn")
        assert fresh(article).revision == 1


VALIDATE = {
    ("candidate", "own"): False,  # stays WIP / not validated until coached
    ("candidate", "banking"): False,
    ("contributor", "banking"): True,
    ("contributor", "elsewhere"): False,
    ("cat_contributor", "network"): True,
    ("cat_contributor", "elsewhere"): False,
    ("everywhere", "elsewhere"): True,
    ("publisher", "banking"): True,
    ("coach", "banking"): True,
    ("admin", "elsewhere"): True,
}


@pytest.mark.parametrize(("person", "which"), sorted(VALIDATE))
def test_validate_by_licence(kb, articles, person, which):
    user, article = kb["people"][person], articles[which]
    assert (
        rules.may_set_confidence(user, article, Confidence.VALIDATED) is VALIDATE[(person, which)]
    )
    if VALIDATE[(person, which)]:
        ops.set_confidence(user, article, Confidence.VALIDATED, version=article.version)
        assert fresh(article).confidence == Confidence.VALIDATED
    else:
        with pytest.raises(PermissionDenied) as refused:
            ops.set_confidence(user, article, Confidence.VALIDATED, version=article.version)
        assert "confidence" in refused.value.fields
        assert fresh(article).confidence == Confidence.WIP


def test_candidate_moves_own_between_wip_and_not_validated(kb, articles):
    candidate, own = kb["people"]["candidate"], articles["own"]
    ops.set_confidence(candidate, own, Confidence.NOT_VALIDATED, version=own.version)
    ops.set_confidence(candidate, own, Confidence.WIP, version=own.version)
    assert fresh(own).confidence == Confidence.WIP
    with pytest.raises(PermissionDenied):
        ops.set_confidence(candidate, own, Confidence.ARCHIVED, version=own.version)
    other = articles["banking"]
    assert not rules.may_set_confidence(candidate, other, Confidence.NOT_VALIDATED)


def test_archiving_an_external_article_needs_a_publisher(kb, articles):
    public = articles["public"]
    assert not rules.may_set_confidence(kb["people"]["contributor"], public, Confidence.ARCHIVED)
    assert rules.may_set_confidence(kb["people"]["publisher"], public, Confidence.ARCHIVED)


AUDIENCE = {
    "candidate": False,
    "contributor": False,
    "cat_contributor": False,
    "coach": False,
    "publisher": True,  # for its domain
    "admin": True,
    "requester": False,
}


@pytest.mark.parametrize("person", sorted(AUDIENCE))
def test_make_external_needs_a_publisher(kb, articles, person):
    user, article = kb["people"][person], articles["validated_own"]
    assert rules.may_set_audience(user, article, Audience.PUBLIC) is AUDIENCE[person]
    if AUDIENCE[person]:
        ops.set_audience(user, article, Audience.PUBLIC, version=article.version)
        assert fresh(article).audience == Audience.PUBLIC
    else:
        with pytest.raises((PermissionDenied, NotFound)):
            ops.set_audience(user, article, Audience.PUBLIC, version=article.version)
        assert fresh(article).audience == Audience.INTERNAL


def test_publisher_only_in_their_domain(kb, make_article):
    people = kb["people"]
    elsewhere = make_article(
        people["agent"],
        services=[kb["services"]["corporate_live"]],
        confidence=Confidence.VALIDATED,
    )
    assert not rules.may_set_audience(people["publisher"], elsewhere, Audience.PUBLIC)
    with pytest.raises(PermissionDenied):
        ops.set_audience(people["publisher"], elsewhere, Audience.PUBLIC, version=elsewhere.version)


def test_coach_reviews_candidates_in_domain_never_own(kb, articles, make_article):
    people = kb["people"]
    coach = people["coach"]
    assert rules.may_review(coach, articles["banking"])
    assert not rules.may_review(coach, articles["elsewhere"])  # not their domain
    assert not rules.may_review(people["contributor"], articles["banking"])  # not a coach
    assert not rules.may_review(people["candidate"], articles["banking"])
    coach_own = make_article(coach)
    assert not rules.may_review(coach, coach_own)
    with pytest.raises(PermissionDenied):
        ops.review_article(coach, coach_own, defects=[])
    admin_own = make_article(people["admin"])
    assert not rules.may_review(people["admin"], admin_own)  # admins never their own either
    review = ops.review_article(coach, articles["banking"], defects=["title"])
    assert review.author == people["agent"]


def test_requester_only_views_flags_and_rates(kb, articles):
    requester = kb["people"]["requester"]
    public, internal = articles["public"], articles["banking"]
    assert rules.allowed_actions(requester, public) == {"flag", "rate"}
    assert not rules.may_view(requester, internal)
    assert not rules.may_create(requester)
    assert not rules.may_link(requester)
    assert not rules.may_resolve_flag(requester, public)
    assert not rules.may_review(requester, public)
    assert not rules.may_grant_licences(requester)
    ops.flag_article(requester, public, reason="unclear")
    ops.rate_article(requester, public, helped=True)
    with pytest.raises(NotFound):
        ops.flag_article(requester, internal, reason="wrong")  # not readable: as if none
    with pytest.raises(PermissionDenied):
        ops.create_article(requester, title="x", issue="y")


def test_resolve_flags_owner_or_contributor(kb, articles):
    people = kb["people"]
    article = articles["banking"]  # owned by the agent
    assert rules.may_resolve_flag(people["agent"], article)
    assert rules.may_resolve_flag(people["contributor"], article)
    assert not rules.may_resolve_flag(people["candidate"], article)
    assert not rules.may_resolve_flag(people["cat_contributor"], article)
    flag = ops.flag_article(people["candidate"], article, reason="wrong")
    with pytest.raises(PermissionDenied):
        ops.resolve_flag(people["candidate"], flag, status="fixed")
    ops.resolve_flag(people["contributor"], flag, status="fixed")


def test_only_granters_grant(kb, make_user):
    people = kb["people"]
    for person in ("candidate", "contributor", "publisher", "coach", "requester"):
        assert not rules.may_grant_licences(people[person])
        with pytest.raises(PermissionDenied):
            ops.grant_licence(people[person], user=people["agent"], level=LicenceLevel.PUBLISHER)
    assert rules.may_grant_licences(people["admin"])


def test_process_owner_grants(kb):
    from steward.ownership import operations as ownership_ops
    from steward.ownership.models import Process

    owner = kb["people"]["candidate"]
    process = Process.objects.get(key="knowledge")
    ownership_ops.update_process(None, process, version=process.version, owner=owner)
    assert rules.may_grant_licences(owner)


def test_licence_grants_change_and_revoke_rights(kb, articles):
    people = kb["people"]
    admin, candidate, banking = people["admin"], people["candidate"], articles["banking"]
    assert not rules.may_edit(candidate, banking)
    licence = ops.grant_licence(
        admin, user=candidate, level=LicenceLevel.CONTRIBUTOR, service=kb["services"]["retail_live"]
    )
    assert rules.may_edit(candidate, fresh(banking))
    assert not rules.may_set_audience(candidate, banking, Audience.PUBLIC)
    licence = ops.change_licence(
        admin, licence, version=licence.version, level=LicenceLevel.PUBLISHER
    )
    assert rules.may_set_audience(candidate, fresh(banking), Audience.PUBLIC)
    ops.revoke_licence(admin, licence, version=licence.version)
    assert not rules.may_edit(candidate, fresh(banking))
