from django.urls import path

from steward.slm import views

app_name = "slm"

urlpatterns = [
    path("compliance/", views.compliance_report, name="compliance"),
]
