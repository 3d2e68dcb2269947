"""The knowledge pages (namespaced ``knowledge:``)."""

from django.urls import path

from steward.knowledge.views import (
    articles,
    coaching,
    flags,
    licences,
    links,
    metrics,
    portal,
    suggest,
    versions,
)

app_name = "knowledge"

urlpatterns = [
    path("", articles.article_list, name="list"),
    path("new/", articles.article_create, name="new"),
    path("search/", portal.search, name="portal"),
    path("suggest/", suggest.suggestions, name="suggest"),
    path("flags/", flags.flag_queue, name="flags"),
    path("flags/<id:pk>/resolve/", flags.flag_resolve, name="flag_resolve"),
    path("coach/", coaching.coach_queue, name="coach"),
    path("licences/", licences.licence_list, name="licences"),
    path("licences/new/", licences.licence_create, name="licence_new"),
    path("licences/<id:pk>/", licences.licence_edit, name="licence_edit"),
    path("licences/<id:pk>/revoke/", licences.licence_revoke, name="licence_revoke"),
    path("metrics/", metrics.metrics_page, name="metrics"),
    path("metrics.csv", metrics.metrics_csv, name="metrics_csv"),
    path("incidents/<str:number>/link/", links.link, name="link"),
    path("incidents/<str:number>/unlink/<id:article>/", links.unlink, name="unlink"),
    path("incidents/<str:number>/capture/", links.capture, name="capture"),
    path("problems/<str:number>/capture/", links.capture_problem, name="capture_problem"),
    path("<str:number>/", articles.article_detail, name="detail"),
    path("<str:number>/edit/", articles.article_edit, name="edit"),
    path("<str:number>/state/", articles.article_state, name="state"),
    path("<str:number>/versions/", versions.version_list, name="versions"),
    path("<str:number>/diff/", versions.version_diff, name="diff"),
    path("<str:number>/flag/", flags.flag_create, name="flag"),
    path("<str:number>/review/", coaching.review, name="review"),
    path("<str:number>/rate/", portal.rate, name="rate"),
]
