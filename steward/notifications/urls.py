from django.urls import path

from steward.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("read/", views.notification_read, name="notifications_read"),
]
