from django.urls import path

from steward.changes.views import actions, boards, calendar, records

app_name = "changes"

urlpatterns = [
    path("", records.change_list, name="list"),
    path("new/", records.change_create, name="create"),
    path("approvals/", boards.inbox, name="inbox"),
    path("cab/", boards.agenda, name="agenda"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar.ics", calendar.calendar_feed, name="calendar_feed"),
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
