"""Seed the processes Steward runs and their default activities (idempotent).

The table is copied here on purpose: a migration must not change when the code does. The
processes start without an owner — nobody exists yet — so each shows as an ownership gap until
an administrator names its owner.
"""

from django.db import migrations

PROCESSES = {
    "incident": (
        "Incident management",
        "Restore normal service as quickly as possible and limit the impact on the business.",
        [
            "Log",
            "Categorize",
            "Prioritize",
            "Diagnose",
            "Hand over",
            "Resolve",
            "Close",
            "Review",
        ],
    ),
    "problem": (
        "Problem management",
        "Find and remove the causes of incidents; record known errors and their workarounds.",
        [
            "Detect",
            "Log",
            "Investigate and diagnose",
            "Record known error",
            "Publish workaround",
            "Resolve",
            "Close",
            "Review",
        ],
    ),
    "change": (
        "Change enablement",
        "Make changes succeed: assess risk, authorize, schedule and review every change.",
        [
            "Submit request for change",
            "Assess risk and impact",
            "Authorize",
            "Schedule",
            "Implement",
            "Verify",
            "Close",
            "Post-implementation review",
        ],
    ),
    "request_fulfilment": (
        "Service request management",
        "Fulfil standard requests from the service catalogue, predictably and on time.",
        [
            "Receive request",
            "Approve",
            "Fulfil",
            "Hand over",
            "Confirm with requester",
            "Close",
        ],
    ),
    "knowledge": (
        "Knowledge management",
        "Capture, structure and reuse knowledge while solving (KCS).",
        [
            "Capture",
            "Structure",
            "Review and publish",
            "Reuse",
            "Improve",
            "Retire",
        ],
    ),
    "service_level": (
        "Service level management",
        "Agree service levels with customers, monitor them and report on them.",
        [
            "Agree service levels",
            "Sign off agreement",
            "Monitor",
            "Report",
            "Review with customer",
            "Improve",
        ],
    ),
    "continual_improvement": (
        "Continual improvement",
        "Keep a register of improvements and see them through to measured results.",
        [
            "Identify opportunity",
            "Assess",
            "Prioritize",
            "Plan",
            "Implement",
            "Measure results",
            "Close",
        ],
    ),
}


def seed(apps, schema_editor):
    Process = apps.get_model("ownership", "Process")
    Activity = apps.get_model("ownership", "Activity")
    for key, (name, description, activities) in PROCESSES.items():
        process, _ = Process.objects.get_or_create(
            key=key, defaults={"name": name, "description": description}
        )
        existing = set(Activity.objects.filter(process=process).values_list("name", flat=True))
        Activity.objects.bulk_create(
            [
                Activity(process=process, name=activity, order=(i + 1) * 10)
                for i, activity in enumerate(activities)
                if activity not in existing
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("ownership", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
