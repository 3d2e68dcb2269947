from django.urls import path

from steward.slm.views import assignments, calendars, compliance, olas, sla

app_name = "slm"

urlpatterns = [
    path("", sla.sla_list, name="slas"),
    path("slas/new/", sla.sla_create, name="sla_create"),
    path("slas/<int:pk>/", sla.sla_detail, name="sla"),
    path("slas/<int:pk>/sign-off/", sla.sign_off, name="sla_sign_off"),
    path("sign-off/", sla.sign_off_list, name="sign_off"),
    path("olas/", olas.ola_list, name="olas"),
    path("olas/<int:group_id>/", olas.ola_edit, name="ola"),
    path("calendars/", calendars.calendar_list, name="calendars"),
    path("calendars/new/", calendars.calendar_create, name="calendar_create"),
    path("calendars/<int:pk>/", calendars.calendar_detail, name="calendar"),
    path("calendars/<int:pk>/holidays/", calendars.calendar_holidays, name="calendar_holidays"),
    path("calendars/<int:pk>/assign/", assignments.calendar_assign, name="calendar_assign"),
    path("calendars/<int:pk>/release/", assignments.calendar_release, name="calendar_release"),
    path("groups/<int:group_id>/calendar/", assignments.group_calendar, name="group_calendar"),
    path("compliance/", compliance.compliance_report, name="compliance"),
]
