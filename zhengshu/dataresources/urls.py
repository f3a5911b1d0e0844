app_name = "dataresources"

urlpatterns: list = []
