"""Who may do what in service level management. Operations enforce these; the pages ask them
which buttons and forms to show (``allowed_actions``).

- Calendars: IT staff read them; administrators create them and point services, groups and
  people to them; a group manager changes a calendar that only the groups they manage work
  (not the 24x7 default, not one a service, another manager's group or an SLA counts on:
  changing those would move other people's commitments).
- SLA definitions: administrators create and change any; a service owner creates and changes
  the SLAs of the services they own. The service owner signs an SLA off (for an SLA without a
  service: any service owner, or an administrator).
- OLAs: administrators, or the manager of the group, set the group's OLA.
- Which calendar a record works: administrators point services, groups and people to any
  calendar; a group's manager points their own group to a calendar (or back to the default).

``user is None`` is the system and may do everything.
"""

from __future__ import annotations

from django.db.models import Q

from steward.people.choices import Role


def _admin(user) -> bool:
    return user is None or user.is_admin


# --- calendars -------------------------------------------------------------------------------


def calendars_changeable(user) -> Q:
    """The calendars ``user`` may change, as a filter (used by ``Calendar.permission_filter``)."""
    from steward.slm.models import GroupCalendar, ServiceCalendar, SlaDefinition

    if user.is_admin:
        return Q()
    if not user.is_it:
        return Q(pk__in=[])
    others = (
        Q(pk__in=ServiceCalendar.objects.values("calendar"))
        | Q(pk__in=GroupCalendar.objects.exclude(group__manager=user).values("calendar"))
        | Q(pk__in=SlaDefinition.objects.filter(calendar__isnull=False).values("calendar"))
    )
    managed = Q(pk__in=GroupCalendar.objects.filter(group__manager=user).values("calendar"))
    return managed & Q(is_default=False) & ~others


def may_create_calendar(user) -> bool:
    return _admin(user)


def may_change_calendar(user, calendar) -> bool:
    if _admin(user):
        return True
    model = type(calendar)
    return model.objects.filter(calendars_changeable(user), pk=calendar.pk).exists()


def may_assign_calendar(user, target) -> bool:
    """Whether ``user`` may choose the calendar ``target`` (a service, group or user) works."""
    from steward.people.models import SupportGroup

    if _admin(user):
        return True
    return isinstance(target, SupportGroup) and target.manager_id == user.pk


# --- SLA definitions -------------------------------------------------------------------------


def may_create_definition(user, service=None) -> bool:
    """Administrators; a service owner for a service they own."""
    if _admin(user):
        return True
    return service is not None and service.owner_id == user.pk


def may_change_definition(user, definition) -> bool:
    if _admin(user):
        return True
    return definition.service_id is not None and definition.service.owner_id == user.pk


def may_sign_off(user, definition) -> bool:
    if user is None:
        return False
    if definition.service_id is not None:
        return definition.service.owner_id == user.pk
    return user.has_role(Role.SERVICE_OWNER) or user.is_admin


def may_author_definitions(user) -> bool:
    """Whether the page offers "New SLA" (administrators, service owners)."""
    return user is not None and (user.is_admin or user.has_role(Role.SERVICE_OWNER))


# --- OLAs ------------------------------------------------------------------------------------


def may_set_ola(user, group) -> bool:
    return _admin(user) or group.manager_id == user.pk


# --- what the pages show ---------------------------------------------------------------------


def allowed_actions(user, record) -> frozenset[str]:
    """The actions the pages offer ``user`` on a calendar, an SLA definition or a group."""
    from steward.people.models import SupportGroup
    from steward.slm.models import Calendar, SlaDefinition

    actions: set[str] = set()
    if isinstance(record, Calendar):
        if may_change_calendar(user, record):
            actions.add("change")
        if may_create_calendar(user):
            actions.add("assign")
    elif isinstance(record, SlaDefinition):
        if may_change_definition(user, record):
            actions.add("change")
        if may_sign_off(user, record) and record.signed_off_by_id is None:
            actions.add("sign_off")
    elif isinstance(record, SupportGroup):
        if may_set_ola(user, record):
            actions.add("set_ola")
        if may_assign_calendar(user, record):
            actions.add("assign_calendar")
    return frozenset(actions)
