"""Knowledge in the flow of incidents and problems: the incident page's panel (linked articles
with their kind, link by number or title, unlink, and the capture question once resolved
without a link) and the problem page's "Turn the resolution into an article"."""

from __future__ import annotations

import pytest

from steward.incidents import operations as incident_ops
from steward.knowledge.models import Article, IncidentArticle
from steward.knowledge.panels import incident_articles, problem_article

pytestmark = pytest.mark.django_db


def test_linking_by_number_reuses_and_unlinking(kb, client_for, make_article, open_incident):
    people = kb["people"]
    article = make_article(title="VPN drops", confidence="validated")
    incident = open_incident()
    client = client_for(people["agent"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Link the article" in page and "Does an article exist" in page
    # the article matching the incident's words is offered to link in one click
    assert "Articles that may match" in page and f'value="{article.number}"' in page
    response = client.post(
        f"/knowledge/incidents/{incident.number}/link/", {"article": article.number}
    )
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    link = IncidentArticle.objects.get()
    assert (link.article, link.kind) == (article, "reuse")
    page = client.get(incident.get_absolute_url()).content.decode()
    assert f"{article.number} VPN drops" in page and "Reused" in page
    assert "Does an article exist" not in page
    response = client.post(f"/knowledge/incidents/{incident.number}/unlink/{article.pk}/")
    assert response.status_code == 302 and not IncidentArticle.objects.exists()


def test_linking_by_words_needs_one_match(kb, client_for, make_article, open_incident):
    make_article(title="Printer jams on floor 3", issue="Paper jam", resolution="Open tray 2.")
    incident = open_incident()
    client = client_for(kb["people"]["agent"])
    client.post(f"/knowledge/incidents/{incident.number}/link/", {"article": "nothing like it"})
    assert not IncidentArticle.objects.exists()
    client.post(f"/knowledge/incidents/{incident.number}/link/", {"article": "printer"})
    assert IncidentArticle.objects.get().article.title == "Printer jams on floor 3"


def test_capture_from_a_resolved_incident_in_one_click(kb, client_for, open_incident):
    people = kb["people"]
    incident = open_incident(title="Outlook keeps asking for the password")
    incident_ops.transition(people["agent"], incident, "in_progress")
    incident_ops.transition(
        people["agent"],
        incident,
        "resolved",
        resolution_code="solved",
        resolution_notes="Removed the stored credentials.",
    )
    panel = incident_articles(incident, people["agent"])
    assert panel["ask"] and panel["resolved"]
    client = client_for(people["agent"])
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Resolved without an article" in page
    response = client.post(f"/knowledge/incidents/{incident.number}/capture/")
    article = Article.objects.get()
    assert response["Location"] == f"/knowledge/{article.number}/edit/"
    assert article.title == "Outlook keeps asking for the password"
    assert "Removed the stored credentials." in article.resolution
    assert IncidentArticle.objects.get().kind == "create"
    # requesters see no panel, and may not post to it
    assert incident_articles(incident, people["requester"]) is None
    requester = client_for(people["requester"])
    assert requester.post(f"/knowledge/incidents/{incident.number}/capture/").status_code == 404
    assert Article.objects.count() == 1


def test_turning_a_problems_resolution_into_an_article(kb, client_for):
    from steward.problems import operations as problem_ops

    people = kb["people"]
    problem = problem_ops.create_problem(
        people["agent"], title="VPN tunnels drop", owning_group=kb["group"], impact=2, urgency=2
    )
    panel = problem_article(problem, people["agent"])
    assert panel["articles"] == [] and not panel["may_create"]  # nothing to turn yet
    problem_ops.update_problem(
        people["agent"], problem, version=problem.version, workaround="Set keep-alive to 5 min."
    )
    client = client_for(people["agent"])
    page = _panel(problem, people["agent"])
    assert "Turn the resolution into an article" in page
    assert f"/knowledge/problems/{problem.number}/capture/" in page
    response = client.post(f"/knowledge/problems/{problem.number}/capture/")
    article = Article.objects.get()
    assert response["Location"] == f"/knowledge/{article.number}/edit/"
    assert article.problem == problem and "keep-alive" in article.resolution
    page = _panel(problem, people["agent"])
    assert article.number in page and "Turn the resolution" not in page
    assert problem_article(problem, people["requester"]) is None


def _panel(problem, user) -> str:
    """The problem panel as the problem page includes it (``data`` = its context)."""
    from django.template.loader import render_to_string

    return render_to_string(
        "knowledge/includes/problem_article_panel.html",
        {"data": problem_article(problem, user), "csrf_token": "x"},
    )
