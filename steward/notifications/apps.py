from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "steward.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # The Huey consumer discovers ``tasks`` modules only; register the outbox jobs here.
        from steward.notifications import jobs  # noqa: F401
