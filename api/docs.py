"""The API's documentation page: Swagger UI, from our own static files and without any inline
script or style, so that it works under the site's strict Content Security Policy."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """The page, and (with `?script`) its start-up script as a file of its own."""

    url_name = "api:schema"
    template_name = "api/swagger_ui.html"
    title = "Inspection tracker API"

    def dispatch(self, request, *args, **kwargs):
        # A page for people: signed-out visitors go to the sign-in page, then come back.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)
