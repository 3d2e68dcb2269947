from django.urls import path

from steward.people import views

app_name = "people"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<id:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<id:pk>/", views.group_detail, name="group_detail"),
    path("people/<str:username>/", views.user_detail, name="user_detail"),
]
