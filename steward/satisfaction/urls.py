"""The satisfaction pages (namespaced ``satisfaction:``)."""

app_name = "satisfaction"

urlpatterns: list = []
