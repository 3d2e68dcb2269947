"""What the services app tells the apps above it without knowing them.

``cmdb_changed`` is sent (inside the operation's transaction) after an operation changed how
configuration items hang together: a relationship added or removed, a CI linked to or
unlinked from a service, a CI's class changed, or any of these loaded in bulk. ``ci_ids`` are
the CIs concerned. Change enablement listens: the conflicts it stored for changes on those
CIs (a related CI busy, a window scoped to a service or a class) may have moved."""

from django.dispatch import Signal

cmdb_changed = Signal()


def tell(ci_ids) -> None:
    ids = sorted({pk for pk in ci_ids if pk is not None})
    if ids:
        cmdb_changed.send(sender="services", ci_ids=ids)
