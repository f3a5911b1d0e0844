from django.urls import path

from zhengshu.core.views.generic import ObjectListView, model_urls
from zhengshu.govservices import views

app_name = "govservices"


def _list(config):
    return type("ServiceItemListView", (ObjectListView,), {"config": config}).as_view()


urlpatterns = [
    path("items/", _list(views.ITEM), name="serviceitem_list"),
    path("items/add/", views.item_edit, name="serviceitem_add"),
    path("items/<int:pk>/", views.item_detail, name="serviceitem_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="serviceitem_edit"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="serviceitem_action"),
    path("review/", views.review_queue, name="review_queue"),
    path("import/", views.import_page, name="import_items"),
    *model_urls(views.FINDING),
    *model_urls(views.CODE_VALUE),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<str:code>/", views.guide_detail, name="guide_detail"),
]
