"""What an outside audit of the API found, kept found: every answer under /api/ is JSON in the
one error shape naming the field, input is taken strictly, nothing bad is half-written, and
answers are never cached. Runs on both databases (PostgreSQL refuses NUL bytes and 64-bit
overflows itself, where SQLite would store or raise differently)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from steward.core.models import JournalEntry
from steward.incidents.models import Incident, PriorityMatrix
from steward.people.models import Organization, User
from steward.services.models import ConfigurationItem

pytestmark = pytest.mark.django_db

HUGE = 2**64  # past every 64-bit column
HUGE_TEXT = str(HUGE)


@pytest.fixture
def raw(world):
    """raw(method, path, body=None, content_type=..., user="admin") -> (status, json, response)
    sent with a bearer token, the body as given (bytes/str) or as JSON."""
    from steward.people import operations as people_ops

    secrets = {
        person.pk: people_ops.create_api_token(person, person, name="audit", scope="write")[1]
        for person in world["people"].values()
    }

    def send(method, path, body=None, *, content_type="application/json", user="admin", **extra):
        person = world["people"][user]
        kwargs = {"headers": {"Authorization": f"Bearer {secrets[person.pk]}"}, **extra}
        if body is not None:
            kwargs["data"] = body if isinstance(body, str | bytes) else json.dumps(body)
            kwargs["content_type"] = content_type
        response = getattr(Client(), method)(f"/api/v1/{path}", **kwargs)
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        return response.status_code, response.json(), response

    return send


@pytest.fixture
def incident(world):
    """The fields of a valid new incident, routed to the world's group."""
    return {"title": "Printer", "impact": 2, "urgency": 2, "owning_group": world["group"].pk}


def assert_error(body: dict, field: str | None = None) -> list[str]:
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if field is not None:
        assert field in body["error"]["fields"], body
        return body["error"]["fields"][field]
    return []


def written():
    return (
        Incident.objects.count(),
        Organization.objects.count(),
        User.objects.count(),
        JournalEntry.objects.count(),
    )


# --- integers past 64 bits --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path,field",
    [
        (f"incidents?offset={HUGE_TEXT}", "offset"),
        (f"incidents?group={HUGE_TEXT}", "group"),
        (f"services?owner={HUGE_TEXT}", "owner"),
        (f"groups?member={HUGE_TEXT}", "member"),
        (f"olas/{HUGE_TEXT}", "group_id"),
        (f"services/{HUGE_TEXT}", "service_id"),
        (f"users/{HUGE_TEXT}", "user_id"),
    ],
)
def test_an_integer_past_64_bits_in_the_url_is_a_422_naming_it(raw, path, field):
    status, body, _ = raw("get", path)
    assert status == 422
    assert assert_error(body, field)


@pytest.mark.parametrize(
    "path,body,field",
    [
        ("incidents", {"title": "T", "impact": 2, "urgency": 2, "caller": HUGE}, "caller"),
        ("services", {"name": "S", "owner": 1, "customers": [1, HUGE]}, "customers"),
        ("organizations", {"name": "O", "code": "o", "description": "x" * 10}, None),
    ],
)
def test_an_integer_past_64_bits_in_a_body_is_a_422_and_writes_nothing(raw, path, body, field):
    if field is None:  # the control case: the same shape of request succeeds
        assert raw("post", path, body)[0] == 201
        return
    before = written()
    status, answer, _ = raw("post", path, body)
    assert status == 422
    assert assert_error(answer, field)
    assert written() == before


def test_a_raci_person_id_past_64_bits_is_a_422(raw, world):
    from steward.ownership import operations as ownership_ops

    process = ownership_ops.create_process(
        None, key="audit", name="Audit process", owner=world["people"]["admin"]
    )
    assignment = {"activity": 1, "letter": "A", "role": "agent", "accountable_person": HUGE}
    status, body, _ = raw(
        "put",
        f"processes/{process.pk}/raci",
        {"version": process.version, "assignments": [assignment]},
    )
    assert status == 422
    assert any(name.endswith("accountable_person") for name in body["error"]["fields"]), body


def test_pages_answer_404_to_an_id_past_64_bits(client_for, world):
    client = client_for(world["people"]["admin"])
    assert client.get(f"/services/{HUGE_TEXT}/").status_code == 404


# --- text the database cannot or should not store -------------------------------------------


@pytest.mark.parametrize(
    "title,problem",
    [
        ("printer\x00jam", "NUL"),
        ("printer \x1b[31mred\x1b[0m", "control characters"),
        ("two\nlines", "one line"),
    ],
)
def test_a_title_with_nul_or_control_characters_is_refused(raw, title, problem):
    before = written()
    status, body, _ = raw("post", "incidents", {"title": title, "impact": 2, "urgency": 2})
    assert status == 422
    assert problem in " ".join(assert_error(body, "title"))
    assert written() == before


def test_a_description_keeps_its_line_breaks_but_not_nul(raw, incident):
    ok = {**incident, "description": "line one\nline two\ttab"}
    status, body, _ = raw("post", "incidents", ok)
    assert status == 201, body
    assert body["description"] == "line one\nline two\ttab"
    status, body, _ = raw("post", "incidents", {**ok, "description": "a\x00b"})
    assert status == 422 and assert_error(body, "description")


def test_a_comment_with_a_nul_byte_is_refused(raw, incident):
    number = raw("post", "incidents", incident)[1]["number"]
    status, body, _ = raw("post", f"incidents/{number}/comments", {"body": "see\x00here"})
    assert status == 422 and assert_error(body, "body")


def test_nul_in_the_query_or_path_is_a_400_naming_it(raw):
    status, body, _ = raw("get", "incidents?q=print%00er")
    assert status == 400 and "NUL" in assert_error(body, "q")[0]
    status, body, _ = raw("get", "incidents/INC%0012")
    assert status == 400 and assert_error(body, "path")


def test_pages_refuse_nul_in_the_query_too(client_for, world):
    client = client_for(world["people"]["agent"])
    assert client.get("/incidents/?q=print%00er").status_code == 400


def test_a_csv_field_past_the_csv_limit_is_a_422_naming_the_row(raw):
    huge_field = "x" * (200 * 1024)
    text = f'name,class,description\nweb01,Server,"{huge_field}"\n'
    before = ConfigurationItem.objects.count()
    status, body, _ = raw("post", "cis/import", {"csv": text})
    assert status == 422
    assert any(name.startswith("rows.") for name in body["error"]["fields"]), body
    assert ConfigurationItem.objects.count() == before


# --- null, booleans and numbers taken strictly -------------------------------------------------


@pytest.mark.parametrize(
    "path_of,body,field",
    [
        (lambda w: f"users/{w['people']['agent'].pk}", {"phone": None}, "phone"),
        (lambda w: f"users/{w['people']['agent'].pk}", {"first_name": None}, "first_name"),
        (
            lambda w: f"services/{w['services']['retail_live'].pk}",
            {"description": None},
            "description",
        ),
        (lambda w: f"groups/{w['group'].pk}", {"email": None}, "email"),
    ],
)
def test_explicit_null_on_a_field_that_cannot_be_empty_is_a_422(raw, world, path_of, body, field):
    path = path_of(world)
    version = raw("get", path)[1]["version"]
    before = written()
    status, answer, _ = raw("patch", path, {"version": version, **body})
    assert status == 422
    assert assert_error(answer, field) == ["cannot be null"]
    assert written() == before


def test_null_still_clears_what_may_be_empty(raw, incident):
    number = raw("post", "incidents", incident)[1]["number"]
    status, body, _ = raw("patch", f"incidents/{number}", {"version": 1, "service": None})
    assert status == 200 and body["service"] is None


@pytest.mark.parametrize(
    "method,path,body,field",
    [
        ("post", "incidents", {"title": "T", "impact": 2, "urgency": 2, "caller": True}, "caller"),
        ("post", "incidents", {"title": "T", "impact": True, "urgency": 2}, "impact"),
        ("post", "incidents", {"title": "T", "impact": "2", "urgency": 2}, "impact"),
        ("put", "priority-matrix", {"impact": 1, "urgency": 1, "priority": True}, "priority"),
        ("post", "services", {"name": "S", "owner": 1, "customers": [True]}, "customers"),
        ("post", "organizations", {"name": "O", "code": "o", "is_active": "yes"}, "is_active"),
        ("post", "organizations", {"name": "O", "code": "o", "is_active": 0}, "is_active"),
    ],
)
def test_json_types_are_taken_strictly(raw, method, path, body, field):
    before = written(), list(PriorityMatrix.objects.values_list("priority", flat=True))
    status, answer, _ = raw(method, path, body)
    assert status == 422, answer
    assert assert_error(answer, field)
    assert (written(), list(PriorityMatrix.objects.values_list("priority", flat=True))) == before


def test_query_parameters_still_take_numbers_and_booleans_as_text(raw):
    status, body, _ = raw("get", "services?criticality=1")
    assert status == 200 and [s["name"] for s in body["items"]] == ["Online Banking"]
    status, body, _ = raw("get", "notifications?unread=true")
    assert status == 200


# --- bodies: JSON only, and malformed ones named --------------------------------------------


def test_json_sent_as_text_plain_is_refused_and_nothing_written(raw):
    before = written()
    status, body, _ = raw(
        "post", "organizations", '{"name": "O", "code": "o"}', content_type="text/plain"
    )
    assert status == 415
    assert assert_error(body, "body")
    assert written() == before


def test_malformed_json_names_the_body(raw):
    status, body, _ = raw("post", "organizations", '{"name": ')
    assert status == 400
    assert "not valid JSON" in assert_error(body, "body")[0]


def test_an_empty_body_is_reported_as_the_body_not_an_internal_name(raw):
    status, body, _ = raw("post", "organizations", "")
    assert status == 422
    assert body["error"]["fields"] == {"body": ["a JSON object is required"]}
    status, body, _ = raw("post", "organizations", "[1, 2]")
    assert status == 422 and assert_error(body, "body") == ["must be a JSON object"]


# --- one error shape for every answer ---------------------------------------------------------


def test_a_wrong_method_answers_405_in_the_error_shape_with_allow(raw):
    status, body, response = raw("delete", "organizations")
    assert status == 405
    assert_error(body, "method")
    assert "GET" in response["Allow"] and "POST" in response["Allow"]


def test_an_unknown_api_path_answers_404_in_the_error_shape(raw):
    for path in ("no/such/thing", "incidents/INC1/nothing"):
        status, body, _ = raw("get", path)
        assert status == 404
        assert_error(body)
    response = Client().get("/api/v2/incidents")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_a_very_long_url_answers_414_in_the_error_shape(raw):
    status, body, _ = raw("get", "incidents?q=" + "a" * 5000)
    assert status == 414
    assert assert_error(body, "url")


def test_an_oversized_multipart_header_answers_in_the_error_shape(raw, incident):
    number = raw("post", "incidents", incident)[1]["number"]
    boundary = "BOUNDARY"
    body = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{"a" * 20000}.txt"\r\n'
        "Content-Type: text/plain\r\n\r\nhello\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    status, answer, _ = raw(
        "post",
        f"incidents/{number}/attachments",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert 400 <= status < 500
    assert_error(answer)


# --- headers ----------------------------------------------------------------------------------


def test_api_answers_are_never_cached_the_new_token_secret_included(world):
    client = Client(enforce_csrf_checks=False)
    client.force_login(world["people"]["agent"])
    response = client.post(
        "/api/v1/tokens",
        data=json.dumps({"name": "script", "scope": "read"}),
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["token"]
    assert response["Cache-Control"] == "no-store"
    for path in ("/api/v1/me", "/api/v1/incidents", "/api/v1/no-such-thing"):
        assert client.get(path)["Cache-Control"] == "no-store"


def test_a_401_says_how_to_authenticate():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["code"] == "not_authenticated"


# --- dates and times are ISO text --------------------------------------------------------------


def test_a_time_sent_as_a_number_is_refused_not_read_as_unix_time(raw, world):
    from steward.slm.models import Calendar

    calendar = Calendar.objects.order_by("pk").first()
    status, body, _ = raw("post", f"calendars/{calendar.pk}/add", {"start": 0, "seconds": 0})
    assert status == 422
    assert "ISO 8601" in assert_error(body, "start")[0]
    for value in ("12", "0.5"):
        status, body, _ = raw("get", f"sla-reports/compliance?until={value}")
        assert status == 422
        assert assert_error(body, "until")


def test_a_time_with_any_utc_offset_is_read_in_utc_on_both_databases(raw):
    status, body, _ = raw("get", "sla-reports/compliance?since=2026-01-01T00:00:00%2B16:00")
    assert status == 200, body
    assert body["since"].startswith("2025-12-31T08:00:00")


def test_the_document_says_which_text_is_refused():
    from steward.api import api
    from steward.core.api_input import LINE_PATTERN, TEXT_PATTERN

    doc = api.get_openapi_schema(path_prefix="/api/v1")
    number = doc["paths"]["/api/v1/incidents/{number}"]["get"]["parameters"][0]
    assert number["name"] == "number" and number["schema"]["pattern"] == LINE_PATTERN
    create = doc["components"]["schemas"]["IncidentCreate"]["properties"]
    assert create["title"]["pattern"] == LINE_PATTERN
    assert create["description"]["pattern"] == TEXT_PATTERN
    groups = doc["paths"]["/api/v1/groups"]["get"]["parameters"]
    assert next(p for p in groups if p["name"] == "q")["schema"]["anyOf"][0]["pattern"]
