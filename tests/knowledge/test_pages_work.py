"""Flag it or fix it, coaching and licences on the pages: a reader flags an article, its
owner finds the flag in their queue and resolves it; a coach reviews a Candidate's article
from the queue with the checklist; administrators grant, change and revoke licences."""

from __future__ import annotations

import pytest

from steward.knowledge.choices import FlagStatus, LicenceLevel
from steward.knowledge.models import CoachReview, Flag, Licence

pytestmark = pytest.mark.django_db


def test_a_requester_flags_and_the_owner_resolves(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(
        people["contributor"],
        title="Reset your password",
        confidence="validated",
        audience="public",
    )
    response = client_for(people["requester"]).post(
        f"/knowledge/{article.number}/flag/", {"reason": "outdated", "comment": "New portal"}
    )
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.reason, flag.raised_by, flag.status) == ("outdated", people["requester"], "open")
    # the owner's queue has it; a Candidate elsewhere has nothing to resolve
    owner = client_for(people["contributor"])
    page = owner.get("/knowledge/flags/").content.decode()
    assert "Reset your password" in page and "New portal" in page
    assert (
        "Reset your password"
        not in client_for(people["candidate"]).get("/knowledge/flags/").content.decode()
    )
    assert (
        client_for(people["candidate"])
        .post(f"/knowledge/flags/{flag.pk}/resolve/", {"status": "fixed"})
        .status_code
        == 302
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN  # refused: not theirs
    response = owner.post(
        f"/knowledge/flags/{flag.pk}/resolve/", {"status": "fixed", "resolution": "Rewritten"}
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.resolution, flag.resolved_by) == (
        "fixed",
        "Rewritten",
        people["contributor"],
    )
    assert "Reset your password" not in owner.get("/knowledge/flags/").content.decode()


def test_a_flag_without_reason_is_refused_on_the_page(kb, client_for, make_article):
    article = make_article()
    response = client_for(kb["people"]["agent"]).post(f"/knowledge/{article.number}/flag/", {})
    assert response.status_code == 422 and not Flag.objects.exists()


def test_the_coach_reviews_a_candidates_article(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(title="Printer jams")
    coach = client_for(people["coach"])
    page = coach.get("/knowledge/coach/").content.decode()
    assert "Printer jams" in page
    page = coach.get(f"/knowledge/{article.number}/review/").content.decode()
    assert "Title reflects the issue" in page and 'name="defects"' in page
    response = coach.post(
        f"/knowledge/{article.number}/review/",
        {
            "defects": ["title", "metadata"],
            "comment": "Say it as the customer",
            "recommendation": "keep",
        },
    )
    assert response.status_code == 302
    review = CoachReview.objects.get()
    assert sorted(review.defects) == ["metadata", "title"] and review.author == people["candidate"]
    assert "Printer jams" not in coach.get("/knowledge/coach/").content.decode()
    # not a coach: no queue, no review form
    assert client_for(people["contributor"]).get("/knowledge/coach/").status_code == 404
    assert (
        client_for(people["contributor"]).get(f"/knowledge/{article.number}/review/").status_code
        == 404
    )
    response = coach.post(
        f"/knowledge/{article.number}/review/", {"defects": ["nonsense"], "recommendation": "keep"}
    )
    assert response.status_code == 422


def test_administrators_grant_change_and_revoke_licences(kb, client_for):
    people = kb["people"]
    assert client_for(people["agent"]).get("/knowledge/licences/").status_code == 404
    admin = client_for(people["admin"])
    page = admin.get("/knowledge/licences/").content.decode()
    assert "Every domain" in page  # the "everywhere" contributor
    response = admin.post(
        "/knowledge/licences/new/",
        {
            "user": people["candidate"].pk,
            "level": "contributor",
            "service": kb["services"]["retail_live"].pk,
        },
    )
    assert response.status_code == 302
    licence = Licence.objects.get(user=people["candidate"])
    assert licence.level == LicenceLevel.CONTRIBUTOR
    response = admin.post(
        "/knowledge/licences/new/",
        {
            "user": people["agent"].pk,
            "level": "publisher",
            "service": kb["services"]["retail_live"].pk,
            "category": kb["categories"]["network"].pk,
        },
    )
    assert response.status_code == 422 and "not both" in response.content.decode()
    response = admin.post(
        f"/knowledge/licences/{licence.pk}/",
        {"level": "publisher", "coach": "on", "version": licence.version},
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert (licence.level, licence.coach) == ("publisher", True)
    response = admin.post(
        f"/knowledge/licences/{licence.pk}/", {"level": "candidate", "version": 1}
    )
    assert response.status_code == 409
    response = admin.post(f"/knowledge/licences/{licence.pk}/revoke/", {"version": licence.version})
    assert response.status_code == 302 and not Licence.objects.filter(pk=licence.pk).exists()
