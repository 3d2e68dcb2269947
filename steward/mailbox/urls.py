"""The mail administration pages (namespaced ``mailbox:``)."""

from django.urls import path

from steward.mailbox import views

app_name = "mailbox"

urlpatterns = [
    path("", views.mailbox_list, name="mailboxes"),
    path("new/", views.mailbox_edit, name="mailbox_new"),
    path("<id:pk>/", views.mailbox_edit, name="mailbox"),
    path("messages/", views.message_list, name="messages"),
    path("messages/<id:pk>/", views.message_detail, name="message"),
    path("messages/<id:pk>/html/", views.message_html, name="message_html"),
    path("messages/<id:pk>/raw/", views.message_raw, name="message_raw"),
    path("messages/<id:pk>/retry/", views.message_retry, name="message_retry"),
    path("messages/<id:pk>/discard/", views.message_discard, name="message_discard"),
]
