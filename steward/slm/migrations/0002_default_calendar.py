"""Create the default 24×7 calendar: every instant of every day is working time."""

from django.db import migrations

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def create_default(apps, schema_editor):
    Calendar = apps.get_model("slm", "Calendar")
    if not Calendar.objects.filter(is_default=True).exists():
        Calendar.objects.create(
            name="24×7",
            description="Every instant counts: around the clock, every day, no holidays.",
            time_zone="UTC",
            hours={day: [["00:00", "24:00"]] for day in WEEKDAYS},
            is_default=True,
        )


def remove_default(apps, schema_editor):
    apps.get_model("slm", "Calendar").objects.filter(is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("slm", "0001_initial")]

    operations = [migrations.RunPython(create_default, remove_default)]
