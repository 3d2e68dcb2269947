"""The approvals pages (namespaced ``approvals:``)."""

from django.urls import path

from steward.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:approval_id>/", views.detail, name="detail"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/end/", views.delegation_end, name="delegation_end"),
    path("act/<str:token>/", views.act, name="act"),
]
