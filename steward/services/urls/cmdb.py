"""The CMDB pages, under ``/cmdb/`` (namespace ``cmdb``)."""

from django.urls import path

from steward.services.views import classes, cmdb, imports

app_name = "cmdb"

urlpatterns = [
    path("", cmdb.ci_list, name="list"),
    path("new/", cmdb.ci_create, name="create"),
    path("import/", imports.csv_import, name="import"),
    path("classes/", classes.class_list, name="classes"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/<id:pk>/edit/", classes.class_edit, name="class_edit"),
    path("<id:pk>/", cmdb.ci_detail, name="detail"),
    path("<id:pk>/edit/", cmdb.ci_edit, name="edit"),
    path("<id:pk>/attributes/", cmdb.ci_attributes, name="attributes"),
    path("<id:pk>/impact/", cmdb.ci_impact, name="impact"),
    path("<id:pk>/relationships/", cmdb.relationship_add, name="relationship_add"),
    path(
        "<id:pk>/relationships/<id:rel_pk>/remove/",
        cmdb.relationship_remove,
        name="relationship_remove",
    ),
]
