from django.contrib import admin
from django.urls import include, path

from steward.api import api, api_not_found
from steward.core.views import healthz, live
from steward.people.admin_login import admin_login

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", live, name="live"),
    path("api/v1/", api.urls),
    path("api/v1/<path:rest>", api_not_found),
    # The admin's sign-in, throttled like the sign-in page (people/admin_login.py).
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("steward.core.urls")),
    path("", include("steward.people.urls")),
    path("notifications/", include("steward.notifications.urls")),
    path("services/", include("steward.services.urls")),
    path("cmdb/", include("steward.services.urls.cmdb")),
    path("ownership/", include("steward.ownership.urls")),
    path("practices/", include("steward.ownership.practice_urls")),
    path("incidents/", include("steward.incidents.urls")),
    path("service-levels/", include("steward.slm.urls")),
    path("problems/", include("steward.problems.urls")),
    path("knowledge/", include("steward.knowledge.urls")),
    path("approvals/", include("steward.approvals.urls")),
    path("requests/", include("steward.fulfilment.urls")),
    path("satisfaction/", include("steward.satisfaction.urls")),
    path("portal/", include("steward.portal.urls")),
    path("mail/", include("steward.mailbox.urls")),
    path("changes/", include("steward.changes.urls")),
    path("reports/", include("steward.reporting.urls")),
    path("service-reviews/", include("steward.reviews.urls")),
    path("improvements/", include("steward.improvement.urls")),
]
