from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "steward.changes"
    label = "changes"
    verbose_name = "Change enablement"
