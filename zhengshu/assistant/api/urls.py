from django.urls import path

from zhengshu.assistant.api import views

app_name = "assistant-api"

urlpatterns = [
    path("ask", views.AskView.as_view(), name="ask"),
    path("feedback", views.FeedbackView.as_view(), name="feedback"),
    path("requests/", views.RequestListView.as_view(), name="requests"),
    path("requests/<int:pk>/<str:action>", views.RequestActionView.as_view(), name="request_action"),
]
