"""The portal's incident pages for a requester: landing on the portal after signing in,
reporting a problem (with a file, refused files writing nothing), articles suggested while
typing and the deflection they count, my incidents (mine and my organization's), one
incident's public conversation, replies and files; and nothing of another organization."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.core import operations as core_ops
from steward.incidents import operations as incident_ops
from steward.incidents.models import Attachment, Comment, Incident
from steward.knowledge.choices import PortalEventKind
from steward.knowledge.models import ArticleRating, PortalEvent

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(  # as the sign-in form posts it: "next" is the start page
        reverse("people:login"),
        {"username": user.username, "password": "correct-horse-9", "next": "/"},
    )
    assert response.status_code == 302
    return client, response["Location"]


def test_a_requester_lands_on_the_portal_and_it_staff_on_the_start_page(world):
    _client, landing = _sign_in(world["people"]["requester"])
    assert landing == reverse("portal:home")
    _client, landing = _sign_in(world["people"]["agent"])
    assert landing == reverse("core:home")


def test_a_page_asked_for_wins_over_the_portal(world):
    client = Client()
    response = client.post(
        reverse("people:login") + "?next=/incidents/",
        {"username": "req", "password": "correct-horse-9", "next": "/incidents/"},
    )
    assert response["Location"] == "/incidents/"


def test_with_the_portal_off_requesters_land_on_the_start_page_and_it_answers_404(
    world, client_for
):
    core_ops.set_practice_enabled(world["people"]["admin"], "portal", False)
    _client, landing = _sign_in(world["people"]["requester"])
    assert landing == reverse("core:home")
    assert client_for(world["people"]["requester"]).get("/portal/").status_code == 404


def test_home_shows_the_tiles_and_what_is_open(world, raise_for, client_for):
    requester = world["people"]["requester"]
    raise_for(requester, title="Mine is broken")
    raise_for(world["people"]["outsider"], title="Corporate secret")
    html = client_for(requester).get(reverse("portal:home")).content.decode()
    assert "Report a problem" in html and "My requests and incidents" in html
    assert "Mine is broken" in html
    assert "Corporate secret" not in html


def test_reporting_a_problem_raises_an_incident_for_myself_with_the_file(world, client_for):
    requester = world["people"]["requester"]
    response = client_for(requester).post(
        reverse("portal:report"),
        {
            "title": "Screen flickers",
            "description": "Since the update.",
            "service": world["services"]["retail_live"].pk,
            "urgency": 1,
            "file": SimpleUploadedFile("shot.png", PNG, content_type="image/png"),
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:incident", args=[incident.number])
    assert (incident.caller, incident.title, incident.urgency) == (requester, "Screen flickers", 1)
    assert incident.service == world["services"]["retail_live"]
    attachment = Attachment.objects.get()
    assert (attachment.incident, attachment.visibility, attachment.file_name) == (
        incident,
        "public",
        "shot.png",
    )


def test_a_refused_file_writes_nothing_and_says_why_beside_the_field(world, client_for):
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:report"),
        {
            "title": "Screen flickers",
            "urgency": 2,
            "file": SimpleUploadedFile("x.exe", b"MZ\x00\x00binary", content_type="x/y"),
        },
    )
    assert response.status_code == 422
    assert "This kind of file is not accepted" in response.context["form"].errors["file"][0]
    assert not Incident.objects.exists() and not Attachment.objects.exists()


def test_a_report_without_a_title_is_refused_naming_it(world, client_for):
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:report"), {"title": "  ", "urgency": 2}
    )
    assert response.status_code == 422
    assert "title" in response.context["form"].errors
    assert not Incident.objects.exists()


def test_another_organizations_service_cannot_be_chosen(world, client_for):
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:report"),
        {"title": "Treasury down", "urgency": 2, "service": world["services"]["corporate_live"].pk},
    )
    assert response.status_code == 422 and "service" in response.context["form"].errors
    assert not Incident.objects.exists()


def test_suggestions_are_the_articles_my_audience_reads(articles, world, client_for):
    response = client_for(world["people"]["requester"]).get(
        reverse("portal:suggest"),
        {"title": "printer", "description": "blank pages"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Printer prints blank pages" in html and "Printer toner for Retail" in html
    assert "Corporate" not in html and "internal" not in html
    assert not PortalEvent.objects.exists()  # typing is not recorded


def test_reading_a_suggestion_counts_a_view_and_this_solved_it_rates_it(
    articles, world, client_for
):
    requester = world["people"]["requester"]
    client = client_for(requester)
    article = articles["public"]
    response = client.get(reverse("portal:article", args=[article.number]))
    assert response.status_code == 200 and "This solved it" in response.content.decode()
    event = PortalEvent.objects.get()
    assert (event.user, event.kind, event.article) == (requester, PortalEventKind.VIEW, article)
    response = client.post(reverse("portal:solved", args=[article.number]), {"helped": "yes"})
    assert response["Location"] == reverse("portal:home")
    assert ArticleRating.objects.get(article=article, user=requester).helped is True


def test_an_article_of_another_audience_is_not_found(articles, world, client_for):
    client = client_for(world["people"]["requester"])
    for name in ("corporate", "internal"):
        number = articles[name].number
        assert client.get(reverse("portal:article", args=[number])).status_code == 404
        assert client.post(reverse("portal:solved", args=[number])).status_code == 404
    assert not PortalEvent.objects.exists() and not ArticleRating.objects.exists()


def test_my_incidents_are_mine_and_my_organizations_on_asking(world, raise_for, client_for):
    people = world["people"]
    raise_for(people["requester"], title="Mine")
    raise_for(people["neighbour"], title="Neighbour's")
    raise_for(people["outsider"], title="Outsider's")
    client = client_for(people["requester"])
    mine = client.get(reverse("portal:my")).content.decode()
    assert "Mine" in mine and "Neighbour&#x27;s" not in mine and "Outsider" not in mine
    org = client.get(reverse("portal:my"), {"scope": "organization"}).content.decode()
    assert "Mine" in org and "Neighbour&#x27;s" in org and "Outsider" not in org


def test_the_incident_page_shows_the_public_conversation_only(world, raise_for, client_for):
    people = world["people"]
    incident = raise_for(people["requester"])
    incident_ops.add_comment(
        people["agent"], incident, body="Internal: toner", visibility="internal"
    )
    incident_ops.add_comment(people["agent"], incident, body="We are on it", visibility="public")
    html = (
        client_for(people["requester"])
        .get(reverse("portal:incident", args=[incident.number]))
        .content.decode()
    )
    assert "We are on it" in html and "Internal: toner" not in html
    assert "Received" in html  # the status in words


def test_a_requester_replies_and_a_reply_on_a_solved_incident_reopens_it(
    world, raise_for, client_for
):
    people = world["people"]
    incident = raise_for(people["requester"])
    client = client_for(people["requester"])
    url = reverse("portal:incident_reply", args=[incident.number])
    assert client.post(url, {"body": "It happens again"}).status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.visibility) == (people["requester"], "public")
    agent = people["agent"]
    incident_ops.transition(agent, incident, "in_progress")
    incident_ops.transition(
        agent, incident, "resolved", resolution_code="solved", resolution_notes="New toner"
    )
    page = client.get(reverse("portal:incident", args=[incident.number])).content.decode()
    assert "New toner" in page and "Reply and reopen" in page
    client.post(url, {"body": "Still blank"})
    incident.refresh_from_db()
    assert incident.status == "in_progress"


def test_an_empty_reply_is_refused_and_writes_nothing(world, raise_for, client_for):
    incident = raise_for(world["people"]["requester"])
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:incident_reply", args=[incident.number]), {"body": ""}
    )
    assert response.status_code == 422 and "body" in response.context["reply_form"].errors
    assert not Comment.objects.exists()


def test_a_requester_attaches_a_file_and_sees_only_public_files(world, raise_for, client_for):
    people = world["people"]
    incident = raise_for(people["requester"])
    secret = SimpleUploadedFile("internal.txt", b"internal notes")
    incident_ops.add_attachment(people["agent"], incident, secret, visibility="internal")
    client = client_for(people["requester"])
    response = client.post(
        reverse("portal:incident_attach", args=[incident.number]),
        {"file": SimpleUploadedFile("log.txt", b"error 42")},
    )
    assert response.status_code == 302
    html = client.get(reverse("portal:incident", args=[incident.number])).content.decode()
    assert "log.txt" in html and "internal.txt" not in html
    mine = Attachment.objects.get(file_name="log.txt")
    assert mine.visibility == "public"
    download = client.get(reverse("incidents:attachment", args=[incident.number, mine.pk]))
    assert download.status_code == 200


def test_another_organizations_incident_is_not_found_anywhere(world, raise_for, client_for):
    people = world["people"]
    incident = raise_for(people["outsider"], title="Corporate secret")
    Attachment_file = SimpleUploadedFile("corp.txt", b"corp")
    incident_ops.add_attachment(people["outsider"], incident, Attachment_file, visibility="public")
    client = client_for(people["requester"])
    number = incident.number
    assert client.get(reverse("portal:incident", args=[number])).status_code == 404
    assert (
        client.post(reverse("portal:incident_reply", args=[number]), {"body": "hi"}).status_code
        == 404
    )
    assert (
        client.post(
            reverse("portal:incident_attach", args=[number]),
            {"file": SimpleUploadedFile("x.txt", b"x")},
        ).status_code
        == 404
    )
    for url in (reverse("portal:home"), reverse("portal:my") + "?scope=organization"):
        assert "Corporate secret" not in client.get(url).content.decode()
    assert Comment.objects.count() == 0 and Attachment.objects.count() == 1


def test_search_finds_my_audiences_articles_and_records_the_search(articles, world, client_for):
    requester = world["people"]["requester"]
    html = client_for(requester).get(reverse("portal:search"), {"q": "printer"}).content.decode()
    assert "Printer prints blank pages" in html and "Printer toner for Retail" in html
    assert "Printer toner for Corporate" not in html and "firmware" not in html
    event = PortalEvent.objects.get()
    assert (event.kind, event.query) == (PortalEventKind.SEARCH, "printer")


def test_it_staff_may_use_the_portal_too(world, raise_for, client_for):
    agent = world["people"]["agent"]
    for name in ("portal:home", "portal:report", "portal:my"):
        assert client_for(agent).get(reverse(name)).status_code == 200


def test_the_portals_knowledge_page_stays_in_the_portal(articles, world, client_for):
    """The menu's Knowledge is the portal's own page: the newest answers my audience reads,
    a search among them (recorded when submitted, not while typing), every article opening
    in the portal's reader; nothing of another organisation or of IT's internal articles."""
    requester = world["people"]["requester"]
    client = client_for(requester)
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:knowledge")}"' in home
    assert reverse("knowledge:portal") not in home
    newest = client.get(reverse("portal:knowledge")).content.decode()
    assert "Printer prints blank pages" in newest and "Printer toner for Retail" in newest
    assert "Printer toner for Corporate" not in newest and "firmware" not in newest
    assert reverse("portal:article", args=[articles["retail"].number]) in newest
    assert not PortalEvent.objects.exists()

    live = client.get(
        reverse("portal:knowledge"), {"q": "toner", "live": "1"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Printer toner for Retail" in live and "Corporate" not in live
    assert "<html" not in live and not PortalEvent.objects.exists()

    found = client.get(reverse("portal:knowledge"), {"q": "toner"}).content.decode()
    assert reverse("portal:article", args=[articles["retail"].number]) in found
    assert articles["retail"].get_absolute_url() not in found  # not the staff page
    event = PortalEvent.objects.get()
    assert (event.kind, event.query) == (PortalEventKind.SEARCH, "toner")


def test_the_portals_knowledge_page_is_gone_with_knowledge(world, client_for):
    core_ops.set_practice_enabled(world["people"]["admin"], "knowledge", False)
    client = client_for(world["people"]["requester"])
    assert client.get(reverse("portal:knowledge")).status_code == 404
    assert reverse("portal:knowledge") not in client.get(reverse("portal:home")).content.decode()
