"""The portal pages (namespaced ``portal:``)."""

app_name = "portal"

urlpatterns: list = []
