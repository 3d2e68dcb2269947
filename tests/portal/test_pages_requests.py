"""The portal's catalog and requests for a requester: the items they may order (by category,
by search), an order form built from the item's definition (visible-if, errors naming the
question, nothing written when refused), the requested item's page (answers, approval and
task progress, public conversation, reply, file, cancel), approvals waiting for a requester
who is a line manager; and nothing of another organization."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from steward.approvals import queries as approval_queries
from steward.fulfilment import operations as fulfilment_ops
from steward.fulfilment.models import RequestAttachment, RequestComment, RequestedItem

pytestmark = pytest.mark.django_db


def test_the_catalog_shows_what_i_may_order(world, catalog, client_for):
    client = client_for(world["people"]["requester"])
    html = client.get(reverse("portal:catalog")).content.decode()
    assert "Laptop" in html and "Mouse" in html and "Treasury access" not in html
    assert "Access" not in html  # a category with nothing for me is not shown
    by_category = client.get(reverse("portal:catalog"), {"category": catalog["hardware"].pk})
    assert "Laptop" in by_category.content.decode()
    found = client.get(reverse("portal:catalog"), {"q": "wireless"}).content.decode()
    assert "Mouse" in found and "Laptop" not in found
    outsider = client_for(world["people"]["outsider"]).get(reverse("portal:catalog"))
    assert "Treasury access" in outsider.content.decode()


def test_an_item_i_may_not_order_is_not_found(world, catalog, client_for):
    client = client_for(world["people"]["requester"])
    url = reverse("portal:catalog_item", args=[catalog["treasury"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    assert not RequestedItem.objects.exists()


def test_the_home_search_finds_catalog_items(world, catalog, client_for):
    html = (
        client_for(world["people"]["requester"])
        .get(reverse("portal:search"), {"q": "laptop"})
        .content.decode()
    )
    assert reverse("portal:catalog_item", args=[catalog["laptop"].pk]) in html
    assert (
        "Treasury"
        not in client_for(world["people"]["requester"])
        .get(reverse("portal:search"), {"q": "treasury"})
        .content.decode()
    )


def test_the_order_form_is_built_from_the_items_definition(world, catalog, client_for):
    html = (
        client_for(world["people"]["requester"])
        .get(reverse("portal:catalog_item", args=[catalog["laptop"].pk]))
        .content.decode()
    )
    assert 'name="model"' in html and "Power user" in html
    assert "data-visible-if" in html and "fulfilment/visible_if.js" in html


def test_a_visible_question_left_empty_is_refused_beside_it(world, catalog, client_for):
    url = reverse("portal:catalog_item", args=[catalog["laptop"].pk])
    response = client_for(world["people"]["requester"]).post(url, {"model": "power"})
    assert response.status_code == 422
    assert "reason" in response.context["form"].errors
    assert not RequestedItem.objects.exists()


def test_ordering_makes_a_request_waiting_for_the_line_manager(world, catalog, client_for):
    requester = world["people"]["requester"]
    url = reverse("portal:catalog_item", args=[catalog["laptop"].pk])
    # the hidden question's answer is dropped, never required
    response = client_for(requester).post(url, {"model": "standard", "reason": "ignored"})
    item = RequestedItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:item", args=[item.number])
    assert (item.requested_for, item.answers) == (requester, {"model": "standard"})
    assert item.status == "awaiting_approval"
    page = client_for(requester).get(response["Location"]).content.decode()
    assert "Waiting for approval" in page and "Line manager" in page
    assert "The work starts once it is approved." in page


def test_the_line_manager_approves_from_the_portal_and_tasks_appear(
    world, catalog, order, client_for
):
    requester, manager = world["people"]["requester"], catalog["manager"]
    item = order(requester, catalog["laptop"], {"model": "standard"})
    client = client_for(manager)
    home = client.get(reverse("portal:home")).content.decode()
    assert "Approvals waiting" in home
    listing = client.get(reverse("portal:approvals")).content.decode()
    assert item.number in listing
    step = approval_queries.awaiting(manager).get()
    response = client.post(
        reverse("portal:approval", args=[step.pk]),
        {"decision": "approved", "comment": "", "version": step.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status in ("approved", "in_progress")
    page = client_for(requester).get(reverse("portal:item", args=[item.number])).content.decode()
    assert "Prepare the laptop" in page and "Hand it over" in page


def test_a_rejection_needs_a_reason_and_the_requester_reads_it(world, catalog, order, client_for):
    requester, manager = world["people"]["requester"], catalog["manager"]
    item = order(requester, catalog["laptop"], {"model": "standard"})
    step = approval_queries.awaiting(manager).get()
    url = reverse("portal:approval", args=[step.pk])
    client = client_for(manager)
    response = client.post(url, {"decision": "rejected", "comment": ""})
    assert response.status_code == 422 and "comment" in response.context["form"].errors
    item.refresh_from_db()
    assert item.status == "awaiting_approval"
    client.post(url, {"decision": "rejected", "comment": "Use the pool laptop"})
    item.refresh_from_db()
    assert item.status == "rejected"
    page = client_for(requester).get(reverse("portal:item", args=[item.number])).content.decode()
    assert "Not approved" in page and "Use the pool laptop" in page


def test_nobody_approves_their_own_request(world, catalog, order, client_for, make_user):
    requester = world["people"]["requester"]
    item = order(requester, catalog["laptop"], {"model": "standard"})
    step = approval_queries.flow("fulfilment.requesteditem", item.pk)[0]
    response = client_for(requester).post(
        reverse("portal:approval", args=[step.pk]), {"decision": "approved"}
    )
    assert response.status_code == 302  # not waiting for them: back to the list, told so
    item.refresh_from_db()
    assert item.status == "awaiting_approval"
    assert client_for(requester).get(reverse("portal:approval", args=[step.pk])).status_code == 404


def test_a_requester_replies_attaches_and_cancels(world, catalog, order, client_for):
    requester = world["people"]["requester"]
    item = order(requester, catalog["mouse"])
    client = client_for(requester)
    number = item.number
    assert (
        client.post(
            reverse("portal:item_reply", args=[number]), {"body": "Blue please"}
        ).status_code
        == 302
    )
    comment = RequestComment.objects.get()
    assert (comment.author, comment.visibility, comment.body) == (
        requester,
        "public",
        "Blue please",
    )
    response = client.post(
        reverse("portal:item_attach", args=[number]),
        {"file": SimpleUploadedFile("spec.txt", b"a blue mouse")},
    )
    assert response.status_code == 302
    attachment = RequestAttachment.objects.get(item=item)
    download = client.get(reverse("portal:item_file", args=[number, attachment.pk]))
    assert download.status_code == 200
    item.refresh_from_db()
    response = client.post(
        reverse("portal:item_cancel", args=[number]),
        {"reason": "Found one", "version": item.version},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "cancelled"


def test_cancelling_without_a_reason_is_refused(world, catalog, order, client_for):
    item = order(world["people"]["requester"], catalog["mouse"])
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:item_cancel", args=[item.number]), {"reason": ""}
    )
    assert response.status_code == 422 and "reason" in response.context["cancel_form"].errors
    item.refresh_from_db()
    assert item.status != "cancelled"


def test_internal_notes_and_files_stay_internal(world, catalog, order, client_for):
    requester, agent = world["people"]["requester"], world["people"]["agent"]
    item = order(requester, catalog["mouse"])
    fulfilment_ops.add_comment(agent, item, body="Internal: out of stock", visibility="internal")
    fulfilment_ops.add_comment(agent, item, body="Arrives Friday", visibility="public")
    secret = fulfilment_ops.add_attachment(
        agent, item, SimpleUploadedFile("po.txt", b"purchase order"), visibility="internal"
    )
    client = client_for(requester)
    html = client.get(reverse("portal:item", args=[item.number])).content.decode()
    assert "Arrives Friday" in html and "out of stock" not in html and "po.txt" not in html
    assert client.get(reverse("portal:item_file", args=[item.number, secret.pk])).status_code == 404


def test_my_requests_and_isolation_from_another_organization(world, catalog, order, client_for):
    people = world["people"]
    mine = order(people["requester"], catalog["mouse"])
    neighbours = order(people["neighbour"], catalog["mouse"])
    theirs = order(people["outsider"], catalog["treasury"])
    client = client_for(people["requester"])
    html = client.get(reverse("portal:my")).content.decode()
    assert mine.number in html and neighbours.number not in html and theirs.number not in html
    html = client.get(reverse("portal:my"), {"scope": "organization"}).content.decode()
    assert neighbours.number in html and theirs.number not in html
    assert theirs.number not in client.get(reverse("portal:home")).content.decode()
    number = theirs.number
    assert client.get(reverse("portal:item", args=[number])).status_code == 404
    for name, data in (
        ("portal:item_reply", {"body": "hi"}),
        ("portal:item_cancel", {"reason": "x"}),
        ("portal:item_attach", {"file": SimpleUploadedFile("x.txt", b"x")}),
    ):
        assert client.post(reverse(name, args=[number]), data).status_code == 404
    file = fulfilment_ops.add_attachment(
        people["outsider"], theirs, SimpleUploadedFile("c.txt", b"corp")
    )
    assert client.get(reverse("portal:item_file", args=[number, file.pk])).status_code == 404
    assert client.get(reverse("portal:item_file", args=[mine.number, file.pk])).status_code == 404
    assert RequestComment.objects.count() == 0
    theirs.refresh_from_db()
    assert theirs.status != "cancelled"


def test_with_fulfilment_off_the_catalog_pages_are_gone(world, catalog, client_for):
    from steward.core import operations as core_ops

    core_ops.set_practice_enabled(world["people"]["admin"], "fulfilment", False)
    client = client_for(world["people"]["requester"])
    assert client.get(reverse("portal:catalog")).status_code == 404
    assert "Request something" not in client.get(reverse("portal:home")).content.decode()


def test_a_stale_cancel_says_so_and_changes_nothing(world, catalog, order, client_for):
    item = order(world["people"]["requester"], catalog["mouse"])
    response = client_for(world["people"]["requester"]).post(
        reverse("portal:item_cancel", args=[item.number]),
        {"reason": "Found one", "version": item.version - 1},
        follow=True,
    )
    assert "changed while you were reading it" in response.content.decode()
    item.refresh_from_db()
    assert item.status != "cancelled"


def test_a_stale_decision_is_refused_and_decides_nothing(world, catalog, order, client_for):
    item = order(world["people"]["requester"], catalog["laptop"], {"model": "standard"})
    step = approval_queries.awaiting(catalog["manager"]).get()
    response = client_for(catalog["manager"]).post(
        reverse("portal:approval", args=[step.pk]),
        {"decision": "approved", "version": step.version - 1},
    )
    assert response.status_code == 422
    item.refresh_from_db()
    assert item.status == "awaiting_approval"
    assert approval_queries.awaiting(catalog["manager"]).exists()


def test_the_portal_speaks_the_persons_language(world, catalog, client_for):
    from steward.people import operations as people_ops

    requester = world["people"]["requester"]
    people_ops.update_user(requester, requester, version=requester.version, language="nl")
    html = client_for(requester).get(reverse("portal:home")).content.decode()
    assert "Een probleem melden" in html and "Iets aanvragen" in html


def test_an_approver_of_another_organization_is_sent_where_they_can_decide(
    world, catalog, make_user, client_for
):
    """A line manager in another organisation cannot read the item on the portal (it is not
    theirs to follow): their notice and their approvals list send them to the approvals page,
    which shows every answer they decide on, a file by its name; the item page stays closed."""
    from steward.notifications.models import Notification
    from steward.people import operations as people_ops
    from steward.people.choices import Role

    people = world["people"]
    admin, requester = people["admin"], people["requester"]
    boss = make_user("bea", roles=[Role.REQUESTER], organization=world["orgs"]["corporate"])
    people_ops.update_user(admin, requester, version=requester.version, line_manager=boss)
    requester.refresh_from_db()
    laptop = catalog["laptop"]
    fulfilment_ops.update_catalog_item(
        admin,
        laptop,
        version=laptop.version,
        form=[*laptop.form, {"name": "quote", "label": "Quote", "type": "attachment"}],
    )
    quote = fulfilment_ops.upload_for_order(
        requester, SimpleUploadedFile("quote.pdf", b"%PDF-1.4 quote", "application/pdf")
    )
    item = fulfilment_ops.order(
        requester,
        items=[{"catalog_item": laptop, "answers": {"model": "standard", "quote": quote.pk}}],
    ).items.get()

    notice = Notification.objects.get(recipient=boss)
    assert reverse("portal:approvals") in notice.body
    assert reverse("portal:item", args=[item.number]) not in notice.body
    client = client_for(boss)
    assert client.get(reverse("portal:item", args=[item.number])).status_code == 404
    html = client.get(reverse("portal:approvals")).content.decode()
    assert "Standard" in html and "quote.pdf" in html
    assert reverse("portal:item", args=[item.number]) not in html
    assert reverse("portal:item_file", args=[item.number, quote.pk]) not in html

    own = client_for(requester).get(reverse("portal:item", args=[item.number])).content.decode()
    assert reverse("portal:item_file", args=[item.number, quote.pk]) in own  # theirs: a link


def test_an_approver_who_may_read_the_item_is_sent_to_its_page(world, catalog, order):
    from steward.notifications.models import Notification

    item = order(world["people"]["requester"], catalog["laptop"], {"model": "standard"})
    notice = Notification.objects.get(recipient=catalog["manager"])
    assert reverse("portal:item", args=[item.number]) in notice.body
