from django.urls import path

from steward.changes.views import (
    actions,
    admin_authority,
    admin_risk,
    admin_settings,
    admin_templates,
    admin_windows,
    boards,
    calendar,
    records,
)

app_name = "changes"

urlpatterns = [
    path("", records.change_list, name="list"),
    path("new/", records.change_create, name="create"),
    path("approvals/", boards.inbox, name="inbox"),
    path("cab/", boards.agenda, name="agenda"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar.ics", calendar.calendar_feed, name="calendar_feed"),
    # The practice's admin data (views/admin_*.py): administrators and change managers.
    path("admin/templates/", admin_templates.template_list, name="admin_templates"),
    path("admin/templates/new/", admin_templates.template_create, name="admin_template_new"),
    path("admin/templates/<int:pk>/", admin_templates.template_edit, name="admin_template"),
    path("admin/risk/", admin_risk.risk_overview, name="admin_risk"),
    path("admin/risk/questions/new/", admin_risk.question_create, name="admin_question_new"),
    path("admin/risk/questions/<int:pk>/", admin_risk.question_edit, name="admin_question"),
    path("admin/risk/rules/new/", admin_risk.rule_create, name="admin_rule_new"),
    path("admin/risk/rules/<int:pk>/", admin_risk.rule_edit, name="admin_rule"),
    path("admin/risk/rules/<int:pk>/delete/", admin_risk.rule_delete, name="admin_rule_delete"),
    path("admin/authority/", admin_authority.authority, name="admin_authority"),
    path("admin/boards/new/", admin_authority.board_create, name="admin_board_new"),
    path("admin/boards/<int:pk>/", admin_authority.board_edit, name="admin_board"),
    path("admin/boards/<int:pk>/delete/", admin_authority.board_delete, name="admin_board_delete"),
    path("admin/windows/", admin_windows.window_list, name="admin_windows"),
    path("admin/windows/new/", admin_windows.window_create, name="admin_window_new"),
    path("admin/windows/<int:pk>/", admin_windows.window_edit, name="admin_window"),
    path(
        "admin/windows/<int:pk>/delete/",
        admin_windows.window_delete,
        name="admin_window_delete",
    ),
    path("admin/settings/", admin_settings.settings_page, name="admin_settings"),
    path("<str:number>/", records.change_detail, name="detail"),
    path("<str:number>/edit/", records.change_edit, name="edit"),
    path("<str:number>/move/", actions.change_move, name="move"),
    path("<str:number>/decide/", actions.change_decide, name="decide"),
    path("<str:number>/override/", actions.change_override, name="override"),
    path("<str:number>/review/", actions.change_review, name="review"),
    path("<str:number>/incidents/", actions.change_link_incident, name="link_incident"),
    path(
        "<str:number>/incidents/<str:incident_number>/unlink/",
        actions.change_unlink_incident,
        name="unlink_incident",
    ),
]
