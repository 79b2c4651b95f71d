"""The project's URLs and one more for the page benchmark's reference: a signed-in response
with no page at all (the middleware, the session and the user; no template, no query of its
own), the least any signed-in page of a Django application costs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.utils.html import escape

BARE_PATH = "/bench-bare/"


@login_required
def bare(request):
    return HttpResponse(f"<p>{escape(str(request.user))}</p>")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare), path("", include("tracker.urls"))]
