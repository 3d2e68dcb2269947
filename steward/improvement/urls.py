from django.urls import path

from steward.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("<str:number>/", views.item_detail, name="detail"),
    path("<str:number>/edit/", views.item_edit, name="edit"),
    path("<str:number>/move/", views.item_move, name="move"),
    path("<str:number>/vote/", views.item_vote, name="vote"),
    path("<str:number>/comment/", views.item_comment, name="comment"),
    path("<str:number>/actions/", views.action_add, name="add_action"),
    path("<str:number>/actions/<int:pk>/done/", views.action_done, name="action_done"),
]
