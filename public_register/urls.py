from django.urls import path

from public_register import views

app_name = "register"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("register.csv", views.download, name="download"),
    path("status-changes.atom", views.status_changes, name="status-changes"),
    path("forces/<slug:slug>/", views.force, name="force"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("items/<int:pk>/", views.item, name="item"),
]
