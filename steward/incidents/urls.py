from django.urls import path

from steward.incidents import (
    detail_views,
    list_views,
    lookups,
    major_views,
    settings_views,
    views,
)

app_name = "incidents"

urlpatterns = [
    path("", list_views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("export.csv", list_views.incident_export, name="export"),
    path("bulk/", list_views.incident_bulk, name="bulk"),
    path("handovers/", views.handover_overview, name="handovers"),
    # The incident settings of the Administration area (settings_views.py).
    path("settings/priority-matrix/", settings_views.priority_matrix, name="settings_matrix"),
    path("settings/categories/", settings_views.category_list, name="settings_categories"),
    path("settings/categories/<id:pk>/", settings_views.category_edit, name="settings_category"),
    path(
        "settings/categories/<id:pk>/status/",
        settings_views.category_retire,
        name="settings_category_status",
    ),
    path("suggest/callers/", lookups.suggest_callers, name="suggest_callers"),
    path("suggest/cis/", lookups.suggest_cis, name="suggest_cis"),
    path("views/", list_views.view_save, name="view_save"),
    path("views/<id:pk>/delete/", list_views.view_delete, name="view_delete"),
    path("replies/", detail_views.canned_replies, name="canned_replies"),
    path("replies/<id:pk>/delete/", detail_views.canned_reply_delete, name="canned_reply_delete"),
    path("<str:number>/", views.incident_detail, name="detail"),
    path("<str:number>/edit/", detail_views.incident_edit, name="edit"),
    path(
        "<str:number>/attachments/<id:pk>",
        views.attachment_download,
        name="attachment",
    ),
    path("<str:number>/attach/", views.attachment_upload, name="attach"),
    path("<str:number>/major/plan/", major_views.plan_edit, name="major_plan"),
    path("<str:number>/<slug:action>/", views.incident_action, name="action"),
]
