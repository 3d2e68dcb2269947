"""The Practices page (administrators switch practices on and off), at /practices/."""

from django.urls import path

from steward.ownership.practice_views import practice_list, practice_switch_view

app_name = "practices"

urlpatterns = [
    path("", practice_list, name="list"),
    path("<slug:key>/", practice_switch_view, name="switch"),
]
