from django.urls import path

from steward.reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:service_id>/<str:month>/", views.detail, name="detail"),
    path("<int:service_id>/<str:month>/pdf/", views.pdf_view, name="pdf"),
    path("<int:service_id>/<str:month>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<int:service_id>/<str:month>/recipients/", views.subscription, name="subscription"),
]
