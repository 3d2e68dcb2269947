"""Fixtures of the knowledge tests: people holding each KCS licence, two categories,
incidents to link and articles brought to each state through the operations.

``kb`` builds on the shared ``world`` (two organisations, one person per role, three
services): every helper's tests may use it. Domains: the Online Banking service
(``retail_live``) and the Network category; the Treasury service and the Database category
are outside them."""

from __future__ import annotations

import pytest

from steward.incidents import operations as incident_ops
from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence, LicenceLevel
from steward.people.choices import Role


@pytest.fixture
def kb(world, make_user):
    """world plus: categories (network, database) and IT staff with licences:

    - ``candidate``: no licence (a Candidate everywhere);
    - ``contributor``: Contributor for the Online Banking service;
    - ``cat_contributor``: Contributor for the Network category;
    - ``everywhere``: Contributor in every domain;
    - ``publisher``: Publisher for the Online Banking service;
    - ``coach``: Contributor and coach for the Online Banking service;
    - ``admin`` (world's, acts as a Publisher everywhere), ``requester`` (Retail),
      ``outsider`` (Corporate)."""
    people = dict(world["people"])
    admin = people["admin"]
    services = world["services"]
    network = incident_ops.create_category(None, name="Network")
    database = incident_ops.create_category(None, name="Database")
    for name in ("candidate", "contributor", "cat_contributor", "everywhere", "publisher", "coach"):
        people[name] = make_user(name, roles=[Role.AGENT])
    banking = services["retail_live"]
    ops.grant_licence(
        admin, user=people["contributor"], level=LicenceLevel.CONTRIBUTOR, service=banking
    )
    ops.grant_licence(
        admin, user=people["cat_contributor"], level=LicenceLevel.CONTRIBUTOR, category=network
    )
    ops.grant_licence(admin, user=people["everywhere"], level=LicenceLevel.CONTRIBUTOR)
    ops.grant_licence(
        admin, user=people["publisher"], level=LicenceLevel.PUBLISHER, service=banking
    )
    ops.grant_licence(
        admin, user=people["coach"], level=LicenceLevel.CONTRIBUTOR, service=banking, coach=True
    )
    return {
        **world,
        "people": people,
        "categories": {"network": network, "database": database},
    }


@pytest.fixture
def make_article(kb):
    """make_article(actor=candidate, confidence=..., audience=..., organizations=..., **fields)
    -> an article written by ``actor`` about Online Banking, brought to the state asked for
    by the administrator (through the operations)."""
    people = kb["people"]

    def make(
        actor=None,
        *,
        confidence=Confidence.WIP,
        audience=Audience.INTERNAL,
        organizations=(),
        **fields,
    ):
        fields.setdefault("title", "VPN drops every ten minutes")
        fields.setdefault("issue", "The VPN disconnects every ten minutes on the office wifi.")
        fields.setdefault("resolution", "Update the VPN client to version 5.2.")
        fields.setdefault("services", [kb["services"]["retail_live"]])
        article = ops.create_article(actor or people["candidate"], **fields)
        admin = people["admin"]
        if confidence != Confidence.WIP:
            if confidence == Confidence.ARCHIVED:
                ops.set_confidence(admin, article, Confidence.VALIDATED, version=article.version)
            ops.set_confidence(admin, article, confidence, version=article.version)
        if audience != Audience.INTERNAL:
            if article.confidence != Confidence.VALIDATED:
                raise ValueError("an external article is validated")
            ops.set_audience(
                admin, article, audience, version=article.version, organizations=organizations
            )
        article.refresh_from_db()
        return article

    return make


@pytest.fixture
def open_incident(kb):
    """open_incident(actor=agent, **fields) -> a new incident for the Retail requester."""

    def make(actor=None, **fields):
        fields.setdefault("title", "VPN keeps disconnecting")
        fields.setdefault("description", "Since this morning the VPN drops every ten minutes.")
        fields.setdefault("caller", kb["people"]["requester"])
        fields.setdefault("impact", 2)
        fields.setdefault("urgency", 2)
        fields.setdefault("service", kb["services"]["retail_live"])
        fields.setdefault("owning_group", kb["group"])
        return incident_ops.open_incident(actor or kb["people"]["agent"], **fields)

    return make
