"""The shell around every page: security headers, navigation, labelled fields, no inline code."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse


class FormAudit(HTMLParser):
    """Collects form controls, labels and anything the CSP would refuse."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.inline: list[str] = []
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label":
            self._open_labels += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") not in {"hidden", "submit"}:
            self.controls.append({**a, "_wrapped": self._open_labels > 0})
        if "style" in a or any(k.startswith("on") for k in a):
            self.inline.append(f"<{tag} {a}>")
        if tag == "style" or (tag == "script" and not a.get("src")):
            self.inline.append(f"<{tag}>")

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1

    def unlabelled(self) -> list[dict]:
        return [
            c
            for c in self.controls
            if not (c["_wrapped"] or c.get("id") in self.label_for or c.get("aria-label"))
        ]


def audit(response) -> FormAudit:
    parser = FormAudit()
    parser.feed(response.content.decode())
    return parser


def test_responses_carry_the_security_headers(client, db):
    response = client.get(reverse("people:login"))
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


PAGES = [
    ("core:home", ()),
    ("people:profile", ()),
    ("people:tokens", ()),
    ("people:group_list", ()),
    ("services:list", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_field_is_labelled_and_nothing_is_inline(
    client_for, admin_user, group, portfolio, name, args
):
    response = client_for(admin_user).get(reverse(name, args=args))
    assert response.status_code == 200
    parsed = audit(response)
    assert parsed.controls, "each page has at least the search box"
    assert parsed.unlabelled() == []
    assert parsed.inline == []


def test_detail_pages_and_search_are_clean_too(client_for, admin_user, group, portfolio):
    client = client_for(admin_user)
    for url in [
        reverse("people:group_detail", args=[group.pk]),
        reverse("services:detail", args=[portfolio["own_live"].pk]),
        reverse("people:user_detail", args=["agent"]),
        reverse("core:search") + "?q=bank",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = audit(response)
        assert parsed.unlabelled() == [], url
        assert parsed.inline == [], url


def test_login_page_has_no_inline_code_and_labelled_fields(client, db):
    parsed = audit(client.get(reverse("people:login")))
    assert parsed.unlabelled() == []
    assert parsed.inline == []


def test_shell_has_skip_link_search_user_menu_and_csrf_header(client_for, agent):
    html = client_for(agent).get(reverse("core:home")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'id="main"' in html
    assert 'action="/search"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert re.search(
        r'<form method="post" action="/logout/">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"',
        html,
    )
    assert 'src="/static/django_htmx/htmx-2.min.js"' in html


def test_navigation_shows_groups_to_it_staff_only(client_for, agent, requester):
    agent_html = client_for(agent).get(reverse("core:home")).content.decode()
    requester_html = client_for(requester).get(reverse("core:home")).content.decode()
    assert 'href="/groups/"' in agent_html
    assert 'href="/services/"' in agent_html
    assert 'href="/groups/"' not in requester_html
    assert 'href="/services/"' in requester_html


def test_current_page_is_marked_in_the_navigation(client_for, agent):
    html = client_for(agent).get(reverse("services:list")).content.decode()
    assert '<a href="/services/" aria-current="page">' in html


def test_home_dashboard_shows_what_i_own_and_my_groups(client_for, owner, group, portfolio):
    html = client_for(owner).get(reverse("core:home")).content.decode()
    assert "Services I own" in html
    assert "Online Banking" in html
    assert "Service Desk" in html


def test_user_text_is_escaped(client_for, admin_user, make_service):
    make_service("<script>alert(1)</script>", description="<b>bold</b>")
    html = client_for(admin_user).get(reverse("services:list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_home_shows_a_requester_the_services_of_their_organization(
    client_for, requester, portfolio
):
    html = client_for(requester).get(reverse("core:home")).content.decode()
    assert "Services for my organization" in html
    assert "Online Banking" in html
    assert "Mortgage Portal" not in html
    assert "Treasury Desk" not in html
    assert "My groups" not in html
