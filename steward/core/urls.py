"""The core's pages: the start page (panels contributed by the practices) and the search."""

from django.urls import path

from steward.core.views_home import home
from steward.core.views_search import search

app_name = "core"

urlpatterns = [
    path("", home, name="home"),
    path("search", search, name="search"),
]
