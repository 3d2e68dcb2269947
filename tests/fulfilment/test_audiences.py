"""The audience contract of requested items: every staff field is either shown to requesters
or hidden on purpose, the requester's serializer gives exactly its schema, and seeded internal
text (a work note, an internal file, a task's notes and group) never reaches a requester's
bytes."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from steward.fulfilment import audiences
from steward.fulfilment import operations as ops
from steward.fulfilment.schemas import (
    RequestedItemOut,
    RequesterRequestedItemOut,
    RequesterTaskOut,
)

pytestmark = pytest.mark.django_db

SECRET = "ZEBRA-INTERNAL-7731"


def test_every_staff_field_is_classified():
    staff = set(RequestedItemOut.model_fields)
    requester = set(RequesterRequestedItemOut.model_fields)
    assert requester == set(audiences.REQUESTER_FIELDS)
    assert staff - requester == set(audiences.REQUESTER_HIDDEN)
    assert set(RequesterTaskOut.model_fields) == set(audiences.REQUESTER_TASK_FIELDS)


def test_internal_text_never_reaches_the_requester(fx, api_as):
    p = fx["people"]
    item = ops.order(p["requester"], items=[{"catalog_item": fx["mouse"]}]).items.get()
    ops.add_comment(p["desk"], item, body=f"Note {SECRET}", visibility="internal")
    ops.add_attachment(
        p["desk"], item, SimpleUploadedFile(f"{SECRET}.txt", b"x"), visibility="internal"
    )
    task = item.tasks.get()
    ops.close_task(p["desk"], task, outcome="complete", notes=f"Done {SECRET}")
    for who in ("requester", "neighbour"):
        status, data = api_as(p[who]).get(f"requested-items/{item.number}")
        assert status == 200
        text = json.dumps(data)
        assert SECRET not in text
        assert set(data) == set(audiences.REQUESTER_FIELDS)
        assert set(data["tasks"][0]) == set(audiences.REQUESTER_TASK_FIELDS)
        assert "Desk" not in text  # the group that works it
    status, staff = api_as(p["agent"]).get(f"requested-items/{item.number}")
    assert SECRET in json.dumps(staff)
