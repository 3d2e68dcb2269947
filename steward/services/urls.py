from django.urls import path

from steward.services import views

app_name = "services"

urlpatterns = [
    path("", views.service_list, name="list"),
    path("<id:pk>/", views.service_detail, name="detail"),
    path(
        "<id:pk>/ownership/<str:decision>/",
        views.ownership_decision,
        name="ownership_decision",
    ),
]
