from django.urls import path

from steward.problems import views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_create, name="create"),
    path("from-incidents/", views.from_incidents, name="from_incidents"),
    path("trends/", views.trends, name="trends"),
    path("known-errors/", views.known_errors_matching, name="known_errors_matching"),
    path("workaround/<str:incident_number>/", views.apply_workaround, name="apply_workaround"),
    path("<str:number>/", views.problem_detail, name="detail"),
    path("<str:number>/edit/", views.problem_edit, name="edit"),
    path("<str:number>/move/", views.problem_move, name="move"),
    path("<str:number>/rca/", views.problem_rca, name="rca"),
    path("<str:number>/incidents/", views.problem_link, name="link"),
    path(
        "<str:number>/resolve-incidents/",
        views.problem_resolve_incidents,
        name="resolve_incidents",
    ),
]
