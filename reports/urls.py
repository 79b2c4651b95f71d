from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.PackView.as_view(), name="pack"),
    path("forces/<slug:slug>/", views.PackView.as_view(), name="force-pack"),
    path("downloads/", views.DownloadsView.as_view(), name="downloads"),
    path("downloads/<int:pk>/", views.DownloadView.as_view(), name="download"),
]
