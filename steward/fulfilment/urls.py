"""The fulfilment staff pages (namespaced ``requests:``, under /requests/). The requester's
pages are the portal's (``portal:``)."""

from django.urls import path

from steward.fulfilment.views import catalog, items, recurring, tasks

app_name = "requests"

urlpatterns = [
    path("", items.item_list, name="list"),
    path("export.csv", items.item_export, name="export"),
    path("tasks/", tasks.task_list, name="tasks"),
    path("tasks/<str:number>/", tasks.task_detail, name="task"),
    path(
        "tasks/<str:number>/<str:action>/",
        tasks.task_action,
        name="task_action",
    ),
    path("catalog/", catalog.catalog_admin, name="catalog_admin"),
    path("catalog/categories/new/", catalog.category_edit, name="category_new"),
    path("catalog/categories/<int:pk>/", catalog.category_edit, name="category"),
    path("catalog/items/new/", catalog.catalog_item_new, name="catalog_item_new"),
    path("catalog/items/<int:pk>/", catalog.catalog_item_edit, name="catalog_item"),
    path(
        "catalog/items/<int:pk>/preview/",
        catalog.catalog_item_preview,
        name="catalog_preview",
    ),
    path("recurring/", recurring.recurring_list, name="recurring"),
    path("recurring/new/", recurring.recurring_new, name="recurring_new"),
    path("recurring/<int:pk>/toggle/", recurring.recurring_toggle, name="recurring_toggle"),
    path("req/<str:number>/", items.request_detail, name="request"),
    path("<str:number>/", items.item_detail, name="detail"),
    path("<str:number>/assign/", items.item_assign, name="assign"),
    path("<str:number>/comment/", items.item_comment, name="comment"),
    path("<str:number>/cancel/", items.item_cancel, name="cancel"),
    path("<str:number>/attach/", items.item_attach, name="attach"),
    path(
        "<str:number>/attachments/<int:pk>/",
        items.attachment_download,
        name="attachment",
    ),
]
