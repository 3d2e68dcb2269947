from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "steward.reviews"
    label = "reviews"
    verbose_name = "Service reviews"

    def ready(self):
        from steward.core.practices import Practice, register_practice
        from steward.core.registry import DemoStep, NavEntry
        from steward.reviews import demo, gaps, jobs  # noqa: F401  (jobs: Huey's tasks)

        register_practice(
            Practice(
                key="service_reviews",
                app="reviews",
                name=_("Service reviews"),
                description=_(
                    "A monthly review of each service for its owner: availability, service "
                    "levels, volumes and trends, as a page and a PDF."
                ),
                brings=[
                    _("The service review page and its PDF, per service and month"),
                    _("The monthly review sent to each service owner, who acknowledges it"),
                    _("GET /api/v1/service-reviews/{service_id}/{yyyy-mm} (JSON and .pdf)"),
                ],
                depends_on=["reporting"],
                on_by_default=True,
                order=95,
                nav=[
                    NavEntry(
                        "service_reviews",
                        _("Service reviews"),
                        "reviews:index",
                        order=72,
                        visible=lambda user: user.is_authenticated and user.is_it,
                    )
                ],
                gaps=gaps.GAP_PROVIDERS,
                demo=[DemoStep("service_reviews", demo.load, order=95)],
            )
        )
