app_name = "dataresources-api"

urlpatterns: list = []
