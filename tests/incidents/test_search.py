"""Full-text search over titles, descriptions and notes (FTS5 on SQLite, GIN on PostgreSQL)."""

from __future__ import annotations

import pytest

from steward.incidents import operations as ops

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(desk, open_one):
    agent = desk["people"]["agent"]
    printer = open_one(title="Printer jammed on floor 3", description="Paper tray broken")
    vpn = open_one(title="VPN disconnects", description="Tunnel drops after ten minutes")
    mail = open_one(title="Mailbox full", description="Quota reached")
    ops.add_comment(agent, vpn, body="Firmware upgrade scheduled on concentrator")
    ops.add_comment(agent, mail, body="Archive policy explained to caller", visibility="public")
    other = open_one(title="Printer offline", caller=desk["people"]["outsider"])
    return {"printer": printer, "vpn": vpn, "mail": mail, "other": other}


def found(api, text):
    status, data = api.get("incidents", q=text)
    assert status == 200, data
    return {i["number"] for i in data["items"]}


def test_words_and_prefixes_in_titles_and_descriptions(desk, corpus, api_as):
    agent = api_as(desk["people"]["agent"])
    n = {k: v.number for k, v in corpus.items()}
    assert found(agent, "printer") == {n["printer"], n["other"]}
    assert found(agent, "print") == {n["printer"], n["other"]}  # prefix
    assert found(agent, "tray broken") == {n["printer"]}
    assert found(agent, "printer tray") == {n["printer"]}  # every word, across fields
    assert found(agent, "TUNNEL") == {n["vpn"]}
    assert found(agent, n["mail"]) == {n["mail"]}
    assert found(agent, "nothing-like-this") == set()
    assert found(agent, "\"'); drop table --") == set()


def test_notes_are_searched_but_requesters_never_match_work_notes(desk, corpus, api_as):
    agent = api_as(desk["people"]["agent"])
    requester = api_as(desk["people"]["requester"])
    n = {k: v.number for k, v in corpus.items()}
    assert found(agent, "firmware") == {n["vpn"]}
    assert found(requester, "firmware") == set()
    assert found(requester, "archive policy") == {n["mail"]}
    assert found(requester, "printer") == {n["printer"]}


def test_edits_are_searchable_at_once(desk, corpus, api_as):
    incident = corpus["mail"]
    ops.update_incident(desk["people"]["agent"], incident, version=1, title="Calendar sync broken")
    agent = api_as(desk["people"]["agent"])
    assert found(agent, "calendar") == {incident.number}
    assert found(agent, "mailbox") == set()  # the old title is gone from the index


@pytest.mark.parametrize("few", [1000, 1, 0])
def test_many_matches_take_the_same_answer_as_few(
    desk, corpus, api_as, client_for, monkeypatch, few
):
    """Up to FEW_MATCHES the matching ids are read first and listed; past it the search is a
    condition on each incident's document on PostgreSQL (walked for a page, read from the
    index for a count) and a subquery of the id set on SQLite. An incident matching in its
    title and in a note counts once every way."""
    from steward.incidents import search

    monkeypatch.setattr(search, "FEW_MATCHES", few)
    agent = desk["people"]["agent"]
    ops.add_comment(agent, corpus["printer"], body="printer replaced")
    api = api_as(agent)
    n = {k: v.number for k, v in corpus.items()}
    status, data = api.get("incidents", q="printer")
    assert status == 200 and data["count"] == 2
    assert [i["number"] for i in data["items"]] == sorted([n["printer"], n["other"]], reverse=True)
    assert found(api, "firmware") == {n["vpn"]}
    requester = api_as(desk["people"]["requester"])
    assert found(requester, "firmware") == set()  # a work note, never for requesters
    assert found(requester, "archive") == {n["mail"]}
    assert found(requester, "printer") == {n["printer"]}  # the other organization's is hidden
    # the list page and its count take the same path
    page = client_for(agent).get("/incidents/", {"queue": "all", "q": "printer"}).content.decode()
    assert "1–2 of 2" in page and n["printer"] in page and n["other"] in page
    export = client_for(agent).get("/incidents/export.csv", {"queue": "all", "q": "printer"})
    lines = b"".join(export.streaming_content).decode().strip().splitlines()
    assert (
        len(lines) == 3
        and n["printer"] in lines[1] + lines[2]
        and n["other"] in lines[1] + lines[2]
    )
    everywhere = client_for(agent).get("/search", {"q": "printer"}).content.decode()
    assert n["printer"] in everywhere and n["other"] in everywhere


def test_every_word_anywhere_in_the_incident_and_its_comments(desk, corpus, api_as):
    """The words of a search may sit in the title, the description and the comments together;
    requesters' searches see the replies only."""
    agent = api_as(desk["people"]["agent"])
    requester = api_as(desk["people"]["requester"])
    n = {k: v.number for k, v in corpus.items()}
    assert found(agent, "vpn firmware") == {n["vpn"]}  # title + work note
    assert found(requester, "vpn firmware") == set()  # the note is internal
    assert found(agent, "mailbox archive") == {n["mail"]}  # title + reply
    assert found(requester, "mailbox archive") == {n["mail"]}


def test_a_removed_comment_is_no_longer_found(desk, corpus, api_as):
    """The database keeps the documents: removing a comment (a cleanup, an incident's
    deletion) takes its words out at once; the incident's own words stay."""
    from steward.incidents.models import Comment

    agent = api_as(desk["people"]["agent"])
    vpn = corpus["vpn"]
    assert found(agent, "concentrator") == {vpn.number}
    Comment.objects.filter(incident=vpn).delete()
    assert found(agent, "concentrator") == set()
    assert found(agent, "tunnel") == {vpn.number}
