"""GET /api/v1/service-reviews/{service_id}/{yyyy-mm}(.pdf): who may read, bad input in the one
error shape naming the field, the practice switch, and the PDF's text (pdftotext)."""

from __future__ import annotations

import subprocess

import pytest

from steward.core import operations as core_ops
from steward.core.models import JournalEntry
from steward.reviews.models import ServiceReview
from tests.reviews.conftest import api_path

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "review.pdf"
    path.write_bytes(content)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def test_it_staff_read_the_review_as_json(month, services, api_as):
    status, data = api_as(month["people"]["agent"]).get(api_path(services["treasury"]))
    assert status == 200
    assert data["service"] == {"id": services["treasury"].pk, "name": "Treasury"}
    assert data["month"] == "2026-03" and data["from"].startswith("2026-03-01T00:00:00")
    assert data["availability"]["outage_minutes"] == 360
    assert data["review"] is None  # never sent, never acknowledged
    keys = [s["key"] for s in data["sections"]]
    assert keys[:3] == ["service_levels", "volumes", "handovers"]


def test_reading_writes_nothing(month, services, api_as):
    api = api_as(month["people"]["agent"], "read")
    before = JournalEntry.objects.count()
    assert api.get(api_path(services["banking"]))[0] == 200
    assert ServiceReview.objects.count() == 0 and JournalEntry.objects.count() == before


def test_the_pdf_has_the_figures(month, services, api_as, client_for, tmp_path):
    client = client_for(month["people"]["agent"])
    response = client.get(api_path(services["treasury"], pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="service-review-treasury-2026-03.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "Treasury: review of 2026-03" in text
    assert "99.19 %" in text  # availability
    assert "360 minutes of outage in 44640" in text
    assert "Major incidents" in text and month["incidents"]["C"].number in text
    assert "Incidents raised, last 6 months" in text
    assert "SLA resolution met" in text


def test_the_pdf_is_in_the_readers_language(month, services, client_for, tmp_path):
    agent = month["people"]["agent"]
    agent.language = "nl"
    agent.save(update_fields=["language"])
    response = client_for(agent).get(api_path(services["treasury"], pdf=True))
    text = pdf_text(response.content, tmp_path)
    assert "Treasury: review van 2026-03" in text
    assert "Beschikbaarheid" in text


@pytest.mark.parametrize("role", ["requester", "outsider"])
def test_a_requester_gets_404(month, services, api_as, role):
    api = api_as(month["people"][role])
    for path in (api_path(services["banking"]), api_path(services["treasury"], pdf=True)):
        status, data = api.get(path)
        assert status == 404 and data["error"]["code"] == "not_found"


def test_no_token_gets_401(services, api_as):
    status, data = api_as(None).get(api_path(services["banking"]))
    assert status == 401 and "error" in data


@pytest.mark.parametrize("month_text", ["2026-13", "march", "2026-4", "1999-12", "2026-00"])
def test_a_bad_month_is_a_422_naming_it(month, services, api_as, month_text):
    api = api_as(month["people"]["agent"])
    for pdf in (False, True):
        status, data = api.get(api_path(services["banking"], month_text, pdf=pdf))
        assert status == 422, data
        assert data["error"]["code"] == "invalid"
        assert list(data["error"]["fields"]) == ["month"]


@pytest.mark.parametrize("month_text", ["2026-04", "2031-01"])
def test_a_month_that_has_not_ended_has_no_review_yet(month, services, api_as, month_text):
    api = api_as(month["people"]["agent"])
    for pdf in (False, True):
        status, data = api.get(api_path(services["banking"], month_text, pdf=pdf))
        assert status == 404, data
        assert data["error"]["fields"] == {"month": ["the month has not ended yet"]}


def test_an_unknown_service_is_a_404_naming_it(month, api_as):
    api = api_as(month["people"]["agent"])
    for pdf in (False, True):
        status, data = api.get(api_path(999_999, pdf=pdf))
        assert status == 404
        assert data["error"]["fields"] == {"service_id": ["no such service"]}
    status, data = api.get(api_path("abc"))
    assert status == 422 and "service_id" in data["error"]["fields"]


def test_switched_off_the_api_answers_404_practice_off(month, services, api_as):
    core_ops.set_practice_enabled(month["people"]["admin"], "service_reviews", False)
    status, data = api_as(month["people"]["agent"]).get(api_path(services["banking"]))
    assert status == 404 and data["error"]["code"] == "practice_off"


def test_switching_reporting_off_is_refused_while_reviews_are_on(month):
    from steward.core.errors import Conflict

    with pytest.raises(Conflict):
        core_ops.set_practice_enabled(month["people"]["admin"], "reporting", False)
