from django.urls import path

from steward.reporting import views, views_dashboards

app_name = "reporting"

d = views_dashboards

urlpatterns = [
    path("kpis/", views.catalogue, name="catalogue"),
    path("kpis/<slug:key>/", views.kpi_page, name="kpi"),
    path("kpis/<slug:key>/records/", views.records, name="records"),
    path("dashboards/", d.dashboard_list, name="dashboards"),
    path("dashboards/new/", d.dashboard_new, name="dashboard_new"),
    path("dashboards/<id:pk>/", d.dashboard_page, name="dashboard"),
    path("dashboards/<id:pk>/settings/", d.dashboard_settings, name="dashboard_settings"),
    path("dashboards/<id:pk>/delete/", d.dashboard_delete, name="dashboard_delete"),
    path("dashboards/<id:pk>/widgets/new/", d.widget_new, name="widget_new"),
    path("dashboards/<id:pk>/widgets/<id:widget_pk>.csv", d.widget_csv, name="widget_csv"),
    path("dashboards/<id:pk>/widgets/<id:widget_pk>/edit/", d.widget_edit, name="widget_edit"),
    path("dashboards/<id:pk>/widgets/<id:widget_pk>/move/", d.widget_move, name="widget_move"),
    path(
        "dashboards/<id:pk>/widgets/<id:widget_pk>/remove/",
        d.widget_remove,
        name="widget_remove",
    ),
    path("dashboards/default/<slug:role>/", d.default_page, name="default_dashboard"),
    path("dashboards/default/<slug:role>/copy/", d.default_copy, name="default_copy"),
    path(
        "dashboards/default/<slug:role>/widgets/<id:number>.csv",
        d.default_widget_csv,
        name="default_widget_csv",
    ),
]
