"""Seed the priority matrix with the ITIL default: impact x urgency (1-3 each) -> P1-P5."""

from django.db import migrations

#: (impact, urgency) -> priority; the usual ITIL 3x3 (impact + urgency - 1).
DEFAULT = {(i, u): i + u - 1 for i in (1, 2, 3) for u in (1, 2, 3)}


def seed(apps, schema_editor):
    PriorityMatrix = apps.get_model("incidents", "PriorityMatrix")
    for (impact, urgency), priority in DEFAULT.items():
        PriorityMatrix.objects.get_or_create(
            impact=impact, urgency=urgency, defaults={"priority": priority}
        )


def unseed(apps, schema_editor):
    apps.get_model("incidents", "PriorityMatrix").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
