"""The maintenance switch: TRACKER_MAINTENANCE=true answers every request with the GOV.UK
"service unavailable" page, so the database can be upgraded or restored meanwhile."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 3600


class MaintenanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.TRACKER_MAINTENANCE:
            return self.get_response(request)
        # Rendered without the request: no session, no user, no database.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
