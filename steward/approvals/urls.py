"""The approvals pages (namespaced ``approvals:``)."""

app_name = "approvals"

urlpatterns: list = []
