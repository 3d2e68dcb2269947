"""Who may do what with service reviews.

IT staff read every service's review (a requester gets a 404, as for a page that does not
exist: the service's customers read a review only in the mail its owner chooses to send them).
The service owner acknowledges having read it and chooses whether the customers' contacts get
it; an administrator may change that choice too. ``user is None`` is the system.
"""

from __future__ import annotations


def may_read(user) -> bool:
    return user is None or bool(
        user.is_authenticated and user.is_active and getattr(user, "is_it", False)
    )


def may_acknowledge(user, service) -> bool:
    return user is None or (may_read(user) and service.owner_id == user.pk)


def may_change_subscription(user, service) -> bool:
    return user is None or (may_read(user) and (service.owner_id == user.pk or user.is_admin))


def allowed_actions(user, service, review) -> frozenset[str]:
    """What the page offers ``user``: ``acknowledge`` (an unacknowledged review of a service
    they own) and ``subscription`` (the owner's or an administrator's choice of recipients)."""
    actions = set()
    if may_acknowledge(user, service) and (review is None or review.acknowledged_at is None):
        actions.add("acknowledge")
    if may_change_subscription(user, service):
        actions.add("subscription")
    return frozenset(actions)
