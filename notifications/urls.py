from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.NotificationOpenView.as_view(), name="open"),
    path("read/", views.MarkAllReadView.as_view(), name="mark-all-read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("status/", views.LedgerStatusView.as_view(), name="status"),
]
