"""Attachments: size limit, sniffed allow-listed types, random stored names, served only after
a permission check (re-checked after the incident moves), always as downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from steward.core.models import JournalEntry
from steward.incidents import operations as ops
from steward.incidents.models import Attachment

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(api, number, name, content, visibility=None, claimed="image/png"):
    data = {"file": SimpleUploadedFile(name, content, content_type=claimed)}
    if visibility:
        data["visibility"] = visibility
    response = api.client.post(f"/api/v1/incidents/{number}/attachments", data, headers=api.headers)
    return response.status_code, response.json()


def download(api, path):
    return api.client.get(path, headers=api.headers)


@pytest.fixture
def incident(open_one):
    return open_one()


def test_upload_and_download_as_a_download(desk, incident, api_as):
    agent = api_as(desk["people"]["agent"])
    status, data = upload(agent, incident.number, "screen shot.png", PNG, "public")
    assert status == 201, data
    assert (data["content_type"], data["size"], data["visibility"]) == ("image/png", 72, "public")
    stored = Attachment.objects.get().stored_name
    assert "screen" not in stored and len(stored) > 40

    response = download(agent, data["download"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert JournalEntry.objects.for_record(incident).last().action == "attached"


@pytest.mark.parametrize(
    "name,content",
    [
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("notes.png", b"plain text pretending to be an image"),
    ],
)
def test_html_and_svg_are_plain_text_downloads(desk, incident, api_as, name, content):
    agent = api_as(desk["people"]["agent"])
    status, data = upload(agent, incident.number, name, content, claimed="text/html")
    assert status == 201 and data["content_type"] == "text/plain"
    response = download(agent, data["download"])
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_unknown_binaries_and_oversized_files_are_refused(desk, incident, api_as):
    agent = api_as(desk["people"]["agent"])
    status, data = upload(agent, incident.number, "tool.exe", b"MZ\x90\x00\x03\x00\x00\x00")
    assert status == 422 and list(data["error"]["fields"]) == ["file"]
    with override_settings(STEWARD_ATTACHMENT_MAX_BYTES=10):
        status, data = upload(agent, incident.number, "big.png", PNG)
    assert status == 422 and "limit" in data["error"]["fields"]["file"][0]
    status, data = upload(agent, incident.number, "empty.txt", b"")
    assert status == 422
    assert not Attachment.objects.exists()


def test_file_names_are_cleaned(desk, incident, api_as):
    agent = api_as(desk["people"]["agent"])
    status, data = upload(agent, incident.number, '../../etc/<script>"x".png', PNG)
    assert status == 201
    assert data["file_name"] == "_script__x_.png"


def test_served_to_nobody_without_permission(desk, incident, api_as):
    agent = api_as(desk["people"]["agent"])
    _, internal = upload(agent, incident.number, "internal.png", PNG)
    _, public = upload(agent, incident.number, "public.png", PNG, "public")
    requester = api_as(desk["people"]["requester"])
    outsider = api_as(desk["people"]["outsider"])

    assert download(requester, public["download"]).status_code == 200
    assert download(requester, internal["download"]).status_code == 404
    assert download(outsider, public["download"]).status_code == 404
    assert api_as(None).client.get(public["download"]).status_code == 401
    _, data = requester.get(f"incidents/{incident.number}/attachments")
    assert [a["file_name"] for a in data["items"]] == ["public.png"]
    _, data = requester.get(f"incidents/{incident.number}/timeline")
    assert [e["action"] for e in data["items"]] == ["created", "attached"]

    # after the incident moves to another group, every download is checked again
    handover = ops.hand_over(
        desk["people"]["agent"], incident, to_group=desk["groups"]["database"], reason="DB"
    )
    ops.accept_handover(desk["dba"], handover)
    assert download(api_as(desk["dba"]), internal["download"]).status_code == 200
    assert download(requester, internal["download"]).status_code == 404
    assert download(outsider, public["download"]).status_code == 404
    # an attachment id of another incident is not served through this one
    other = ops.open_incident(
        None, title="other", caller=desk["people"]["requester"], impact=3, urgency=3
    )
    wrong = f"/api/v1/incidents/{other.number}/attachments/{public['id']}"
    assert download(agent, wrong).status_code == 404


def test_requesters_attach_publicly_only(desk, incident, api_as):
    requester = api_as(desk["people"]["requester"])
    status, data = upload(requester, incident.number, "error.png", PNG)
    assert status == 403 and list(data["error"]["fields"]) == ["visibility"]
    status, data = upload(requester, incident.number, "error.png", PNG, "public")
    assert status == 201
    status, _ = upload(api_as(desk["people"]["outsider"]), incident.number, "x.png", PNG, "public")
    assert status == 404
