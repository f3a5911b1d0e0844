from django.urls import path

from zhengshu.assistant import views

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("feedback/<int:log_id>/", views.feedback, name="feedback"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/mine/", views.my_requests, name="my_requests"),
    path("requests/", views.request_queue, name="request_queue"),
    path("requests/<int:pk>/<str:action>/", views.request_action, name="request_action"),
    path("curation/", views.curation, name="curation"),
]
