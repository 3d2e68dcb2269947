from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "steward.approvals"
    label = "approvals"
    verbose_name = "Approvals"

    def ready(self):
        pass  # the registration call (core.practices.register_practice) goes here
