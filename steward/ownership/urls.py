from django.urls import path
from django.views.generic import RedirectView

from steward.ownership import views

app_name = "ownership"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="ownership:process_list"), name="home"),
    path("processes/", views.process_list, name="process_list"),
    path("processes/<id:pk>/", views.process_detail, name="process_detail"),
    path("processes/<id:pk>/edit/", views.process_edit, name="process_edit"),
    path("processes/<id:pk>/raci.csv", views.process_raci_csv, name="process_raci_csv"),
    path(
        "processes/<id:pk>/activities/<id:activity_pk>/raci/",
        views.activity_raci_edit,
        name="activity_raci_edit",
    ),
    path(
        "processes/<id:pk>/activities/<id:activity_pk>/row/",
        views.activity_raci_row,
        name="activity_raci_row",
    ),
    path("gaps/", views.gap_list, name="gaps"),
    path("mine/", views.mine, name="mine"),
]
