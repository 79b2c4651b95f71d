from django.urls import path

from recommendations import views

app_name = "recommendations"

urlpatterns = [
    path("", views.ItemListView.as_view(), name="item-list"),
]
