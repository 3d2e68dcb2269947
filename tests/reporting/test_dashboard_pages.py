"""The dashboard pages: the list (mine, shared with my groups, my roles' defaults), a dashboard
drawn as SVG with its tables and CSV links, composing with plain forms, read-only sharing, the
"Improve this" link of the KPI page; IT staff only. The month's clock stands at 2 April 2026."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch

from steward.core import practices
from steward.reporting import operations as ops
from steward.reporting import views
from steward.reporting.models import Dashboard, Widget

pytestmark = pytest.mark.django_db

RAISED = {"kind": "figure", "kpi": "incidents_raised", "period": "last_month"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared(month):
    """The agent's dashboard shared with Database: a figure and a bar chart by service."""
    agent = month["people"]["agent"]
    board = ops.create_dashboard(agent, name="Desk week", shared_with=month["groups"]["database"])
    ops.add_widget(agent, board, version=1, **RAISED)
    ops.add_widget(
        agent,
        board,
        version=2,
        kind="bars",
        kpi="incidents_raised",
        period="last_month",
        group_by="service",
        title="By service",
    )
    board.refresh_from_db()
    return board


def test_the_dashboard_draws_each_widget_with_a_text_alternative(month, shared):
    html = client_for(month["people"]["agent"]).get(f"/reports/dashboards/{shared.pk}/")
    assert html.status_code == 200
    html = html.content.decode()
    assert re.search(r'data-figure="value"><strong>6</strong>', html)
    assert "worse" in html and "2026-03-01 to 2026-03-31 (UTC)" in html
    assert "<svg" in html and "<title>Online Banking: 3</title>" in html
    # the same figures as a table, without JavaScript
    assert '<th scope="row">Online Banking</th>' in html
    assert html.count('<th scope="row">') == 3
    widgets = list(shared.widgets.all())
    for widget in widgets:
        assert f'href="/reports/dashboards/{shared.pk}/widgets/{widget.pk}.csv"' in html
        assert f"/reports/dashboards/{shared.pk}/widgets/{widget.pk}/edit/" in html
    assert "style=" not in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_a_member_of_the_group_reads_it_without_edit_controls(month, shared):
    client = client_for(month["dba"])
    listed = client.get("/reports/dashboards/").content.decode()
    assert "Desk week" in listed and "shared with Database" in listed
    html = client.get(f"/reports/dashboards/{shared.pk}/").content.decode()
    assert "read only" in html and "<svg" in html
    assert "/edit/" not in html and "/remove/" not in html and "Add widget" not in html
    assert client.get(f"/reports/dashboards/{shared.pk}/settings/").status_code == 404
    widget = shared.widgets.first()
    response = client.post(
        f"/reports/dashboards/{shared.pk}/widgets/{widget.pk}/remove/", {"version": 3}
    )
    assert response.status_code == 404 and Widget.objects.filter(pk=widget.pk).exists()


@pytest.mark.parametrize("who", ["desk2", "requester"])
def test_anyone_else_gets_404(month, shared, who):
    user = month["people"]["requester"] if who == "requester" else month["desk2"]
    client = client_for(user)
    widget = shared.widgets.first()
    for path in (
        f"/reports/dashboards/{shared.pk}/",
        f"/reports/dashboards/{shared.pk}/widgets/{widget.pk}.csv",
        f"/reports/dashboards/{shared.pk}/widgets/new/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post("/reports/dashboards/new/", {"name": "x"}).status_code in (404, 302)
    if who == "requester":
        assert client.get("/reports/dashboards/").status_code == 404
        assert b'href="/reports/dashboards/"' not in client.get("/").content


def test_compose_with_plain_forms(month):
    agent = month["people"]["agent"]
    client = client_for(agent)
    response = client.post("/reports/dashboards/new/", {"name": "Mine"})
    board = Dashboard.objects.get(name="Mine")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/dashboards/{board.pk}/widgets/new/"
    form = client.get(response["Location"]).content.decode()
    assert 'name="kpi"' in form and 'value="last_month"' in form
    response = client.post(
        f"/reports/dashboards/{board.pk}/widgets/new/",
        {"version": 1, **RAISED, "group_by": ""},
    )
    assert response.status_code == 302
    response = client.post(
        f"/reports/dashboards/{board.pk}/widgets/new/",
        {
            "version": 2,
            "kind": "series",
            "kpi": "incident_backlog",
            "period": "last_month",
            "group_by": "week",
        },
    )
    assert response.status_code == 302
    first, second = board.widgets.all()
    client.post(
        f"/reports/dashboards/{board.pk}/widgets/{second.pk}/move/",
        {"version": 3, "position": 1},
    )
    assert [w.pk for w in board.widgets.all()] == [second.pk, first.pk]
    html = client.get(f"/reports/dashboards/{board.pk}/").content.decode()
    assert html.count("<rect") == 6  # six weeks touch March
    assert 'viewBox="0 0 460 220"' in html  # a widget's narrower drawing, text at its size
    client.post(f"/reports/dashboards/{board.pk}/widgets/{first.pk}/remove/", {"version": 4})
    assert list(board.widgets.all()) == [second]
    group = month["groups"]["network"]
    client.post(
        f"/reports/dashboards/{board.pk}/settings/",
        {"name": "Mine", "shared_with": group.pk, "version": 5},
    )
    board.refresh_from_db()
    assert board.shared_with == group and board.version == 6
    client.post(f"/reports/dashboards/{board.pk}/delete/", {"version": 6})
    assert not Dashboard.objects.filter(pk=board.pk).exists()


def test_a_widget_that_does_not_fit_is_shown_on_the_form(month, shared):
    client = client_for(month["people"]["agent"])
    response = client.post(
        f"/reports/dashboards/{shared.pk}/widgets/new/",
        {
            "version": 3,
            "kind": "series",
            "kpi": "incidents_raised",
            "period": "last_month",
            "group_by": "service",
        },
    )
    assert response.status_code == 200
    assert "a series widget is grouped by one of day, week, month" in response.content.decode()
    assert shared.widgets.count() == 2


def test_a_stale_form_changes_nothing_and_says_why(month, shared):
    client = client_for(month["people"]["agent"])
    response = client.post(
        f"/reports/dashboards/{shared.pk}/widgets/new/",
        {"version": 1, **RAISED, "group_by": ""},
    )
    assert response.status_code == 200
    assert "changed by someone else" in response.content.decode()
    assert shared.widgets.count() == 2


def test_the_csv_link_downloads_formula_safe_figures(month, shared):
    widget = shared.widgets.get(kind="bars")
    response = client_for(month["dba"]).get(
        f"/reports/dashboards/{shared.pk}/widgets/{widget.pk}.csv"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["service", "Value", "Records"]
    assert ["Online Banking", "3", "3"] in rows


def test_a_person_without_dashboards_sees_their_roles_defaults_and_copies_one(month):
    manager = month["dbmanager"]
    client = client_for(manager)
    html = client.get("/reports/dashboards/").content.decode()
    assert 'href="/reports/dashboards/default/group_manager/"' in html
    assert 'href="/reports/dashboards/default/agent/"' in html
    page = client.get("/reports/dashboards/default/group_manager/").content.decode()
    assert "Backlog · Database" in page and "Copy to my dashboards" in page
    assert client.get("/reports/dashboards/default/it_manager/").status_code == 404
    csv_link = "/reports/dashboards/default/group_manager/widgets/1.csv"
    assert csv_link in page and client.get(csv_link).status_code == 200
    response = client.post("/reports/dashboards/default/group_manager/copy/")
    board = Dashboard.objects.get(owner=manager)
    assert response["Location"] == f"/reports/dashboards/{board.pk}/"
    assert board.widgets.count() >= 4
    html = client.get("/reports/dashboards/").content.decode()
    assert "/reports/dashboards/default/" not in html  # has one of their own now


def test_the_menu_shows_dashboards_to_it_staff(month):
    assert b'href="/reports/dashboards/"' in client_for(month["people"]["agent"]).get("/").content


def test_improve_this_links_to_a_new_improvement_with_the_kpi_and_filters(month, monkeypatch):
    client = client_for(month["people"]["agent"])
    path = "/reports/kpis/incidents_raised/?from=2026-03-01&to=2026-03-31&priority=3"

    real_reverse = views.reverse

    def reverse(name, *args, **kwargs):
        if name == "improvement:new":
            return "/improvements/new/"
        return real_reverse(name, *args, **kwargs)

    monkeypatch.setattr(views, "reverse", reverse)
    monkeypatch.setattr(practices, "is_enabled", lambda key: key == "improvement")
    html = client.get(path).content.decode()
    assert (
        'href="/improvements/new/?kpi=incidents_raised&amp;from=2026-03-01&amp;to=2026-03-31'
        '&amp;priority=3"' in html
    )
    assert "Improve this" in html
    monkeypatch.setattr(practices, "is_enabled", lambda key: False)
    assert "Improve this" not in client.get(path).content.decode()


def test_no_improve_link_while_the_improvement_pages_do_not_exist(month, monkeypatch):
    def reverse(name, *args, **kwargs):
        raise NoReverseMatch(name)

    monkeypatch.setattr(views, "reverse", reverse)
    monkeypatch.setattr(practices, "is_enabled", lambda key: True)
    assert views._improve_url(views._kpi("incidents_raised"), _form()) == ""


def _form():
    from steward.reporting.forms import KpiFilterForm

    return KpiFilterForm(views._kpi("incidents_raised"), {})


def test_an_id_past_64_bits_is_a_404(month):
    client = client_for(month["people"]["agent"])
    huge = "9" * 25
    assert client.get(f"/reports/dashboards/{huge}/").status_code == 404
    assert client.get(f"/reports/dashboards/1/widgets/{huge}.csv").status_code == 404
