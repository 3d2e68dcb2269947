from django.urls import path

from steward.services import views

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("<int:pk>/", views.service_detail, name="service_detail"),
    path(
        "<int:pk>/ownership/<str:decision>/",
        views.ownership_decision,
        name="service_ownership_decision",
    ),
]
