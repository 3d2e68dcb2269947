"""The satisfaction pages: the answer page (from the e-mail's link, signed out, and signed
in), the results and their CSV, a survey, the follow-ups; who may open what."""

from __future__ import annotations

import pytest
from django.test import Client

from steward.satisfaction import operations as ops
from steward.satisfaction.models import FollowUp

pytestmark = pytest.mark.django_db


def test_the_link_works_signed_out_once(sat, offered):
    survey, token = offered()
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/satisfaction/s/{token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert survey.record_label in html and 'type="radio"' in html
    assert "Very satisfied" in html and "no-store" in page.headers.get("Cache-Control", "")
    csrf = page.cookies["csrftoken"].value
    done = client.post(
        f"/satisfaction/s/{token}/",
        {"score": "5", "comment": "Great", "csrfmiddlewaretoken": csrf},
    )
    assert done.status_code == 302
    survey.refresh_from_db()
    assert survey.score == 5 and survey.comment == "Great"
    thanks = client.get(f"/satisfaction/s/{token}/").content.decode()
    assert "Thank you" in thanks and "Great" in thanks and 'type="radio"' not in thanks
    again = client.post(f"/satisfaction/s/{token}/", {"score": "1", "csrfmiddlewaretoken": csrf})
    assert again.status_code == 200
    survey.refresh_from_db()
    assert survey.score == 5


def test_signed_in_the_answer_is_journaled_with_the_person(sat, offered, client_for):
    from steward.core.models import JournalEntry

    _, token = offered()
    client_for(sat["people"]["requester"]).post(f"/satisfaction/s/{token}/", {"score": "4"})
    entry = JournalEntry.objects.get(action="answered")
    assert entry.actor == sat["people"]["requester"]


def test_no_score_is_shown_beside_the_question(sat, offered):
    survey, token = offered()
    page = Client().post(f"/satisfaction/s/{token}/", {"comment": "hm"})
    assert page.status_code == 422
    assert "Choose how satisfied you are" in page.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_an_unknown_link_is_404(sat, offered):
    offered()
    assert Client().get("/satisfaction/s/" + "x" * 43 + "/").status_code == 404


def test_an_expired_link_says_so(sat, offered, at):
    survey, token = offered()
    import datetime as dt

    with at(survey.expires_at + dt.timedelta(minutes=1)):
        page = Client().get(f"/satisfaction/s/{token}/")
    assert page.status_code == 200 and "expired" in page.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/satisfaction/", "/satisfaction/results.csv", "/satisfaction/follow-ups/"],
)
def test_staff_pages_are_404_for_requesters(sat, client_for, path):
    assert client_for(sat["people"]["requester"]).get(path).status_code == 404
    assert Client().get(path).status_code == 302  # to the sign-in


def test_results_page_and_csv(sat, offered, client_for):
    _, token = offered()
    ops.answer(None, token, score=2, comment="Nobody called back")
    client = client_for(sat["people"]["staff"])
    page = client.get("/satisfaction/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nobody called back" in html and "Network" in html
    assert client.get("/satisfaction/?by=month").status_code == 200
    assert client.get("/satisfaction/?by=agent&start=2026-13-01").status_code == 200
    csv = client.get("/satisfaction/results.csv?by=group")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert "Network" in body and "csat_percent" in body.splitlines()[0]


def test_survey_page(sat, offered, client_for):
    survey, token = offered()
    client = client_for(sat["people"]["staff"])
    page = client.get(f"/satisfaction/surveys/{survey.pk}/")
    assert page.status_code == 200 and survey.record_label in page.content.decode()
    assert token not in page.content.decode()
    assert (
        client_for(sat["people"]["requester"])
        .get(f"/satisfaction/surveys/{survey.pk}/")
        .status_code
        == 404
    )
    assert client.get("/satisfaction/surveys/999999/").status_code == 404


def test_follow_up_pages_and_closing(sat, offered, client_for):
    survey, token = offered()
    ops.answer(None, token, score=1, comment="Bad")
    item = FollowUp.objects.get()
    manager = client_for(sat["people"]["manager"])
    listing = manager.get("/satisfaction/follow-ups/").content.decode()
    assert survey.record_label in listing
    page = manager.get(f"/satisfaction/follow-ups/{item.pk}/").content.decode()
    assert "Close the follow-up" in page
    other = client_for(sat["people"]["staff"]).get(f"/satisfaction/follow-ups/{item.pk}/")
    assert "Close the follow-up" not in other.content.decode()
    empty = manager.post(
        f"/satisfaction/follow-ups/{item.pk}/", {"notes": "", "version": item.version}
    )
    assert empty.status_code == 422
    done = manager.post(
        f"/satisfaction/follow-ups/{item.pk}/",
        {"notes": "Called, apologised", "version": item.version},
    )
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    stale = manager.post(f"/satisfaction/follow-ups/{item.pk}/", {"notes": "again", "version": 1})
    assert stale.status_code == 422
    done_tab = manager.get("/satisfaction/follow-ups/?tab=done").content.decode()
    assert survey.record_label in done_tab


def test_home_panels(sat, offered, client_for):
    survey, token = offered()
    # a requester's open survey is on the portal's home, where they land
    home = client_for(sat["people"]["requester"]).get("/portal/").content.decode()
    assert f"/satisfaction/s/{token}/" in home
    ops.answer(None, token, score=1)
    home = client_for(sat["people"]["manager"]).get("/").content.decode()
    assert survey.record_label in home


def test_the_incident_page_shows_its_survey_to_staff(sat, offered, client_for, resolved):
    survey, token = offered()
    ops.answer(None, token, score=4, comment="Quick fix")
    number = survey.record_label.split()[0]
    staff = client_for(sat["people"]["staff"]).get(f"/incidents/{number}/").content.decode()
    assert "Quick fix" in staff and "Score 4 of 5" in staff
    caller = client_for(sat["people"]["requester"]).get(f"/incidents/{number}/")
    assert "Quick fix" not in caller.content.decode()
