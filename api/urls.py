from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from api import docs, views

app_name = "api"


class Router(routers.DefaultRouter):
    include_format_suffixes = False  # `?format=json|csv` instead of `.json` URLs


router = Router(use_regex_path=False)
router.register("forces", views.ForceViewSet, basename="force")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("causes-of-concern", views.CauseOfConcernViewSet, basename="cause-of-concern")
router.register("items", views.ItemViewSet, basename="item")
router.register("actions", views.ActionViewSet, basename="action")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
router.register("evidence", views.EvidenceViewSet, basename="evidence")
router.register("timeline", views.TimelineViewSet, basename="timeline-entry")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.ApiDocsView.as_view(), name="docs"),
    *router.urls,
    # Last: any other address under /api/ is a JSON 404, as a program expects, not a page.
    # Anything else under /api/ (even with a newline in it) is a JSON 404, never a page.
    re_path(r"^(?P<path>[\s\S]*/)$", views.NotFoundView.as_view(), name="not-found"),
]
