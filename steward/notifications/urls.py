from django.urls import path

from steward.notifications import views, views_mail_templates, views_webhooks

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read, name="read"),
    path("webhooks/", views_webhooks.webhook_list, name="webhooks"),
    path("webhooks/new/", views_webhooks.webhook_edit, name="webhook_new"),
    path("webhooks/<id:pk>/", views_webhooks.webhook_edit, name="webhook"),
    path("webhooks/<id:pk>/test/", views_webhooks.webhook_test, name="webhook_test"),
    path("webhooks/<id:pk>/delete/", views_webhooks.webhook_delete, name="webhook_delete"),
    path("mail-templates/", views_mail_templates.mail_template_list, name="mail_templates"),
    path(
        "mail-templates/<str:event>/<str:language>/",
        views_mail_templates.mail_template_edit,
        name="mail_template",
    ),
    path(
        "mail-templates/<str:event>/<str:language>/reset/",
        views_mail_templates.mail_template_reset,
        name="mail_template_reset",
    ),
]
