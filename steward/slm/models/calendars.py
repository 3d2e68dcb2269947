"""Business calendars and their holidays."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from steward.core.errors import ValidationError
from steward.core.models import VersionedModel
from steward.core.permissions import NOTHING, RestrictedQuerySet
from steward.people.models import validate_time_zone
from steward.slm.calendar_math import WorkCalendar, shared_calendar
from steward.slm.validation import hours_as_minutes, parse_hours

#: The name of the calendar that exists from the start: every instant is working time.
DEFAULT_CALENDAR_NAME = "24×7"
ALWAYS_HOURS = {
    day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}


def validate_hours(value) -> None:
    """Model-level check of the hours JSON (the operations check it first, field by field)."""
    try:
        parse_hours(value)
    except ValidationError as exc:
        raise DjangoValidationError(exc.message) from exc


def validate_years(value) -> None:
    if not isinstance(value, list) or not all(isinstance(y, int) for y in value):
        raise DjangoValidationError(_("must be a list of years, e.g. [2026, 2027]"))


class CalendarQuerySet(RestrictedQuerySet):
    """Calendars, readable by IT staff."""

    def default(self) -> Calendar:
        """The round-the-clock (24x7) calendar that the data migration creates."""
        return self.get(is_default=True)


class Calendar(VersionedModel):
    """A business calendar: when work is counted for service level targets.

    Weekly working hours are local wall-clock intervals per weekday in ``time_zone``, stored as
    ``{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ..., "sun": []}`` (``"24:00"`` only as an
    end). Holidays are whole local days off: manual dates plus dates imported from the
    ``holidays`` package for ``holiday_country``/``holiday_subdivision`` and ``holiday_years``
    (see :class:`CalendarHoliday`). Users, groups and services point to a calendar; the one with
    ``is_default`` (the round-the-clock one) counts every instant. The arithmetic lives in
    :mod:`steward.slm.calendar_math`; :meth:`as_work_calendar` builds it.
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="IANA time zone of the working hours",
    )
    hours = models.JSONField(
        validators=[validate_hours], help_text='Weekly hours: {"mon": [["09:00", "17:00"]], ...}'
    )
    is_default = models.BooleanField(
        default=False, editable=False, help_text="The 24×7 calendar used when nothing else is set"
    )
    holiday_country = models.CharField(
        max_length=8, blank=True, help_text="Country code for imported holidays, e.g. NL"
    )
    holiday_subdivision = models.CharField(
        max_length=16, blank=True, help_text="Subdivision code, e.g. NY for the US"
    )
    holiday_years = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_years],
        help_text="Years of imported holidays, e.g. [2026, 2027]",
    )

    objects = CalendarQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="slm_calendar_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def permission_filter(cls, user, action):
        if action == "view":
            return Q() if user.is_it else NOTHING
        if action == "change":
            from steward.slm.rules import calendars_changeable

            return calendars_changeable(user)
        return Q() if user.is_admin else NOTHING

    def as_work_calendar(self) -> WorkCalendar:
        """The calendar's arithmetic (hours and every holiday), shared while it is unchanged."""
        dates = frozenset(h.date for h in self.holiday_rows.all())
        return shared_calendar(self.time_zone, hours_as_minutes(self.hours), dates)


class HolidaySource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORTED = "imported", _("Imported from the holidays package")


class CalendarHoliday(models.Model):
    """One whole local day off in a calendar, entered by hand or imported for a country.

    A date is listed once per calendar; a manual entry wins over an imported one on the same day.
    """

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="holiday_rows")
    date = models.DateField()
    name = models.CharField(max_length=120, blank=True)
    source = models.CharField(
        max_length=10, choices=HolidaySource.choices, default=HolidaySource.MANUAL
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="slm_holiday_unique_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}".strip()
