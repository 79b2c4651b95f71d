from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.SavedViewListView.as_view(), name="saved-views"),
    path("new/", views.SavedViewCreateView.as_view(), name="saved-view-create"),
    path("<int:pk>/delete/", views.SavedViewDeleteView.as_view(), name="saved-view-delete"),
]
