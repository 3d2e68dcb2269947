from django.contrib import admin
from django.urls import include, path

from steward.api import api, api_not_found
from steward.core.views import healthz, live

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="live"),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", api_not_found),
    path("admin/", admin.site.urls),
    path("", include("steward.people.urls")),
    path("services/", include("steward.services.urls")),
    path("ownership/", include("steward.ownership.urls")),
    path("incidents/", include("steward.incidents.urls")),
    path("service-levels/", include("steward.slm.urls")),
]
