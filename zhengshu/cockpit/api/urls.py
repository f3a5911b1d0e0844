app_name = "cockpit-api"
urlpatterns: list = []
