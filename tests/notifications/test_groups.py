"""Notifications to a support group: one row whatever the group's size, each member's read state
kept apart (read rows, the "mark all" mark), the unread count."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steward.core.errors import NotFound
from steward.incidents import operations as incidents
from steward.notifications import operations as ops
from steward.notifications import queries
from steward.notifications.models import Notification, NotificationRead, OutboundEmail
from steward.people import operations as people_ops
from steward.people.choices import Role

_seq = itertools.count(1)


@pytest.fixture
def make_group(db):
    """make_group(size, email=True) -> a support group of ``size`` fresh agents."""

    def make(size: int, email: bool = True):
        n = next(_seq)
        members = people_ops.bulk_create_users(
            None,
            [
                {"username": f"g{n}m{i}", "email": f"g{n}m{i}@example.org" if email else ""}
                for i in range(size)
            ],
        )
        return people_ops.create_group(None, name=f"Group {n}", members=members)

    return make


def _open(actor, caller, group):
    return incidents.open_incident(
        actor, title="Printer offline", caller=caller, impact=2, urgency=2, owning_group=group
    )


def _members(group):
    return list(group.members.order_by("pk"))


def test_a_create_writes_one_notification_for_a_group_of_20_or_200(
    make_group, make_user, django_assert_max_num_queries
):
    actor, caller = make_user(), make_user(roles=[Role.REQUESTER])
    small, large = make_group(20, email=False), make_group(200, email=False)
    _open(actor, caller, small)  # warm up (numbering, SLA lookups made once)

    before = Notification.objects.count()
    with CaptureQueriesContext(connection) as twenty:
        _open(actor, caller, small)
    assert Notification.objects.count() - before == 1
    before = Notification.objects.count()
    with django_assert_max_num_queries(len(twenty.captured_queries)):
        _open(actor, caller, large)
    assert Notification.objects.count() - before == 1
    (row,) = Notification.objects.filter(group=large)
    assert row.recipient is None and row.read_at is None and row.excluded == actor


def test_each_member_still_gets_an_email(make_group, make_user):
    actor, caller = make_user(), make_user(roles=[Role.REQUESTER])
    group = make_group(200)
    _open(actor, caller, group)
    assert Notification.objects.filter(group=group).count() == 1
    emails = OutboundEmail.objects.filter(subject__startswith="New incident")
    assert sorted(emails.values_list("to_address", flat=True)) == sorted(
        m.email for m in _members(group)
    )


def test_each_member_reads_it_on_their_own(make_group, make_user):
    group = make_group(3)
    alice, bob, carol = _members(group)
    (note,) = ops.notify(make_user(), group=group, subject="Disk full", body="").notifications
    for member in (alice, bob, carol):
        assert queries.unread_count(member) == 1
        assert [n.my_read_at for n in queries.inbox(member)] == [None]

    read = ops.mark_read(alice, note)
    assert read.my_read_at is not None and read.is_read
    assert queries.unread_count(alice) == 0
    assert queries.unread_count(bob) == queries.unread_count(carol) == 1
    assert ops.mark_read(alice, note).my_read_at == read.my_read_at  # the first time stays
    assert NotificationRead.objects.filter(notification=note).count() == 1
    note.refresh_from_db()
    assert note.read_at is None  # the group's row itself carries nobody's read state


def test_mark_all_covers_my_groups_with_one_row(make_group, make_user, django_assert_num_queries):
    group = make_group(2)
    alice, bob = _members(group)
    for subject in ("One", "Two", "Three"):
        ops.notify(None, group=group, subject=subject, body="")
    ops.notify(None, [alice], subject="Just for Alice", body="")
    ops.mark_read(alice, Notification.objects.get(subject="One"))

    with django_assert_num_queries(6):  # transaction, own rows, groups, count, mark, commit
        assert ops.mark_all_read(alice) == 3
    assert queries.unread_count(alice) == 0
    assert all(n.is_read for n in queries.inbox(alice))
    assert NotificationRead.objects.filter(user=alice).count() == 1  # only the one read alone
    assert queries.unread_count(bob) == 3
    assert ops.mark_all_read(alice) == 0

    ops.notify(None, group=group, subject="Four", body="")  # after the mark: unread again
    assert [n.subject for n in queries.inbox(alice).filter(queries.unread(alice))] == ["Four"]


def test_the_actor_is_not_told_and_members_are_current_members(make_group, make_user):
    group = make_group(2)
    alice, bob = _members(group)
    ops.notify(alice, group=group, subject="Alice did it", body="")
    assert queries.unread_count(alice) == 0 and queries.unread_count(bob) == 1
    assert not OutboundEmail.objects.filter(recipient=alice).exists()

    newcomer, outsider = make_user(), make_user()
    people_ops.update_group(None, group, version=None, members=[bob, newcomer])
    assert queries.unread_count(newcomer) == 1  # visible to the group's members now
    assert queries.unread_count(alice) == 0 and not queries.inbox(alice).exists()  # left
    assert not queries.inbox(outsider).exists()
    with pytest.raises(NotFound):
        ops.mark_read(outsider, Notification.objects.get())


def test_nobody_left_to_tell_writes_nothing(make_group):
    group = make_group(1)
    (only,) = _members(group)
    sent = ops.notify(only, group=group, subject="Me myself", body="")
    assert sent.notifications == [] and sent.emails == []
    assert not Notification.objects.exists()


def test_a_member_named_as_recipient_is_told_once_through_the_group(make_group, make_user):
    group = make_group(2)
    alice, _ = _members(group)
    manager = make_user()
    sent = ops.notify(None, [alice, manager], group=group, subject="Handover", body="")
    assert [(n.recipient_id, n.group_id) for n in sent.notifications] == [
        (manager.pk, None),
        (None, group.pk),
    ]
    assert queries.unread_count(alice) == 1
    assert len(sent.emails) == 3


def test_mark_read_many_ignores_what_i_do_not_see(make_group, make_user):
    group = make_group(2)
    alice, bob = _members(group)
    stranger = make_user()
    mine = ops.notify(None, [alice], subject="Mine", body="").notifications[0]
    ours = ops.notify(None, group=group, subject="Ours", body="").notifications[0]
    theirs = ops.notify(None, [stranger], subject="Theirs", body="").notifications[0]
    assert ops.mark_read_many(alice, [mine.pk, ours.pk, theirs.pk, 10**9]) == 2
    assert ops.mark_read_many(alice, [mine.pk, ours.pk]) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None and queries.unread_count(stranger) == 1
    assert queries.unread_count(bob) == 1


def test_the_unread_count_is_one_query_and_stops_at_its_limit(
    make_group, django_assert_num_queries
):
    group = make_group(1)
    (alice,) = _members(group)
    for n in range(5):
        ops.notify(None, group=group, subject=f"G{n}", body="")
        ops.notify(None, [alice], subject=f"U{n}", body="")
    with django_assert_num_queries(2):  # the user's group ids, the count
        assert queries.unread_count(alice) == 10
    groups = queries.group_ids(alice)
    assert groups == [group.pk]
    with django_assert_num_queries(1):  # the group ids read already (once per request)
        assert queries.unread_count(alice, groups=groups) == 10
    assert queries.unread_count(alice, limit=3) == 4  # "3+"


def test_the_in_app_notification_alone_reads_nothing_that_grows_with_the_group(
    make_group, make_user, django_assert_num_queries
):
    actor, manager = make_user(), make_user()
    small, large = make_group(20), make_group(200)
    for group in (small, large):
        with django_assert_num_queries(3):  # anyone else there?, the manager's membership, insert
            sent = ops.notify(actor, [manager], group=group, subject="Hi", body="", email=False)
        assert [(n.recipient_id, n.group_id) for n in sent.notifications] == [
            (manager.pk, None),
            (None, group.pk),
        ]
    assert not OutboundEmail.objects.exists()
