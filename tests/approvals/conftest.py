"""A stand-in approval subject for the engine's tests: organizations (a simple table) whose
excluded people and completion calls the tests set and read."""

from __future__ import annotations

import pytest

from steward.approvals import registry
from steward.people.models import Organization

TYPE = "people.organization"


class Stand:
    def __init__(self):
        self.excluded: set[int] = set()
        self.completed: list[tuple] = []
        self.steps: list = []
        self.missing = None

    def subject(self) -> registry.ApprovalSubject:
        return registry.ApprovalSubject(
            type=TYPE,
            instance=lambda pk: Organization.objects.filter(pk=pk).first(),
            label=lambda org: f"ORG {org.name}",
            link=lambda org: f"/people/organizations/{org.pk}/",
            excluded=lambda org: set(self.excluded),
            on_complete=lambda actor, org, outcome, request, comment: self.completed.append(
                (outcome, request.step, comment)
            ),
            on_step=lambda actor, org, request: self.steps.append(request.state),
            still_missing=lambda request: self.missing,
            portal_link=lambda org, person: f"/portal/orgs/{org.pk}/",
        )


@pytest.fixture
def stand(db):
    s = Stand()
    registry.register(s.subject())
    yield s
    registry.unregister(TYPE)


@pytest.fixture
def record(make_org):
    return make_org()
