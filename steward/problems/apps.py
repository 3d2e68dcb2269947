from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "steward.problems"
    label = "problems"
    verbose_name = "Problems"
