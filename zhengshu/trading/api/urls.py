app_name = "trading-api"

urlpatterns: list = []
