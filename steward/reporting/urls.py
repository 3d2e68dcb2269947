from django.urls import path

from steward.reporting import views

app_name = "reporting"

urlpatterns = [
    path("kpis/", views.catalogue, name="catalogue"),
    path("kpis/<slug:key>/", views.kpi_page, name="kpi"),
    path("kpis/<slug:key>/records/", views.records, name="records"),
]
