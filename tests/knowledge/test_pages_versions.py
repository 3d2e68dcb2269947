"""Versions and their comparison: every edit is listed with its author, and any two versions
compare word by word or line by line, the changes marked with <ins> and <del> (never colour
alone), on the server. IT staff only."""

from __future__ import annotations

import pytest

from steward.knowledge import diff
from steward.knowledge import operations as ops


def test_segments_give_both_texts_back():
    old = "Restart the VPN client, then sign in."
    new = "Update the VPN client to 5.2, then sign in again."
    parts = diff.segments(old, new)
    assert "".join(s.text for s in parts if s.op != "insert") == old
    assert "".join(s.text for s in parts if s.op != "delete") == new
    assert ("delete", "Restart") in [(s.op, s.text) for s in parts]
    assert ("insert", "Update") in [(s.op, s.text) for s in parts]
    # unchanged words stay unmarked
    assert any(s.op == "equal" and "VPN client" in s.text for s in parts)


def test_line_mode_marks_whole_lines():
    parts = diff.segments("one\ntwo\nthree\n", "one\n2\nthree\n", "lines")
    assert [(s.op, s.text) for s in parts] == [
        ("equal", "one\n"),
        ("delete", "two\n"),
        ("insert", "2\n"),
        ("equal", "three\n"),
    ]


def test_compare_says_which_fields_changed():
    class V:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    fields = diff.compare(V(title="A", issue="x"), V(title="A", issue="y"))
    changed = {f.name for f in fields if f.changed}
    assert changed == {"issue"}
    assert diff.compare(V(title="a"), V(title="b"), mode="nonsense")[0].changed


@pytest.mark.django_db
def test_the_versions_page_and_the_diff(kb, client_for, make_article):
    people = kb["people"]
    article = make_article(people["contributor"], resolution="Restart the VPN client.")
    ops.update_article(
        people["everywhere"],
        article,
        version=article.version,
        resolution="Update the VPN client to 5.2.",
        summary="Newer client",
    )
    client = client_for(people["agent"])
    page = client.get(f"/knowledge/{article.number}/versions/").content.decode()
    assert "Newer client" in page and "everywhere" in page.lower()
    assert 'name="a"' in page and 'name="b"' in page
    page = client.get(f"/knowledge/{article.number}/diff/?a=1&b=2&mode=words").content.decode()
    assert '<del><span class="visually-hidden">[removed: </span>Restart' in page
    assert '<ins><span class="visually-hidden">[added: </span>Update' in page
    # the default compares the previous version with the current one
    assert "Update" in client.get(f"/knowledge/{article.number}/diff/").content.decode()
    page = client.get(f"/knowledge/{article.number}/diff/?a=2&b=2").content.decode()
    assert "The two versions say the same." in page
    assert client.get(f"/knowledge/{article.number}/diff/?a=1&b=9").status_code == 404
    requester = client_for(people["requester"])
    assert requester.get(f"/knowledge/{article.number}/versions/").status_code == 404
    assert requester.get(f"/knowledge/{article.number}/diff/").status_code == 404
