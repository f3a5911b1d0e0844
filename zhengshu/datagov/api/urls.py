app_name = "datagov-api"

urlpatterns: list = []
