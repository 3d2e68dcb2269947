from django.urls import path

from steward.services import views

urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("<id:pk>/", views.service_detail, name="service_detail"),
    path(
        "<id:pk>/ownership/<str:decision>/",
        views.ownership_decision,
        name="service_ownership_decision",
    ),
]
