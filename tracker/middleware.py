"""Project-wide middleware: the maintenance switch, and no caching of signed-in pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

RETRY_AFTER_SECONDS = 3600


class MaintenanceMiddleware:
    """TRACKER_MAINTENANCE=true answers every request with the GOV.UK "service unavailable"
    page, so the database can be upgraded or restored meanwhile."""

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


class PrivateNoStoreMiddleware:
    """Pages, exports and downloads for a signed-in user are never stored by a browser or a
    proxy (a shared computer's back button, a caching proxy), unless the view said otherwise.

    Placed after the authentication middleware; static files are answered before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
