from django.urls import path

from steward.people import views, views_groups, views_organizations, views_users

app_name = "people"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views_groups.group_create, name="group_create"),
    path("groups/<id:pk>/", views.group_detail, name="group_detail"),
    path("groups/<id:pk>/edit/", views_groups.group_edit, name="group_edit"),
    path("groups/<id:pk>/members/", views_groups.group_members, name="group_members"),
    path("people/<str:username>/", views.user_detail, name="user_detail"),
    path("organizations/", views_organizations.organization_list, name="organization_list"),
    path(
        "organizations/new/",
        views_organizations.organization_create,
        name="organization_create",
    ),
    path(
        "organizations/<id:pk>/",
        views_organizations.organization_detail,
        name="organization_detail",
    ),
    path(
        "organizations/<id:pk>/edit/",
        views_organizations.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<id:pk>/contacts/",
        views_organizations.contact_add,
        name="contact_add",
    ),
    path(
        "organizations/<id:pk>/contacts/<id:contact_pk>/",
        views_organizations.contact_edit,
        name="contact_edit",
    ),
    path(
        "organizations/<id:pk>/contacts/<id:contact_pk>/remove/",
        views_organizations.contact_remove,
        name="contact_remove",
    ),
    # The Administration area (administrators only).
    path("administration/", views_users.administration, name="administration"),
    path("administration/people/", views_users.user_list, name="user_list"),
    path("administration/new-person/", views_users.user_create, name="user_create"),
    path("administration/people/<str:username>/", views_users.user_edit, name="user_edit"),
    path(
        "administration/people/<str:username>/password/",
        views_users.user_password,
        name="user_password",
    ),
    path(
        "administration/people/<str:username>/tokens/",
        views_users.user_token_create,
        name="user_token_create",
    ),
    path(
        "administration/people/<str:username>/tokens/<id:pk>/revoke/",
        views_users.user_token_revoke,
        name="user_token_revoke",
    ),
]
