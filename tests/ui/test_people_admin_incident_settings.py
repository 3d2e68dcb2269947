"""The incident settings of the Administration area: the priority matrix and the category
tree, as pages (incidents/settings_views.py) over incidents.operations.classification."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steward.core.models import JournalEntry
from steward.incidents import operations as incident_ops
from steward.incidents.models import IncidentCategory, PriorityMatrix
from steward.incidents.operations.classification import matrix
from steward.people.choices import Role

SETTINGS_PAGES = ["incidents:settings_matrix", "incidents:settings_categories"]


def matrix_post(current, changes=None, read=None, seen=0):
    data = {"seen": seen}
    for (i, u), p in current.items():
        name = f"impact{i}_urgency{u}"
        data[name] = (changes or {}).get((i, u), p)
        data[f"read_{name}"] = (read or current)[(i, u)]
    return data


@pytest.fixture
def anna(make_user):
    return make_user("anna", roles=[Role.ADMIN], first_name="Anna")


@pytest.fixture
def hardware(admin_user):
    top = incident_ops.add_category(admin_user, name="Hardware")
    laptop = incident_ops.add_category(admin_user, name="Laptop", parent=top)
    printer = incident_ops.add_category(admin_user, name="Printer", parent=top)
    return top, laptop, printer


@pytest.mark.parametrize("url_name", SETTINGS_PAGES)
def test_settings_pages_are_for_administrators(client_for, admin_user, agent, requester, url_name):
    url = reverse(url_name)
    assert client_for(admin_user).get(url).status_code == 200
    assert client_for(agent).get(url).status_code == 404
    assert client_for(requester).get(url).status_code == 404


def test_category_edit_page_is_for_administrators(client_for, agent, hardware):
    top, *_ = hardware
    url = reverse("incidents:settings_category", args=[top.pk])
    assert client_for(agent).get(url).status_code == 404
    post = client_for(agent).post(
        reverse("incidents:settings_category_status", args=[top.pk]),
        {"read_name": "Hardware", "is_active": "false"},
    )
    assert post.status_code == 404
    top.refresh_from_db()
    assert top.is_active


# --- the priority matrix -----------------------------------------------------------------------


def test_administrator_changes_cells_of_the_matrix(client_for, admin_user):
    current = matrix()
    response = client_for(admin_user).post(
        reverse("incidents:settings_matrix"), matrix_post(current, {(1, 2): 1, (3, 3): 4})
    )
    assert response.status_code == 302
    assert incident_ops.priority_for(1, 2) == 1
    assert incident_ops.priority_for(3, 3) == 4
    assert incident_ops.priority_for(2, 2) == current[(2, 2)]
    entries = JournalEntry.objects.filter(record_type="incidents.prioritymatrix")
    assert sorted(e.changes["priority"] for e in entries) == [
        [current[(1, 2)], 1],
        [current[(3, 3)], 4],
    ]
    assert {e.actor for e in entries} == {admin_user}


def test_matrix_page_shows_the_cells_and_their_changes(client_for, admin_user):
    incident_ops.set_priority_matrix(admin_user, {(2, 3): 2}, read={(2, 3): matrix()[(2, 3)]})
    html = client_for(admin_user).get(reverse("incidents:settings_matrix")).content.decode()
    assert 'name="impact2_urgency3"' in html
    assert "Priority for impact 2 – Medium and urgency 3 – Low" in html
    assert "impact 2 × urgency 3 → P2" in html


def test_a_bad_cell_is_shown_beside_it_and_nothing_is_saved(client_for, admin_user):
    current = matrix()
    data = matrix_post(current, {(1, 1): 9, (2, 2): 1})
    response = client_for(admin_user).post(reverse("incidents:settings_matrix"), data)
    assert response.status_code == 422
    assert "impact1_urgency1" in response.context["form"].errors
    assert 'id="id_impact1_urgency1_error"' in response.content.decode()
    assert matrix() == current


def test_a_matrix_changed_meanwhile_saves_no_cell(client_for, admin_user, anna):
    read = matrix()
    page = client_for(admin_user).get(reverse("incidents:settings_matrix"))
    seen = page.context["form"].initial["seen"]
    incident_ops.set_priority_matrix(anna, {(1, 3): 1}, read={(1, 3): read[(1, 3)]})
    response = client_for(admin_user).post(
        reverse("incidents:settings_matrix"),
        matrix_post(read, {(2, 2): 5}, seen=seen),
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Anna at" in html
    assert response.context["form"].errors["impact1_urgency3"] == [
        "changed by someone else meanwhile"
    ]
    assert matrix()[(2, 2)] == read[(2, 2)]  # not saved: the whole save is refused
    assert matrix()[(1, 3)] == 1
    # The form now holds what is stored as read: saving again is a deliberate choice.
    assert response.context["form"].data["read_impact1_urgency3"] == "1"


def test_matrix_operation_refuses_a_non_administrator(agent):
    from steward.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        incident_ops.set_priority_matrix(agent, {(1, 1): 2}, read={(1, 1): 1})
    assert not PriorityMatrix.objects.filter(impact=1, urgency=1, priority=2).exists()


# --- categories -----------------------------------------------------------------------------


def test_administrator_adds_categories_and_subcategories(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("incidents:settings_categories")
    assert client.post(url, {"name": "Network"}).status_code == 302
    network = IncidentCategory.objects.get(name="Network")
    assert client.post(url, {"name": "VPN", "parent": network.pk}).status_code == 302
    vpn = IncidentCategory.objects.get(name="VPN")
    assert vpn.parent == network
    assert JournalEntry.objects.for_record(vpn).get(action="created").actor == admin_user


def test_duplicate_or_empty_names_are_shown_beside_the_field(client_for, admin_user, hardware):
    top, *_ = hardware
    client = client_for(admin_user)
    url = reverse("incidents:settings_categories")
    response = client.post(url, {"name": "hardware"})
    assert response.status_code == 422
    assert response.context["create_form"].errors["name"] == [
        "there is already a category 'hardware' at the top level"
    ]
    assert 'id="id_name_error"' in response.content.decode()
    response = client.post(url, {"name": "Laptop", "parent": top.pk})
    assert response.context["create_form"].errors["name"] == [
        "there is already a category 'Laptop' under 'Hardware'"
    ]
    assert client.post(url, {"name": ""}).status_code == 422
    assert IncidentCategory.objects.count() == 3


def test_categories_have_one_level_below(admin_user, hardware):
    from steward.core.errors import ValidationError

    _, laptop, _ = hardware
    with pytest.raises(ValidationError) as caught:
        incident_ops.add_category(admin_user, name="Battery", parent=laptop)
    assert "parent" in caught.value.fields


def test_list_shows_each_category_before_its_subcategories_and_filters(
    client_for, admin_user, hardware
):
    incident_ops.add_category(admin_user, name="Access")
    client = client_for(admin_user)
    url = reverse("incidents:settings_categories")
    rows = [str(c) for c in client.get(url).context["page_obj"]]
    assert rows == ["Access", "Hardware", "Hardware / Laptop", "Hardware / Printer"]
    rows = [str(c) for c in client.get(url, {"q": "print"}).context["page_obj"]]
    assert rows == ["Hardware / Printer"]
    partial = client.get(url, {"q": "lap"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in partial.content.decode() and "Laptop" in partial.content.decode()


def test_rename_and_retire_through_the_edit_page(client_for, admin_user, hardware):
    _top, laptop, _printer = hardware
    client = client_for(admin_user)
    url = reverse("incidents:settings_category", args=[laptop.pk])
    initial = client.get(url).context["form"].initial
    response = client.post(
        url, {**initial, "name": "Notebook", "read_active": "True", "is_active": "on"}
    )
    assert response.status_code == 302
    laptop.refresh_from_db()
    assert laptop.name == "Notebook"
    entry = JournalEntry.objects.for_record(laptop).filter(action="updated").get()
    assert entry.changes == {"name": ["Laptop", "Notebook"]}


def test_retiring_a_category_retires_its_subcategories(client_for, admin_user, hardware):
    top, laptop, _printer = hardware
    response = client_for(admin_user).post(
        reverse("incidents:settings_category_status", args=[top.pk]),
        {"read_name": "Hardware", "is_active": "false"},
    )
    assert response.status_code == 302
    for c in hardware:
        c.refresh_from_db()
        assert not c.is_active
    # New incidents cannot use them; the subcategory comes back only with its category.
    response = client_for(admin_user).post(
        reverse("incidents:settings_category_status", args=[laptop.pk]),
        {"read_name": "Laptop", "is_active": "true"},
        follow=True,
    )
    assert "reactivate its category" in response.content.decode()
    laptop.refresh_from_db()
    assert not laptop.is_active


def test_retired_categories_are_refused_for_new_incidents(admin_user, hardware):
    from steward.core.errors import ValidationError
    from steward.incidents.operations.reference_data import check_categories

    top, _laptop, _ = hardware
    incident_ops.update_category(
        admin_user, top, read={"name": "Hardware", "is_active": True}, is_active=False
    )
    top.refresh_from_db()
    with pytest.raises(ValidationError):
        check_categories(top, None)


def test_a_category_renamed_meanwhile_is_shown_and_not_overwritten(
    client_for, admin_user, anna, hardware
):
    _, laptop, _ = hardware
    client = client_for(admin_user)
    url = reverse("incidents:settings_category", args=[laptop.pk])
    initial = client.get(url).context["form"].initial
    incident_ops.update_category(
        anna, laptop, read={"name": "Laptop", "is_active": True}, name="Notebook"
    )
    response = client.post(
        url, {**initial, "name": "Portable", "is_active": "on", "read_active": "True"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Changed by Anna at" in html and "Notebook" in html
    laptop.refresh_from_db()
    assert laptop.name == "Notebook"
    assert response.context["form"].data["read_name"] == "Notebook"


def test_stale_retire_from_the_list_changes_nothing(client_for, admin_user, anna, hardware):
    _, laptop, _ = hardware
    incident_ops.update_category(
        anna, laptop, read={"name": "Laptop", "is_active": True}, name="Notebook"
    )
    response = client_for(admin_user).post(
        reverse("incidents:settings_category_status", args=[laptop.pk]),
        {"read_name": "Laptop", "is_active": "false"},
        follow=True,
    )
    assert "changed by someone else" in response.content.decode()
    laptop.refresh_from_db()
    assert laptop.is_active
