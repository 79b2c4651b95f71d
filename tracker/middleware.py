"""Project-wide middleware."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


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
