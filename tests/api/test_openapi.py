"""The committed OpenAPI document matches the code, and responses match the document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from steward.core.management.commands.export_openapi import openapi_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_committed_openapi_matches_the_code():
    assert DOC.read_text() == openapi_text(), "run `make openapi` and commit docs/openapi.json"


def test_the_document_is_valid_openapi_3():
    validate(json.loads(openapi_text()))


@pytest.mark.django_db
def test_docs_page_is_served_without_external_assets(client, world):
    client.force_login(world["people"]["agent"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Every script, stylesheet and image comes from Steward itself: the page works offline.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page should reference its bundled assets"
    external = [url for url in assets if not url.startswith("/") or url.startswith("//")]
    assert external == []
    assert client.get("/api/v1/openapi.json").status_code == 200
