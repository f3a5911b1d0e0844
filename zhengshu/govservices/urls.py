app_name = "govservices"

urlpatterns: list = []
