"""The service pages, under ``/services/``; the CMDB's are in ``cmdb.py``, under ``/cmdb/``."""

from django.urls import path

from steward.services.views import portfolio

app_name = "services"

urlpatterns = [
    path("", portfolio.service_list, name="list"),
    path("new/", portfolio.service_create, name="create"),
    path("<id:pk>/", portfolio.service_detail, name="detail"),
    path("<id:pk>/edit/", portfolio.service_edit, name="edit"),
    path("<id:pk>/lifecycle/", portfolio.service_lifecycle, name="lifecycle"),
    path("<id:pk>/propose-owner/", portfolio.propose_owner, name="propose_owner"),
    path(
        "<id:pk>/ownership/<str:decision>/",
        portfolio.ownership_decision,
        name="ownership_decision",
    ),
    path("<id:pk>/cis/", portfolio.link_ci, name="link_ci"),
    path("<id:pk>/cis/<id:link_pk>/remove/", portfolio.unlink_ci, name="unlink_ci"),
]
