"""Page lists whose count stops at a limit.

A queue of 50,000 open incidents is counted on every page view, and counting them costs more
than the rest of the page. A person reads "more than 10,000" as well as "49,943", and no one
pages that far: they narrow the list. So the pages count at most ``STEWARD_LIST_COUNT_LIMIT``
rows (one more, to know there are more) and page through that many; the API and the CSV export
still count and return every row. A count kept by the database (the incident queue tallies) is
exact at any size and is shown as it is.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _


def count_limit() -> int:
    return settings.STEWARD_LIST_COUNT_LIMIT


def capped(queryset):
    """``queryset`` limited to one row past the count limit: count it to learn whether the
    limit is exceeded (``COUNT`` over a ``LIMIT`` subquery stops there)."""
    return queryset.order_by()[: count_limit() + 1]


class ExactCount(int):
    """A count known exactly however large (kept by the database, e.g. a queue tally): shown
    as it is, never as "10,000+"."""


def count_label(count: int) -> str:
    """A count as a person reads it: "1,234", or "10,000+" past the limit (an
    :class:`ExactCount` as it is)."""
    limit = count_limit()
    if count > limit and not isinstance(count, ExactCount):
        return _("%(limit)s+") % {"limit": number_format(limit, force_grouping=True)}
    return number_format(count, force_grouping=True)


class CappedPaginator(Paginator):
    """A paginator whose count stops one past the limit; ``more`` tells that it did."""

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if isinstance(rows, QuerySet):
            return self._capped(capped(rows).count())
        return self._capped(len(rows[: count_limit() + 1]))

    def use_count(self, count: int) -> None:
        """Take a count known already (a queue's tab count: not counted twice): at most one
        past the limit, as :func:`capped` counts, or an :class:`ExactCount` (the list then
        pages through every row)."""
        if isinstance(count, ExactCount):
            self.more = False
            self.__dict__["count"] = count
        else:
            self.__dict__["count"] = self._capped(count)
        self.__dict__.pop("num_pages", None)

    def _capped(self, count: int) -> int:
        self.more = count > count_limit()
        return min(count, count_limit())

    more = False
