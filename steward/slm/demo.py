"""Demo service levels: an office-hours calendar with Dutch holidays, SLAs per priority,
service calendars, and sign-offs by most (not all) service owners — a deliberate gap."""

from __future__ import annotations

from django.utils import timezone

from steward.people.models import User
from steward.services.models import Service
from steward.slm import operations as ops
from steward.slm.models import Calendar, ServiceCalendar, SlaDefinition

HOUR = 3600
OFFICE = {d: [["08:00", "12:30"], ["13:00", "17:30"]] for d in ("mon", "tue", "wed", "thu", "fri")}
# priority: (response, resolution) in working hours
TARGETS = {"P1": (0.25, 4), "P2": (0.5, 8), "P3": (2, 24), "P4": (4, 40), "P5": (8, 80)}
ROUND_THE_CLOCK = {"Online Banking", "Payments Processing", "Core Banking"}
NOT_SIGNED = {"Video Meetings", "Treasury Dealing"}


def load(stdout, quiet: bool = False) -> None:
    if SlaDefinition.objects.exists():
        return
    year = timezone.now().year
    office = Calendar.objects.filter(name="Office hours NL").first() or ops.create_calendar(
        None,
        name="Office hours NL",
        time_zone="Europe/Amsterdam",
        description="Service desk opening hours, Dutch public holidays off",
        hours={**OFFICE, "sat": [], "sun": []},
        holiday_country="NL",
        holiday_years=[year - 1, year, year + 1],
    )
    always = Calendar.objects.default()
    for service in Service.objects.select_related("owner"):
        if not ServiceCalendar.objects.filter(service=service).exists():
            ops.set_calendar(None, service, always if service.name in ROUND_THE_CLOCK else office)
    head_of_operations = User.objects.filter(username="maarten.postma").first()
    for priority, (response, resolution) in TARGETS.items():
        standard = ops.create_definition(
            None,
            name=f"Standard {priority}",
            priority=priority,
            description=f"Standard incident targets for {priority}",
            response_seconds=int(response * HOUR),
            resolution_seconds=int(resolution * HOUR),
        )
        if head_of_operations is not None:
            ops.sign_off(head_of_operations, standard)
    for service in Service.objects.select_related("owner").filter(criticality=1):
        d = ops.create_definition(
            None,
            name=f"{service.name} P1",
            priority="P1",
            service=service,
            description=f"Critical incidents on {service.name}: the business stops",
            response_seconds=10 * 60,
            resolution_seconds=2 * HOUR,
        )
        if service.name not in NOT_SIGNED:
            ops.sign_off(service.owner, d)
    if not quiet:
        stdout.write("Demo service levels created.")
