from django.urls import path

from calendars import views

app_name = "calendars"

urlpatterns = [
    path("", views.CalendarSettingsView.as_view(), name="settings"),
    # token_urlsafe tokens are letters, digits, "-" and "_": exactly a slug.
    path("<slug:token>.ics", views.CalendarFeedView.as_view(), name="feed"),
]
