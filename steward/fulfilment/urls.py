"""The fulfilment pages (namespaced ``fulfilment:``)."""

app_name = "fulfilment"

urlpatterns: list = []
