"""The portal pages (namespaced ``portal:``)."""

from django.urls import path

from steward.portal.views import approvals, catalog, home, incidents, items, knowledge, my, report

app_name = "portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("search/", home.search, name="search"),
    path("knowledge/", knowledge.knowledge, name="knowledge"),
    path("report/", report.report, name="report"),
    path("report/suggest/", report.suggestions, name="suggest"),
    path("articles/<str:number>/", report.article, name="article"),
    path("articles/<str:number>/solved/", report.solved, name="solved"),
    path("my/", my.my, name="my"),
    path("incidents/<str:number>/", incidents.incident_detail, name="incident"),
    path("incidents/<str:number>/reply/", incidents.incident_reply, name="incident_reply"),
    path("incidents/<str:number>/attach/", incidents.incident_attach, name="incident_attach"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<id:pk>/", catalog.catalog_item, name="catalog_item"),
    path("requests/<str:number>/", items.item_detail, name="item"),
    path("requests/<str:number>/reply/", items.item_reply, name="item_reply"),
    path("requests/<str:number>/attach/", items.item_attach, name="item_attach"),
    path("requests/<str:number>/cancel/", items.item_cancel, name="item_cancel"),
    path("requests/<str:number>/files/<id:pk>", items.item_file, name="item_file"),
    path("approvals/", approvals.approval_list, name="approvals"),
    path("approvals/<id:pk>/", approvals.approval_decide, name="approval"),
]
