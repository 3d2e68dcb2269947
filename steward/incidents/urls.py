from django.urls import path

from steward.incidents import lookups, views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("export.csv", views.incident_export, name="export"),
    path("handovers/", views.handover_overview, name="handovers"),
    path("suggest/callers/", lookups.suggest_callers, name="suggest_callers"),
    path("suggest/cis/", lookups.suggest_cis, name="suggest_cis"),
    path("views/", views.view_save, name="view_save"),
    path("views/<id:pk>/delete/", views.view_delete, name="view_delete"),
    path("<str:number>/", views.incident_detail, name="detail"),
    path(
        "<str:number>/attachments/<id:pk>",
        views.attachment_download,
        name="attachment",
    ),
    path("<str:number>/attach/", views.attachment_upload, name="attach"),
    path("<str:number>/<slug:action>/", views.incident_action, name="action"),
]
