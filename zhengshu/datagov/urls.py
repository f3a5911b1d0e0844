app_name = "datagov"

urlpatterns: list = []
