from django.urls import path

from steward.incidents import lookups, views

urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("new/", views.incident_create, name="incident_create"),
    path("export.csv", views.incident_export, name="incident_export"),
    path("handovers/", views.handover_overview, name="handover_overview"),
    path("suggest/callers/", lookups.suggest_callers, name="incident_suggest_callers"),
    path("suggest/cis/", lookups.suggest_cis, name="incident_suggest_cis"),
    path("views/", views.view_save, name="incident_view_save"),
    path("views/<id:pk>/delete/", views.view_delete, name="incident_view_delete"),
    path("<str:number>/", views.incident_detail, name="incident_detail"),
    path(
        "<str:number>/attachments/<id:pk>",
        views.attachment_download,
        name="incident_attachment",
    ),
    path("<str:number>/attach/", views.attachment_upload, name="incident_attach"),
    path("<str:number>/<slug:action>/", views.incident_action, name="incident_action"),
]
