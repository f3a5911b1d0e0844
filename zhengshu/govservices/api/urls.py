app_name = "govservices-api"

urlpatterns: list = []
