import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_sign_in_throttle"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganizationContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=150)),
                ("email", models.EmailField(max_length=254)),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("primary", "Primary contact"),
                            ("technical", "Technical contact"),
                            ("escalation", "Escalation contact"),
                            ("communications", "Communications (major incidents)"),
                        ],
                        default="primary",
                        max_length=20,
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[
                            ("en", "English"),
                            ("nl", "Nederlands"),
                            ("de", "Deutsch"),
                            ("fr", "Français"),
                        ],
                        default="en",
                        max_length=10,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contacts",
                        to="people.organization",
                    ),
                ),
            ],
            options={
                "ordering": ["organization", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organization", "email"), name="people_contact_email_unique"
                    )
                ],
            },
        ),
    ]
