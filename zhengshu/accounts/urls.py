from django.urls import path

from zhengshu.accounts import views
from zhengshu.core.views.generic import model_urls

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password_change"),
    path("me/totp/", views.totp_setup, name="totp_setup"),
    *model_urls(views.USER),
    *model_urls(views.PERMISSION),
]
