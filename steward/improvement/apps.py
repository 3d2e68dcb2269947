from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "steward.improvement"
    label = "improvement"
    verbose_name = "Continual improvement"
