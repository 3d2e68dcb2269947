"""The committed OpenAPI document matches the code, and responses match the document."""

from __future__ import annotations

import enum
import json
import re
import typing
from pathlib import Path

import pydantic
import pytest
from openapi_spec_validator import validate

from steward.api import api
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


def _named_types(annotation, found: dict, seen: set) -> None:
    """Every pydantic model and enum reachable from ``annotation``, by the name the OpenAPI
    document gives it (``found[name] = {qualified names}``)."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        found.setdefault(annotation.__name__, set()).add(_qualified(annotation))
        return
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        found.setdefault(annotation.__name__, set()).add(_qualified(annotation))
        for field in annotation.model_fields.values():
            _named_types(field.annotation, found, seen)
        return
    for argument in typing.get_args(annotation):
        _named_types(argument, found, seen)


def _qualified(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def test_no_two_schemas_share_a_name_in_the_document():
    """The document names each schema by its class name, so two apps' ``Status`` or
    ``CommentOut`` become one: the later silently replaces the other's definition, and clients
    (and our own response validation) read the wrong shape."""
    found: dict[str, set[str]] = {}
    seen: set = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in operation.models:
                    _named_types(model, found, seen)
                for model in (operation.response_models or {}).values():
                    _named_types(model, found, seen)
    shared = {name: sorted(where) for name, where in found.items() if len(where) > 1}
    assert not shared, f"rename one of each (e.g. prefix the practice): {shared}"
