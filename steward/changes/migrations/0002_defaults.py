"""The practice's defaults, so it works with no setup: its settings row and who authorizes
what. A standard change is pre-authorized; a normal change at low risk is peer-reviewed, at
moderate risk authorized by the change manager; an emergency change by the change manager
alone. High risk goes to the change manager too until an administrator names a change board
(the CAB) for it: a board without members could authorize nothing."""

from django.db import migrations

RULES = [
    ("standard", "low", "none"),
    ("standard", "moderate", "none"),
    ("standard", "high", "none"),
    ("normal", "low", "peer"),
    ("normal", "moderate", "change_manager"),
    ("normal", "high", "change_manager"),
    ("emergency", "low", "change_manager"),
    ("emergency", "moderate", "change_manager"),
    ("emergency", "high", "change_manager"),
]


def forwards(apps, schema_editor):
    settings = apps.get_model("changes", "ChangeSettings")
    rule = apps.get_model("changes", "AuthorityRule")
    if not settings.objects.exists():
        settings.objects.create()
    for type_, risk, level in RULES:
        rule.objects.get_or_create(type=type_, risk=risk, defaults={"level": level})


class Migration(migrations.Migration):
    dependencies = [("changes", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
