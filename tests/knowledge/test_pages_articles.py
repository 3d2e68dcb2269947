"""The article pages per role: the list (queues, filters; requesters go to the portal), an
article (its sections, state, the buttons its reader's licence allows; a requester's current
text only, the view counted), new, edit with the version it was read at (a stale save shows
the other person's change), and the confidence and audience changes."""

from __future__ import annotations

import pytest

from steward.knowledge import operations as ops
from steward.knowledge.choices import Audience, Confidence, PortalEventKind
from steward.knowledge.models import Article, ArticleVersion, PortalEvent

pytestmark = pytest.mark.django_db


def test_a_requester_is_sent_to_the_portal_search(kb, client_for):
    client = client_for(kb["people"]["requester"])
    response = client.get("/knowledge/?q=vpn")
    assert response.status_code == 302
    assert response["Location"] == "/portal/knowledge/?q=vpn"
    for url in [
        "/knowledge/new/",
        "/knowledge/flags/",
        "/knowledge/coach/",
        "/knowledge/licences/",
    ]:
        assert client.get(url).status_code == 404, url


def test_the_list_shows_queues_with_counts_and_filters(kb, client_for, make_article):
    people = kb["people"]
    make_article(title="Printer jams on floor 3")
    make_article(
        people["contributor"], title="Outlook asks for the password", confidence="validated"
    )
    client = client_for(people["candidate"])
    page = client.get("/knowledge/").content.decode()
    assert "Printer jams" in page and "Outlook asks" in page
    assert "Mine (1)" in page and "Drafts (1)" in page
    page = client.get("/knowledge/?queue=mine").content.decode()
    assert "Printer jams" in page and "Outlook asks" not in page
    page = client.get("/knowledge/?confidence=validated").content.decode()
    assert "Printer jams" not in page and "Outlook asks" in page


def test_creating_an_article_starts_it_as_work_in_progress(kb, client_for):
    client = client_for(kb["people"]["candidate"])
    assert client.get("/knowledge/new/").status_code == 200
    response = client.post(
        "/knowledge/new/",
        {
            "title": "Wifi drops in meeting rooms",
            "issue": "My laptop loses the wifi in meeting room 4.",
            "resolution": "Forget the network and join 'Office-5G'.",
            "language": "en",
            "services": [kb["services"]["retail_live"].pk],
        },
    )
    article = Article.objects.get(title="Wifi drops in meeting rooms")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{article.number}/"
    assert article.confidence == Confidence.WIP and article.owner == kb["people"]["candidate"]
    response = client.post("/knowledge/new/", {"title": "", "issue": "", "language": "en"})
    assert response.status_code == 422
    assert "This field is required" in response.content.decode()


def test_the_article_page_offers_what_the_licence_allows(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(title="VPN drops", resolution="Update the client.")
    page = client_for(people["candidate"]).get(article.get_absolute_url()).content.decode()
    assert "Update the client." in page and "Work in progress" in page
    assert f"/knowledge/{article.number}/edit/" in page
    assert ">Validate<" not in page and "Change the audience" not in page
    page = client_for(people["contributor"]).get(article.get_absolute_url()).content.decode()
    assert ">Validate<" in page and ">Archive<" in page
    assert "Change the audience" not in page  # not validated yet, and not a publisher
    other = make_article(title="Treasury login", services=[kb["services"]["corporate_live"]])
    page = client_for(people["contributor"]).get(other.get_absolute_url()).content.decode()
    assert ">Validate<" not in page and f"/knowledge/{other.number}/edit/" not in page


def test_validating_and_publishing_to_customers(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(title="VPN drops")
    client = client_for(people["publisher"])
    response = client.post(
        f"/knowledge/{article.number}/state/",
        {"confidence": "validated", "version": article.version},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.confidence == Confidence.VALIDATED
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Change the audience" in page
    response = client.post(
        f"/knowledge/{article.number}/state/",
        {"audience": "customers", "version": article.version},
    )
    assert response.status_code == 422
    assert "name the customers who read it" in response.content.decode()
    response = client.post(
        f"/knowledge/{article.number}/state/",
        {
            "audience": "customers",
            "organizations": [kb["orgs"]["retail"].pk],
            "version": article.version,
        },
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.audience == Audience.CUSTOMERS and article.published_at is not None
    # a stale state change is refused with the version conflict
    response = client.post(
        f"/knowledge/{article.number}/state/", {"confidence": "archived", "version": 1}
    )
    assert response.status_code == 409


def test_a_requester_reads_the_current_text_only_and_the_view_counts(kb, client_for, make_article):
    people = kb["people"]
    internal = make_article(title="Internal notes", confidence="validated")
    public = make_article(
        title="Reset your password",
        confidence="validated",
        audience="public",
        environment="Windows 11",
    )
    client = client_for(people["requester"])
    assert client.get(internal.get_absolute_url()).status_code == 404
    page = client.get(public.get_absolute_url()).content.decode()
    assert "Reset your password" in page and "Windows 11" in page
    assert "/versions/" not in page and "History" not in page and "Owner" not in page
    assert "It helped" in page and "Flag this article" in page
    event = PortalEvent.objects.get()
    assert (event.kind, event.article, event.user) == (
        PortalEventKind.VIEW,
        public,
        people["requester"],
    )
    # staff views are not deflection
    client_for(people["agent"]).get(public.get_absolute_url())
    assert PortalEvent.objects.count() == 1


def test_editing_writes_a_version_and_a_stale_save_shows_the_change(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(people["contributor"], title="VPN drops")
    client = client_for(people["contributor"])
    page = client.get(f"/knowledge/{article.number}/edit/").content.decode()
    assert 'name="version"' in page and 'name="seen"' in page
    form = {
        "title": "VPN drops every ten minutes",
        "issue": article.issue,
        "resolution": article.resolution,
        "language": "en",
        "services": [kb["services"]["retail_live"].pk],
        "owner": people["contributor"].pk,
        "summary": "Clearer title",
        "version": article.version,
    }
    response = client.post(f"/knowledge/{article.number}/edit/", form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.revision == 2 and article.title == "VPN drops every ten minutes"
    assert ArticleVersion.objects.get(article=article, revision=2).summary == "Clearer title"
    # someone else's save in between: the form answers 409 and says who changed what
    ops.update_article(
        people["everywhere"], article, version=article.version, cause="An old driver"
    )
    response = client.post(
        f"/knowledge/{article.number}/edit/", form | {"title": "Mine", "version": form["version"]}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "while you were editing" in page and "everywhere" in page.lower()


def test_html_in_an_article_is_inert(kb, client_for, make_article):
    article = make_article(
        issue='<p>It fails</p><script>alert("x")</script><img src=x onerror="alert(1)">',
        resolution="Step one\nStep two",
    )
    page = client_for(kb["people"]["agent"]).get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "onerror" not in page
    assert "<p>It fails</p>" in page and "Step one<br>Step two" in page
