from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "steward.reviews"
    label = "reviews"
    verbose_name = "Service reviews"
