app_name = "trading"

urlpatterns: list = []
