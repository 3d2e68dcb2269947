"""The satisfaction API: the respondent's surveys with their tokens, answering once, the
results for IT staff, the follow-ups; bad input on every endpoint; organisation isolation."""

from __future__ import annotations

import pytest

from steward.satisfaction.models import FollowUp, Survey

pytestmark = pytest.mark.django_db


def test_my_open_surveys_come_with_their_tokens(sat, offered, api_as):
    survey, token = offered()
    status, page = api_as(sat["people"]["requester"]).get("surveys", mine="true")
    assert status == 200 and page["count"] == 1
    item = page["items"][0]
    assert item["token"] == token and item["state"] == "open"
    assert item["url"] == f"/satisfaction/s/{token}/"
    assert item["record_label"] == survey.record_label
    status, default = api_as(sat["people"]["requester"]).get("surveys")
    assert default == page  # mine=true is the default


def test_nobody_else_sees_my_surveys(sat, offered, api_as):
    offered()
    for who in ("neighbour", "outsider", "agent"):
        status, page = api_as(sat["people"][who]).get("surveys", mine="true")
        assert status == 200 and page["count"] == 0, who
    # mine=false: a requester reads their own only, never another's (no token either)
    status, page = api_as(sat["people"]["neighbour"]).get("surveys", mine="false")
    assert page["count"] == 0
    status, page = api_as(sat["people"]["requester"]).get("surveys", mine="false")
    assert page["count"] == 1


def test_staff_list_every_survey_without_tokens(sat, offered, api_as):
    survey, token = offered()
    offered(sat["people"]["outsider"], title="Other org")
    status, page = api_as(sat["people"]["agent"]).get("surveys", mine="false")
    assert status == 200 and page["count"] == 2
    assert token not in str(page)
    row = next(i for i in page["items"] if i["id"] == survey.pk)
    assert row["respondent"]["username"] == "req" and row["group"]["name"] == "Network"
    assert row["record_url"].startswith("/incidents/")
    status, page = api_as(sat["people"]["agent"]).get("surveys", mine="false", state="answered")
    assert page["count"] == 0


def test_a_survey_token_works_once_through_the_api(sat, offered, api_as):
    survey, token = offered()
    client = api_as(sat["people"]["requester"])
    status, body = client.get(f"surveys/{token}")
    assert status == 200 and body["state"] == "open"
    status, body = client.post(f"surveys/{token}", {"score": 4, "comment": "Fine"})
    assert status == 200 and body["state"] == "answered" and body["score"] == 4
    assert body["token"] is None
    status, body = client.post(f"surveys/{token}", {"score": 5, "comment": "Again"})
    assert status == 409 and body["error"]["fields"] == {"token": ["already answered"]}
    survey.refresh_from_db()
    assert (survey.score, survey.comment) == (4, "Fine")
    status, page = client.get("surveys", mine="true")
    assert page["count"] == 0  # answered: no longer open


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": "5"}, "score"),
        ({"score": True}, "score"),
        ({"score": 4.5}, "score"),
        ({}, "score"),
        ({"score": None}, "score"),
        ({"score": 3, "comment": "x" * 2001}, "comment"),
        ({"score": 3, "comment": 5}, "comment"),
        ({"score": 3, "comment": "a\x00b"}, "comment"),
        ({"score": 3, "extra": 1}, "extra"),
    ],
)
def test_bad_answers_are_422_naming_the_field_and_write_nothing(sat, offered, api_as, body, field):
    survey, token = offered()
    status, answer = api_as(sat["people"]["requester"]).post(f"surveys/{token}", body)
    assert status == 422 and field in answer["error"]["fields"], answer
    survey.refresh_from_db()
    assert survey.answered_at is None


@pytest.mark.parametrize("token", ["x" * 43, "A" * 60])
def test_unknown_tokens_answer_404(sat, offered, api_as, token):
    offered()
    client = api_as(sat["people"]["requester"])
    assert client.get(f"surveys/{token}")[0] == 404
    assert client.post(f"surveys/{token}", {"score": 5})[0] == 404
    assert not Survey.objects.filter(answered_at__isnull=False).exists()


@pytest.mark.parametrize("token", ["nope", "A" * 300, "bad.token.with.dots"])
def test_tokens_that_cannot_be_a_link_are_422_naming_the_token(sat, offered, api_as, token):
    offered()
    client = api_as(sat["people"]["requester"])
    for status, answer in (
        client.get(f"surveys/{token}"),
        client.post(f"surveys/{token}", {"score": 5}),
    ):
        assert status == 422 and "token" in answer["error"]["fields"], answer
    assert not Survey.objects.filter(answered_at__isnull=False).exists()


def test_the_api_needs_a_signed_in_client(sat, offered, api_as):
    _, token = offered()
    assert api_as(None).get(f"surveys/{token}")[0] == 401
    assert api_as(None).post(f"surveys/{token}", {"score": 5})[0] == 401


def test_a_read_token_cannot_answer(sat, offered, api_as):
    survey, token = offered()
    status, _ = api_as(sat["people"]["requester"], scope="read").post(
        f"surveys/{token}", {"score": 5}
    )
    assert status == 403
    survey.refresh_from_db()
    assert survey.answered_at is None


# --- csat ----------------------------------------------------------------------------------------


def test_csat_for_staff(sat, offered, api_as):
    _, token = offered()
    _, other = offered(sat["people"]["neighbour"])
    from steward.satisfaction import operations as ops

    ops.answer(None, token, score=5)
    ops.answer(None, other, score=2)
    status, body = api_as(sat["people"]["agent"]).get("csat", by="group")
    assert status == 200
    assert body["totals"]["sent"] == 2 and body["totals"]["answered"] == 2
    assert body["totals"]["csat"] == 50.0 and body["totals"]["mean_score"] == 3.5
    assert body["totals"]["scores"] == [0, 1, 0, 0, 1]
    assert body["rows"][0]["label"] == "Network" and body["by"] == "group"
    status, body = api_as(sat["people"]["agent"]).get("csat", by="month")
    assert status == 200 and len(body["rows"]) == 12


def test_csat_is_for_it_staff_only(sat, offered, api_as):
    offered()
    for who in ("requester", "outsider"):
        assert api_as(sat["people"][who]).get("csat")[0] == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "colour"}, "by"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-03-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
        ({"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
        ({"service": "0"}, "service"),
        ({"group": "abc"}, "group"),
    ],
)
def test_csat_bad_input_names_the_field(sat, api_as, params, field):
    status, body = api_as(sat["people"]["agent"]).get("csat", **params)
    assert status == 422 and field in body["error"]["fields"], body


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"mine": "perhaps"}, "mine"),
        ({"state": "lost"}, "state"),
        ({"limit": "0"}, "limit"),
        ({"agent": "-1"}, "agent"),
    ],
)
def test_survey_list_bad_input_names_the_field(sat, api_as, params, field):
    status, body = api_as(sat["people"]["agent"]).get("surveys", **params)
    assert status == 422 and field in body["error"]["fields"], body


# --- follow-ups ----------------------------------------------------------------------------------


@pytest.fixture
def low(offered):
    from steward.satisfaction import operations as ops

    def make(**kwargs):
        survey, token = offered(**kwargs)
        ops.answer(None, token, score=1, comment="Slow")
        return FollowUp.objects.get(survey=survey)

    return make


def test_follow_ups_for_the_manager(sat, low, api_as):
    item = low()
    manager = api_as(sat["people"]["manager"])
    status, page = manager.get("survey-follow-ups", mine="true")
    assert status == 200 and page["count"] == 1
    assert page["items"][0]["actions"] == ["close"]
    status, page = api_as(sat["people"]["staff"]).get("survey-follow-ups", mine="true")
    assert page["count"] == 0
    status, page = api_as(sat["people"]["staff"]).get("survey-follow-ups", status="open")
    assert page["count"] == 1 and page["items"][0]["actions"] == []
    status, body = manager.post(
        f"survey-follow-ups/{item.pk}/close", {"notes": "Called her", "version": item.version}
    )
    assert status == 200 and body["status"] == "done" and body["done_by"]["username"] == "agent"
    status, body = manager.post(
        f"survey-follow-ups/{item.pk}/close", {"notes": "Again", "version": body["version"]}
    )
    assert status == 409


def test_follow_ups_are_hidden_from_requesters(sat, low, api_as):
    item = low()
    client = api_as(sat["people"]["requester"])
    assert client.get("survey-follow-ups")[1]["count"] == 0
    assert client.get(f"survey-follow-ups/{item.pk}")[0] == 404
    assert client.post(f"survey-follow-ups/{item.pk}/close", {"notes": "x"})[0] == 404


def test_other_staff_may_not_close(sat, low, api_as):
    item = low()
    status, _body = api_as(sat["people"]["staff"]).post(
        f"survey-follow-ups/{item.pk}/close", {"notes": "x"}
    )
    assert status == 403
    item.refresh_from_db()
    assert item.status == "open"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "notes"),
        ({"notes": ""}, "notes"),
        ({"notes": "   "}, "notes"),
        ({"notes": 3}, "notes"),
        ({"notes": "ok", "version": 0}, "version"),
        ({"notes": "ok", "version": "1"}, "version"),
        ({"notes": "ok", "extra": True}, "extra"),
    ],
)
def test_closing_bad_input_names_the_field(sat, low, api_as, body, field):
    item = low()
    status, answer = api_as(sat["people"]["manager"]).post(
        f"survey-follow-ups/{item.pk}/close", body
    )
    assert status == 422 and field in answer["error"]["fields"], answer
    item.refresh_from_db()
    assert item.status == "open"


def test_a_stale_close_is_409(sat, low, api_as):
    item = low()
    status, body = api_as(sat["people"]["manager"]).post(
        f"survey-follow-ups/{item.pk}/close", {"notes": "x", "version": item.version + 3}
    )
    assert status == 409 and "version" in body["error"]["fields"]


@pytest.mark.parametrize(
    "path",
    ["survey-follow-ups/0", "survey-follow-ups/abc", "survey-follow-ups/99999999999999999999"],
)
def test_bad_follow_up_ids(sat, api_as, path):
    status, body = api_as(sat["people"]["manager"]).get(path)
    assert status in (404, 422) and "error" in body


def test_lists_run_a_constant_number_of_queries(
    sat, offered, low, api_as, django_assert_max_num_queries, make_user
):
    for n in range(3):
        offered(make_user(f"c{n}", roles=["requester"]), title=f"T{n}")
        low(caller=make_user(f"l{n}", roles=["requester"]), title=f"L{n}")
    agent = api_as(sat["people"]["agent"])
    with django_assert_max_num_queries(12):
        status, page = agent.get("surveys", mine="false", limit="50")
    assert status == 200 and page["count"] == 6
    with django_assert_max_num_queries(12):
        status, page = agent.get("survey-follow-ups", limit="50")
    assert status == 200 and page["count"] == 3
