app_name = "archive-api"
urlpatterns: list = []
