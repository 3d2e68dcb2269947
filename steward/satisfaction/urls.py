"""The satisfaction pages (namespaced ``satisfaction:``)."""

from django.urls import path

from steward.satisfaction import views

app_name = "satisfaction"

urlpatterns = [
    path("", views.results_page, name="results"),
    path("results.csv", views.results_csv, name="results_csv"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path("s/<str:token>/", views.answer, name="answer"),
]
