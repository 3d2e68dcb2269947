from django.urls import path

from steward.slm import views

urlpatterns = [
    path("compliance/", views.compliance_report, name="sla_compliance"),
]
