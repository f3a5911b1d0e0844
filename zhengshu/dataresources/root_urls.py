"""Public paths that must sit at the site root: the open data portal, the CKAN Action API, DCAT."""

urlpatterns: list = []
