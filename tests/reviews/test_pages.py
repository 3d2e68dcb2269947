"""The review page and its PDF per role, the owner's acknowledgement and choice of recipients
from the page, the list of services, and the practice switch."""

from __future__ import annotations

import pytest

from steward.core import operations as core_ops
from steward.reviews.models import ReviewSubscription, ServiceReview
from tests.reviews.conftest import page_path

pytestmark = pytest.mark.django_db


def test_it_staff_read_the_page(month, services, client_for):
    response = client_for(month["people"]["agent"]).get(page_path(services["treasury"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Treasury: review of 2026-03" in html
    assert 'data-figure="availability">99.19 %' in html
    assert month["incidents"]["C"].number in html
    assert "I have read this review" not in html  # the agent does not own the service
    assert "Download PDF" in html


def test_the_page_pdf_is_a_pdf(month, services, client_for):
    response = client_for(month["owner"]).get(page_path(services["banking"], what="pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["requester", "outsider"])
def test_requesters_get_404(month, services, client_for, role):
    client = client_for(month["people"][role])
    assert client.get("/service-reviews/").status_code == 404
    for what in ("", "pdf"):
        assert client.get(page_path(services["banking"], what=what)).status_code == 404
    assert client.post(page_path(services["banking"], what="acknowledge")).status_code == 404
    assert not ServiceReview.objects.exists()


def test_bad_month_and_unknown_service_are_404_pages(month, services, client_for):
    client = client_for(month["people"]["agent"])
    assert client.get(page_path(services["banking"], "2026-13")).status_code == 404
    assert client.get(page_path(services["banking"], "2026-04")).status_code == 404
    assert client.get("/service-reviews/999999/2026-03/").status_code == 404


def test_the_owner_acknowledges_from_the_page(month, services, client_for):
    client = client_for(month["owner"])
    html = client.get(page_path(services["banking"])).content.decode()
    assert "I have read this review" in html
    response = client.post(page_path(services["banking"], what="acknowledge"), {"version": ""})
    assert response.status_code == 302
    review = ServiceReview.objects.get()
    assert review.acknowledged_by == month["owner"]
    html = client.get(page_path(services["banking"])).content.decode()
    assert "Acknowledged" in html and "I have read this review" not in html
    again = client.post(
        page_path(services["banking"], what="acknowledge"), {"version": str(review.version)}
    )
    assert again.status_code == 409 and "already acknowledged" in again.content.decode()


def test_another_agent_cannot_acknowledge(month, services, client_for):
    client = client_for(month["people"]["agent"])
    response = client.post(page_path(services["banking"], what="acknowledge"))
    assert response.status_code == 403
    assert not ServiceReview.objects.exists()


def test_the_owner_chooses_to_send_to_customers(month, services, client_for):
    client = client_for(month["owner"])
    response = client.post(
        page_path(services["banking"], what="recipients"), {"send_to_customers": "on"}
    )
    assert response.status_code == 302
    assert ReviewSubscription.objects.get(service=services["banking"]).send_to_customers


def test_the_list_shows_live_services(month, services, client_for):
    html = client_for(month["people"]["agent"]).get("/service-reviews/").content.decode()
    assert "Online Banking" in html and "Treasury" in html and "Video" not in html
    assert f"/service-reviews/{services['banking'].pk}/2026-03/" in html


def test_switched_off_the_pages_404(month, services, client_for):
    core_ops.set_practice_enabled(month["people"]["admin"], "service_reviews", False)
    client = client_for(month["people"]["agent"])
    assert client.get("/service-reviews/").status_code == 404
    assert client.get(page_path(services["banking"])).status_code == 404
